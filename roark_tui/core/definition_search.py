"""Finding metric definitions by what people type: every word must appear somewhere.

Used by the definitions browser's `/` filter and by the wizard's metric pickers.
"""

from __future__ import annotations

from collections.abc import Iterable

from roark_tui.api.models import MetricDefinition


def haystack(definition: MetricDefinition) -> str:
    """The text a definition is found by: name, slug, id, kind, output, scope and contexts."""
    parts = [
        definition.name,
        definition.key,
        definition.id,
        definition.calculation_type or "",
        definition.type or "",
        definition.scope or "",
        " ".join(definition.supported_contexts),
    ]
    return " ".join(parts).lower()


def matches(definitions: Iterable[MetricDefinition], query: str) -> list[MetricDefinition]:
    """The definitions containing every word of `query` (case-insensitive), in order."""
    words = query.lower().split()
    return [d for d in definitions if all(w in haystack(d) for w in words)]
