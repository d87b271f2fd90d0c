"""The metrics the last watch waited for (`w` on the metrics screen), offered again next time.

Kept per account (state/account.py), like the lookup history: slugs are a project's own, so one
project's list is no use in another.

Stored as `{"expect": ["slug", ...]}`; an older single comma-separated string is read too. A
damaged file is set aside and the list starts empty (`store.problem` says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from roark_tui.state.store import JsonStore

FILE = "watch.json"


def _shape(raw: Any) -> list[str] | None:
    expect = raw.get("expect") if isinstance(raw, dict) else None
    if isinstance(expect, str):
        return [expect]
    if isinstance(expect, list):
        return [item for item in expect if isinstance(item, str)]
    return None


store = JsonStore(FILE, what="The last watch's list of metrics", shape=_shape, scoped=True)


def load() -> list[str]:
    """The saved entries as typed (slugs, possibly comma-separated); empty when none."""
    return store.load() or []


def save(expected: Sequence[str]) -> None:
    store.save({"expect": list(expected)})
