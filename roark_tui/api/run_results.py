"""The results of a run (GET /v1/simulation/plan/job/{jobId}/results): the run, its summary,
verdict, metrics and comparison, with its calls (run_calls.py) and debrief (run_debrief.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from roark_tui.api.models import ApiModel, ViewsResponse
from roark_tui.api.run_calls import CallList
from roark_tui.api.run_debrief import Breakdowns, Debrief, SweepAttribution
from roark_tui.api.run_fields import Flag, Int, Num, Str, as_object, as_objects

# A run in one of these has ended: nothing more will land, and its verdict is final.
SETTLED_RUN_STATUSES = frozenset({"COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED"})
# Known kinds of verdict failure; a kind outside these is accepted and shown by its type.
FAILURE_KINDS = (
    "RUN_NOT_COMPLETED",
    "INCOMPLETE_COVERAGE",
    "AGENT_NEVER_SPOKE",
    "METRIC_NOT_EVALUATED",
    "METRIC_BELOW_MIN_PASS_RATE",
)

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
    checks: Annotated[list[VerdictCheck], BeforeValidator(as_objects)] = Field(default_factory=list)
    failures: Annotated[list[VerdictFailure], BeforeValidator(as_objects)] = Field(
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
    check: Annotated[MetricCheckTally | None, BeforeValidator(as_object)] = None
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
    baseline_run: Annotated[BaselineRun | None, BeforeValidator(as_object)] = None
    baseline_source: Str = None
    baseline_score: Num = None
    current_score: Num = None
    score_delta: Num = None
    baseline_call_pass_rate: Num = None
    current_call_pass_rate: Num = None
    call_pass_rate_delta: Num = None
    checks: Annotated[list[ComparisonCheck], BeforeValidator(as_objects)] = Field(
        default_factory=list
    )


# --- the results response ------------------------------------------------------------------


class RunResults(ApiModel):
    """`data` of GET /v1/simulation/plan/job/{jobId}/results: everything the report shows."""

    run: Annotated[RunInfo | None, BeforeValidator(as_object)] = None
    summary: Annotated[RunSummary | None, BeforeValidator(as_object)] = None
    attempt_summary: Annotated[AttemptSummary | None, BeforeValidator(as_object)] = None
    verdict: Annotated[Verdict | None, BeforeValidator(as_object)] = None
    calls: CallList = Field(default_factory=CallList)
    metrics: Annotated[list[RunMetric], BeforeValidator(as_objects)] = Field(default_factory=list)
    comparison: Annotated[Comparison | None, BeforeValidator(as_object)] = None
    debrief: Annotated[Debrief | None, BeforeValidator(as_object)] = None
    breakdowns: Annotated[Breakdowns | None, BeforeValidator(as_object)] = None
    sweep_attribution: Annotated[SweepAttribution | None, BeforeValidator(as_object)] = None

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
