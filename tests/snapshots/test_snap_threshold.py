"""Snapshots of the threshold wizard with a what-if answered on the failing demo call (its
response times vary from 650 ms to 6.2 s): an AVERAGE of Response Time at 120x40 (form and
what-if side by side) and a COUNT at 80x24 (the verdict line under the sentence, the what-if
below the form). Clock pinned."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from roark_tui.api.service import RoarkService
from roark_tui.core import formatting
from roark_tui.sandbox.demo_ids import DEMO_TOKEN, FAILING_CALL_ID
from roark_tui.tui.app import RoarkApp

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    formatting.set_clock(NOW)
    yield
    formatting.set_clock(None)


def make_app(sandbox_app: Any) -> RoarkApp:
    def factory() -> RoarkService:
        return RoarkService(
            base_url="http://sandbox.local",
            token=DEMO_TOKEN,
            transport=httpx.ASGITransport(app=sandbox_app),
            allow_insecure=True,
            max_retries=0,
        )

    return RoarkApp(factory)


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def fill(operator: str, value: str, mode: str, count: str = ""):
    """Open the wizard as `t` on Response Time in the failing call does, then fill it in."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.open_threshold_wizard("response_time", ("call", FAILING_CALL_ID))
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#operator", Select).value = operator
        screen.query_one("#value", Input).value = value
        screen.query_one("#aggregationMode", Select).value = mode
        await settle(pilot)
        if count:
            screen.query_one("#countThreshold", Input).value = count
        # Focus on a select: an input's blinking cursor would make the picture flaky.
        screen.query_one("#aggregationMode", Select).focus()
        await settle(pilot)
        assert screen.whatif is not None and screen.whatif.fires is not None

    return run_before


def test_average_what_if_at_120x40(snap_compare: Any, sandbox_app: Any) -> None:
    run_before = fill("GREATER_THAN_OR_EQUALS", "1500", "AVERAGE")
    assert snap_compare(make_app(sandbox_app), terminal_size=(120, 40), run_before=run_before)


def test_count_what_if_at_80x24(snap_compare: Any, sandbox_app: Any) -> None:
    run_before = fill("GREATER_THAN", "3000", "COUNT", count="2")
    assert snap_compare(make_app(sandbox_app), terminal_size=(80, 24), run_before=run_before)
