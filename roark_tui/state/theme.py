"""The theme the user last chose (the palette's "Change theme"), applied at the next start.

One setting for every account: a look, not a project's data. Stored as `{"theme": "nord"}`; a
damaged file is set aside and the default theme is used (`store.problem` says so).
"""

from __future__ import annotations

from typing import Any

from roark_tui.state.store import JsonStore

FILE = "theme.json"


def _shape(raw: Any) -> str | None:
    name = raw.get("theme") if isinstance(raw, dict) else None
    return name if isinstance(name, str) and name else None


store = JsonStore(FILE, what="The chosen theme", shape=_shape)


def load() -> str | None:
    return store.load()


def save(name: str) -> None:
    store.save({"theme": name})
