"""The gate verdict: which metrics are checks, and how their rows add up to PASS/FAIL/ERROR."""

from __future__ import annotations

from typing import Any

from roark_tui.api.models import MetricDefinition, MetricGroup
from roark_tui.core.verdict import Verdict, gate, is_true


def group(slug: str, *values: dict[str, Any]) -> MetricGroup:
    return MetricGroup.model_validate(
        {"metricDefinitionId": f"id-{slug}", "slug": slug, "name": slug, "values": list(values)}
    )


def row(value: object = True, *, status: str = "SUCCESS", seg: str | None = None, **kw: Any):
    out: dict[str, Any] = {"captureStatus": status, "context": "SEGMENT" if seg else "CALL"}
    if status == "SUCCESS":
        out["value"] = value
    if seg:
        out["segment"] = {"id": seg, "text": "", "startOffsetMs": 0, "endOffsetMs": 1}
    return {**out, **kw}


def test_all_checks_true_pass_and_non_checks_are_ignored() -> None:
    result = gate([group("greeting_check", row(True)), group("latency", row(False))])
    assert result.verdict is Verdict.PASS
    assert (result.checks, result.passed) == (1, 1)
    assert result.summary() == "1 of 1 checks passed"


def test_no_checks_passes_and_says_there_was_nothing_to_check() -> None:
    result = gate([group("latency", row(False))])
    assert result.verdict is Verdict.PASS and result.checks == 0
    assert result.summary().startswith("no checks here, so none failed")


def test_a_false_check_fails_with_its_reasoning() -> None:
    result = gate(
        [
            group("greeting_check", row(True)),
            group("refund_check", row(False, valueReasoning="Agent promised a refund.")),
        ]
    )
    assert result.verdict is Verdict.FAIL
    assert [(r.group.slug, r.reason) for r in result.failed] == [
        ("refund_check", "Agent promised a refund.")
    ]
    assert result.summary() == "1 of 2 checks failed: refund_check"


def test_error_row_errors_and_failure_outranks_it() -> None:
    errored = group("tone_check", row(status="ERROR", errorMessage="LLM timeout"))
    result = gate([errored, group("a_check", row(True))])
    assert result.verdict is Verdict.ERROR
    assert result.errored[0].reason == "LLM timeout"
    both = gate([errored, group("b_check", row(False))])
    assert both.verdict is Verdict.FAIL
    assert both.summary() == "1 of 2 checks failed: b_check; 1 errored: tone_check"


def test_not_applicable_rows_neither_pass_nor_fail() -> None:
    result = gate([group("a_check", row(status="NOT_APPLICABLE"), row(True, seg="s"))])
    assert result.verdict is Verdict.PASS
    assert result.skipped == 1
    assert result.summary() == "1 of 2 checks passed; 1 not applicable"


def test_threshold_definitions_make_checks_without_the_suffix() -> None:
    groups = [group("fast_enough", row(False))]
    assert gate(groups).verdict is Verdict.PASS
    definition = MetricDefinition(id="id-fast_enough", calculation_type="THRESHOLD")
    assert gate(groups, definitions=[definition]).verdict is Verdict.FAIL
    by_slug = MetricDefinition(id="other", slug="fast_enough", calculation_type="THRESHOLD")
    assert gate(groups, definitions=[by_slug]).verdict is Verdict.FAIL


def test_expected_metrics_without_rows_are_pending() -> None:
    result = gate([group("a_check", row(True)), group("b_check")], expected=["a_check", "b_check"])
    assert result.verdict is Verdict.PENDING
    assert result.pending == ("b_check",)
    assert result.summary() == "1 pending: b_check"


def test_is_true() -> None:
    assert [is_true(v) for v in (True, 1, 1.0, "true", " PASS ")] == [True] * 5
    assert [is_true(v) for v in (False, 0, 2, "false", None, "maybe")] == [False] * 6
