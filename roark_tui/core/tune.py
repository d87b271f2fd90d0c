"""Tuning a check: what `t` on a check offers, and the old rule beside the new one.

Roark has no threshold update: tuning a threshold check means creating a new threshold from
the old one's settings (same source, operator, value, aggregation, role, variant) with the
value changed, and renaming the old one so that it reads as replaced. An authored yes/no check
(an LLM judge, formula or pattern with BOOLEAN output) is tuned by editing it, or by putting a
threshold on its source. The what-if compares both rules on the same values: this
conversation, and the recent ones ("fails today on 7 of 12; with the new value on 3 of 12").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from roark_tui.api.metric_values import MetricValue
from roark_tui.api.models import MetricDefinition, MetricGroup
from roark_tui.core.safe_text import one_line
from roark_tui.core.watch import metric_id
from roark_tui.core.whatif import Rule, WhatIf, evaluate

NAME_MAX = 100
REPLACED = " (replaced)"
Tuning = Literal["threshold", "authored", "none"]


def tuning_of(definition: MetricDefinition | None) -> Tuning:
    """How `t` tunes this metric: a threshold is re-made, an authored yes/no check edited."""
    if definition is None:
        return "none"
    kind = (definition.calculation_type or "").upper()
    if kind == "THRESHOLD" and definition.threshold is not None:
        return "threshold"
    if kind in ("LLM_JUDGE", "FORMULA", "PATTERN") and (definition.type or "").upper() == "BOOLEAN":
        return "authored"
    return "none"


def rule_of(threshold: MetricDefinition) -> Rule | None:
    spec = threshold.threshold
    if spec is None or not spec.operator or spec.threshold_value is None:
        return None
    return Rule(
        operator=spec.operator,
        value=spec.threshold_value,
        aggregation_mode=spec.aggregation_mode or "EACH",
        count_threshold=spec.count_threshold,
        source_participant_role=spec.source_participant_role,
    )


def draft_fields(threshold: MetricDefinition, source: MetricDefinition | None) -> dict[str, str]:
    """The threshold wizard's draft (all text) that starts from this threshold's settings."""
    spec = threshold.threshold
    if spec is None:
        return {}
    key = source.key if source is not None else spec.source_metric_definition_id or ""
    return {
        "source": key,
        "operator": spec.operator or "",
        "value": spec.threshold_value or "",
        "aggregation_mode": spec.aggregation_mode or "EACH",
        "count_threshold": "" if spec.count_threshold is None else str(spec.count_threshold),
        "source_participant_role": spec.source_participant_role or "",
        "source_variant_id": spec.source_variant_id or "",
    }


def replaced_name(old_name: str) -> str:
    """The old threshold's new name once a tuned one replaces it."""
    base = one_line(old_name, NAME_MAX)
    if base.endswith(REPLACED):
        return base
    return base[: NAME_MAX - len(REPLACED)].rstrip() + REPLACED


@dataclass(frozen=True)
class SideBySide:
    """Both rules on one conversation's source values."""

    old: WhatIf
    new: WhatIf

    @property
    def changed(self) -> bool:
        return self.old.fires != self.new.fires


def side_by_side(
    old: Rule, new: Rule, rows: Sequence[MetricValue], output_type: str | None
) -> SideBySide:
    return SideBySide(
        evaluate(old, rows, output_type=output_type), evaluate(new, rows, output_type=output_type)
    )


def verdict_word(result: WhatIf) -> str:
    if result.fires is None:
        return "no answer"
    return "passes" if result.fires else "fails"


def recent_counts(
    old: Rule,
    new: Rule,
    source_id: str,
    recent: Sequence[Sequence[MetricGroup] | None],
    output_type: str | None,
) -> str:
    """ "fails today on 7 of 12; with the new value on 3 of 12" over the conversations that have
    the source's values."""
    judged = old_fails = new_fails = 0
    for groups in recent:
        group = next((g for g in groups or () if metric_id(g) == source_id), None)
        if group is None or not group.values:
            continue
        pair = side_by_side(old, new, group.values, output_type)
        if pair.old.fires is None and pair.new.fires is None:
            continue
        judged += 1
        old_fails += pair.old.fires is False
        new_fails += pair.new.fires is False
    if not judged:
        return "none of the recent conversations has a value of the source to compare"
    return f"fails today on {old_fails} of {judged}; with the new value on {new_fails} of {judged}"
