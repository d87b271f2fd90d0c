"""Snapshots of the threshold wizard as the README shows it (the same steps as
`scripts/screenshots.py`): `roark-tui --demo thresholds new --source response_time`, the
failing call pasted with ctrl+t (its response times vary from about half a second to 6.2 s),
then a check that passes on an AVERAGE ≤ 1500 ms, with ctrl+r's recent conversations, at 120x40
(form and what-if side by side), and one that needs at least 4 values ≤ 3000 ms at 80x24 (the
verdict under the sentence, the what-if below the form); the call fails both. Clock pinned."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from roark_tui.cli import build_app
from scripts.screenshots import SHOTS

README_SHOTS = {name: (argv, size, steps) for name, argv, size, steps in SHOTS}


@pytest.mark.parametrize("name", ["threshold-wizard", "threshold-wizard-80x24"])
def test_as_in_the_readme(snap_compare: Any, name: str) -> None:
    argv, size, steps = README_SHOTS[name]

    async def run_before(pilot: Pilot[None]) -> None:
        await steps(pilot)
        whatif = pilot.app.screen.whatif
        assert whatif is not None and whatif.fires is not None

    assert snap_compare(build_app(list(argv)), terminal_size=size, run_before=run_before)
