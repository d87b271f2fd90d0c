"""Every state of the metrics screen, driven by the sandbox's fault knobs: loading (esc
cancels), no metrics yet, 401, 403, 404 (and trying the other kind), network error, timeout,
rate limited, and a failed refresh that keeps what is on screen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pilot_support import metrics_app as make_app
from pilot_support import rendered, screen_text, settle, until

from roark_tui.api import errors
from roark_tui.api.service import RoarkService
from roark_tui.sandbox import Fault
from roark_tui.sandbox.demo_ids import DEMO_TOKEN, FAILING_CALL_ID
from roark_tui.tui.app import RoarkApp
from roark_tui.tui.screens.metrics import MetricsScreen
from roark_tui.tui.widgets.states import StatePanel

METRICS_PATH = "/v1/chat/*/metrics"


def state_text(app: RoarkApp) -> str:
    screen = app.screen
    assert isinstance(screen, MetricsScreen)
    panel = screen.query_one(StatePanel)
    assert panel.display and not screen.loaded
    return rendered(panel.query_one("#state-text").content)


def banner_text(app: RoarkApp) -> str:
    banner = app.screen.query_one("#banner")
    assert banner.display
    return str(banner.content)


async def test_unauthorized_points_to_auth_login(sandbox_app: Any) -> None:
    sandbox_app.state.sandbox.revoke_token()
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = state_text(app)
        assert "401" in text and "roark-tui auth login" in text
        assert DEMO_TOKEN not in text
        sandbox_app.state.sandbox.faults.restore_token()
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.loaded
        assert app.screen.metric_tree.selected is not None


async def test_forbidden(sandbox_app: Any) -> None:
    sandbox_app.state.sandbox.faults.add(Fault("status", status=403, path=METRICS_PATH))
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = state_text(app)
        assert "403" in text and "permission" in text


async def test_not_found_offers_the_other_kind(sandbox_app: Any) -> None:
    app = make_app(sandbox_app, "chat", FAILING_CALL_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = state_text(app)
        assert f"No chat with id {FAILING_CALL_ID}" in text
        assert "try it as a call" in text
        await pilot.press("k")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        assert screen.kind == "call"
        assert screen.loaded and screen.metric_tree.selected is not None


async def test_network_error_then_retry(sandbox_app: Any) -> None:
    sandbox_app.state.sandbox.faults.add(Fault("drop", path=METRICS_PATH, times=1))
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = state_text(app)
        assert "Could not reach the Roark API" in text and "retry" in text
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.loaded


async def test_timeout(sandbox_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    async def too_slow(*args: Any, **kwargs: Any) -> Any:
        raise errors.Timeout("timed out after 60 s")

    monkeypatch.setattr(RoarkService, "conversation_metrics", too_slow)
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = state_text(app)
        assert "did not answer in time" in text and "r retry" in text


async def test_rate_limited_shows_the_wait(sandbox_app: Any) -> None:
    sandbox_app.state.sandbox.faults.add(
        Fault("rate_limit", path=METRICS_PATH, retry_after=30, times=1)
    )
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = state_text(app)
        wait = re.search(r"Retry in (\d+) s", text)
        assert "Rate limited" in text and wait is not None
        assert 20 <= int(wait.group(1)) <= 30  # counting down from the server's Retry-After
        await pilot.press("r")  # no need to wait it out
        await settle(pilot)
        assert app.screen.loaded


async def test_escape_cancels_loading(sandbox_app: Any) -> None:
    sandbox_app.state.sandbox.faults.add(Fault("latency", path=METRICS_PATH, delay=30))
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        # the request starts after the first frame
        await until(pilot, lambda: screen.fetching, "the load started", workers=False, poll=0.02)
        # The words are on screen, not under Textual's loading overlay (Widget.loading).
        await pilot.pause()
        shown = screen_text(app)
        assert "Loading the metrics" in shown and "esc cancel" in shown and "Back" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.fetching
        assert "cancelled" in state_text(app)
        assert app.screen is screen  # cancelling does not leave the screen
        sandbox_app.state.sandbox.faults.clear()
        await pilot.press("r")
        await settle(pilot)
        assert screen.loaded


async def test_no_metrics_yet(sandbox_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    async def nothing(*args: Any, **kwargs: Any) -> list[Any]:
        return []

    monkeypatch.setattr(RoarkService, "conversation_metrics", nothing)
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = state_text(app)
        assert "No metrics for this chat yet" in text and "watch" in text
        await pilot.press("a")
        await settle(pilot)
        text = state_text(app)
        assert "show with a" in text


async def test_a_failed_refresh_keeps_the_tree(sandbox_app: Any) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        before = screen.metric_tree.selected
        sandbox_app.state.sandbox.faults.add(Fault("status", status=503, path=METRICS_PATH))
        await pilot.press("r")
        await settle(pilot)
        assert screen.loaded
        assert "request failed" in banner_text(app)
        after = screen.metric_tree.selected
        assert after is not None and before is not None
        assert (after.metric, after.value_key) == (before.metric, before.value_key)
