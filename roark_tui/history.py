"""The last conversations the user opened, kept across runs for the lookup screen.

Stored as JSON under the user state dir and replaced atomically, so two app instances or a crash
mid-write never leave a half file. A file that cannot be read is treated as empty: history is a
convenience and must never stop the app from starting. No textual here (the CLI may use it).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from roark_tui.config import atomic_write, state_dir

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


def history_path() -> Path:
    return state_dir() / HISTORY_FILE


def load() -> list[Lookup]:
    """The recent lookups, newest first (empty when none are stored or the file is unreadable)."""
    try:
        raw = json.loads(history_path().read_bytes())
    except (OSError, ValueError, RecursionError):  # nested too deep: not a file of ours
        return []
    entries = raw.get("lookups") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        return []
    found = (Lookup.from_json(item) for item in entries)
    return [entry for entry in found if entry is not None][:HISTORY_LIMIT]


def record(kind: str, conv_id: str, *, when: datetime, title: str | None = None) -> list[Lookup]:
    """Put a conversation at the top of the history (keeping its known title when `title` is
    None) and save. Returns the new history."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    current = load()
    previous = next((e for e in current if e.kind == kind and e.id == conv_id), None)
    entry = Lookup(
        kind=kind,
        id=conv_id,
        opened_at=when.isoformat(),
        title=title or (previous.title if previous else None),
    )
    rest = [e for e in current if not (e.kind == kind and e.id == conv_id)]
    entries = [entry, *rest][:HISTORY_LIMIT]
    _save(entries)
    return entries


def set_title(kind: str, conv_id: str, title: str) -> None:
    """Fill in the title of an entry once the conversation has loaded (no reordering)."""
    current = load()
    changed = False
    entries = []
    for entry in current:
        if entry.kind == kind and entry.id == conv_id and entry.title != title:
            entry = Lookup(kind=kind, id=conv_id, opened_at=entry.opened_at, title=title)
            changed = True
        entries.append(entry)
    if changed:
        _save(entries)


def _save(entries: list[Lookup]) -> None:
    """Write the history; a disk that refuses the write is ignored (history is a convenience)."""
    data = json.dumps({"lookups": [asdict(e) for e in entries]}, indent=1).encode()
    with contextlib.suppress(OSError):
        atomic_write(history_path(), data)
