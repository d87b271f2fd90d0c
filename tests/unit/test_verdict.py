"""What a check is (Roark's rule, from the definition) and how check rows add up to a verdict."""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.api.models import MetricDefinition, MetricGroup
from roark_tui.core.verdict import (
    UNKNOWN_REASON,
    DefinitionIndex,
    Kind,
    Verdict,
    check_kind,
    gate,
    is_true,
)


def group(slug: str, *values: dict[str, Any], kind: str = "BOOLEAN") -> MetricGroup:
    return MetricGroup.model_validate(
        {
            "metricDefinitionId": f"id-{slug}",
            "slug": slug,
            "name": slug,
            "type": kind,
            "values": list(values),
        }
    )


def defined(slug: str, calculation: str = "LLM_JUDGE", kind: str = "BOOLEAN") -> MetricDefinition:
    return MetricDefinition(id=f"id-{slug}", slug=slug, calculation_type=calculation, type=kind)


def judges(*slugs: str) -> list[MetricDefinition]:
    """Yes/no LLM judges the user authored: checks by Roark's rule, whatever their slug."""
    return [defined(slug) for slug in slugs]


def row(value: object = True, *, status: str = "SUCCESS", seg: str | None = None, **kw: Any):
    out: dict[str, Any] = {"captureStatus": status, "context": "SEGMENT" if seg else "CALL"}
    if status == "SUCCESS":
        out["value"] = value
    if seg:
        out["segment"] = {"id": seg, "text": "", "startOffsetMs": 0, "endOffsetMs": 1}
    return {**out, **kw}


# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calculation", "kind", "expected"),
    [
        ("THRESHOLD", "BOOLEAN", Kind.CHECK),
        ("LLM_JUDGE", "BOOLEAN", Kind.CHECK),
        ("FORMULA", "BOOLEAN", Kind.CHECK),
        ("PATTERN", "BOOLEAN", Kind.CHECK),
        ("llm_judge", "boolean", Kind.CHECK),  # enum values read case-blind
        ("PROVIDER", "BOOLEAN", Kind.OBSERVATION),  # Roark's own reading: no passing side
        ("PROVIDER", "COUNT", Kind.OBSERVATION),
        ("LLM_JUDGE", "SCALE", Kind.OBSERVATION),  # authored, but not yes/no
        ("LLM_JUDGE", "CLASSIFICATION", Kind.OBSERVATION),
        ("FORMULA", "NUMERIC", Kind.OBSERVATION),
        ("PATTERN", "COUNT", Kind.OBSERVATION),
        ("SOMETHING_NEW", "BOOLEAN", Kind.UNKNOWN),  # an undocumented calculation: not guessed
        ("SOMETHING_NEW", "TEXT", Kind.OBSERVATION),
    ],
)
def test_rule_from_calculation_type_and_type(calculation: str, kind: str, expected: Kind) -> None:
    assert check_kind(defined("m", calculation, kind)) is expected


def test_without_a_definition_a_yes_no_metric_is_unknown() -> None:
    assert check_kind(None, "BOOLEAN") is Kind.UNKNOWN
    assert check_kind(None, None) is Kind.UNKNOWN  # no type said either
    assert check_kind(None, "NUMERIC") is Kind.OBSERVATION  # a threshold is always BOOLEAN
    assert check_kind(MetricDefinition(id="x", type="BOOLEAN"), None) is Kind.UNKNOWN
    # the definition's type is used when the payload says none
    assert check_kind(defined("m"), None) is Kind.CHECK


def test_the_slug_says_nothing() -> None:
    index = DefinitionIndex([defined("latency_check", "PROVIDER"), defined("refund_ok")])
    assert index.kind(group("latency_check")) is Kind.OBSERVATION
    assert index.kind(group("refund_ok")) is Kind.CHECK
    assert index.kind(group("greeting_check")) is Kind.UNKNOWN  # no definition


def test_a_group_finds_its_definition_by_id_slug_or_metric_id() -> None:
    by_id = MetricDefinition(id="id-a", calculation_type="THRESHOLD")
    by_slug = MetricDefinition(id="other", slug="b", calculation_type="THRESHOLD")
    by_alias = MetricDefinition(id="third", metric_id="c", calculation_type="THRESHOLD")
    index = DefinitionIndex([by_id, by_slug, by_alias])
    assert [index.kind(group(s)) for s in "abc"] == [Kind.CHECK] * 3
    assert index.of(group("a")) is by_id and index.of(group("z")) is None


# --- the verdict -------------------------------------------------------------------------------


def test_all_checks_true_pass_and_non_checks_are_ignored() -> None:
    groups = [group("greeting", row(True)), group("latency", row(False), kind="NUMERIC")]
    result = gate(groups, definitions=judges("greeting"))
    assert result.verdict is Verdict.PASS
    assert (result.checks, result.passed) == (1, 1)
    assert result.summary() == "1 of 1 checks passed"


def test_no_checks_passes_and_says_there_was_nothing_to_check() -> None:
    result = gate([group("latency", row(False), kind="NUMERIC")])
    assert result.verdict is Verdict.PASS and result.checks == 0
    assert result.summary() == (
        "no checks here, so none failed (checks: thresholds and yes/no metrics you authored)"
    )


def test_a_false_check_fails_with_its_reasoning() -> None:
    groups = [
        group("greeting_check", row(True)),
        group("refund_check", row(False, valueReasoning="Agent promised a refund.")),
    ]
    result = gate(groups, definitions=judges("greeting_check", "refund_check"))
    assert result.verdict is Verdict.FAIL
    assert [(r.group.slug, r.reason) for r in result.failed] == [
        ("refund_check", "Agent promised a refund.")
    ]
    assert result.summary() == "1 of 2 checks failed: refund_check"


def test_an_authored_yes_no_metric_alone_fails_the_gate() -> None:
    groups = [
        group("comprehension_failure", row(True)),  # Roark's reading, true = misunderstood
        group("caller_verified", row(False, valueReasoning="Read the balance out first.")),
    ]
    definitions = [defined("comprehension_failure", "PROVIDER"), defined("caller_verified")]
    result = gate(groups, definitions=definitions)
    assert result.verdict is Verdict.FAIL and result.checks == 1
    assert result.summary() == "1 of 1 checks failed: caller_verified"


def test_a_provider_boolean_never_fails_the_gate() -> None:
    groups = [group("voicemail_detected", row(False)), group("agent_spoke", row(True))]
    definitions = [defined(g.key, "PROVIDER") for g in groups]
    result = gate(groups, definitions=definitions)
    assert result.verdict is Verdict.PASS and result.checks == 0
    assert not result.unknown


def test_an_unknown_definition_is_reported_neither_passed_nor_failed() -> None:
    groups = [
        group("greeting", row(True)),
        group("mystery", row(False), row(True, seg="s"), row(status="NOT_APPLICABLE")),
    ]
    result = gate(groups, definitions=judges("greeting"))
    assert result.verdict is Verdict.PASS
    assert (result.checks, result.passed, len(result.failed)) == (1, 1, 0)
    assert [(r.group.key, r.reason) for r in result.unknown] == [
        ("mystery", UNKNOWN_REASON),
        ("mystery", UNKNOWN_REASON),
    ]
    assert result.summary() == "1 of 1 checks passed; 2 unknown: definition not found: mystery"
    nothing_known = gate(groups)  # the definitions were not fetched at all
    assert nothing_known.checks == 0 and len(nothing_known.unknown) == 3


def test_error_row_errors_and_failure_outranks_it() -> None:
    errored = group("tone", row(status="ERROR", errorMessage="LLM timeout"))
    definitions = judges("tone", "a", "b")
    result = gate([errored, group("a", row(True))], definitions=definitions)
    assert result.verdict is Verdict.ERROR
    assert result.errored[0].reason == "LLM timeout"
    both = gate([errored, group("b", row(False))], definitions=definitions)
    assert both.verdict is Verdict.FAIL
    assert both.summary() == "1 of 2 checks failed: b; 1 errored: tone"


def test_not_applicable_rows_neither_pass_nor_fail() -> None:
    groups = [group("a", row(status="NOT_APPLICABLE"), row(True, seg="s"))]
    result = gate(groups, definitions=judges("a"))
    assert result.verdict is Verdict.PASS
    assert result.skipped == 1
    assert result.summary() == "1 of 2 checks passed; 1 not applicable"


def test_threshold_definitions_make_checks() -> None:
    groups = [group("fast_enough", row(False))]
    assert gate(groups).verdict is Verdict.PASS  # unknown without its definition
    definition = MetricDefinition(id="id-fast_enough", calculation_type="THRESHOLD")
    assert gate(groups, definitions=[definition]).verdict is Verdict.FAIL
    by_slug = MetricDefinition(id="other", slug="fast_enough", calculation_type="THRESHOLD")
    assert gate(groups, definitions=[by_slug]).verdict is Verdict.FAIL


def test_expected_metrics_without_rows_are_pending() -> None:
    result = gate(
        [group("a", row(True)), group("b")], definitions=judges("a", "b"), expected=["a", "b"]
    )
    assert result.verdict is Verdict.PENDING
    assert result.pending == ("b",)
    assert result.summary() == "1 pending: b"


def test_is_true() -> None:
    assert [is_true(v) for v in (True, 1, 1.0, "true", " PASS ")] == [True] * 5
    assert [is_true(v) for v in (False, 0, 2, "false", None, "maybe")] == [False] * 6
