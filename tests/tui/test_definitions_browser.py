"""The definitions browser: pages arrive while it is in use, `/` filters, enter shows details in
words, n/t/y/c do what they say, esc steps back, hostile names stay inert, a failed page keeps
what was loaded. Paging is driven by a small in-memory service so each page can be held back;
the palette is checked on the real app over the sandbox."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from roark_tui.api import errors
from roark_tui.api.models import MetricDefinition
from roark_tui.cli import build_app
from roark_tui.tui.screens.definitions import DefinitionsScreen
from roark_tui.tui.widgets.definition_detail import DefinitionDetail

A = "11111111-1111-4111-8111-111111111111"
B = "22222222-2222-4222-8222-222222222222"
C = "33333333-3333-4333-8333-333333333333"
D = "44444444-4444-4444-8444-444444444444"
PAGES = [
    [
        MetricDefinition.model_validate(
            {
                "id": A,
                "slug": "response_time",
                "name": "Response Time",
                "calculationType": "PROVIDER",
                "type": "NUMERIC",
                "scope": "PER_PARTICIPANT",
                "supportedContexts": ["CALL", "SEGMENT"],
                "unit": {"name": "milliseconds", "symbol": "ms"},
            }
        ),
        MetricDefinition.model_validate(
            {
                "id": B,
                "slug": "agent_verified_caller",
                "name": "Agent verified the caller",
                "calculationType": "LLM_JUDGE",
                "type": "BOOLEAN",
                "scope": "GLOBAL",
                "supportedContexts": ["CALL"],
                "llmPrompt": "Did the agent verify the caller?",
            }
        ),
    ],
    [
        MetricDefinition.model_validate(
            {
                "id": C,
                "slug": "slow_replies",
                "name": "[bold red]Slow[/] \x1b]52;c;ZXZpbA==\x07replies",
                "calculationType": "FORMULA",
                "type": "NUMERIC",
                "scope": "GLOBAL",
                "formula": {
                    "expression": f"{{{{id:{A}}}}} / {{{{id:{B}}}}}",
                    "sources": [{"sourceMetricDefinitionId": A}, {"sourceMetricDefinitionId": B}],
                },
            }
        ),
        MetricDefinition.model_validate(
            {
                "id": D,
                "slug": "response_time_check",
                "name": "Fast Responses",
                "calculationType": "THRESHOLD",
                "type": "BOOLEAN",
                "threshold": {
                    "sourceMetricDefinitionId": A,
                    "operator": "LESS_THAN",
                    "thresholdValue": "1500",
                    "aggregationMode": "P95",
                },
            }
        ),
    ],
]


class PagedService:
    """iter_definitions yields a page each time `release()` is called; `fail` ends it with an
    error after the pages released so far."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.fail = False
        self.walks = 0

    def release(self) -> None:
        self.gate.set()

    async def iter_definitions(self, *, limit: int = 100) -> AsyncIterator[list[MetricDefinition]]:
        self.walks += 1
        for page in PAGES:
            await self.gate.wait()
            self.gate.clear()
            if self.fail:
                raise errors.ServerError(status=503)
            yield page


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.service = PagedService()
        self.opened: list[tuple[str, Any]] = []
        self.copied: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(DefinitionsScreen())

    def open_definition_wizard(self) -> None:
        self.opened.append(("wizard", None))

    def open_threshold_wizard(self, source: str | None = None, conversation: Any = None) -> None:
        self.opened.append(("threshold", source))

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)


async def until(pilot: Pilot[Any], ready: Callable[[], bool], what: str) -> None:
    for _ in range(50):
        if ready():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what}")


def shown(widget: Static) -> str:
    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(widget.content)
    return console.file.getvalue()


def browser(app: App[Any]) -> DefinitionsScreen:
    assert isinstance(app.screen, DefinitionsScreen)
    return app.screen


def names(screen: DefinitionsScreen) -> list[str]:
    table = screen.query_one("#definitions-table", DataTable)
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]


async def loaded(pilot: Pilot[Any]) -> DefinitionsScreen:
    for _ in PAGES:
        pilot.app.service.release()
        await pilot.pause()
    screen = browser(pilot.app)
    await until(pilot, lambda: not screen.fetching, "all pages")
    return screen


async def test_rows_arrive_page_by_page_and_the_list_is_usable_meanwhile():
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = browser(app)
        await pilot.pause()
        assert "Loading metric definitions… 0 so far" in shown(screen.query_one(Static))
        app.service.release()
        await until(pilot, lambda: len(names(screen)) == 2, "the first page")
        status = shown(screen.query_one("#definitions-status", Static))
        assert "Loading metric definitions… 2 so far" in status
        assert names(screen) == ["Agent verified the caller", "Response Time"]
        # usable while loading: details, filter, move
        assert "Did the agent verify the caller?" in shown(screen.query_one("#definition-text"))
        await pilot.press("down")
        assert screen.highlighted().slug == "response_time"
        await pilot.press("slash", *"resp")
        await until(pilot, lambda: names(screen) == ["Response Time"], "the filter")
        app.service.release()
        await until(pilot, lambda: not screen.fetching, "the second page")
        # the second page is filtered too, and the cursor stayed on its definition
        assert names(screen) == ["Fast Responses", "Response Time"]
        assert screen.highlighted().slug == "response_time"
        status = shown(screen.query_one("#definitions-status", Static))
        assert "4 metric definitions · 2 match “resp”" in status


async def test_details_in_words_with_names_for_ids():
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        table = screen.query_one("#definitions-table", DataTable)
        table.move_cursor(row=table.get_row_index(C))
        await pilot.pause()
        detail = shown(screen.query_one("#definition-text", Static))
        assert "Formula      Response Time / Agent verified the caller" in detail
        assert "[bold red]Slow[/] replies" in detail  # markup inert, the OSC 52 sequence gone
        assert "\x1b" not in detail and "ZXZpbA" not in detail
        assert names(screen)[0] == "[bold red]Slow[/] replies"  # "[" sorts first
        table.move_cursor(row=table.get_row_index(D))
        await pilot.pause()
        detail = shown(screen.query_one("#definition-text", Static))
        assert "Passes when the P95 of Response Time over the conversation is < 1500 ms" in detail


async def test_enter_escape_and_the_narrow_layout():
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        detail = screen.query_one(DefinitionDetail)
        assert not detail.display  # narrow: the list takes the screen
        await pilot.press("enter")
        await pilot.pause()
        assert detail.display and not screen.query_one("#definitions-table").display
        assert app.focused is detail
        await pilot.press("escape")
        await pilot.pause()
        assert not detail.display and app.focused is screen.query_one("#definitions-table")
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert names(screen) == []
        assert "No definition matches “zzz”" in shown(screen.query_one("#definition-text"))
        await pilot.press("escape")  # filter -> list
        assert app.focused is screen.query_one("#definitions-table")
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert (
            screen.query_one("#definitions-filter", Input).value == "" and len(names(screen)) == 4
        )
        await pilot.press("escape")  # leaves
        await pilot.pause()
        assert not isinstance(app.screen, DefinitionsScreen)


async def test_keys_new_threshold_and_copy():
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("n", "t", "y", "c")
        await pilot.pause()
        first = screen.highlighted()
        assert app.opened == [("wizard", None), ("threshold", first.slug)]
        assert json.loads(app.copied[0])["id"] == first.id
        assert app.copied[1] == first.id


async def test_a_failed_page_keeps_the_rows_and_r_retries():
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = browser(app)
        app.service.release()
        await until(pilot, lambda: len(names(screen)) == 2, "the first page")
        app.service.fail = True
        app.service.release()
        await until(pilot, lambda: not screen.fetching, "the failure")
        status = screen.query_one("#definitions-status", Static)
        assert "stopped" in shown(status) and "(r retries)" in shown(status)
        assert status.has_class("-error") and len(names(screen)) == 2
        app.service.fail = False
        await pilot.press("r")
        await loaded(pilot)
        assert len(names(screen)) == 4 and app.service.walks == 2
        assert not status.has_class("-error")


async def test_every_key_is_in_the_command_palette():
    from roark_tui.tui.commands import BindingCommands

    app = build_app(["--demo", "definitions"])
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DefinitionsScreen), "the browser")
        titles = [title for title, _, _ in BindingCommands(app.screen)._commands()]
        for word in ("Filter", "New", "Threshold", "Copy JSON", "Copy id", "Reload", "Back"):
            assert any(title.startswith(word) for title in titles), word
