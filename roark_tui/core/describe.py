"""Definitions in words.

Started by the thresholds engineer with `threshold_sentence` only (the threshold wizard needs it);
the definitions engineer owns this module and extends it.
"""

from __future__ import annotations

from roark_tui.api.models import ThresholdSpec
from roark_tui.core.whatif import AGGREGATES, OPERATOR_SYMBOLS


def threshold_sentence(spec: ThresholdSpec, source_name: str, unit: str | None = None) -> str:
    """ "Fires when the AVERAGE of Response Time over the conversation is ≥ 1500 ms".

    Missing parts read as "…", so a half-filled draft still reads as a sentence.
    """
    op = OPERATOR_SYMBOLS.get(spec.operator or "", spec.operator or "…")
    value = spec.threshold_value or "…"
    if unit and spec.threshold_value:
        value = f"{value} {unit}"
    of = source_name or "…"
    if spec.source_participant_role:
        of = f"{of} ({spec.source_participant_role} only)"
    mode = (spec.aggregation_mode or "EACH").upper()
    if mode == "COUNT":
        count = "…" if spec.count_threshold is None else spec.count_threshold
        return f"Fires when at least {count} values of {of} are {op} {value}"
    if mode in AGGREGATES:
        return f"Fires when the {mode} of {of} over the conversation is {op} {value}"
    if mode == "EACH":
        return f"Fires when any value of {of} is {op} {value}"
    return f"Fires when the {mode} of {of} is {op} {value}"
