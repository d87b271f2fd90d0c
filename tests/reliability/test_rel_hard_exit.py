"""SIGTERM and SIGHUP end the app like ctrl+q: the draft holds the last keys typed, and the
terminal is given back (alternate screen left, mouse reporting off, canonical mode and echo on).

The real program on a real pseudo-terminal (nothing cheaper has a terminal to leave broken or a
signal disposition of its own): the threshold wizard, keys typed into its source field, then the
signal within the half second after which the wizard would have saved the draft by itself.
SIGHUP is sent the way an SSH drop sends it: the terminal's master side is closed.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import termios
import time
from pathlib import Path

from benchmarks.ptyrun import PtyProcess
from roark_tui.tui import hard_exit

ROOT = Path(__file__).resolve().parents[2]
LAST_KEYS = "latency_zq"
ALT_SCREEN_ON, ALT_SCREEN_OFF, MOUSE_OFF = b"\x1b[?1049h", b"\x1b[?1049l", b"\x1b[?1000l"


def typed_wizard(isolated_dirs: Path) -> PtyProcess:
    """The threshold wizard in a pty, `LAST_KEYS` typed into it and drawn (so the app has them),
    the last keys a moment ago."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}
    argv = [sys.executable, "-m", "roark_tui", "--demo", "thresholds", "new"]
    wizard = PtyProcess(argv, env, size=(100, 30))
    wizard.wait_for_text("search by name or slug", 60)
    wizard.send(LAST_KEYS[:7].encode())
    wizard.wait_for_text(LAST_KEYS[:7], 10)
    wizard.send(LAST_KEYS[7:].encode())
    wizard.wait_for_text(LAST_KEYS, 10)
    return wizard


def exit_code(wizard: PtyProcess, within: float) -> int:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        pid, status, rusage = os.wait4(wizard.pid, os.WNOHANG)
        if pid:
            wizard.rusage = rusage
            return os.waitstatus_to_exitcode(status)
        wizard.pump(0.05)
    raise AssertionError(f"still running {within:g} s after the signal")


def saved_source(isolated_dirs: Path) -> str:
    (draft,) = (isolated_dirs / "state").rglob("drafts/threshold*.json")
    return str(json.loads(draft.read_text("utf-8"))["draft"]["source"])


def test_sigterm_saves_the_draft_and_gives_the_terminal_back(isolated_dirs: Path) -> None:
    with typed_wizard(isolated_dirs) as wizard:
        os.kill(wizard.pid, signal.SIGTERM)
        assert exit_code(wizard, 20) == 128 + signal.SIGTERM
        wizard.pump(0.2)
        modes = termios.tcgetattr(wizard.fd)[3]
        output = bytes(wizard.output)
    assert modes & termios.ICANON and modes & termios.ECHO, "left in -icanon -echo"
    assert output.rfind(ALT_SCREEN_OFF) > output.rfind(ALT_SCREEN_ON), "left in the alt screen"
    assert output.rfind(MOUSE_OFF) > output.rfind(ALT_SCREEN_ON), "mouse reporting left on"
    assert saved_source(isolated_dirs) == LAST_KEYS


def test_a_dropped_terminal_saves_the_draft_and_ends(isolated_dirs: Path) -> None:
    with typed_wizard(isolated_dirs) as wizard:
        wizard._selector.unregister(wizard.fd)
        os.close(wizard.fd)  # the SSH link drops: the kernel sends SIGHUP
        wizard.fd = os.open(os.devnull, os.O_RDONLY)  # for close() to close
        assert exit_code(wizard, 20) == 128 + signal.SIGHUP
    assert saved_source(isolated_dirs) == LAST_KEYS


def test_every_open_draft_is_saved_even_when_one_save_fails() -> None:
    saved: list[str] = []

    class Wizard:
        def __init__(self, name: str, fails: bool = False) -> None:
            self.name, self.fails = name, fails

        def save_draft_now(self) -> None:
            if self.fails:
                raise OSError("disk full")
            saved.append(self.name)

    class App:
        screen_stack = [object(), Wizard("definition"), Wizard("edit", fails=True), Wizard("top")]

    hard_exit.save_drafts(App())  # type: ignore[arg-type]
    assert saved == ["top", "definition"]
