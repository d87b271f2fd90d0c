"""The what-if evaluator: every operator x aggregation mode x output type, against an oracle
built from the standard library (operator, statistics), plus the edge cases."""

from __future__ import annotations

import operator as op
import statistics
from typing import Any

import pytest

from roark_tui.api.metric_values import MetricValue
from roark_tui.api.models import AGGREGATION_MODES, OPERATORS
from roark_tui.core.whatif import (
    Rule,
    evaluate,
    format_number,
    percentile,
    select_inputs,
    summarize,
)

ORACLE_OPS = {
    "GREATER_THAN": op.gt,
    "GREATER_THAN_OR_EQUALS": op.ge,
    "LESS_THAN": op.lt,
    "LESS_THAN_OR_EQUALS": op.le,
    "EQUALS": op.eq,
    "NOT_EQUALS": op.ne,
}


def _p(data: list[float], q: int) -> float:
    if len(data) == 1:
        return data[0]
    return statistics.quantiles(data, n=100, method="inclusive")[q - 1]


ORACLE_AGG = {
    "AVERAGE": statistics.fmean,
    "MIN": min,
    "MAX": max,
    "MEDIAN": statistics.median,
    "P95": lambda d: _p(d, 95),
    "P99": lambda d: _p(d, 99),
    "SUM": sum,
}


def rows(
    *values: Any, context: str = "SEGMENT_RANGE", role: str | None = None
) -> list[MetricValue]:
    return [
        MetricValue(captureStatus="SUCCESS", context=context, value=v, participantRole=role)
        for v in values
    ]


NUMERIC_CASES = [
    # (output type, values, threshold value)
    ("NUMERIC", [1200, 1500, 1800, 2400, 900], "1500"),
    ("NUMERIC", [0.25, 0.5], "0.5"),
    ("COUNT", [0, 1, 3], "2"),
    ("SCALE", [2, 4, 4, 5], "4"),
    ("OFFSET", [12000.5, 64000], "30000"),
    ("NUMERIC", [7], "7"),
    ("NUMERIC", ["1600", 1400], "1500"),  # numeric strings read as numbers
]


@pytest.mark.parametrize("case", NUMERIC_CASES, ids=lambda c: f"{c[0]}-{len(c[1])}")
@pytest.mark.parametrize("operator", OPERATORS)
@pytest.mark.parametrize("mode", AGGREGATION_MODES)
def test_numeric_types_every_operator_and_mode(case, operator, mode):
    output_type, values, threshold = case
    numbers = [float(v) for v in values]
    target = float(threshold)
    cmp = ORACLE_OPS[operator]
    rule = Rule(operator=operator, value=threshold, aggregation_mode=mode, count_threshold=2)
    result = evaluate(rule, rows(*values), output_type=output_type)
    satisfied = [cmp(n, target) for n in numbers]
    assert [j.satisfies for j in result.judged] == satisfied
    if mode == "EACH":
        assert result.fires is any(satisfied)
    elif mode == "COUNT":
        assert result.count == sum(satisfied)
        assert result.count_threshold == 2
        assert result.fires is (sum(satisfied) >= 2)
    else:
        expected = ORACLE_AGG[mode](numbers)
        assert result.aggregate == pytest.approx(expected)
        assert result.fires is cmp(result.aggregate, target)
    assert result.explanation.startswith("Passes" if result.fires else "Fails")


BOOLEAN_VALUES = [True, False, "true", "FALSE"]
STRING_CASES = [
    ("TEXT", ["refund", "billing", "refund"], "refund"),
    ("TEXT", ["billing"], "refund"),
    ("CLASSIFICATION", ["Angry", "Calm"], "Calm"),
    ("CLASSIFICATION", ["Calm", "Calm"], "Angry"),
]


@pytest.mark.parametrize("threshold", ["true", "false", "True"])
@pytest.mark.parametrize("operator", OPERATORS)
@pytest.mark.parametrize("mode", AGGREGATION_MODES)
def test_boolean_every_operator_and_mode(threshold, operator, mode):
    rule = Rule(operator=operator, value=threshold, aggregation_mode=mode, count_threshold=2)
    result = evaluate(rule, rows(*BOOLEAN_VALUES), output_type="BOOLEAN")
    if operator not in ("EQUALS", "NOT_EQUALS") or mode not in ("EACH", "COUNT"):
        assert result.fires is None
        assert "needs numbers" in result.explanation
        return
    spelled = ["true", "false", "true", "false"]
    satisfied = [ORACLE_OPS[operator](s, threshold.lower()) for s in spelled]
    assert [j.shown for j in result.judged] == spelled
    assert [j.satisfies for j in result.judged] == satisfied
    expected = any(satisfied) if mode == "EACH" else sum(satisfied) >= 2
    assert result.fires is expected


@pytest.mark.parametrize("case", STRING_CASES, ids=lambda c: f"{c[0]}-{c[2]}-{len(c[1])}")
@pytest.mark.parametrize("operator", OPERATORS)
@pytest.mark.parametrize("mode", AGGREGATION_MODES)
def test_string_types_every_operator_and_mode(case, operator, mode):
    output_type, values, threshold = case
    rule = Rule(operator=operator, value=threshold, aggregation_mode=mode, count_threshold=2)
    result = evaluate(rule, rows(*values), output_type=output_type)
    if operator not in ("EQUALS", "NOT_EQUALS") or mode not in ("EACH", "COUNT"):
        assert result.fires is None
        return
    satisfied = [ORACLE_OPS[operator](v, threshold) for v in values]
    assert [j.satisfies for j in result.judged] == satisfied
    expected = any(satisfied) if mode == "EACH" else sum(satisfied) >= 2
    assert result.fires is expected


@pytest.mark.parametrize("mode", AGGREGATION_MODES)
@pytest.mark.parametrize("output_type", ["NUMERIC", "BOOLEAN", "TEXT", None])
def test_no_rows_has_no_answer(mode, output_type):
    value = "true" if output_type == "BOOLEAN" else "1"
    rule = Rule(operator="EQUALS", value=value, aggregation_mode=mode, count_threshold=0)
    result = evaluate(rule, [], output_type=output_type)
    assert result.fires is None
    assert result.judged == ()
    typed_out = output_type in ("BOOLEAN", "TEXT") and mode not in ("EACH", "COUNT")
    assert ("needs numbers" if typed_out else "No SUCCESS values") in result.explanation


def test_non_success_rows_are_skipped_and_counted():
    values = [
        *rows(2000),
        MetricValue(captureStatus="ERROR", context="SEGMENT_RANGE", errorMessage="boom"),
        MetricValue(captureStatus="NOT_APPLICABLE", context="SEGMENT_RANGE"),
        MetricValue(captureStatus="NOT_APPLICABLE", context="SEGMENT_RANGE"),
        MetricValue(captureStatus="DATA_MISSING", context="SEGMENT_RANGE", value=99999),
        *rows(1000),
    ]
    rule = Rule(operator="GREATER_THAN", value="1500", aggregation_mode="AVERAGE")
    result = evaluate(rule, values, output_type="NUMERIC", unit="ms")
    assert result.skipped == 4
    assert result.skipped_status == {"ERROR": 1, "NOT_APPLICABLE": 2, "DATA_MISSING": 1}
    assert result.aggregate == 1500
    assert result.fires is False
    assert result.explanation == "Fails: the AVERAGE of 2 values is 1500 ms, not > 1500 ms."
    assert "4 non-SUCCESS rows skipped" in summarize(result)


@pytest.mark.parametrize("mode", AGGREGATION_MODES)
def test_only_non_success_rows_has_no_answer(mode):
    values = [MetricValue(captureStatus="ERROR"), MetricValue(captureStatus="DATA_MISSING")]
    rule = Rule(operator="LESS_THAN", value="3", aggregation_mode=mode, count_threshold=1)
    result = evaluate(rule, values, output_type="SCALE")
    assert result.fires is None
    assert result.skipped == 2
    assert result.explanation == "No SUCCESS values to judge."
    assert summarize(result) == "2 non-SUCCESS rows skipped (1 DATA_MISSING, 1 ERROR)"


def test_role_filter_matches_lower_case_value_roles():
    values = [*rows(3000, role="agent"), *rows(500, 700, role="customer"), *rows(9000)]
    for role, expected in (("AGENT", [3000.0]), ("CUSTOMER", [500.0, 700.0])):
        rule = Rule(operator="GREATER_THAN", value="1000", source_participant_role=role)
        result = evaluate(rule, values, output_type="NUMERIC")
        assert [j.row.value for j in result.judged] == expected
        assert result.skipped_role == 4 - len(expected)
        assert result.fires is (role == "AGENT")
    result = evaluate(Rule(operator="GREATER_THAN", value="1000"), values, output_type="NUMERIC")
    assert len(result.judged) == 4 and result.skipped_role == 0


def test_role_with_no_matching_rows_has_no_answer():
    rule = Rule(operator="EQUALS", value="true", source_participant_role="SIMULATED_CUSTOMER")
    result = evaluate(rule, rows(True, role="agent"), output_type="BOOLEAN")
    assert result.fires is None
    assert result.skipped_role == 1
    assert summarize(result) == "1 row of other roles left out"


def test_call_rows_left_out_when_per_unit_rows_exist():
    values = [*rows(4, context="CALL"), *rows(1, 2, context="SEGMENT")]
    rule = Rule(operator="LESS_THAN", value="3", aggregation_mode="MAX")
    result = evaluate(rule, values, output_type="SCALE")
    assert result.skipped_call_rows == 1
    assert result.aggregate == 2
    assert result.fires is True
    assert "1 CALL roll-up row left out" in summarize(result)
    only_call = evaluate(rule, rows(4, context="CALL"), output_type="SCALE")
    assert only_call.skipped_call_rows == 0 and only_call.aggregate == 4


def test_unreadable_values_never_satisfy_and_are_left_out_of_aggregates():
    values = rows(10, "n/a", None, True, 30)
    rule = Rule(operator="GREATER_THAN", value="5", aggregation_mode="AVERAGE")
    result = evaluate(rule, values, output_type="NUMERIC")
    assert [j.satisfies for j in result.judged] == [True, None, None, None, True]
    assert result.unreadable == 3
    assert result.aggregate == 20
    assert "3 values unreadable" in summarize(result)
    every = evaluate(rule, rows("n/a"), output_type="NUMERIC")
    assert every.fires is None and every.explanation.startswith("No value could be read")


def test_count_threshold_zero_and_missing():
    rule = Rule(operator="GREATER_THAN", value="100", aggregation_mode="COUNT", count_threshold=0)
    result = evaluate(rule, rows(1, 2), output_type="NUMERIC")
    assert result.fires is True and result.count == 0
    missing = Rule(operator="GREATER_THAN", value="100", aggregation_mode="COUNT")
    assert evaluate(missing, rows(1), output_type="NUMERIC").fires is None


def test_invalid_threshold_value_and_operator_have_no_answer():
    bad_value = Rule(operator="EQUALS", value="abc")
    assert evaluate(bad_value, rows(1), output_type="NUMERIC").fires is None
    assert (
        evaluate(Rule(operator="EQUALS", value="maybe"), rows(True), output_type="BOOLEAN").fires
        is None
    )
    assert evaluate(Rule(operator="", value="1"), rows(1), output_type="NUMERIC").fires is None
    assert evaluate(Rule(operator="EQUALS", value=""), rows("x"), output_type="TEXT").fires is None
    odd_mode = Rule(operator="EQUALS", value="1", aggregation_mode="MODE")
    assert evaluate(odd_mode, rows(1), output_type="NUMERIC").fires is None


@pytest.mark.parametrize(
    ("threshold", "values", "kind_fires"),
    [("1500", [1600], True), ("true", [True], True), ("refund", ["refund"], True)],
)
def test_unknown_output_type_is_read_from_the_threshold_value(threshold, values, kind_fires):
    rule = Rule(operator="EQUALS" if threshold != "1500" else "GREATER_THAN", value=threshold)
    assert evaluate(rule, rows(*values), output_type="SOMETHING_NEW").fires is kind_fires


def test_each_explanation_lists_passing_values_with_unit():
    rule = Rule(operator="GREATER_THAN_OR_EQUALS", value="1500")
    result = evaluate(rule, rows(1200, 1800, 2400), output_type="NUMERIC", unit="ms")
    assert result.explanation == "Passes: 2 of 3 values ≥ 1500 ms (1800 ms, 2400 ms)."
    assert [j.shown for j in result.failing] == ["1200 ms"]
    count = Rule(operator="LESS_THAN", value="1500", aggregation_mode="COUNT", count_threshold=2)
    text = evaluate(count, rows(1200, 1800), output_type="NUMERIC", unit="ms").explanation
    assert text == "Fails: 1 of 2 values < 1500 ms; needs at least 2."


def test_percentile_is_linear_between_closest_ranks():
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile(list(range(1, 101)), 0.95) == pytest.approx(95.05)
    assert percentile([5], 0.99) == 5


def test_format_number():
    assert format_number(1500.0) == "1500"
    assert format_number(0.12345) == "0.123"
    assert format_number(-0.0001) == "0"
    assert format_number(2.5) == "2.5"


def test_select_inputs_without_context_counts_as_call():
    values = [MetricValue(value=1), MetricValue(value=2, context="SEGMENT")]
    kept, skipped, by_role, call_rows = select_inputs(values, None)
    assert [r.value for r in kept] == [2] and call_rows == 1 and not skipped and not by_role


# How each aggregation mode is read, worked by hand on one conversation's response times
# (900, 1200, 1500, 1800, 2400 ms) against ">= 1500 ms": the table is the documentation.
WORKED = [
    ("EACH", True, "Passes: 3 of 5 values ≥ 1500 ms (1800 ms, 2400 ms, 1500 ms)."),
    ("COUNT", True, "Passes: 3 of 5 values ≥ 1500 ms; needs at least 3."),
    ("AVERAGE", True, "Passes: the AVERAGE of 5 values is 1560 ms, ≥ 1500 ms."),
    ("MIN", False, "Fails: the MIN of 5 values is 900 ms, not ≥ 1500 ms."),
    ("MAX", True, "Passes: the MAX of 5 values is 2400 ms, ≥ 1500 ms."),
    ("MEDIAN", True, "Passes: the MEDIAN of 5 values is 1500 ms, ≥ 1500 ms."),
    # P95: rank (5 - 1) * 0.95 = 3.8 -> 1800 + 0.8 * (2400 - 1800) = 2280
    ("P95", True, "Passes: the P95 of 5 values is 2280 ms, ≥ 1500 ms."),
    # P99: rank 3.96 -> 1800 + 0.96 * 600 = 2376
    ("P99", True, "Passes: the P99 of 5 values is 2376 ms, ≥ 1500 ms."),
    ("SUM", True, "Passes: the SUM of 5 values is 7800 ms, ≥ 1500 ms."),
]


@pytest.mark.parametrize(("mode", "fires", "explanation"), WORKED, ids=[w[0] for w in WORKED])
def test_each_mode_worked_by_hand(mode, fires, explanation):
    rule = Rule(
        operator="GREATER_THAN_OR_EQUALS", value="1500", aggregation_mode=mode, count_threshold=3
    )
    values = rows(1800, 900, 2400, 1500, 1200)
    result = evaluate(rule, values, output_type="NUMERIC", unit="ms")
    assert result.fires is fires
    assert result.explanation == explanation
    assert result.mode == mode


@pytest.mark.parametrize(
    ("operator", "threshold", "satisfied"),
    [
        ("EQUALS", "Angry", [True, False, True]),
        ("NOT_EQUALS", "Angry", [False, True, False]),
        ("EQUALS", "Calm", [False, True, True]),
    ],
)
def test_several_classes_in_one_value(operator, threshold, satisfied):
    values = rows(["Angry", "Confused"], ["Calm"], ["Angry", "Calm"])
    rule = Rule(operator=operator, value=threshold)
    result = evaluate(rule, values, output_type="CLASSIFICATION")
    assert [j.satisfies for j in result.judged] == satisfied
    assert result.judged[0].shown == "Angry, Confused"


def test_text_from_the_api_is_made_safe_and_short():
    hostile = "[bold]x[/bold]\x1b]52;c;ZXZpbA==\x07\x1b[2J" + "long " * 20
    result = evaluate(Rule(operator="EQUALS", value="x"), rows(hostile), output_type="TEXT")
    shown = result.judged[0].shown
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown.startswith("[bold]x[/bold]") and len(shown) <= 40 and shown.endswith("…")
    odd = rows({"k": "\x1b[2J"})
    unreadable = evaluate(Rule(operator="EQUALS", value="x"), odd, output_type="TEXT")
    assert "\x1b" not in unreadable.judged[0].shown


@pytest.mark.parametrize(
    ("rule", "why"),
    [
        (Rule(operator="", value="1500"), "Pick an operator."),
        (Rule(operator="GREATER_THAN", value=" "), "Enter the value to compare against."),
        (
            Rule(operator="GREATER_THAN", value="fast"),
            "The threshold value 'fast' is not a number.",
        ),
        (
            Rule(operator="GREATER_THAN", value="1", aggregation_mode="COUNT"),
            "COUNT needs a countThreshold.",
        ),
    ],
)
def test_an_incomplete_rule_still_shows_the_values(rule, why):
    values = [*rows(1200, "n/a"), MetricValue(captureStatus="ERROR", context="SEGMENT_RANGE")]
    result = evaluate(rule, values, output_type="NUMERIC", unit="ms")
    assert result.fires is None and result.reason == why == result.explanation
    assert [(j.shown, j.satisfies, j.readable) for j in result.judged] == [
        ("1200 ms", None, True),
        ("'n/a'", None, False),
    ]
    assert result.unreadable == 1 and result.skipped == 1


def test_matching_values_are_listed_only_when_they_add_something():
    same = evaluate(
        Rule(operator="EQUALS", value="false"), rows(True, False, False), output_type="BOOLEAN"
    )
    assert same.explanation == "Passes: 2 of 3 values = false."
    other = evaluate(
        Rule(operator="NOT_EQUALS", value="none"),
        rows("billing_error", "none", "billing_error", "technical_fault"),
        output_type="CLASSIFICATION",
    )
    assert other.explanation == "Passes: 3 of 4 values ≠ none (billing_error, technical_fault)."
