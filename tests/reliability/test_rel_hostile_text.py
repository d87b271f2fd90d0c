"""Hostile text from the API (sandbox/hostile.py, carried by the demo chat HOSTILE_CHAT_ID and
the hostile_rendering_probe definition) is shown literally, never acted on by the terminal, and
never breaks the layout.

Each screen is walked (every tree node, every transcript entry, the hostile definition) and
captured as Textual composites it: the plain text must hold each string's visible part
literally (Rich markup as text, control characters as pictures, overrides removed), the
escape-coded output must hold no sequence Textual itself would not send (OSC 52 clipboard
writes, OSC 0 titles, OSC 8 links, BEL, C1 controls, screen clears, cursor moves), and every
line must be exactly the screen's width with the footer still on the last line. A real run in
a pseudo-terminal checks the bytes the terminal receives, and the CLI outputs are checked too.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import struct
import sys
import termios
import time
from typing import Any

import pytest
from rel_support import (
    UNSAFE_OUTPUT,
    foreign_sequences,
    layout_problems,
    screen_text,
    settle,
    terminal_output,
)
from textual.widgets import Input, OptionList

from roark_tui.cli import build_app, main
from roark_tui.sandbox.demo_ids import HOSTILE_CHAT_ID
from roark_tui.sandbox.hostile import HOSTILE_STRINGS, LONG_LINE
from roark_tui.tui.clipboard import clipboard_path
from roark_tui.tui.screens.definitions import DefinitionsScreen
from roark_tui.tui.screens.metrics import MetricsScreen
from roark_tui.tui.screens.transcript import TranscriptScreen
from roark_tui.tui.widgets.metric_tree import MetricTree

SIZE = (100, 30)
# The part of each hostile string a person must see, literally, once it is made safe.
VISIBLE = {
    "rich_markup": "[bold red]CHECK FAILED[/]",
    "rich_markup_broken": "[/][bold][blink]unterminated",
    "rich_emoji_code": ":skull: [reverse]inverted[/reverse]",
    "ansi_csi": "red alert then",
    "osc52_clipboard": "and your clipboard is mine",
    "osc0_title": "title changed",
    "osc8_hyperlink": "an innocent link",
    "c0_controls": "bell\u2407 back\u2408\u2408 nul\u2400",
    "c1_controls": "next-line",
    "rtl_override": "refund DEVORPPA TON for order",
    "bidi_isolates": "\u05e9\u05dc\u05d5\u05dd",
    "zero_width": "pass\u200bword",
    "combining": "Z\u0338\u0322",
    "emoji": "refund \U0001f4b8",
    "wide_cjk": HOSTILE_STRINGS["wide_cjk"],
    "newlines_tabs": "line three",
    "long_line": LONG_LINE[:40],
}
UI_GLYPHS = " │┃▏▕▌▐▁▂▃▄▅▆▇█╭╮╰╯─"
# What the terminal must never receive, whatever Textual does around it.
FORBIDDEN_TEXT = re.compile("[\u202a-\u202e\u2066-\u2069\x80-\x9f]")
# What a paste into a shell could act on: controls but newline, bidi overrides and isolates.
CLIPBOARD_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
assert set(VISIBLE) == set(HOSTILE_STRINGS), "a hostile string without its visible part"


class Captured:
    """Every capture of a walk: the plain text and the problems found on the way."""

    def __init__(self) -> None:
        self.text = ""
        self.problems: list[str] = []

    def take(self, app: Any, where: str) -> None:
        text = screen_text(app)
        self.text += text + "\n"
        found = foreign_sequences(terminal_output(app)) + layout_problems(app)
        if FORBIDDEN_TEXT.search(text):
            found.append("a C1 control or bidi override in the text")
        lines = text.splitlines()
        if not lines or "palette" not in lines[-1]:  # the footer ends with ^p palette
            found.append(f"the footer is not on the last line: {lines[-1:]!r}")
        self.problems += [f"{where}: {p}" for p in found]

    def missing(self, names: list[str]) -> list[str]:
        """Names whose visible part is not on any capture. Compared without whitespace and
        without the borders, gutter marks and scrollbars at line ends, as a phrase may wrap
        anywhere."""
        lines = (line.strip(UI_GLYPHS) for line in self.text.splitlines())
        seen = "".join("".join(lines).split())
        return [name for name in names if "".join(VISIBLE[name].split()) not in seen]


async def walk_tree(pilot: Any, captured: Captured, steps: int) -> None:
    for step in range(steps):
        captured.take(pilot.app, f"tree node {step}")
        await pilot.press("down")
        await pilot.pause()


async def test_metrics_and_transcript_show_hostile_text_literally() -> None:
    app = build_app(["--demo", "chat", HOSTILE_CHAT_ID])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MetricsScreen) and screen.groups
        metrics = Captured()
        # Every value, one line each (the flat list), from the top.
        await pilot.press("f")
        tree = screen.query_one(MetricTree)
        tree.cursor_line = 0
        await walk_tree(pilot, metrics, steps=tree.last_line + 2)
        await pilot.press("f")
        assert not metrics.problems, metrics.problems
        # What the demo puts into metric names, values, reasoning and errors.
        shown_in_metrics = [
            "rich_markup",
            "ansi_csi",
            "osc52_clipboard",
            "osc0_title",
            "c0_controls",
            "rtl_override",
            "combining",
        ]
        assert not metrics.missing(shown_in_metrics), metrics.missing(shown_in_metrics)

        await pilot.press("T")
        await settle(pilot)
        transcript = app.screen
        assert isinstance(transcript, TranscriptScreen)
        entries = transcript.query_one("#transcript", OptionList)
        captured = Captured()
        for index in range(entries.option_count):
            entries.highlighted = index
            entries.scroll_to_highlight(top=True)
            await pilot.pause()
            captured.take(app, f"transcript entry {index}")
        assert not captured.problems, captured.problems
        assert not captured.missing(list(VISIBLE)), captured.missing(list(VISIBLE))
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_definitions_browser_shows_the_hostile_definition_literally() -> None:
    app = build_app(["--demo", "chat", HOSTILE_CHAT_ID])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_definitions()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DefinitionsScreen)
        await pilot.press("slash")
        screen.query_one("#definitions-filter", Input).insert_text_at_cursor("hostile")
        await pilot.press("enter")
        await settle(pilot)
        captured = Captured()
        captured.take(app, "the list")
        await pilot.press("enter")  # the definition in words
        await settle(pilot)
        captured.take(app, "the definition")
        assert not captured.problems, captured.problems
        assert "[bold red]Escalation risk[/]" in captured.text
        wanted = ["osc52_clipboard", "rich_markup_broken", "osc0_title"]
        assert not captured.missing(wanted), captured.missing(wanted)


async def test_notifications_about_api_text_show_it_literally() -> None:
    """y and c on the metric whose name is Rich markup: the toast names it as it is."""
    app = build_app(["--demo", "chat", HOSTILE_CHAT_ID])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        for _ in range(len(screen.groups or []) + 2):
            selected = screen.metric_tree.selected
            if selected is not None and selected.row.key == "hostile_rendering_probe":
                break
            await pilot.press("down")
            await pilot.pause()
        else:
            raise AssertionError("the hostile metric is not in the tree")
        for key in ("y", "c"):
            app.clear_notifications()
            await pilot.press(key)
            await settle(pilot)
            toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
            assert len(toasts) == 1 and toasts[0].startswith("The "), toasts
            assert "[bold red]Escalation risk[/]" in toasts[0], f"{key}: markup applied"
            # What was done, said as it is, and a copy that works without OSC 52.
            assert "sent to the terminal's clipboard (OSC 52)" in toasts[0], toasts
            assert str(clipboard_path()) in "".join(toasts[0].split()), toasts
            assert clipboard_path().read_text() == app.clipboard
            unsafe = CLIPBOARD_UNSAFE.search(app.clipboard)
            assert unsafe is None, f"{key}: {unsafe.group()!r} on the clipboard"


def run_in_pty(args: list[str], steps: list[tuple[bytes, bytes]]) -> bytes:
    """Run `python -m roark_tui ARGS` in a 100x30 pseudo-terminal; for each (marker, keys),
    read until the marker shows, then type the keys. Returns every byte the terminal got."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app, on the pty
        os.environ.update(TERM="xterm-256color", COLUMNS="100", LINES="30")
        os.execv(sys.executable, [sys.executable, "-m", "roark_tui", *args])
    import fcntl

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    out = b""

    def read(until: bytes | None, deadline: float) -> None:
        nonlocal out
        while (until is None or until not in out) and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:  # the app exited: the pty is closed
                return
            if not chunk:
                return
            out += chunk

    try:
        for marker, keys in steps:
            read(marker, time.monotonic() + 30)
            assert marker in out, f"never saw {marker!r}"
            os.write(fd, keys)
        read(None, time.monotonic() + 15)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    return out


def test_no_escape_sequence_from_the_api_reaches_a_real_terminal(isolated_dirs: Any) -> None:
    """The app in a pseudo-terminal: the hostile chat's metrics, its transcript, then quit."""
    out = run_in_pty(
        ["--demo", "chat", HOSTILE_CHAT_ID],
        [(b"metrics \xc2\xb7", b"T"), (b"transcript", b"\x11")],  # ctrl+q quits
    )
    text = out.decode("utf-8", "replace")
    oscs = re.findall(r"\x1b\](\d*)", text)
    assert set(oscs) <= {"22"}, f"OSC sequences other than Textual's pointer shape: {oscs}"
    assert text.count("\x07") == len(oscs), "a BEL that does not end Textual's own OSC"
    for sequence in ("\x1b[31mred alert", "\x1b[2J\x1b[H the screen", "\x1b]52;c;", "\x1b]0;rm"):
        assert sequence not in text
    assert not FORBIDDEN_TEXT.search(text)
    assert not re.search("[\x00-\x06\x08\x0b\x0c\x0e-\x1a\x1c-\x1f]", text)
    assert "[bold red]CHECK FAILED[/]" in text  # markup arrives as text


# Tabs separate columns in a pipe (`chats`); data tabs are expanded to spaces before output.
def strings_in(document: Any) -> list[str]:
    if isinstance(document, str):
        return [document]
    if isinstance(document, dict):
        return [s for value in document.values() for s in strings_in(value)]
    if isinstance(document, list):
        return [s for value in document for s in strings_in(value)]
    return []


@pytest.mark.parametrize(
    "args",
    [
        ["chat", HOSTILE_CHAT_ID, "--print"],
        ["chat", HOSTILE_CHAT_ID, "--json"],
        ["chat", HOSTILE_CHAT_ID, "--check"],
        ["chats"],
        ["chats", "--json"],
    ],
    ids=["print", "json", "gate", "chats", "chats-json"],
)
def test_cli_output_is_inert(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--demo", *args])
    out, err = capsys.readouterr()
    assert code in (0, 6), err  # 6: the gate found a failing check (it does)
    unsafe = UNSAFE_OUTPUT.search(out + err)
    assert unsafe is None, f"{unsafe.group()!r} reached the terminal"
    if "--json" in args:
        found = strings_in(json.loads(out))  # the data is all there, escaped, not lost
        if args[0] == "chat":
            assert any(HOSTILE_STRINGS["osc52_clipboard"] in s for s in found)
            assert any(HOSTILE_STRINGS["rtl_override"] in s for s in found)
    elif args[0] == "chat":
        assert "[bold red]CHECK FAILED[/]" in out or "instruction_follow_check" in out
