"""Wizard drafts kept under the user state dir, so nothing typed is lost to a quit or a crash.

One JSON object per wizard name (`drafts/<name>.json`). Any JSON object is handed on: the
wizards read its fields tolerantly. Anything else is damage: set aside, with `problem` for the
wizard to say, and the wizard starts afresh.
"""

from __future__ import annotations

import re
from typing import Any

from roark_tui.state.store import JsonStore


def _shape(raw: Any) -> dict[str, Any] | None:
    return raw if isinstance(raw, dict) else None


class DraftStore(JsonStore[dict[str, Any]]):
    """load/save/clear one named draft."""

    def __init__(self, name: str) -> None:
        self.name = re.sub(r"[^a-z0-9_-]+", "_", name.lower()) or "draft"
        super().__init__(f"drafts/{self.name}.json", what="The saved draft", shape=_shape)
