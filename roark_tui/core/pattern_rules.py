"""The pattern kind of the definition wizard (trigger → outcome within a window): its rules, each
step's value checked as a threshold on its source would be, and its body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from roark_tui.api.models import (
    OPERATORS,
    PARTICIPANT_ROLES,
    PATTERN_OPERATIONS,
    WINDOW_MODES,
    MetricDefinition,
)
from roark_tui.core import threshold_rules
from roark_tui.core.definition_draft import UUID_RE, DefinitionDraft, TriggerRow, parse_int

COMBINATORS = ("AND", "OR")
# What each pattern operation produces (the pattern body has no outputType of its own; the docs
# name none for OUTCOME_AGGREGATE, an aggregate of the outcome's values: a number).
OPERATION_OUTPUT = {
    "PATTERN_EXISTS": "BOOLEAN",
    "PATTERN_COUNT": "NUMERIC",
    "OUTCOME_AGGREGATE": "NUMERIC",
}


def pattern_output_type(operation: str) -> str | None:
    return OPERATION_OUTPUT.get(operation)


def validate_pattern(
    draft: DefinitionDraft, definitions: Mapping[str, MetricDefinition], errors: dict[str, str]
) -> None:
    if draft.operation not in PATTERN_OPERATIONS:
        errors["operation"] = "Pick what the pattern measures: exists, count or outcome aggregate."
    if draft.window_mode not in WINDOW_MODES:
        errors["windowMode"] = "Pick seconds or segments."
    if not draft.triggers:
        errors["triggers"] = "Add a trigger: the event the pattern starts from."
    for i, trigger in enumerate(draft.triggers):
        _step(trigger, f"triggers.{i}", definitions, errors)
    if len(draft.triggers) > 1 and draft.trigger_combinator not in COMBINATORS:
        errors["triggerCombinator"] = "Several triggers: pick AND (all) or OR (any)."
    outcome = draft.outcome
    _step(outcome, "outcome", definitions, errors)
    after = parse_int(outcome.window_after)
    unit = draft.window_mode if draft.window_mode in WINDOW_MODES else "seconds"
    if not outcome.window_after.strip():
        errors["outcome.windowAfter"] = f"How many {unit} after the trigger to look."
    elif after is None or after < 0:
        errors["outcome.windowAfter"] = f"A whole number of {unit}, 0 or more."
    before = parse_int(outcome.window_before or "0")
    if before is None or before < 0:
        errors["outcome.windowBefore"] = f"A whole number of {unit}, 0 or more (default 0)."


def _step(
    step: TriggerRow,
    key: str,
    definitions: Mapping[str, MetricDefinition],
    errors: dict[str, str],
) -> None:
    source_id = step.source_metric_definition_id.strip()
    source = definitions.get(source_id)
    if not source_id:
        errors[f"{key}.sourceMetricDefinitionId"] = "Pick the metric to watch."
    elif not UUID_RE.match(source_id):
        errors[f"{key}.sourceMetricDefinitionId"] = "A metric id is a UUID; pick from the list."
    if step.operator not in OPERATORS:
        errors[f"{key}.operator"] = "Pick an operator."
    if source is not None and step.operator in OPERATORS:
        # The same value rules as a threshold on that source (typed values, = / ≠ only for
        # booleans, classes and text).
        check = threshold_rules.ThresholdDraft(
            source=source.id, operator=step.operator, value=step.threshold_value
        )
        found = threshold_rules.validate(check, source)
        for name, target in (("operator", "operator"), ("value", "thresholdValue")):
            if name in found:
                errors[f"{key}.{target}"] = found[name]
    if not step.threshold_value.strip():
        errors[f"{key}.thresholdValue"] = "Enter the value to compare with."
    role = step.source_participant_role
    if role and role not in PARTICIPANT_ROLES:
        errors[f"{key}.sourceParticipantRole"] = "Pick one of " + ", ".join(PARTICIPANT_ROLES)
    variant = step.source_variant_id.strip()
    if variant and not UUID_RE.match(variant):
        errors[f"{key}.sourceVariantId"] = "A variant id is a UUID (empty: the default)."


def _step_body(step: TriggerRow) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sourceMetricDefinitionId": step.source_metric_definition_id.strip(),
        "operator": step.operator,
        "thresholdValue": step.threshold_value.strip(),
    }
    if step.source_participant_role:
        body["sourceParticipantRole"] = step.source_participant_role
    if step.source_variant_id.strip():
        body["sourceVariantId"] = step.source_variant_id.strip()
    return body


def pattern_body(draft: DefinitionDraft) -> dict[str, Any]:
    body: dict[str, Any] = {"operation": draft.operation, "windowMode": draft.window_mode}
    if len(draft.triggers) == 1:
        body["trigger"] = _step_body(draft.triggers[0])
    else:
        body["triggers"] = [_step_body(t) for t in draft.triggers]
        body["triggerCombinator"] = draft.trigger_combinator
    outcome = _step_body(draft.outcome)
    outcome["windowBefore"] = parse_int(draft.outcome.window_before or "0")
    outcome["windowAfter"] = parse_int(draft.outcome.window_after)
    body["outcome"] = outcome
    return body
