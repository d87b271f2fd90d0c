"""Run a program in a real pseudo-terminal, as a user's terminal would, and watch what it draws.

The child gets a controlling terminal of a fixed size (120x40 by default) and, optionally, the
write end of a pipe (`PROBE_FD_ENV`) on which `benchmarks.probe` reports events as JSON lines.
The output is drained continuously (a full pty buffer would stall the child and the clock).
Times are `time.monotonic()`, which on Linux is the same clock in every process.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import re
import selectors
import signal
import struct
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

PROBE_FD_ENV = "ROARK_BENCH_PROBE_FD"
# CSI (with private markers), OSC (ended by BEL or ST), other two-byte escapes, C0 controls.
ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f]"
)

KEYS = {
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "space": b" ",
    "enter": b"\r",
    "escape": b"\x1b",
}


class Timeout(Exception):
    """The program did not draw what was expected in time."""


def plain_text(raw: bytes) -> str:
    """What a terminal stream says once escape sequences are removed."""
    return ANSI.sub("", raw.decode("utf-8", errors="replace"))


class PtyProcess:
    """A child process on its own pseudo-terminal; use as a context manager (it is killed and
    reaped on exit, and `rusage` then holds its resource usage, ru_maxrss in KiB)."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        *,
        size: tuple[int, int] = (120, 40),
        probe: bool = False,
    ) -> None:
        self.output = bytearray()
        self.events: list[dict[str, Any]] = []
        self.rusage: Any = None
        self._probe_buffer = b""
        self._probe_read: int | None = None
        env = dict(env)
        probe_write = None
        if probe:
            self._probe_read, probe_write = os.pipe()
            os.set_inheritable(probe_write, True)
            env[PROBE_FD_ENV] = str(probe_write)
        columns, rows = size
        self.started = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, then become the program
            try:
                winsize = struct.pack("HHHH", rows, columns, 0, 0)
                fcntl.ioctl(pty.STDOUT_FILENO, termios.TIOCSWINSZ, winsize)
                os.execve(argv[0], list(argv), env)
            finally:
                os._exit(127)
        self.pid = pid
        self.fd = fd
        if probe_write is not None:
            os.close(probe_write)
        self._selector = selectors.DefaultSelector()
        self._selector.register(fd, selectors.EVENT_READ, "pty")
        if self._probe_read is not None:
            self._selector.register(self._probe_read, selectors.EVENT_READ, "probe")
        self._exited = False

    def __enter__(self) -> PtyProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- reading ---------------------------------------------------------------------------

    def pump(self, timeout: float) -> float | None:
        """Read whatever arrives within `timeout` s; the time of the last read, or None."""
        last = None
        for key, _ in self._selector.select(timeout):
            try:
                chunk = os.read(key.fd, 65536)
            except OSError:  # EIO: the child closed its terminal
                chunk = b""
            now = time.monotonic()
            if not chunk:
                self._selector.unregister(key.fd)
                if key.data == "pty":
                    self._exited = True
                continue
            last = now
            if key.data == "pty":
                self.output += chunk
            else:
                self._take_probe_lines(chunk)
        return last

    def _take_probe_lines(self, chunk: bytes) -> None:
        self._probe_buffer += chunk
        *lines, self._probe_buffer = self._probe_buffer.split(b"\n")
        self.events.extend(json.loads(line) for line in lines if line.strip())

    def wait_for(self, done: Callable[[], Any], timeout: float, what: str) -> Any:
        """Pump until `done()` is truthy and return that; Timeout (with the screen's last text)
        if it is not within `timeout` s or the program ends first."""
        deadline = time.monotonic() + timeout
        while True:
            result = done()
            if result:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._exited:
                why = "the program ended first" if self._exited else f"not within {timeout:g} s"
                raise Timeout(f"{what}: {why}; {self._tail()}")
            self.pump(min(remaining, 0.05))

    def wait_for_text(self, marker: str, timeout: float) -> float:
        """The time of the read that made `marker` appear in the drawn text."""
        return self.wait_for_texts((marker,), timeout)[marker]

    def wait_for_texts(self, markers: Sequence[str], timeout: float) -> dict[str, float]:
        """For each marker, the time of the read that made it appear in the drawn text; returns
        once all have appeared."""
        deadline = time.monotonic() + timeout
        checked = 0
        seen: dict[str, float] = {}
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._exited:
                missing = [m for m in markers if m not in seen]
                raise Timeout(f"{missing!r} not drawn within {timeout:g} s; {self._tail()}")
            last = self.pump(min(remaining, 0.05))
            if last is not None and len(self.output) > checked:
                checked = len(self.output)
                text = plain_text(bytes(self.output))
                seen.update((m, last) for m in markers if m not in seen and m in text)
                if len(seen) == len(markers):
                    return seen

    def _tail(self) -> str:
        text = " ".join(plain_text(bytes(self.output[-4000:])).split())
        return f"last output: {text[-400:]!r}"

    # --- writing and ending ----------------------------------------------------------------

    def send(self, data: bytes) -> float:
        """Type `data` on the terminal; returns when it was written."""
        os.write(self.fd, data)
        return time.monotonic()

    def close(self) -> None:
        """Kill the child's process group (it is a session leader) and reap it."""
        if self.rusage is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
            _, _, self.rusage = os.wait4(self.pid, 0)
        self._selector.close()
        for fd in (self.fd, self._probe_read):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)

    @property
    def cpu_seconds(self) -> float:
        """User plus system CPU time the child used (after close): the work it did, which a
        busy machine stretches far less than the wall-clock time."""
        if self.rusage is None:
            raise RuntimeError("cpu_seconds is known once the process is closed")
        return self.rusage.ru_utime + self.rusage.ru_stime

    @property
    def peak_rss_mib(self) -> float:
        """Peak resident memory of the child (after close), in MiB."""
        if self.rusage is None:
            raise RuntimeError("peak_rss_mib is known once the process is closed")
        return self.rusage.ru_maxrss / 1024
