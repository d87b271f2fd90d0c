"""Analysis package ids the user sent with a new definition, newest first, kept across runs.

The API offers no way to list analysis packages, so the definition wizard offers the ids used
before. A damaged file is set aside and the list starts empty
(`store.problem` says so): a convenience must never stop the wizard.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from roark_tui.state.store import JsonStore

FILE = "recent_packages.json"
LIMIT = 5


def _shape(raw: Any) -> list[str] | None:
    if not isinstance(raw, list):
        return None
    return [item for item in raw if isinstance(item, str) and item][:LIMIT]


store = JsonStore(FILE, what="The list of recent analysis packages", shape=_shape, scoped=True)


def path() -> Path:
    return store.path


def load() -> list[str]:
    """The remembered ids, newest first."""
    return store.load() or []


def remember(package_id: str) -> list[str]:
    """Put `package_id` first (once) and keep the newest LIMIT, in turn with any other writer;
    returns the new list."""
    package_id = package_id.strip()
    if not package_id:
        return load()
    ids: list[str] = []

    def put_first(current: list[str] | None) -> list[str]:
        others = (i for i in current or [] if i.lower() != package_id.lower())
        ids[:] = [package_id, *others][:LIMIT]
        return ids

    store.update(put_first)
    return ids
