"""The threshold wizard's rules: a draft, its field errors, and the request body it becomes.

`POST /v1/metric/definitions/{idOrSlug}/thresholds` takes `operator`, `value` (always a
string), `aggregationMode`, `countThreshold` (COUNT only), `sourceParticipantRole` (only for
sources graded per TURN or SEGMENT), `sourceVariantId`, `slug` and `name` (1-100, always sent:
a readable default follows the draft until the user edits it). Nothing else goes in the body
(docs/contract.md, "Request bodies"). Thresholds exist only on SCALE, NUMERIC, COUNT, BOOLEAN
and CLASSIFICATION sources. The value's meaning comes from the source metric's output type, so
the draft is always judged against the source definition. Errors are keyed by the API field
name, which is also the id of the widget that edits it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

from roark_tui.api.models import (
    AGGREGATION_MODES,
    OPERATORS,
    OUTPUT_TYPES,
    PARTICIPANT_ROLES,
    MetricDefinition,
    MetricGroup,
)
from roark_tui.core.formatting import unit_text
from roark_tui.core.safe_text import one_line
from roark_tui.core.slugs import slug_from, slug_problem
from roark_tui.core.whatif import (
    EQUALITY_OPERATORS,
    OPERATOR_WORDS,
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
# The output types a threshold can watch (Roark's metrics docs); TEXT and OFFSET cannot.
SOURCE_TYPES = ("SCALE", "NUMERIC", "COUNT", "BOOLEAN", "CLASSIFICATION")


def is_numeric(source: MetricDefinition | None) -> bool:
    """Whether the source's values are numbers (an unknown source may be)."""
    return source is None or (source.type or "").upper() not in NON_NUMERIC_TYPES


def operators_for(source: MetricDefinition | None) -> tuple[str, ...]:
    """The comparisons a source's values can take: all of them for numbers, = and ≠ else."""
    return OPERATORS if is_numeric(source) else EQUALITY_ONLY


NAME_MAX = 100
# How the default name says the comparison: = and ≠ read as "is" and "is not".
NAME_OPERATOR_WORDS = {**OPERATOR_WORDS, "EQUALS": "is", "NOT_EQUALS": "is not"}
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
    name: str = ""  # what the user typed; unused while name_auto
    name_auto: bool = True  # the name is the default, following the draft, until edited

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Any) -> ThresholdDraft:
        """A draft from saved JSON; unknown keys and values of the wrong type are ignored."""
        if not isinstance(raw, dict):
            return cls()
        kinds = {f.name: type(getattr(cls(), f.name)) for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in kinds and type(v) is kinds[k]})


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


def source_problem(source: MetricDefinition) -> str | None:
    """Why no threshold can watch `source` (a TEXT or OFFSET metric), else None. A type this
    client does not know is left for the server to judge."""
    output_type = (source.type or "").upper()
    if output_type in OUTPUT_TYPES and output_type not in SOURCE_TYPES:
        return (
            f"{name_in_text(source)} is {output_type}: thresholds exist only on "
            + ", ".join(SOURCE_TYPES[:-1])
            + f" and {SOURCE_TYPES[-1]} metrics."
        )
    return None


def name_in_text(source: MetricDefinition, limit: int = 40) -> str:
    """The source's name (else slug) on one line, as a sentence or a default name uses it."""
    return one_line(source.name or source.key, limit)


def default_name(draft: ThresholdDraft, source: MetricDefinition | None) -> str:
    """A name that says what the threshold checks, from the parts the draft has so far:
    "Agent Empathy at least 3", "Response Time (agent) average at most 1500 ms",
    "Latency Spikes at most 2 (3+ values)". Empty without a source; never over NAME_MAX."""
    if source is None:
        return ""
    parts = []
    role = draft.source_participant_role.strip()
    if role in PARTICIPANT_ROLES and supports_role(source):
        parts.append(f"({role.replace('_', ' ').lower()})")
    mode = draft.aggregation_mode
    if mode in AGGREGATION_MODES and mode not in COUNTING_MODES:
        parts.append(mode.lower())
    if draft.operator in NAME_OPERATOR_WORDS:
        parts.append(NAME_OPERATOR_WORDS[draft.operator])
    value = one_line(normalized_value(draft, source))
    if value:
        unit = value_unit(source)
        parts.append(f"{value} {unit}" if unit else value)
    count = parse_count_threshold(draft.count_threshold)
    if mode == "COUNT" and count is not None:
        parts.append(f"({count}+ values)")
    tail = " ".join(parts)
    room = NAME_MAX - len(tail) - 1 if tail else NAME_MAX
    head = name_in_text(source, max(room, 10))
    return one_line(f"{head} {tail}".strip(), NAME_MAX)


def effective_name(draft: ThresholdDraft, source: MetricDefinition | None) -> str:
    """The name that will be sent: the default while the user has not edited it, else theirs."""
    return default_name(draft, source) if draft.name_auto else draft.name.strip()


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
    else:
        problem = source_problem(source)
        if problem:
            errors["source"] = problem
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
    name = effective_name(draft, source)
    if len(name) > NAME_MAX:
        errors["name"] = f"At most {NAME_MAX} characters ({len(name)} now)."
    elif not name and not (draft.name_auto and source is None):
        errors["name"] = f"Name the check (1 to {NAME_MAX} characters); Enter takes the suggestion."
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


def created_from(definition: MetricDefinition, source_id: str, body: dict[str, Any]) -> bool:
    """Whether `definition` is the threshold `body` asks for on the source metric `source_id`
    (read back after an answer that left it open whether the POST took effect)."""
    spec = definition.threshold
    if spec is None or spec.source_metric_definition_id != source_id:
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
    body["name"] = effective_name(draft, source)
    return body
