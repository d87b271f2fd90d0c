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


def _rank(definition: MetricDefinition, query: str) -> int:
    """0: the query is its slug, name or id; 1: they start with it; 2: anything else."""
    handles = (definition.key.lower(), definition.name.lower(), definition.id.lower())
    if query in handles:
        return 0
    return 1 if any(h.startswith(query) for h in handles) else 2


def matches(definitions: Iterable[MetricDefinition], query: str) -> list[MetricDefinition]:
    """The definitions containing every word of `query` (case-insensitive): exact handles
    first, then those starting with it, each group in the order given."""
    words = query.lower().split()
    found = [d for d in definitions if all(w in haystack(d) for w in words)]
    plain = " ".join(words)
    return sorted(found, key=lambda d: _rank(d, plain)) if plain else found
