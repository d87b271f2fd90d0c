"""The last conversations the user opened, kept across runs for the lookup screen.

A `JsonStore`: replaced atomically, so two app instances or a crash mid-write never leave a half
file; a damaged file is set aside and the history starts empty (`store.problem` says so), since
history is a convenience and must never stop the app from starting. Entries that are not ours
are dropped one by one. No textual here (the CLI may use it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from roark_tui.state.store import JsonStore

HISTORY_FILE = "history.json"
HISTORY_LIMIT = 20
KINDS = ("chat", "call")


@dataclass(frozen=True)
class Lookup:
    """One opened conversation: its kind, id, title (when known) and when it was opened."""

    kind: str
    id: str
    opened_at: str  # ISO 8601 with offset
    title: str | None = None

    @property
    def opened(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.opened_at)
        except ValueError:
            return None

    @classmethod
    def from_json(cls, raw: Any) -> Lookup | None:
        """A stored entry, or None when it is not one we can use."""
        if not isinstance(raw, dict):
            return None
        kind, conv_id, opened = raw.get("kind"), raw.get("id"), raw.get("opened_at")
        if kind not in KINDS or not isinstance(conv_id, str) or not conv_id:
            return None
        title = raw.get("title")
        return cls(
            kind=kind,
            id=conv_id,
            opened_at=opened if isinstance(opened, str) else "",
            title=title if isinstance(title, str) and title else None,
        )


def _shape(raw: Any) -> list[Lookup] | None:
    entries = raw.get("lookups") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        return None
    found = (Lookup.from_json(item) for item in entries)
    return list(islice((entry for entry in found if entry is not None), HISTORY_LIMIT))


store = JsonStore(HISTORY_FILE, what="The lookup history", shape=_shape, scoped=True)


def history_path() -> Path:
    return store.path


def load() -> list[Lookup]:
    """The recent lookups, newest first (empty when none are stored or the file was damaged)."""
    return store.load() or []


def record(kind: str, conv_id: str, *, when: datetime, title: str | None = None) -> list[Lookup]:
    """Put a conversation at the top of the history (keeping its known title when `title` is
    None) and save, in turn with any other writer of the file. Returns the new history."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    entries: list[Lookup] = []

    def put_on_top(current: list[Lookup] | None) -> dict[str, Any]:
        current = current or []
        previous = next((e for e in current if e.kind == kind and e.id == conv_id), None)
        entry = Lookup(
            kind=kind,
            id=conv_id,
            opened_at=when.isoformat(),
            title=title or (previous.title if previous else None),
        )
        rest = [e for e in current if not (e.kind == kind and e.id == conv_id)]
        entries[:] = [entry, *rest][:HISTORY_LIMIT]
        return _doc(entries)

    store.update(put_on_top)
    return entries


def set_title(kind: str, conv_id: str, title: str) -> None:
    """Fill in the title of an entry once the conversation has loaded (no reordering)."""

    def retitle(current: list[Lookup] | None) -> dict[str, Any] | None:
        entries = [
            Lookup(kind=kind, id=conv_id, opened_at=e.opened_at, title=title)
            if e.kind == kind and e.id == conv_id
            else e
            for e in current or []
        ]
        return _doc(entries) if entries != current else None

    store.update(retitle)


def _doc(entries: list[Lookup]) -> dict[str, Any]:
    return {"lookups": [asdict(e) for e in entries]}
