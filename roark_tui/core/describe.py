"""Definitions in words: what a metric measures, read as sentences instead of JSON.

The browser's detail pane and the wizard's review step both use `definition_in_words`, so a
definition reads the same before it is created and after. Metric ids inside formulas, pattern
steps and thresholds are replaced by the names of those metrics (`by_id`), falling back to a
short id for metrics not (yet) loaded. Text here comes from the API: callers clean it
(core.safe_text) and render it as rich Text, never as markup.

Roark's definition responses do not return a judge's scale range, scale labels, classes or the
participant role it grades. A draft in review words them from its create body (`asked`); a
definition from the API says that the API does not give them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from roark_tui.api.models import (
    MetricDefinition,
    PatternSpec,
    PatternStep,
    ThresholdSpec,
)
from roark_tui.core.formula_rules import REFERENCE
from roark_tui.core.threshold_rules import value_unit
from roark_tui.core.verdict import Kind, check_kind
from roark_tui.core.whatif import AGGREGATES, OPERATOR_SYMBOLS, format_number, parse_number

ById = Mapping[str, MetricDefinition]

KIND_WORDS = {
    "LLM_JUDGE": "LLM judge",
    "FORMULA": "Formula",
    "PATTERN": "Pattern",
    "THRESHOLD": "Threshold",
    "PROVIDER": "Roark model",
}
KIND_EXPLANATIONS = {
    "LLM_JUDGE": "an LLM grades each conversation against a prompt",
    "FORMULA": "computed from other metrics with an expression",
    "PATTERN": "a trigger followed by an outcome within a window",
    "THRESHOLD": "a pass/fail check on one source metric",
    "PROVIDER": "computed by Roark's own models",
}
CONTEXT_WORDS = {
    "CALL": "the whole conversation",
    "SEGMENT": "each utterance",
    "TURN": "each agent reply",
}
VERDICT_WORDS = {
    Kind.CHECK: "a check: true passes, false fails",
    Kind.OBSERVATION: (
        "a reading, not a check: true is whatever the metric means, never a pass; put a "
        "threshold on it to judge it"
    ),
}
OPERATION_WORDS = {
    "PATTERN_EXISTS": "true when the pattern happens at least once (BOOLEAN)",
    "PATTERN_COUNT": "how many times the pattern happens (NUMERIC)",
    "OUTCOME_AGGREGATE": "the outcome metric's values inside the windows, aggregated",
}


def threshold_sentence(spec: ThresholdSpec, source_name: str, unit: str | None = None) -> str:
    """ "Passes when the AVERAGE of Response Time over the conversation is ≥ 1500 ms": a
    THRESHOLD is true (the API says it fires) when its comparison holds, and a check passes then.

    Missing parts read as "…", so a half-filled draft still reads as a sentence; = and ≠ read
    as words ("is true", "are not billing").
    """
    op = {"EQUALS": "", "NOT_EQUALS": "not "}.get(spec.operator or "")
    if op is None:
        op = OPERATOR_SYMBOLS.get(spec.operator or "", spec.operator or "…") + " "
    value = spec.threshold_value or "…"
    if unit and spec.threshold_value:
        value = f"{value} {unit}"
    of = source_name or "…"
    if spec.source_participant_role:
        of = f"{of} ({spec.source_participant_role} only)"
    mode = (spec.aggregation_mode or "EACH").upper()
    if mode == "COUNT":
        count = "…" if spec.count_threshold is None else spec.count_threshold
        if count == 1:
            return f"Passes when at least 1 value of {of} is {op}{value}"
        return f"Passes when at least {count} values of {of} are {op}{value}"
    if mode in AGGREGATES:
        return f"Passes when the {mode} of {of} over the conversation is {op}{value}"
    if mode == "EACH":
        return f"Passes when any value of {of} is {op}{value}"
    return f"Passes when the {mode} of {of} is {op}{value}"


def name_of(definition_id: str | None, by_id: ById) -> str:
    """A metric's name (else slug) by id; an unknown id as `metric 1a2b3c4d…`."""
    if not definition_id:
        return "…"
    found = by_id.get(definition_id)
    if found is not None:
        return found.name or found.key
    return f"metric {definition_id[:8]}…"


def formula_in_words(expression: str, by_id: ById) -> str:
    """The expression with each `{{id:…}}` replaced by the name of that metric."""
    return REFERENCE.sub(lambda m: name_of(m.group(1), by_id), expression)


def condition_in_words(step: PatternStep, by_id: ById) -> str:
    """ "Interruptions (AGENT) > 0" """
    who = name_of(step.source_metric_definition_id, by_id)
    if step.source_participant_role:
        who = f"{who} ({step.source_participant_role})"
    op = OPERATOR_SYMBOLS.get(step.operator or "", step.operator or "…")
    return f"{who} {op} {step.threshold_value or '…'}"


def _amount(count: int | None, mode: str | None) -> str:
    shown = "…" if count is None else str(count)
    if (mode or "seconds") == "segments":
        return f"{shown} segment" + ("" if count == 1 else "s")
    return f"{shown} s"


def window_in_words(outcome: PatternStep, window_mode: str | None) -> str:
    """ "within 10 s after" / "from 2 segments before to 3 segments after" """
    after = _amount(outcome.window_after, window_mode)
    if outcome.window_before:
        return f"from {_amount(outcome.window_before, window_mode)} before to {after} after"
    return f"within {after} after"


def pattern_in_words(pattern: PatternSpec, by_id: ById) -> str:
    """ "When Interruptions > 0, then within 10 s after: Frustration = true." """
    joiner = f" {pattern.trigger_combinator or 'AND'} "
    trigger = joiner.join(condition_in_words(t, by_id) for t in pattern.triggers) or "…"
    if pattern.outcome is None:
        return f"When {trigger}."
    outcome = condition_in_words(pattern.outcome, by_id)
    return (
        f"When {trigger}, then {window_in_words(pattern.outcome, pattern.window_mode)}: {outcome}."
    )


def _number(raw: Any) -> str:
    """A number of a create body as text ("…" when it is not one)."""
    number = parse_number(raw) if not isinstance(raw, str) else None
    return "…" if number is None else format_number(number)


def _scale_label(label: Mapping[str, Any]) -> str:
    low, high = _number(label.get("rangeMin")), _number(label.get("rangeMax"))
    span = low if low == high else f"{low} to {high}"
    text = f"{span}: {label.get('label') or ''}"
    if label.get("description"):
        text += f" ({label['description']})"
    if label.get("colorHex"):
        text += f" {label['colorHex']}"
    return text


def _rows(asked: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    rows = asked.get(key)
    rows = [r for r in rows if isinstance(r, Mapping)] if isinstance(rows, list) else []
    return sorted(rows, key=lambda r: parse_number(r.get("displayOrder")) or 0.0)


def _scope(definition: MetricDefinition, asked: Mapping[str, Any] | None) -> str:
    if definition.scope == "PER_PARTICIPANT":
        role = (asked or {}).get("participantRole")
        return f"one value per participant ({role})" if role else "one value per participant"
    if definition.scope == "GLOBAL":
        return "one value per conversation"
    return definition.scope or ""


def _not_returned(output: str | None, asked: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """A scale's range and labels, a classification's classes: from the create body of a draft,
    else a note that the API does not return them."""
    out: list[tuple[str, str]] = []
    if output == "SCALE":
        if asked is None:
            return [("Scale", "range not given by the API")]
        if "scaleMin" in asked or "scaleMax" in asked:
            low, high = _number(asked.get("scaleMin")), _number(asked.get("scaleMax"))
            out.append(("Scale", f"from {low} to {high}"))
        labels = _rows(asked, "scaleLabels")
        if labels:
            out.append(("Scale labels", "\n".join(_scale_label(lab) for lab in labels)))
    elif output == "CLASSIFICATION":
        if asked is None:
            return [("Classes", "not listed by the API")]
        options = _rows(asked, "classificationOptions")
        if options:
            lines = [
                str(o.get("label") or "")
                + (f": {o['description']}" if o.get("description") else "")
                for o in options
            ]
            out.append(("Classes", "\n".join(lines)))
        most = asked.get("maxClassifications")
        if isinstance(most, int) and not isinstance(most, bool):
            out.append(("Picks", f"at most {most} class" + ("" if most == 1 else "es")))
    return out


def _graded(contexts: list[str]) -> str:
    return ", ".join(CONTEXT_WORDS.get(c, c) for c in contexts)


def _verdict_words(definition: MetricDefinition) -> str | None:
    """What a yes/no metric's value means for a verdict (core.verdict's rule). A threshold's
    own Check sentence says it already; other types have no pass or fail to speak of."""
    if (definition.type or "").upper() != "BOOLEAN" or definition.threshold is not None:
        return None
    return VERDICT_WORDS.get(check_kind(definition))


def _llm_judge(definition: MetricDefinition) -> list[tuple[str, str]]:
    out = [("Prompt", definition.llm_prompt or "(no prompt)")]
    output = definition.type
    if output == "BOOLEAN" and (definition.boolean_true_label or definition.boolean_false_label):
        true_label = definition.boolean_true_label or "true"
        false_label = definition.boolean_false_label or "false"
        out.append(("Answers", f"true = {true_label} · false = {false_label}"))
    return out


def definition_in_words(
    definition: MetricDefinition, by_id: ById, asked: Mapping[str, Any] | None = None
) -> list[tuple[str, str]]:
    """(heading, text) pairs that say what the definition measures and how; `asked` is the
    create body of a draft in review (it knows what no response returns)."""
    kind = definition.calculation_type or ""
    out: list[tuple[str, str]] = []
    if definition.description:
        out.append(("", definition.description))
    what = KIND_WORDS.get(kind, kind or "Metric")
    explanation = KIND_EXPLANATIONS.get(kind)
    out.append(("Kind", f"{what}: {explanation}" if explanation else what))
    output = definition.type or "?"
    unit = definition.unit
    if unit is not None and (unit.name or unit.symbol):
        output += f" · unit {unit.name or unit.symbol}"
        if unit.name and unit.symbol:
            output += f" ({unit.symbol})"
    out.append(("Output", output))
    scope = _scope(definition, asked)
    if scope:
        out.append(("Scope", scope))
    if definition.supported_contexts:
        out.append(("Graded on", _graded(definition.supported_contexts)))
    out += _not_returned(definition.type, asked)
    if kind == "LLM_JUDGE":
        out += _llm_judge(definition)
    elif definition.formula is not None:
        out.append(("Formula", formula_in_words(definition.formula.expression, by_id)))
        sources = []
        for source in definition.formula.sources:
            line = name_of(source.source_metric_definition_id, by_id)
            if source.source_variant_id:
                line += f" (variant {source.source_variant_id})"
            sources.append(line)
        out.append(("Sources", "\n".join(sources) or "(none)"))
    elif definition.pattern is not None:
        pattern = definition.pattern
        out.append(("Pattern", pattern_in_words(pattern, by_id)))
        result = OPERATION_WORDS.get(pattern.operation or "", pattern.operation or "?")
        out.append(("Measures", result))
    elif definition.threshold is not None:
        spec = definition.threshold
        source_definition = by_id.get(spec.source_metric_definition_id or "")
        name = name_of(spec.source_metric_definition_id, by_id)
        out.append(("Check", threshold_sentence(spec, name, value_unit(source_definition))))
    verdict = _verdict_words(definition)
    if verdict:
        out.append(("Verdict", verdict))
    if definition.evidence_source:
        metric = definition.evidence_source.get("metricId")
        when = definition.evidence_source.get("countsWhen")
        verdict = str(when).lower() if isinstance(when, bool) else when
        out.append(("Counts", f"the per-turn verdicts of {metric} that are {verdict}"))
    return out
