"""Snapshots of the re-score on the failing demo chat at 80x24 and 120x40, as the README shows
them (the scenes of `roark_tui.tui.screenshots`): the question before the billed job, and the
tree after it with old -> new. Clock pinned; the job runs on the scene's clock."""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.tui.screenshots import SHOTS

RESCORE_SHOTS = {
    name: (build, size, steps) for name, build, size, steps in SHOTS if "rescore" in name
}


@pytest.mark.parametrize("name", sorted(RESCORE_SHOTS))
def test_as_in_the_readme(snap_compare: Any, name: str) -> None:
    build, size, steps = RESCORE_SHOTS[name]
    assert callable(build)
    assert snap_compare(build(), terminal_size=size, run_before=steps)
