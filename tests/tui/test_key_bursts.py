"""No key is lost when several arrive in one read (#18 item 1; tui/key_order.py).

Through a REAL pseudo-terminal, as over a laggy SSH link: each burst of keys (typed characters
mixed with backspace, left, right, home) is one write, so the app reads it at once. Every text
field must end with exactly what the keys make of it. A Pilot test cannot show this: the bug
lives in the terminal driver's path (one read, many keys), which Pilot bypasses. One app
process serves every field, opened in turn; several bursts each.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import select
import string
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHILD = Path(__file__).with_name("burst_child.py")
TYPED = string.ascii_letters + string.digits + "-_. "
BACKSPACE, LEFT, RIGHT, HOME = "\x7f", "\x1b[D", "\x1b[C", "\x1b[H"
BURSTS_PER_FIELD = 10
WAIT = 20.0  # a loaded machine; each wait ends as soon as the field shows the text

# (field, keys that lead to it from the screen its order opens)
FIELDS = [
    ("lookup", ""),
    ("browser", ""),
    ("definitions", ""),
    ("definition-name", "\r"),  # enter takes the first kind (LLM judge): basics
    ("definition-prompt", ""),
    ("threshold-source", ""),
    ("threshold-name", ""),
]
# Bursts that cross from a field to the next: (field, keys, the field then focused, its text)
CROSSINGS = {"definition-name": ("ab\tcd", "slug", "cd")}  # the slug no longer follows


@dataclass
class Field:
    """What a single-line editor makes of the keys: the text and where the cursor is."""

    text: str = ""
    cursor: int = 0

    def press(self, key: str) -> None:
        if key == BACKSPACE:
            if self.cursor:
                self.text = self.text[: self.cursor - 1] + self.text[self.cursor :]
                self.cursor -= 1
        elif key == LEFT:
            self.cursor = max(0, self.cursor - 1)
        elif key == RIGHT:
            self.cursor = min(len(self.text), self.cursor + 1)
        elif key == HOME:
            self.cursor = 0
        else:
            self.text = self.text[: self.cursor] + key + self.text[self.cursor :]
            self.cursor += 1


def bursts(rng: random.Random, field: Field, count: int) -> Iterator[str]:
    """`count` bursts of 2 to 8 keys, each with a typed character and a bound key; `field`
    follows them. Right is pressed only inside the text: at its end it takes a suggestion."""
    for _ in range(count):
        keys = [rng.choice(TYPED), BACKSPACE]
        for _ in range(rng.randint(0, 6)):
            keys.append(rng.choice([*TYPED[:8], BACKSPACE, BACKSPACE, LEFT, RIGHT, HOME]))
        rng.shuffle(keys)
        burst = []
        for key in keys:
            if key == RIGHT and field.cursor >= len(field.text):
                continue
            field.press(key)
            burst.append(key)
        yield "".join(burst)


class Child:
    """The app in a pty: keys go to the terminal, orders and answers through pipes."""

    def __init__(self) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        orders_r, self.orders = os.pipe()
        self.answers, answers_w = os.pipe()
        env = os.environ | {"TERM": "xterm-256color"}
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(orders_r), str(answers_w)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            pass_fds=(orders_r, answers_w),
            start_new_session=True,
            env=env,
        )
        for fd in (slave, orders_r, answers_w):
            os.close(fd)
        self.screen = bytearray()  # what the app draws: read, or it would block on a full pty
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        self._pending = b""

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.screen += data

    def answer(self) -> dict[str, Any]:
        deadline = time.monotonic() + WAIT
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.answers], [], [], left)[0]:
                raise AssertionError(f"the app did not answer; its screen ends {self.tail()!r}")
            chunk = os.read(self.answers, 4096)
            if not chunk:
                raise AssertionError(f"the app ended; its screen ends {self.tail()!r}")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        reply: dict[str, Any] = json.loads(line)
        return reply

    def order(self, text: str) -> dict[str, Any]:
        os.write(self.orders, (text + "\n").encode())
        return self.answer()

    def keys(self, keys: str) -> None:
        os.write(self.master, keys.encode())  # one write: one read for the app

    def until(self, check: str, what: Any) -> dict[str, Any]:
        """The app's state once `state[check] == what` (or the last seen, after WAIT)."""
        deadline = time.monotonic() + WAIT
        while True:
            state = self.order("state")
            if state[check] == what or time.monotonic() > deadline:
                return state
            time.sleep(0.005)  # leave the app the processor, on a small machine

    def tail(self) -> str:
        return self.screen[-600:].decode(errors="replace")

    def close(self) -> None:
        try:
            os.write(self.orders, b"quit\n")
            self.proc.wait(timeout=WAIT)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            for fd in (self.orders, self.answers, self.master):
                os.close(fd)


def test_bursts_of_keys_reach_every_text_field_in_order(tmp_path: Path) -> None:
    rng = random.Random(18)
    child = Child()
    try:
        assert child.answer() == {"ready": True}
        for name, lead in FIELDS:
            child.order(f"open {name}")
            if lead:
                state = child.until("focused", "calculationType")
                assert state["focused"] == "calculationType", state
                child.keys(lead)
                assert child.until("focused", "name")["focused"] == "name"
            deadline = time.monotonic() + WAIT
            while not child.order(f"show {name}")["shown"]:
                time.sleep(0.005)
                assert time.monotonic() < deadline, f"{name}: never shown"
            field = Field()
            for burst in bursts(rng, field, BURSTS_PER_FIELD):
                child.keys(burst)
                state = child.until("text", field.text)
                assert state["text"] == field.text, (name, repr(burst), field, state)
            if name in CROSSINGS:
                keys, then, text = CROSSINGS[name]
                assert child.order(f"show {name}")["shown"]
                child.keys(keys)
                state = child.until("text", text)
                assert state == {"focused": then, "text": text}, (name, repr(keys), state)
    finally:
        child.close()
