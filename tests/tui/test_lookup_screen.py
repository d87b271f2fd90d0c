"""The lookup screen against the in-process sandbox: open by id, by URL, with stray quotes;
an impossible id is refused without a request; auto mode tries a call after a chat 404; the
kind toggle; recent lookups persisted across runs; the latest conversations list."""

from __future__ import annotations

from typing import Any

from pilot_support import make_app, metrics_app, settle
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from roark_tui.sandbox.demo_ids import DEMO_PROJECT_ID, FAILING_CALL_ID, FAILING_CHAT_ID
from roark_tui.state import history
from roark_tui.tui.screens.lookup import LookupScreen
from roark_tui.tui.screens.metrics import MetricsScreen

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


async def submit(pilot: Pilot[None], text: str) -> None:
    lookup_input = pilot.app.screen.query_one("#lookup-input", Input)
    lookup_input.value = text
    lookup_input.focus()
    await pilot.press("enter")
    await settle(pilot)


def rendered(renderable: Any) -> str:
    console = Console(width=120, color_system=None)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


def metrics_requests(sandbox_app: Any) -> list[str]:
    return [path for _, path in sandbox_app.state.sandbox.request_log if "/metrics" in path]


async def test_open_by_id_records_the_lookup(sandbox_app: Any) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        assert app.focused is app.screen.query_one("#lookup-input")
        await submit(pilot, f'  "{FAILING_CHAT_ID}" ')
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        assert (screen.kind, screen.conv_id) == ("chat", FAILING_CHAT_ID)
        assert screen.metric_tree.selected is not None
        entries = history.load()
        assert [(e.kind, e.id) for e in entries] == [("chat", FAILING_CHAT_ID)]
        assert entries[0].title == "Duplicate charge on Pro plan"
        await pilot.press("escape")
        await pilot.pause()
        recent = app.screen.query_one("#recent-lookups", OptionList)
        assert recent.option_count == 1
        assert "Duplicate charge on Pro plan" in rendered(recent.get_option_at_index(0).prompt)

    # A new run lists it, and enter opens it again.
    again = make_app(sandbox_app)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        recent = again.screen.query_one("#recent-lookups", OptionList)
        assert recent.get_option_at_index(0).id == f"chat:{FAILING_CHAT_ID}"
        recent.focus()
        recent.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(again.screen, MetricsScreen)
        assert again.screen.conv_id == FAILING_CHAT_ID


async def test_open_by_dashboard_url_goes_straight_to_the_call(sandbox_app: Any) -> None:
    app = make_app(sandbox_app)
    url = f"https://app.roark.ai/projects/{DEMO_PROJECT_ID}/calls/{FAILING_CALL_ID}?tab=metrics"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await submit(pilot, url)
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        assert (screen.kind, screen.conv_id) == ("call", FAILING_CALL_ID)
        assert metrics_requests(sandbox_app) == [f"/v1/call/{FAILING_CALL_ID}/metrics"]


async def test_an_impossible_id_sends_no_request(sandbox_app: Any) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        requests = len(sandbox_app.state.sandbox.request_log)
        for text in ("not an id!", "", "https://app.roark.ai/projects/"):
            await submit(pilot, text)
            assert isinstance(app.screen, LookupScreen)
            message = app.screen.query_one("#lookup-message", Static)
            assert message.has_class("-error")
        assert len(sandbox_app.state.sandbox.request_log) == requests
        await pilot.press("x")
        assert not message.has_class("-error")  # typing clears the message


async def test_auto_mode_tries_a_call_after_a_chat_404(sandbox_app: Any) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await submit(pilot, FAILING_CALL_ID)
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        assert (screen.kind, screen.tried) == ("call", "chat")
        assert metrics_requests(sandbox_app) == [
            f"/v1/chat/{FAILING_CALL_ID}/metrics",
            f"/v1/call/{FAILING_CALL_ID}/metrics",
        ]
        assert screen.metric_tree.selected is not None
        await pilot.press("escape")
        await submit(pilot, UNKNOWN_ID)
        assert isinstance(app.screen, MetricsScreen)
        assert app.screen.not_found is False  # both kinds tried: nothing left to offer
        assert not app.screen.check_action("other_kind", ())


async def test_the_kind_toggle_skips_detection(sandbox_app: Any) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lookup = app.screen
        assert isinstance(lookup, LookupScreen)
        await pilot.press("ctrl+t")
        assert lookup.kind_mode == "chat"
        await pilot.press("ctrl+t")
        assert lookup.kind_mode == "call"
        await submit(pilot, FAILING_CALL_ID)
        assert isinstance(app.screen, MetricsScreen) and app.screen.kind == "call"
        assert metrics_requests(sandbox_app) == [f"/v1/call/{FAILING_CALL_ID}/metrics"]


async def test_latest_conversations_open_with_enter(sandbox_app: Any) -> None:
    app = make_app(sandbox_app)
    opened: list[str] = []
    app.open_definitions = lambda: opened.append("definitions")  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        latest = app.screen.query_one("#latest-conversations", OptionList)
        ids = [latest.get_option_at_index(i).id for i in range(latest.option_count)]
        assert f"chat:{FAILING_CHAT_ID}" in ids and f"call:{FAILING_CALL_ID}" in ids
        # From the input, down goes to the lists (the recent list is empty here).
        await pilot.press("d")  # typed into the input, not a key
        assert opened == []
        app.screen.query_one("#lookup-input", Input).value = ""
        await pilot.press("down")
        assert app.focused is latest
        await pilot.press("d")  # from the lists it opens the definitions
        assert opened == ["definitions"]
        latest.highlighted = ids.index(f"call:{FAILING_CALL_ID}")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MetricsScreen)
        assert (app.screen.kind, app.screen.conv_id) == ("call", FAILING_CALL_ID)


async def test_a_start_on_a_conversation_leaves_the_lists_for_later(sandbox_app: Any) -> None:
    """The lookup screen under the start screen asks for nothing while the metrics load;
    going back to it fills its lists."""
    app = metrics_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, MetricsScreen)
        log = sandbox_app.state.sandbox.request_log
        assert not [path for _, path in log if path in ("/v1/chat", "/v1/call")]
        await pilot.press("escape")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert [path for _, path in log if path in ("/v1/chat", "/v1/call")]
        latest = app.screen.query_one("#latest-conversations", OptionList)
        assert latest.option_count > 2
