"""Analysis package ids the user sent with a new definition, newest first, kept across runs.

The API has no endpoint listing analysis packages (roark-api.md §6), so the wizard offers the
ids used before. Stored as JSON under the user state dir, replaced atomically; a file that
cannot be read counts as empty (a convenience must never stop the wizard).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from roark_tui.config import atomic_write, state_dir

FILE = "recent_packages.json"
LIMIT = 5


def path() -> Path:
    return state_dir() / FILE


def load() -> list[str]:
    """The remembered ids, newest first."""
    try:
        data = json.loads(path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    return [item for item in data if isinstance(item, str) and item][:LIMIT]


def remember(package_id: str) -> list[str]:
    """Put `package_id` first (once) and keep the newest LIMIT; returns the new list."""
    package_id = package_id.strip()
    if not package_id:
        return load()
    ids = [package_id, *(i for i in load() if i.lower() != package_id.lower())][:LIMIT]
    with contextlib.suppress(OSError):
        atomic_write(path(), json.dumps(ids).encode("utf-8"))
    return ids
