"""The account on every screen (a badge at the top right, never the token) and :project."""

from __future__ import annotations

from typing import Any

from pilot_support import screen_text, settle, until
from textual.widgets import OptionList

from roark_tui.cli import build_app
from roark_tui.sandbox.demo_ids import FAILING_CHAT_ID, VOICE_PROJECT_ID
from roark_tui.tui.screens.browser import BrowserScreen
from roark_tui.tui.screens.lookup import LookupScreen
from roark_tui.tui.screens.metrics import MetricsScreen
from roark_tui.tui.widgets.account_badge import AccountBadge
from roark_tui.tui.widgets.project_picker import ProjectPicker


def top_right(app: Any, width: int) -> str:
    return screen_text(app).splitlines()[0][-width:]


async def test_the_badge_is_on_every_screen_at_the_top_right() -> None:
    app = build_app(["--demo"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert top_right(app, 6) == " demo "
        app.open_browser("call")
        await until(pilot, lambda: isinstance(app.screen, BrowserScreen), "the browser")
        await settle(pilot)
        assert top_right(app, 6) == " demo "
        app.open_conversation("chat", FAILING_CHAT_ID)
        await until(pilot, lambda: isinstance(app.screen, MetricsScreen), "the metrics")
        await settle(pilot)
        assert top_right(app, 6) == " demo "
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert top_right(app, 6) == " demo "
        assert len(app.screen.query(AccountBadge)) == 1


async def test_project_switching(sandboxes: list[Any]) -> None:
    app = build_app(["--demo"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "colon", *"project", "enter")
        await until(pilot, lambda: isinstance(app.screen, ProjectPicker), "the picker")
        picker = app.screen
        await until(pilot, lambda: picker.query_one(OptionList).option_count == 2, "projects")
        listed = picker.query_one(OptionList)
        first, second = (str(listed.get_option_at_index(i).prompt) for i in range(2))
        assert first.startswith("● Support agents (sandbox)")  # none chosen: the default is in use
        assert first.endswith("(default)") and "default" not in second
        assert listed.highlighted == 0
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, LookupScreen), "back to the lookup")
        await settle(pilot)
        assert app.project_id == VOICE_PROJECT_ID and app.service.project_id == VOICE_PROJECT_ID
        assert "demo · Voice agents (sandbox)" in screen_text(app).splitlines()[0]
        assert ("GET", "/v1/projects") in sandboxes[0].state.sandbox.request_log


async def test_a_long_account_leaves_each_screens_first_line_readable_at_80(
    sandbox_app: Any,
) -> None:
    from pilot_support import sandbox_service

    from roark_tui.config import Settings
    from roark_tui.tui.app import RoarkApp

    settings = Settings(
        base_url="https://staging-api.customer-example.com",
        profile="customer-success-team",
        project_id="5d1f0b8e-2c47-4a1b-9f0e-123456789abc",
        token="t",
    )
    app = RoarkApp(lambda: sandbox_service(sandbox_app), settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = screen_text(app).splitlines()[0]
        assert "Open a conversation" in first and first.endswith("project 5d1f0b8e ")
        assert len(first.split("Open a conversation")[1].strip()) <= 80 * 2 // 5
        app.open_conversation("chat", FAILING_CHAT_ID)
        await until(pilot, lambda: isinstance(app.screen, MetricsScreen), "the metrics")
        await settle(pilot)
        first = screen_text(app).splitlines()[0]
        assert "chat Duplicate charge on Pro plan" in first
        assert first.rstrip().endswith("… · custo… · project 5d1f0b8e")
