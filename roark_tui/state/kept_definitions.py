"""The metric definitions as last listed whole, kept per account between runs.

Telling a check from an observation takes every definition, and listing them is a walk of
pages one after another: over a slow link, `roark-tui chat <id>` started from the shell would
wait for that walk, not for the conversation. With this copy it judges at once; the metrics
screen checks the copy against a fresh walk as soon as the metrics are shown and keeps the fresh
list. Kept per account like the history, since definitions are a project's own.

Stored as `{"definitions": [<the API's fields of each>]}`. A file that cannot be read back whole
counts as none (a damaged one is set aside, `store.problem` says so): judging with part of the
definitions would call checks observations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from roark_tui.api.models import MetricDefinition
from roark_tui.state.store import JsonStore

FILE = "definitions.json"
MAX_BYTES = 16 << 20  # thousands of definitions with long prompts


def _shape(raw: Any) -> list[dict[str, Any]] | None:
    found = raw.get("definitions") if isinstance(raw, dict) else None
    if isinstance(found, list) and all(isinstance(item, dict) for item in found):
        return found
    return None


store = JsonStore(
    FILE, what="The kept metric definitions", shape=_shape, scoped=True, max_bytes=MAX_BYTES
)


def load() -> list[MetricDefinition] | None:
    """The kept definitions, or None when none are kept or they cannot all be read."""
    found = store.load()
    if found is None:
        return None
    try:
        return [MetricDefinition.model_validate(item) for item in found]
    except (ValidationError, RecursionError):
        return None


def save(definitions: Sequence[MetricDefinition]) -> bool:
    """Keep `definitions` (False when the disk refused: `store.problem` says why)."""
    fields = [d.model_dump(mode="json", by_alias=True, exclude_unset=True) for d in definitions]
    return store.save({"definitions": fields})
