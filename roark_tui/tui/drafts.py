"""Wizard drafts kept under the user state dir, so nothing typed is lost to a quit or a crash.

Started by the thresholds engineer per the team plan (the definitions engineer owns it).
One JSON file per wizard name, written atomically with owner-only permissions.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any

from roark_tui.config import atomic_write, state_dir


class DraftStore:
    """load/save/clear one named draft (a JSON object)."""

    def __init__(self, name: str) -> None:
        self.name = re.sub(r"[^a-z0-9_-]+", "_", name.lower()) or "draft"

    @property
    def path(self) -> Path:
        return state_dir() / "drafts" / f"{self.name}.json"

    def load(self) -> dict[str, Any] | None:
        """The saved draft, or None when there is none or it cannot be read."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):  # nested too deep: not a draft of ours
            return None
        return data if isinstance(data, dict) else None

    def save(self, data: dict[str, Any]) -> None:
        """Replace the saved draft; a failure to write never interrupts the wizard."""
        with contextlib.suppress(OSError):
            atomic_write(self.path, json.dumps(data, indent=2).encode("utf-8"))

    def clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
