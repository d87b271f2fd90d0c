"""The threshold wizard's rules: a draft, its field errors, and the request body it becomes.

`POST /v1/metric/definitions/{idOrSlug}/thresholds` (roark-api.md §5.8) takes `operator`, `value`
(always a string), `aggregationMode`, `countThreshold` (COUNT only), `sourceParticipantRole` (only
for sources graded per TURN or SEGMENT), `sourceVariantId` and `slug`; older docs also list an
optional `name` (1-100), sent only when the user gives one. The value's meaning comes from the
source metric's output type, so the draft is always judged against the source definition.
Errors are keyed by the API field name, which is also the id of the widget that edits it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

from roark_tui.api.models import (
    AGGREGATION_MODES,
    OPERATORS,
    PARTICIPANT_ROLES,
    MetricDefinition,
    MetricGroup,
)
from roark_tui.core.formatting import unit_text
from roark_tui.core.slugs import slug_from, slug_problem
from roark_tui.core.whatif import (
    EQUALITY_OPERATORS,
    Rule,
    kind_of,
    parse_boolean,
    parse_number,
)

# API field name (and widget id) -> ThresholdDraft attribute, in form order.
ATTRS = {
    "source": "source",
    "operator": "operator",
    "value": "value",
    "aggregationMode": "aggregation_mode",
    "countThreshold": "count_threshold",
    "sourceParticipantRole": "source_participant_role",
    "sourceVariantId": "source_variant_id",
    "slug": "slug",
    "name": "name",
}
FIELDS = tuple(ATTRS)
ROLE_CONTEXTS = frozenset({"TURN", "SEGMENT"})
# Values of these types are not numbers: they compare only with = / ≠ and aggregate only by
# EACH / COUNT.
NON_NUMERIC_TYPES = frozenset({"BOOLEAN", "TEXT", "CLASSIFICATION"})
EQUALITY_ONLY = tuple(o for o in OPERATORS if o in EQUALITY_OPERATORS)
COUNTING_MODES = ("EACH", "COUNT")


def is_numeric(source: MetricDefinition | None) -> bool:
    """Whether the source's values are numbers (an unknown source may be)."""
    return source is None or (source.type or "").upper() not in NON_NUMERIC_TYPES


def operators_for(source: MetricDefinition | None) -> tuple[str, ...]:
    """The comparisons a source's values can take: all of them for numbers, = and ≠ else."""
    return OPERATORS if is_numeric(source) else EQUALITY_ONLY


NAME_MAX = 100
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_OPERATOR_CODES = {
    "GREATER_THAN": "gt",
    "GREATER_THAN_OR_EQUALS": "gte",
    "LESS_THAN": "lt",
    "LESS_THAN_OR_EQUALS": "lte",
    "EQUALS": "eq",
    "NOT_EQUALS": "ne",
}


@dataclass
class ThresholdDraft:
    """What the user has typed so far, as text (saved as-is by the draft store)."""

    source: str = ""
    operator: str = ""
    value: str = ""
    aggregation_mode: str = "EACH"
    count_threshold: str = ""
    source_participant_role: str = ""
    source_variant_id: str = ""
    slug: str = ""
    name: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Any) -> ThresholdDraft:
        """A draft from saved JSON; unknown keys and non-string values are ignored."""
        if not isinstance(raw, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known and isinstance(v, str)})


def supports_role(source: MetricDefinition | None) -> bool:
    """sourceParticipantRole is only valid on sources graded per TURN or SEGMENT."""
    if source is None:
        return False
    return bool(ROLE_CONTEXTS & {c.upper() for c in source.supported_contexts})


def value_kind(source: MetricDefinition | None, value: str = "") -> str:
    return kind_of(source.type if source else None, value)


def value_unit(source: MetricDefinition | None) -> str | None:
    """The unit the value is typed in: the source's own, else ms for OFFSET (time into the
    conversation)."""
    if source is None:
        return None
    unit = unit_text(source.unit)
    if not unit and (source.type or "").upper() == "OFFSET":
        unit = "ms"
    return unit or None


def source_group(groups: Sequence[MetricGroup], source: MetricDefinition) -> MetricGroup | None:
    """The source metric's values among a conversation's metrics (by id, else by slug)."""
    for group in groups:
        if group.metric_definition_id == source.id:
            return group
    keys = {source.slug, source.metric_id} - {None}
    return next((g for g in groups if g.slug in keys or g.metric_id in keys), None)


def parse_count_threshold(text: str) -> int | None:
    """An integer >= 0 written in digits, else None."""
    text = text.strip()
    return int(text) if text.isdigit() else None


def _value_error(source: MetricDefinition, value: str) -> str | None:
    text = value.strip()
    output_type = (source.type or "").upper()
    if not text:
        return "Enter the value to compare against."
    if output_type == "BOOLEAN":
        return None if parse_boolean(text) else "Pick true or false."
    # A scale's range and a classification's classes are not in the definition the API returns,
    # so any number (any class label) is taken here; the API judges it.
    if value_kind(source, text) == "number" and parse_number(text) is None:
        return f"Enter a number ({output_type or 'numeric'} source)."
    return None


def validate(draft: ThresholdDraft, source: MetricDefinition | None) -> dict[str, str]:
    """Every rule the draft breaks, as {API field name: one sentence}."""
    errors: dict[str, str] = {}
    if not draft.source.strip():
        errors["source"] = "Pick the metric this threshold watches."
    elif source is None:
        errors["source"] = f"No metric definition {draft.source.strip()!r}."
    kind = value_kind(source, draft.value)
    output_type = (source.type if source else None) or "this"
    if draft.operator not in OPERATORS:
        errors["operator"] = "Pick an operator."
    elif kind != "number" and draft.operator not in EQUALITY_OPERATORS:
        errors["operator"] = f"{output_type} values can only be compared with = or ≠."
    if source is not None:
        problem = _value_error(source, draft.value)
        if problem:
            errors["value"] = problem
    elif not draft.value.strip():
        errors["value"] = "Enter the value to compare against."
    mode = draft.aggregation_mode
    if mode not in AGGREGATION_MODES:
        errors["aggregationMode"] = "Pick an aggregation mode."
    elif mode not in ("EACH", "COUNT") and kind != "number":
        errors["aggregationMode"] = f"{mode} needs numbers; {output_type} values take EACH/COUNT."
    if mode == "COUNT" and parse_count_threshold(draft.count_threshold) is None:
        errors["countThreshold"] = "COUNT needs a whole number >= 0: how many values must match."
    role = draft.source_participant_role.strip()
    if role:
        if role not in PARTICIPANT_ROLES:
            errors["sourceParticipantRole"] = "Pick one of " + ", ".join(PARTICIPANT_ROLES) + "."
        elif source is not None and not supports_role(source):
            contexts = ", ".join(source.supported_contexts) or "CALL"
            errors["sourceParticipantRole"] = (
                f"Only for sources graded per SEGMENT or TURN (this one: {contexts})."
            )
    variant = draft.source_variant_id.strip()
    if variant and not _UUID.match(variant):
        errors["sourceVariantId"] = "A variant id is a UUID (leave empty for the source's own)."
    slug = draft.slug.strip()
    problem = slug_problem(slug) if slug else None
    if problem:
        errors["slug"] = problem
    name = draft.name.strip()
    if len(name) > NAME_MAX:
        errors["name"] = f"At most {NAME_MAX} characters ({len(name)} now)."
    return errors


def normalized_value(draft: ThresholdDraft, source: MetricDefinition | None) -> str:
    """The `value` string as sent: true/false spelled in lower case, anything else trimmed."""
    text = draft.value.strip()
    if source is not None and (source.type or "").upper() == "BOOLEAN":
        return parse_boolean(text) or text
    return text


def suggested_slug(draft: ThresholdDraft, source: MetricDefinition | None) -> str:
    """A slug that says what the threshold checks, e.g. `response_time_average_gte_1500`."""
    if source is None:
        return ""
    parts = [source.key, draft.aggregation_mode.lower()]
    parts += [_OPERATOR_CODES.get(draft.operator, ""), normalized_value(draft, source)]
    if draft.source_participant_role:
        parts.append(draft.source_participant_role.lower())
    return slug_from("_".join(parts))


def default_variant(source: MetricDefinition | None) -> str | None:
    """The variant a threshold pins when none is given: the source's own, unless the source
    says it has no variants (THRESHOLD, FORMULA and PATTERN metrics)."""
    if source is None or source.supports_variants is False:
        return None
    return source.variant_id


def to_rule(draft: ThresholdDraft, source: MetricDefinition | None) -> Rule:
    """The comparison the draft describes, for the what-if (valid or not)."""
    role = draft.source_participant_role.strip() or None
    return Rule(
        operator=draft.operator,
        value=normalized_value(draft, source),
        aggregation_mode=draft.aggregation_mode,
        count_threshold=parse_count_threshold(draft.count_threshold),
        source_participant_role=role if supports_role(source) or source is None else None,
    )


def created_from(
    definition: MetricDefinition, source: MetricDefinition, body: dict[str, Any]
) -> bool:
    """Whether `definition` is the threshold `body` asks for on `source` (read back after an
    answer that left it open whether the POST took effect)."""
    spec = definition.threshold
    if spec is None or spec.source_metric_definition_id != source.id:
        return False
    return (
        spec.operator == body.get("operator")
        and spec.threshold_value == body.get("value")
        and (spec.aggregation_mode or "EACH") == body.get("aggregationMode", "EACH")
        and spec.count_threshold == body.get("countThreshold")
        and spec.source_participant_role == body.get("sourceParticipantRole")
    )


def to_body(draft: ThresholdDraft, source: MetricDefinition) -> dict[str, Any]:
    """The JSON body of the create request; only meaningful when `validate` found nothing."""
    body: dict[str, Any] = {
        "operator": draft.operator,
        "value": normalized_value(draft, source),
        "aggregationMode": draft.aggregation_mode,
    }
    if draft.aggregation_mode == "COUNT":
        body["countThreshold"] = parse_count_threshold(draft.count_threshold)
    role = draft.source_participant_role.strip()
    if role:
        body["sourceParticipantRole"] = role
    variant = draft.source_variant_id.strip() or default_variant(source)
    if variant:
        body["sourceVariantId"] = variant
    body["slug"] = draft.slug.strip() or suggested_slug(draft, source)
    name = draft.name.strip()
    if name:
        body["name"] = name
    return body
