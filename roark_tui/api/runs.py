"""Simulation runs (run plan jobs) as the API sends them, read tolerantly.

A run's results are the largest and newest payload roark-tui reads, so these models are the most
forgiving: every field has a default, a number that is not a finite number reads as None, a list
that is not a list reads as empty (and items that are not objects are dropped), an object that is
not an object reads as None, and every enum is a plain string so an unknown status or failure
kind is shown as it comes. Unknown fields are kept (`extra="allow"`). Parse with
`model_validate_json` on the response bytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Annotated, Any, overload

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import core_schema

from roark_tui.api.metric_values import Field as ViewField
from roark_tui.api.metric_values import Raw, View, _many, number_field, text_field
from roark_tui.api.models import ApiModel, ViewsResponse

# Known values, for display order and filters; values outside these are accepted and shown.
RUN_STATUSES = (
    "PENDING",
    "QUEUED",
    "CREATING_SNAPSHOTS",
    "CREATING_SIMULATIONS",
    "PREPARING_CAPACITY",
    "RUNNING_SIMULATIONS",
    "COMPLETED",
    "FAILED",
    "TIMED_OUT",
    "CANCELLED",
    "CANCELLING",
    "ENDING_SIMULATIONS",
)
# A run in one of these has ended: nothing more will land, and its verdict is final.
SETTLED_RUN_STATUSES = frozenset({"COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED"})
FAILURE_KINDS = (
    "RUN_NOT_COMPLETED",
    "INCOMPLETE_COVERAGE",
    "AGENT_NEVER_SPOKE",
    "METRIC_NOT_EVALUATED",
    "METRIC_BELOW_MIN_PASS_RATE",
)
DEBRIEF_READY = "READY"
MAX_PAGE = 50  # the documented maximum of `limit` on the runs list


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _integer(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _objects(value: Any) -> list[Any]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [text for text in (_text(item) for item in value) if text is not None]


def _object(value: Any) -> Any:
    return value if isinstance(value, dict) else None


Num = Annotated[float | None, BeforeValidator(_number)]
Int = Annotated[int | None, BeforeValidator(_integer)]
Str = Annotated[str | None, BeforeValidator(_text)]
Flag = Annotated[bool | None, BeforeValidator(_flag)]
Texts = Annotated[list[str], BeforeValidator(_texts)]


# --- the list ------------------------------------------------------------------------------


class RunListItem(ApiModel):
    simulation_run_plan_job_id: Str = None
    simulation_run_plan_id: Str = None
    status: Str = None
    triggered_by: Str = None
    created_at: Str = None
    started_at: Str = None
    ended_at: Str = None

    @property
    def job_id(self) -> str:
        return self.simulation_run_plan_job_id or ""


class RunPagination(ApiModel):
    has_more: Flag = None
    total: Num = None
    next_cursor: Str = None


def _page_items(value: Any) -> Any:
    """The page's own list must be a list (anything else is not a page); items that are not
    objects are dropped."""
    return _objects(value) if isinstance(value, list) else value


class RunPage(ApiModel):
    data: Annotated[list[RunListItem], BeforeValidator(_page_items)]
    pagination: Annotated[RunPagination | None, BeforeValidator(_object)] = None

    @property
    def next_cursor(self) -> str | None:
        """The cursor of the next page; None when this is the last."""
        page = self.pagination
        if page is None or not page.has_more or not page.next_cursor:
            return None
        return page.next_cursor


# --- verdict -------------------------------------------------------------------------------


class VerdictCheck(ApiModel):
    metric_definition_id: Str = None
    metric_name: Str = None
    pass_rate: Num = None
    min_pass_rate: Num = None
    passed: Flag = None
    inherited: Flag = None
    evaluated_sims: Int = None
    passed_sims: Int = None


class VerdictFailure(ApiModel):
    """One member of `verdict.failures`: every kind's fields, all optional, so a kind this
    client does not know still parses (and is shown by its `type`)."""

    type: Str = None
    status: Str = None  # RUN_NOT_COMPLETED
    evaluated_calls: Int = None  # INCOMPLETE_COVERAGE
    expected_calls: Int = None
    max_share: Num = None  # AGENT_NEVER_SPOKE
    never_spoke_calls: Int = None
    total_calls: Int = None
    agent_name: Str = None
    silent_attempts: Int = None
    metric_definition_id: Str = None  # METRIC_NOT_EVALUATED, METRIC_BELOW_MIN_PASS_RATE
    metric_name: Str = None
    pass_rate: Num = None
    min_pass_rate: Num = None
    inherited: Flag = None


class Verdict(ApiModel):
    passed: Flag = None
    score: Num = None
    checks: Annotated[list[VerdictCheck], BeforeValidator(_objects)] = Field(default_factory=list)
    failures: Annotated[list[VerdictFailure], BeforeValidator(_objects)] = Field(
        default_factory=list
    )


# --- the run and its calls -----------------------------------------------------------------


class RunInfo(ApiModel):
    simulation_run_plan_job_id: Str = None
    simulation_run_plan_id: Str = None
    simulation_run_plan_name: Str = None
    run_number: Int = None
    status: Str = None
    triggered_by: Str = None
    created_at: Str = None
    started_at: Str = None
    ended_at: Str = None
    duration_ms: Num = None


class RunSummary(ApiModel):
    total_calls: Int = None
    counted_calls: Int = None
    completed_calls: Int = None
    evaluated_calls: Int = None
    passed_calls: Int = None
    failed_calls: Int = None
    call_pass_rate: Num = None
    check_pass_rate: Num = None
    score: Num = None


class AttemptSummary(ApiModel):
    attempt_count: Int = None
    retry_count: Int = None
    silent_attempt_count: Int = None
    still_silent_test_case_count: Int = None
    test_case_count: Int = None


# A run's calls are its bulk (1,000 calls of 30 checks and values each is tens of thousands of
# objects): they stay the parsed JSON, read through views as tolerant as the models.


def _flag_field(raw: Raw, key: str) -> bool | None:
    return _flag(raw.get(key))


def _integer_field(raw: Raw, key: str) -> int | None:
    return _integer(raw.get(key))


def _raw_list(raw: Raw, key: str) -> list[Any]:
    found = raw.get(key)
    return found if isinstance(found, list) else []


class CallCheck(View):
    __slots__ = ()
    metric_definition_id = ViewField("metricDefinitionId", text_field)
    metric_name = ViewField("metricName", text_field)
    passed = ViewField("passed", _flag_field)


_checks = _many(CallCheck)


class RunCall(View):
    """One simulation of the run; `values` are the call-level values as sent (not read here:
    GET /v1/call/{callId}/metrics has them all)."""

    __slots__ = ()
    simulation_job_id = ViewField("simulationJobId", text_field)
    call_id = ViewField("callId", text_field)
    status = ViewField("status", text_field)
    passed = ViewField("passed", _flag_field)
    counted = ViewField("counted", _flag_field)
    attempt_number = ViewField("attemptNumber", _integer_field)
    retry_of_simulation_job_id = ViewField("retryOfSimulationJobId", text_field)
    agent_name = ViewField("agentName", text_field)
    persona_name = ViewField("personaName", text_field)
    duration_ms = ViewField("durationMs", number_field)
    checks = ViewField("checks", _checks)
    values = ViewField("values", _raw_list)

    @property
    def failed_checks(self) -> list[CallCheck]:
        """The checks it failed; views only for those (most checks of most calls pass)."""
        return [
            CallCheck(check)
            for check in _raw_list(self.raw, "checks")
            if isinstance(check, dict) and check.get("passed") is False
        ]


class CallList(Sequence[RunCall]):
    """A run's calls as sent (objects only); `calls[i]` is a view made on the spot."""

    __slots__ = ("raw",)

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self.raw: list[Raw] = [i.raw if isinstance(i, View) else i for i in _objects(list(items))]

    def __len__(self) -> int:
        return len(self.raw)

    @overload
    def __getitem__(self, index: int) -> RunCall: ...
    @overload
    def __getitem__(self, index: slice) -> list[RunCall]: ...
    def __getitem__(self, index: int | slice) -> RunCall | list[RunCall]:
        if isinstance(index, slice):
            return [RunCall(item) for item in self.raw[index]]
        return RunCall(self.raw[index])

    def __iter__(self) -> Iterator[RunCall]:
        return (RunCall(item) for item in self.raw)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            lambda data: data if isinstance(data, CallList) else cls(_objects(data)),
            serialization=core_schema.plain_serializer_function_ser_schema(lambda c: c.raw),
        )


class MetricCheckTally(ApiModel):
    evaluated_calls: Int = None
    failed_calls: Int = None
    passed_calls: Int = None
    pass_rate: Num = None


class RunMetric(ApiModel):
    metric_definition_id: Str = None
    metric_id: Str = None
    name: Str = None
    output_type: Str = None
    is_check: Flag = None
    check: Annotated[MetricCheckTally | None, BeforeValidator(_object)] = None
    evaluated_calls: Int = None
    sample_size: Int = None
    unit_symbol: Str = None


class BaselineRun(ApiModel):
    simulation_run_plan_job_id: Str = None
    run_number: Int = None
    status: Str = None
    ended_at: Str = None


class ComparisonCheck(ApiModel):
    metric_definition_id: Str = None
    metric_name: Str = None
    baseline_pass_rate: Num = None
    current_pass_rate: Num = None
    delta: Num = None


class Comparison(ApiModel):
    baseline_run: Annotated[BaselineRun | None, BeforeValidator(_object)] = None
    baseline_source: Str = None
    baseline_score: Num = None
    current_score: Num = None
    score_delta: Num = None
    baseline_call_pass_rate: Num = None
    current_call_pass_rate: Num = None
    call_pass_rate_delta: Num = None
    checks: Annotated[list[ComparisonCheck], BeforeValidator(_objects)] = Field(
        default_factory=list
    )


# --- debrief -------------------------------------------------------------------------------


class Theme(ApiModel):
    slug: Str = None
    title: Str = None
    analysis: Str = None
    severity: Str = None
    impact: Str = None
    prevalence: Str = None
    lifecycle: Str = None
    root_cause_channel: Str = None
    affected_call_count: Int = None
    total_call_count: Int = None
    call_ids: Texts = Field(default_factory=list)
    check_names: Texts = Field(default_factory=list)


class Recommendation(ApiModel):
    order: Int = None
    title: Str = None
    body: Str = None
    severity: Str = None
    channel: Str = None
    current_text: Str = None
    suggested_text: Str = None
    theme_slugs: Texts = Field(default_factory=list)


class Finding(ApiModel):
    title: Str = None
    body: Str = None
    call_ids: Texts = Field(default_factory=list)


class ExecutiveSummary(ApiModel):
    paragraphs: Texts = Field(default_factory=list)


class DebriefReport(ApiModel):
    verdict: Str = None
    verdict_summary: Str = None
    generated_at: Str = None
    executive_summary: Annotated[ExecutiveSummary | None, BeforeValidator(_object)] = None
    key_findings: Annotated[list[Finding], BeforeValidator(_objects)] = Field(default_factory=list)
    went_well: Annotated[list[Finding], BeforeValidator(_objects)] = Field(default_factory=list)
    themes: Annotated[list[Theme], BeforeValidator(_objects)] = Field(default_factory=list)
    recommendations: Annotated[list[Recommendation], BeforeValidator(_objects)] = Field(
        default_factory=list
    )


class Debrief(ApiModel):
    debrief_id: Str = None
    status: Str = None
    created_at: Str = None
    completed_at: Str = None
    error_message: Str = None
    report: Annotated[DebriefReport | None, BeforeValidator(_object)] = None

    @property
    def ready(self) -> bool:
        return self.status == DEBRIEF_READY and self.report is not None


# --- breakdowns and sweep ------------------------------------------------------------------


class BreakdownRow(ApiModel):
    key: Str = None
    label: Str = None
    calls: Int = None
    evaluated_calls: Int = None
    passed_calls: Int = None
    call_pass_rate: Num = None
    score: Num = None


class Breakdowns(ApiModel):
    by_agent: Annotated[list[BreakdownRow], BeforeValidator(_objects)] = Field(default_factory=list)
    by_persona: Annotated[list[BreakdownRow], BeforeValidator(_objects)] = Field(
        default_factory=list
    )


class SweepWorseValue(ApiModel):
    key: Str = None
    label: Str = None
    value: Str = None
    failure_rate: Num = None
    rest_failure_rate: Num = None
    adjusted_p_value: Num = None
    evaluated: Int = None
    failed: Int = None


class SweepCheck(ApiModel):
    metric_definition_id: Str = None
    metric_name: Str = None
    attribution: Str = None
    failure_rate: Num = None
    evaluated: Int = None
    failed: Int = None
    worse_values: Annotated[list[SweepWorseValue], BeforeValidator(_objects)] = Field(
        default_factory=list
    )


class SweepValue(ApiModel):
    key: Str = None
    label: Str = None
    value: Str = None
    is_baseline: Flag = None
    testable: Flag = None
    attempted: Int = None
    counted: Int = None
    score: Num = None


class SweepAttribution(ApiModel):
    caveats: Texts = Field(default_factory=list)
    checks: Annotated[list[SweepCheck], BeforeValidator(_objects)] = Field(default_factory=list)
    values: Annotated[list[SweepValue], BeforeValidator(_objects)] = Field(default_factory=list)
    min_arm_calls: Int = None
    testable_value_count: Int = None
    tested_comparison_count: Int = None
    false_discovery_rate: Num = None
    minimum_detectable_gap: Num = None


# --- the results response ------------------------------------------------------------------


class RunResults(ApiModel):
    """`data` of GET /v1/simulation/plan/job/{jobId}/results: everything the report shows."""

    run: Annotated[RunInfo | None, BeforeValidator(_object)] = None
    summary: Annotated[RunSummary | None, BeforeValidator(_object)] = None
    attempt_summary: Annotated[AttemptSummary | None, BeforeValidator(_object)] = None
    verdict: Annotated[Verdict | None, BeforeValidator(_object)] = None
    calls: CallList = Field(default_factory=CallList)
    metrics: Annotated[list[RunMetric], BeforeValidator(_objects)] = Field(default_factory=list)
    comparison: Annotated[Comparison | None, BeforeValidator(_object)] = None
    debrief: Annotated[Debrief | None, BeforeValidator(_object)] = None
    breakdowns: Annotated[Breakdowns | None, BeforeValidator(_object)] = None
    sweep_attribution: Annotated[SweepAttribution | None, BeforeValidator(_object)] = None

    @property
    def status(self) -> str | None:
        return self.run.status if self.run is not None else None

    @property
    def settled(self) -> bool:
        """Whether the run has ended (its verdict, if any, is final)."""
        return self.status in SETTLED_RUN_STATUSES


class RunResultsResponse(ViewsResponse):
    """The envelope: `data` must be the results object with its `run` (else the answer is
    not a run's results, and reads as unreadable rather than as an empty run)."""

    data: RunResults

    @model_validator(mode="after")
    def _has_run(self) -> RunResultsResponse:
        if self.data.run is None:
            raise ValueError("the results name no run")
        return self


class RunDetail(ApiModel):
    """`data` of GET /v1/simulation/plan/job/{jobId}: the run with its simulation jobs."""

    simulation_run_plan_job_id: Str = None
    simulation_run_plan_id: Str = None
    status: Str = None
    created_at: Str = None
    started_at: Str = None
    ended_at: Str = None
    verdict: Annotated[Verdict | None, BeforeValidator(_object)] = None
    simulation_jobs: Annotated[list[dict[str, Any]], BeforeValidator(_objects)] = Field(
        default_factory=list
    )


class RunDetailResponse(ApiModel):
    data: RunDetail
