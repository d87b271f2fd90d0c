"""Snapshots of the triage screens at 80x24 and 120x40, clock pinned: the lookup screen (one
recent lookup, the sandbox's latest conversations) and the metrics screen opened on the
failing demo chat (first failing check selected, its reasoning and evidence in view)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pilot_support import make_app, settle
from textual.pilot import Pilot

from roark_tui.sandbox.demo_ids import FAILING_CHAT_ID, REFUND_CHAT_ID
from roark_tui.state import history

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lookup(snap_compare: Any, sandbox_app: Any, size: tuple[int, int]) -> None:
    history.record(
        "chat", REFUND_CHAT_ID, when=datetime(2026, 11, 20, 16, 30, tzinfo=UTC), title="Refund"
    )

    async def ready(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#lookup-input").cursor_blink = False  # a still picture

    assert snap_compare(make_app(sandbox_app), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_metrics_on_a_failing_chat(
    snap_compare: Any, sandbox_app: Any, size: tuple[int, int]
) -> None:
    app = make_app(sandbox_app, ("chat", FAILING_CHAT_ID))
    assert snap_compare(app, terminal_size=size, run_before=settle)
