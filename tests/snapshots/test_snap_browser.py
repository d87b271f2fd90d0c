"""Snapshots of the conversation browser as the README shows it: `roark-tui --demo`, b, a 48 h
window; every verdict in, the cursor a few rows down. Clock pinned."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from roark_tui.cli import build_app
from roark_tui.tui.screens.browser import BrowserScreen
from scripts.screenshots import SHOTS

README_SHOTS = {name: (argv, size, steps) for name, argv, size, steps in SHOTS}


@pytest.mark.parametrize("name", ["browser", "browser-80x24"])
def test_as_in_the_readme(snap_compare: Any, name: str) -> None:
    argv, size, steps = README_SHOTS[name]

    async def run_before(pilot: Pilot[None]) -> None:
        await steps(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, BrowserScreen) and screen.filters.since is not None
        assert screen.verdicts and screen.query_one("#browser-table").cursor_row == 3

    assert snap_compare(build_app(list(argv)), terminal_size=size, run_before=run_before)
