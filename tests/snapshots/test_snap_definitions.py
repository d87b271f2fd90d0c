"""Snapshots of the definitions browser and of each step of the new-definition wizard, at 80x24
and 120x40, as the README's screenshots show them (the same scenes as
`scripts/screenshots.py`): `roark-tui --demo definitions [new]`, the wizard's forms filled
through their widgets (so validation, hints and the live reading are in the picture), focus on
a widget without a blinking cursor. Clock pinned."""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.cli import build_app
from scripts.screenshots import SHOTS

DEFINITION_SHOTS = {
    name: (argv, size, steps) for name, argv, size, steps in SHOTS if name.startswith("definition")
}


@pytest.mark.parametrize("name", sorted(DEFINITION_SHOTS))
def test_as_in_the_readme(snap_compare: Any, name: str) -> None:
    argv, size, steps = DEFINITION_SHOTS[name]
    assert snap_compare(build_app(list(argv)), terminal_size=size, run_before=steps)
