"""Pydantic models of Roark API payloads, read tolerantly.

The API evolves and several shapes are undocumented (docs/contract.md), so every model keeps
unknown fields (`extra="allow"`), enum-valued fields are plain strings (an unknown value is shown
as it comes, never fatal), and everything not needed to identify a row is optional.
"""

from __future__ import annotations

from typing import Any, Generic, Self, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import InitErrorDetails, from_json

from roark_tui.api.metric_values import SHORT, ValueList, text_field

T = TypeVar("T")

# Known enum values, for display and for building forms. Values outside these are accepted.
OUTPUT_TYPES = ("COUNT", "NUMERIC", "BOOLEAN", "SCALE", "TEXT", "CLASSIFICATION", "OFFSET")
CAPTURE_STATUSES = ("SUCCESS", "NOT_APPLICABLE", "DATA_MISSING", "ERROR")
VALUE_CONTEXTS = ("CALL", "SEGMENT", "SEGMENT_RANGE")
DEFINITION_CONTEXTS = ("CALL", "SEGMENT", "TURN")
SCOPES = ("GLOBAL", "PER_PARTICIPANT")
PARTICIPANT_ROLES = ("AGENT", "CUSTOMER", "SIMULATED_CUSTOMER", "BACKGROUND_SPEAKER")
CALCULATION_TYPES = ("LLM_JUDGE", "FORMULA", "PATTERN", "THRESHOLD", "PROVIDER")
OPERATORS = (
    "GREATER_THAN",
    "GREATER_THAN_OR_EQUALS",
    "LESS_THAN",
    "LESS_THAN_OR_EQUALS",
    "EQUALS",
    "NOT_EQUALS",
)
AGGREGATION_MODES = ("EACH", "COUNT", "AVERAGE", "MIN", "MAX", "MEDIAN", "P95", "P99", "SUM")
PATTERN_OPERATIONS = ("PATTERN_EXISTS", "PATTERN_COUNT", "OUTCOME_AGGREGATE")
WINDOW_MODES = ("seconds", "segments")
PROPERTY_VERDICTS = ("MATCH", "MISMATCH", "TRANSCRIPTION_ERROR", "NOT_MENTIONED")


class ApiModel(BaseModel):
    """Base: camelCase on the wire, snake_case in Python, unknown fields kept."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        protected_namespaces=(),
        # Validators are built on first use, not at import: a command uses a few models, and
        # building all of them costs more than importing pydantic (the app warms the ones it
        # needs in RoarkService.prepare, off its first frame).
        defer_build=True,
    )

    def to_api(self) -> dict[str, Any]:
        """The model as the API spells it, including unknown fields it came with."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def __repr__(self) -> str:
        """Each field shortened (metric_values.SHORT), so a repr costs the same for a page of
        ten and one of ten thousand."""
        fields = ", ".join(f"{name}={SHORT.repr(value)}" for name, value in self.__repr_args__())
        return f"{type(self).__name__}({fields})"


# --- metric values ------------------------------------------------------------------------
# Values are views over the JSON as sent (metric_values), not models: see that module for why.


class Unit(ApiModel):
    name: str | None = None
    symbol: str | None = None


class MetricGroup(ApiModel):
    """One metric definition and its values on one conversation (the grouped shape)."""

    metric_definition_id: str = ""
    slug: str | None = None
    metric_id: str | None = None
    name: str = ""
    description: str | None = None
    type: str | None = None
    scope: str | None = None
    unit: Unit | None = None
    values: ValueList = Field(default_factory=ValueList)
    # Set only on the stand-in for a group that could not be read (MetricsResponse): why.
    _unreadable: str | None = PrivateAttr(default=None)

    @property
    def unreadable(self) -> str | None:
        """Why this metric could not be read, when it is the stand-in for one; else None."""
        return self._unreadable

    @property
    def key(self) -> str:
        """The stable handle of the metric: slug, else its alias, else the definition id."""
        return self.slug or self.metric_id or self.metric_definition_id


_GROUP_FIELDS = frozenset(
    {"metricDefinitionId", "slug", "metricId", "name", "description", "type", "scope", "unit"}
)


class ViewsResponse(ApiModel):
    """A response whose bulk stays the parsed JSON, read through views (metric_values.View)."""

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> Self:
        """Parsed by pydantic-core's JSON parser, which shares repeated short strings, then
        validated from Python: the bulk (a metric's values, a run's calls) stays that parsed
        JSON, so 100k values cost about what their JSON does instead of 100k models."""
        try:
            data = from_json(json_data, cache_strings="all")
        except ValueError as exc:
            error: InitErrorDetails = {
                "type": "json_invalid",
                "loc": (),
                "input": "",
                "ctx": {"error": str(exc)},
            }
            raise ValidationError.from_exception_data(cls.__name__, [error]) from None
        return cls.model_validate(data, **kwargs)


class MetricsResponse(ViewsResponse):
    """`{data: [...]}` of a metrics endpoint, grouped or flattened, always grouped here."""

    data: list[MetricGroup] = Field(default_factory=list)

    @field_validator("data", mode="wrap")
    @classmethod
    def _keep_readable_groups(
        cls, value: Any, handler: ValidatorFunctionWrapHandler
    ) -> list[MetricGroup]:
        """A group that does not fit (a null metricDefinitionId, a name that is a list) becomes
        one errored metric saying why; the rest of the conversation still shows. The usual
        payload pays nothing: groups are read one by one only after the whole list failed."""
        try:
            groups: list[MetricGroup] = handler(value)
        except ValidationError:
            if not isinstance(value, list):
                raise
            return [_readable_group(item, index) for index, item in enumerate(value)]
        return groups

    @model_validator(mode="after")
    def _group_flat_rows(self) -> MetricsResponse:
        """Flat rows (`flatten=true`) parse as groups without `values`: regroup those.

        An after-validator on purpose: a before-validator would make pydantic turn the whole
        payload into Python dicts before validating it, which halves the speed of parsing the
        usual grouped shape straight from the response bytes.
        """
        if all("values" in group.model_fields_set for group in self.data):
            return self
        rows = [group.model_dump(by_alias=True, exclude_unset=True) for group in self.data]
        self.data = [MetricGroup.model_validate(group) for group in _regroup(rows)]
        return self


def _readable_group(item: Any, index: int) -> MetricGroup:
    try:
        return MetricGroup.model_validate(item)
    except ValidationError as exc:
        problem = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(p) for p in problem["loc"]) or "the metric"
        said = f"This metric could not be read ({where}: {problem['msg'].lower()})."
    raw = item if isinstance(item, dict) else {}
    stand_in = MetricGroup(
        metric_definition_id=text_field(raw, "metricDefinitionId") or f"unreadable-{index + 1}",
        name=text_field(raw, "name") or text_field(raw, "slug") or f"Metric {index + 1}",
        values=ValueList([{"captureStatus": "ERROR", "errorMessage": said}]),
    )
    stand_in._unreadable = said
    return stand_in


def _regroup(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat rows (group fields and one value's fields side by side) as grouped dicts, in order."""
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        if "values" in row:
            groups.setdefault(str(row.get("metricDefinitionId", id(row))), row)
            continue
        key = str(row.get("metricDefinitionId") or row.get("slug") or row.get("metricId"))
        group = groups.get(key)
        if group is None:
            group = {k: v for k, v in row.items() if k in _GROUP_FIELDS}
            group.setdefault("type", row.get("outputType"))
            group["values"] = []
            groups[key] = group
        group["values"].append({k: v for k, v in row.items() if k not in _GROUP_FIELDS})
    return list(groups.values())


# --- conversations -----------------------------------------------------------------------------


class AgentRef(ApiModel):
    id: str | None = None
    name: str | None = None
    endpoint: dict[str, Any] | None = None


class CustomerRef(ApiModel):
    label: str | None = None
    phone_number_e164: str | None = Field(default=None, alias="phoneNumberE164")


class Chat(ApiModel):
    id: str
    project_id: str | None = None
    title: str | None = None
    summary: str | None = None
    start_timestamp: str | None = None
    end_timestamp: str | None = None
    duration_ms: float | None = None
    created_at: str | None = None
    updated_at: str | None = None
    agents: list[AgentRef] = Field(default_factory=list)
    customers: list[CustomerRef] = Field(default_factory=list)
    properties: dict[str, Any] = Field(default_factory=dict)
    policy_ids: list[str] = Field(default_factory=list)
    external_id: str | None = None
    simulation_job_id: str | None = None

    @property
    def started(self) -> str | None:
        return self.start_timestamp


class Call(ApiModel):
    id: str
    project_id: str | None = None
    title: str | None = None
    summary: str | None = None
    call_direction: str | None = None
    status: str | None = None
    started_at: str | None = None
    ended_at: str | None = None
    duration_ms: float | None = None
    ended_status: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    agents: list[AgentRef] = Field(default_factory=list)
    customers: list[CustomerRef] = Field(default_factory=list)
    properties: dict[str, Any] = Field(default_factory=dict)
    policy_ids: list[str] = Field(default_factory=list)
    external_id: str | None = None
    recording_url_access: str | None = None

    @property
    def started(self) -> str | None:
        return self.started_at


class Participant(ApiModel):
    id: str | None = None
    type: str | None = None
    agent_id: str | None = None
    customer_id: str | None = None


class TranscriptEntry(ApiModel):
    participant_id: str | None = None
    role: str | None = None
    text: str = ""
    start_offset_ms: float | None = None
    end_offset_ms: float | None = None


class Transcript(ApiModel):
    participants: list[Participant] = Field(default_factory=list)
    entries: list[TranscriptEntry] = Field(default_factory=list)
    transcription_source: str | None = None


# --- metric definitions ------------------------------------------------------------------------


class ThresholdSpec(ApiModel):
    source_metric_definition_id: str | None = None
    operator: str | None = None
    threshold_value: str | None = None
    aggregation_mode: str | None = None
    count_threshold: int | None = None
    source_participant_role: str | None = None
    source_variant_id: str | None = None


class FormulaSource(ApiModel):
    source_metric_definition_id: str = ""
    source_variant_id: str | None = None


class FormulaSpec(ApiModel):
    expression: str = ""
    sources: list[FormulaSource] = Field(default_factory=list)


class PatternStep(ApiModel):
    source_metric_definition_id: str = ""
    operator: str | None = None
    threshold_value: str | None = None
    source_participant_role: str | None = None
    source_variant_id: str | None = None
    window_after: int | None = None
    window_before: int | None = None


class PatternSpec(ApiModel):
    operation: str | None = None
    window_mode: str | None = None
    trigger_combinator: str | None = None
    triggers: list[PatternStep] = Field(default_factory=list)
    outcome: PatternStep | None = None


class MetricDefinition(ApiModel):
    """Any of the five calculation types; the type-specific parts are optional.

    Only what Roark's definition responses document is read: no scale range, scale labels,
    classes or graded participant role (a create body may set them; no answer returns them).
    """

    id: str
    slug: str | None = None
    metric_id: str | None = None
    name: str = ""
    description: str | None = None
    calculation_type: str | None = None
    type: str | None = None
    scope: str | None = None
    supported_contexts: list[str] = Field(default_factory=list)
    supported_conversation_sources: list[str] | None = None
    requires_live_conversation: bool | None = None
    supports_variants: bool | None = None
    variant_id: str | None = None
    version_id: str | None = None
    unit: Unit | None = None
    evidence_source: dict[str, Any] | None = None
    llm_prompt: str | None = None
    boolean_true_label: str | None = None
    boolean_false_label: str | None = None
    threshold: ThresholdSpec | None = None
    formula: FormulaSpec | None = None
    pattern: PatternSpec | None = None

    @property
    def key(self) -> str:
        return self.slug or self.metric_id or self.id


# --- envelopes ---------------------------------------------------------------------------------


class Pagination(ApiModel):
    total: int | None = None
    has_more: bool = False
    next_cursor: str | None = None
    limit: int | None = None


class Page(ApiModel, Generic[T]):
    data: list[T] = Field(default_factory=list)
    pagination: Pagination = Field(default_factory=Pagination)


class Envelope(ApiModel, Generic[T]):
    data: T


class Health(ApiModel):
    status: str = ""
    timestamp: str | None = None
    version: str | None = None


# --- metric collection jobs --------------------------------------------------------------------

JOB_STATUSES = ("PENDING", "PROCESSING", "COMPLETED", "FAILED", "CANCELED")
JOB_FINISHED = frozenset({"COMPLETED", "FAILED", "CANCELED"})


class CollectionJob(ApiModel):
    """A metric collection job: the (conversation, metric) items it scores and how far it is."""

    id: str
    status: str = ""
    triggered_by: str | None = None
    total_items: int = 0
    completed_items: int = 0
    failed_items: int = 0
    error_message: str | None = None
    policy_ids: list[str] = Field(default_factory=list)
    created_at: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    updated_at: str | None = None

    @property
    def finished(self) -> bool:
        return self.status.upper() in JOB_FINISHED
