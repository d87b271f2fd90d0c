"""Snapshots see the same "now" on every machine (pilot_support.SNAPSHOT_NOW)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pilot_support import SNAPSHOT_NOW

from roark_tui.core import formatting


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    formatting.set_clock(SNAPSHOT_NOW)
    yield
    formatting.set_clock(None)
