"""Snapshots of closing the loop, as the README shows them (the scenes of
`scripts/screenshots.py`): editing a definition and its review, tuning a check (the
threshold wizard from it, and the choice on an authored yes/no check), the question before a
re-score and the tree after it with old -> new. Clock pinned; the job runs on the scene's
clock."""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.cli import build_app
from scripts.screenshots import SHOTS

LOOP = ("rescore", "edit-definition", "tune")
LOOP_SHOTS = {
    name: (build, size, steps)
    for name, build, size, steps in SHOTS
    if any(part in name for part in LOOP)
}


@pytest.mark.parametrize("name", sorted(LOOP_SHOTS))
def test_as_in_the_readme(snap_compare: Any, name: str) -> None:
    build, size, steps = LOOP_SHOTS[name]
    app = build() if callable(build) else build_app(list(build))
    assert snap_compare(app, terminal_size=size, run_before=steps)
