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

UNREADABLE_SUFFIX = ".unreadable"


class DraftStore:
    """load/save/clear one named draft (a JSON object)."""

    def __init__(self, name: str) -> None:
        self.name = re.sub(r"[^a-z0-9_-]+", "_", name.lower()) or "draft"
        self.problem: str | None = None
        """Why the last load found a draft file it could not read, for the wizard to say."""

    @property
    def path(self) -> Path:
        return state_dir() / "drafts" / f"{self.name}.json"

    def load(self) -> dict[str, Any] | None:
        """The saved draft, or None when there is none or it cannot be read. A damaged file is
        set aside (kept next to it, for whoever wants the text back) so the wizard starts afresh
        once, not on every open; `problem` then says so."""
        self.problem = None
        try:
            data = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.problem = f"The saved draft could not be read ({exc.strerror}); starting afresh."
            return None
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep
            data = None
        if isinstance(data, dict):
            return data
        kept = self.path.with_name(self.path.name + UNREADABLE_SUFFIX)
        try:
            self.path.replace(kept)
        except OSError:
            where = ""
        else:
            where = f" (kept as {kept.name})"
        self.problem = f"The saved draft was damaged and could not be read{where}; starting afresh."
        return None

    def save(self, data: dict[str, Any]) -> None:
        """Replace the saved draft; a failure to write never interrupts the wizard."""
        with contextlib.suppress(OSError):
            atomic_write(self.path, json.dumps(data, indent=2).encode("utf-8"))

    def clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
