"""Snapshots of the runs list and a run's report at 120x40 and 80x24, as the README shows them
(the same scenes as `roark_tui.tui.screenshots`): `roark-tui --demo runs` and the failed demo
run's report on its calls, checks and debrief. Clock pinned."""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.cli import build_app
from scripts.screenshots import SHOTS

SCENES = {shot[0]: shot[1:] for shot in SHOTS}


@pytest.mark.parametrize("name", sorted(name for name in SCENES if name.startswith("run")))
def test_as_in_the_readme(snap_compare: Any, name: str) -> None:
    argv, size, steps = SCENES[name]
    assert snap_compare(build_app(list(argv)), terminal_size=size, run_before=steps)
