"""R on the metrics screen against the in-process sandbox on a fake clock: it asks first
(naming the metrics and the conversation), runs one collection job, merges the new values into
the tree with the cursor kept, and shows old -> new; esc cancels the job; 402 and 403 are said
in words. The controller's sleep moves the sandbox clock, so nothing really waits."""

from __future__ import annotations

from typing import Any

import pytest
from pilot_support import SteppedClock, make_app, rendered, screen_text, settle, until

from roark_tui.core.metric_tree import Status
from roark_tui.sandbox import Fault, SandboxConfig, create_app
from roark_tui.sandbox.demo_ids import FAILING_CHAT_ID
from roark_tui.tui.rescore import RescoreConfirm, RescoreStatus
from roark_tui.tui.screens.metrics import MetricsScreen

JOBS = "/v1/metric/collection-jobs"


Clock = SteppedClock


@pytest.fixture
def clock() -> Clock:
    return SteppedClock()


@pytest.fixture
def sandbox(clock: Clock) -> Any:
    app = create_app(SandboxConfig(clock=clock))
    app.state.sandbox.definitions.create_threshold(
        "empathy_score",
        {"operator": "GREATER_THAN_OR_EQUALS", "value": "2", "name": "Agent Empathy at least 2"},
    )
    return app


def status_text(screen: MetricsScreen) -> str:
    widget = screen.query_one(RescoreStatus)
    return rendered(widget.render()) if widget.display else ""


def posts(sandbox: Any, path: str) -> int:
    return sum(1 for m, p in sandbox.state.sandbox.request_log if m == "POST" and p == path)


async def open_failing_chat(pilot: Any, clock: Clock) -> MetricsScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MetricsScreen)
    screen.rescore.sleep = clock.sleep
    ref = screen.metric_tree.selected
    assert ref is not None and ref.row.name == "Agent Showed Empathy"
    return screen


async def test_r_asks_then_rescores_and_shows_old_to_new(sandbox: Any, clock: Clock) -> None:
    app = make_app(sandbox, ("chat", FAILING_CHAT_ID))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_failing_chat(pilot, clock)
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, RescoreConfirm), "the confirm dialog")
        asked = screen_text(app)
        assert "Re-score this conversation?" in asked and FAILING_CHAT_ID in asked
        assert "Agent Showed Empathy" in asked and "Agent Empathy at least 2" in asked
        assert "bills" in asked
        assert posts(sandbox, JOBS) == 0
        await pilot.press("enter")
        await until(pilot, lambda: "Re-scored" in status_text(screen), "the job's end")
        said = status_text(screen)
        assert "Agent Empathy at least 2: no value → ✔ true" in said
        assert "Agent Showed Empathy: ✘ false (unchanged)" in said
        assert "1 value changed" in said
        ref = screen.metric_tree.selected
        assert ref is not None and ref.row.name == "Agent Showed Empathy"
        rows = {row.name: row for row in screen.visible_rows()}
        assert rows["Agent Empathy at least 2"].status is Status.PASS
        assert posts(sandbox, JOBS) == 1


async def test_esc_cancels_the_job(sandbox: Any, clock: Clock) -> None:
    app = make_app(sandbox, ("chat", FAILING_CHAT_ID))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_failing_chat(pilot, clock)
        clock.hold.clear()
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, RescoreConfirm), "the confirm dialog")
        await pilot.press("enter")
        await until(
            pilot, lambda: "esc cancels" in status_text(screen), "the job to run", workers=False
        )
        await pilot.press("escape")
        await until(
            pilot,
            lambda: posts(sandbox, f"{JOBS}/{screen.rescore.job.id}/cancel") == 1,
            "the cancel",
            workers=False,
        )
        clock.hold.set()
        await until(pilot, lambda: "cancelled" in status_text(screen), "the end")
        assert isinstance(app.screen, MetricsScreen)  # esc cancelled, it did not leave


async def test_esc_twice_leaves_while_the_cancel_is_pending(sandbox: Any, clock: Clock) -> None:
    app = make_app(sandbox, ("chat", FAILING_CHAT_ID))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_failing_chat(pilot, clock)
        clock.hold.clear()  # the job never gets anywhere
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, RescoreConfirm), "the confirm dialog")
        await pilot.press("enter")
        await until(
            pilot, lambda: "esc cancels" in status_text(screen), "the job to run", workers=False
        )
        await pilot.press("escape", "escape")
        await until(pilot, lambda: app.screen is not screen, "left", workers=False)
        assert posts(sandbox, f"{JOBS}/{screen.rescore.job.id}/cancel") == 1
        assert not screen.rescore.running


@pytest.mark.parametrize(
    ("status", "words"), [(402, "out of credits"), (403, "may not run metric collection")]
)
async def test_billing_and_permission_are_explained(
    sandbox: Any, clock: Clock, status: int, words: str
) -> None:
    sandbox.state.sandbox.faults.add(Fault("status", status=status, path=JOBS, method="POST"))
    app = make_app(sandbox, ("chat", FAILING_CHAT_ID))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_failing_chat(pilot, clock)
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, RescoreConfirm), "the confirm dialog")
        await pilot.press("enter")
        await until(pilot, lambda: words in status_text(screen), "the explanation")
        assert posts(sandbox, JOBS) == 1
