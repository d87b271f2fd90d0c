"""The `:` command bar: each command jumps where it says, tab completes, a wrong line says why
and stays, esc leaves; `:` is in the help and the palette."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pilot_support import make_app, rendered, settle, until
from textual.widgets import Input, Static

from roark_tui.sandbox.demo_ids import FAILING_CALL_ID, FAILING_CHAT_ID
from roark_tui.state import history
from roark_tui.tui.screens.browser import BrowserScreen
from roark_tui.tui.screens.definitions import DefinitionsScreen
from roark_tui.tui.screens.lookup import LookupScreen
from roark_tui.tui.screens.metrics import MetricsScreen
from roark_tui.tui.screens.runs import RunsScreen
from roark_tui.tui.widgets.command_bar import CommandBar


async def open_bar(pilot: Any) -> CommandBar:
    await pilot.press("escape")  # off the lookup's input, where : would be typed
    await pilot.press("colon")
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandBar), "the bar")
    bar = pilot.app.screen
    assert isinstance(bar, CommandBar)
    return bar


async def run_line(pilot: Any, line: str) -> None:
    """The command typed word by word: the command itself key by key, an id pasted whole."""
    bar = await open_bar(pilot)
    word, _, rest = line.partition(" ")
    await pilot.press(*word)
    if rest:
        field = bar.query_one(Input)
        field.insert_text_at_cursor(" " + rest)
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize(
    ("line", "screen", "check"),
    [
        ("calls", BrowserScreen, lambda s: s.kind == "call"),
        ("chats", BrowserScreen, lambda s: s.kind == "chat"),
        ("defs", DefinitionsScreen, lambda s: True),
        ("runs", RunsScreen, lambda s: True),
        (f"chat {FAILING_CHAT_ID}", MetricsScreen, lambda s: s.conv_id == FAILING_CHAT_ID),
        (f"call {FAILING_CALL_ID}", MetricsScreen, lambda s: s.kind == "call"),
    ],
)
async def test_commands_jump(sandbox_app: Any, line: str, screen: type, check: Any) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await run_line(pilot, line)
        assert isinstance(app.screen, screen) and check(app.screen)
        await run_line(pilot, "lookup")
        assert isinstance(app.screen, LookupScreen) and len(app.screen_stack) == 1


async def test_tab_completes_commands_and_earlier_ids(sandbox_app: Any) -> None:
    history.record("chat", FAILING_CHAT_ID, when=datetime(2026, 11, 20, tzinfo=UTC))
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = await open_bar(pilot)
        box = bar.query_one(Input)
        await pilot.press("d", "tab")
        assert box.value == "defs"
        box.value = ""
        await pilot.press("c", "h", "a", "t", "tab")
        assert box.value == "chat "
        await pilot.press("2", "tab")
        assert box.value == f"chat {FAILING_CHAT_ID}"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MetricsScreen), "the metrics")


async def test_a_wrong_line_says_why_and_stays(sandbox_app: Any) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = await open_bar(pilot)
        await pilot.press(*"cals", "enter")
        hint = bar.query_one("#command-hint", Static)
        assert isinstance(app.screen, CommandBar) and hint.has_class("-error")
        assert "did you mean calls" in rendered(hint.render())
        assert bar.query_one(Input).value == "cals"
        await pilot.press("escape")
        assert isinstance(app.screen, LookupScreen)


async def test_a_command_typed_into_the_lookup_box_runs(sandbox_app: Any) -> None:
    """A new user types `:calls` where the cursor is, the lookup box: no id starts with `:`,
    so it runs as the command, and a wrong one says why there."""
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        box = app.screen.query_one("#lookup-input", Input)
        assert app.focused is box
        box.insert_text_at_cursor(":cals")
        await pilot.press("enter")
        message = app.screen.query_one("#lookup-message", Static)
        await until(pilot, lambda: "did you mean calls" in rendered(message.render()), "why")
        assert isinstance(app.screen, LookupScreen)
        box.value = ":calls"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, BrowserScreen), "the calls browser")
        assert app.screen.kind == "call"


async def test_the_bar_is_in_help_and_the_palette(sandbox_app: Any) -> None:
    from roark_tui.tui.commands import BindingCommands
    from roark_tui.tui.screens.help import bindings_table

    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # the input types ':' itself
        titles = [title for title, _, _ in BindingCommands(app.screen)._commands()]
        assert "Command  (:)" in titles
        text = rendered(bindings_table(app.screen))
        assert ":calls :chats :runs :defs :chat <id> :call <id>" in text
