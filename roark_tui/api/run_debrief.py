"""A run's debrief (Roark's written report on it), its breakdowns by agent and persona and its
sweep attribution, read as tolerantly as the rest of the results."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from roark_tui.api.models import ApiModel
from roark_tui.api.run_fields import Flag, Int, Num, Str, Texts, as_object, as_objects

DEBRIEF_READY = "READY"


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
    executive_summary: Annotated[ExecutiveSummary | None, BeforeValidator(as_object)] = None
    key_findings: Annotated[list[Finding], BeforeValidator(as_objects)] = Field(
        default_factory=list
    )
    went_well: Annotated[list[Finding], BeforeValidator(as_objects)] = Field(default_factory=list)
    themes: Annotated[list[Theme], BeforeValidator(as_objects)] = Field(default_factory=list)
    recommendations: Annotated[list[Recommendation], BeforeValidator(as_objects)] = Field(
        default_factory=list
    )


class Debrief(ApiModel):
    debrief_id: Str = None
    status: Str = None
    created_at: Str = None
    completed_at: Str = None
    error_message: Str = None
    report: Annotated[DebriefReport | None, BeforeValidator(as_object)] = None

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
    by_agent: Annotated[list[BreakdownRow], BeforeValidator(as_objects)] = Field(
        default_factory=list
    )
    by_persona: Annotated[list[BreakdownRow], BeforeValidator(as_objects)] = Field(
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
    worse_values: Annotated[list[SweepWorseValue], BeforeValidator(as_objects)] = Field(
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
    checks: Annotated[list[SweepCheck], BeforeValidator(as_objects)] = Field(default_factory=list)
    values: Annotated[list[SweepValue], BeforeValidator(as_objects)] = Field(default_factory=list)
    min_arm_calls: Int = None
    testable_value_count: Int = None
    tested_comparison_count: Int = None
    false_discovery_rate: Num = None
    minimum_detectable_gap: Num = None
