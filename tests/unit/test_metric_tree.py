"""metric_tree: row contents, statuses and roll-ups, orders, filter, first failure, laziness."""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.api.models import MetricDefinition, MetricGroup
from roark_tui.core import metric_tree as mt
from roark_tui.core.metric_tree import Status
from roark_tui.core.verdict import Kind


def group(slug: str, *values: dict[str, Any], **kw: Any) -> MetricGroup:
    body = {"metricDefinitionId": f"id-{slug}", "slug": slug, "name": kw.pop("name", slug)}
    return MetricGroup.model_validate({**body, **kw, "values": list(values)})


def ok(value: object, **kw: Any) -> dict[str, Any]:
    return {"captureStatus": "SUCCESS", "context": "CALL", "value": value, **kw}


def status(capture: str, **kw: Any) -> dict[str, Any]:
    return {"captureStatus": capture, "context": "CALL", **kw}


def seg(start: int, end: int, text: str = "") -> dict[str, Any]:
    return {"id": f"s{start}", "text": text, "startOffsetMs": start, "endOffsetMs": end}


MS = {"name": "milliseconds", "symbol": "ms"}
GROUPS = [
    group("latency", ok(812), type="NUMERIC", unit=MS, name="Response latency"),
    group("greeting_check", ok(True), type="BOOLEAN", name="Greeting check"),
    group(
        "refund_check",
        ok(True, context="SEGMENT", segment=seg(1_000, 2_000)),
        ok(
            False,
            context="SEGMENT",
            segment=seg(72_400, 75_000, "I cannot refund that."),
            valueReasoning="Agent refused a valid refund.",
        ),
        type="BOOLEAN",
        name="Refund check",
    ),
    group("tone_check", status("ERROR", errorMessage="LLM timeout"), type="BOOLEAN", name="Tone"),
    group("call_outcome", ok("billing"), type="CLASSIFICATION", name="Outcome"),
    group("agent_expectations", status("NOT_APPLICABLE"), type="SCALE", name="Expectations"),
    group(
        "response_time",
        *[
            {
                "captureStatus": "SUCCESS",
                "context": "SEGMENT_RANGE",
                "participantRole": "agent",
                "fromSegment": seg(40_100, 41_000),
                "toSegment": seg(60_000, 62_700),
                "value": 900 + i,
            }
            for i in range(12)
        ],
        status("DATA_MISSING"),
        type="NUMERIC",
        unit=MS,
        name="Response time",
    ),
    group("voicemail_detected", ok(False), type="BOOLEAN", name="Voicemail"),
    group("empty_one", type="TEXT", name="Empty"),
]


def defined(slug: str, calculation: str, kind: str = "BOOLEAN", **kw: Any) -> MetricDefinition:
    return MetricDefinition(
        id=f"id-{slug}", slug=slug, calculation_type=calculation, type=kind, **kw
    )


# What the definitions list says of GROUPS: the checks are a threshold and yes/no metrics the
# user authored; everything else, `voicemail_detected` (a BOOLEAN) included, is Roark's reading.
DEFINITIONS = [
    defined("greeting_check", "LLM_JUDGE"),
    defined("refund_check", "THRESHOLD"),
    defined("tone_check", "PATTERN"),
    defined("voicemail_detected", "PROVIDER"),
    *(
        defined(slug, "PROVIDER", kind)
        for slug, kind in (
            ("latency", "NUMERIC"),
            ("call_outcome", "CLASSIFICATION"),
            ("agent_expectations", "SCALE"),
            ("response_time", "NUMERIC"),
            ("empty_one", "TEXT"),
        )
    ),
]


def build(groups: list[MetricGroup] = GROUPS) -> list[mt.GroupRow]:
    return mt.build_rows(groups, definitions=DEFINITIONS)


def rows_by_key(rows: list[mt.GroupRow]) -> dict[str, mt.GroupRow]:
    return {r.key: r for r in rows}


@pytest.mark.parametrize(
    ("key", "check", "state", "summary", "rollup"),
    [
        ("latency", False, Status.NEUTRAL, "812 ms", mt.Rollup(values=1)),
        ("greeting_check", True, Status.PASS, "true", mt.Rollup(passed=1, values=1)),
        ("refund_check", True, Status.FAIL, "2 values", mt.Rollup(failing=1, passed=1, values=2)),
        ("tone_check", True, Status.ERROR, "error: LLM timeout", mt.Rollup(errors=1, values=1)),
        ("call_outcome", False, Status.NEUTRAL, "billing", mt.Rollup(values=1)),
        ("agent_expectations", False, Status.NA, "not applicable", mt.Rollup(1 - 1, 0, 1, 0, 1)),
        (
            "response_time",
            False,
            Status.NEUTRAL,
            "13 values",
            mt.Rollup(not_applicable=1, values=13),
        ),
        ("voicemail_detected", False, Status.NEUTRAL, "false", mt.Rollup(values=1)),
        ("empty_one", False, Status.NA, "no values", mt.Rollup()),
    ],
)
def test_group_rows(key: str, check: bool, state: Status, summary: str, rollup: mt.Rollup) -> None:
    row = rows_by_key(build())[key]
    assert (row.check, row.status, row.summary, row.rollup) == (check, state, summary, rollup)


def test_group_row_fields_are_clean_text() -> None:
    hostile = group("x\x1b]0;t\x07y", ok(1), type="NUM\x1bcERIC", name="[b]N\u202eame[/b]")
    row = mt.build_rows([hostile])[0]
    assert (row.name, row.key, row.output_type) == ("[b]Name[/b]", "xy", "NUMERIC")
    latency = build()[0]
    assert (latency.unit, latency.output_type, latency.name) == (
        "ms",
        "NUMERIC",
        "Response latency",
    )


def test_pass_and_fail_belong_to_checks_only() -> None:
    """A provider BOOLEAN says its value and nothing more: `property_transcript_mismatch` is
    true when a mismatch WAS found, so a green ✔ there would read as "all good"."""
    mismatch = group("property_transcript_mismatch", ok(True), type="BOOLEAN")
    check = group("greeting_check", ok(False), type="BOOLEAN")
    definitions = [*DEFINITIONS, defined("property_transcript_mismatch", "PROVIDER")]
    plain, failing = mt.build_rows([mismatch, check], definitions=definitions)
    assert (plain.status, plain.summary, mt.STATUS_MARKS[plain.status]) == (
        Status.NEUTRAL,
        "true",
        "·",
    )
    assert (failing.status, failing.summary, mt.STATUS_MARKS[failing.status]) == (
        Status.FAIL,
        "false",
        "✘",
    )
    assert all("✔" not in v.text and "✘" not in v.text for v in mt.value_rows(plain))


def test_marks_follow_roarks_rule_not_the_slug() -> None:
    """An authored yes/no metric passes and fails whatever its slug; a provider BOOLEAN named
    like a check stays a plain value; a yes/no metric without a definition is `?`."""
    groups = [
        group("caller_verified", ok(False), ok(True, context="SEGMENT"), type="BOOLEAN"),
        group("agent_spoke_check", ok(False), type="BOOLEAN"),
        group("mystery", ok(False), ok(True), status("NOT_APPLICABLE"), type="BOOLEAN"),
        group("csat", ok(4), type="SCALE"),  # no definition either, but never a check
    ]
    definitions = [defined("caller_verified", "FORMULA"), defined("agent_spoke_check", "PROVIDER")]
    authored, provider, mystery, csat = mt.build_rows(groups, definitions=definitions)
    assert (authored.status, authored.rollup.failing, authored.rollup.passed) == (Status.FAIL, 1, 1)
    assert (provider.status, provider.check) == (Status.NEUTRAL, False)
    assert (mystery.status, mt.STATUS_MARKS[mystery.status], mystery.kind) == (
        Status.UNKNOWN,
        "?",
        Kind.UNKNOWN,
    )
    assert mystery.rollup == mt.Rollup(not_applicable=1, values=3, unknown=2)
    assert [v.status for v in mt.value_rows(mystery)] == [Status.UNKNOWN] * 2 + [Status.NA]
    assert csat.status is Status.NEUTRAL
    total = mt.totals([authored, provider, mystery, csat])
    assert total.describe(passing=True) == "1 failing · 1 n/a · 2 unknown"
    assert mt.Rollup(passed=2, values=3, unknown=1).describe(passing=True) == (
        "2 passing · 1 unknown"
    )
    assert mt.first_failure([mystery, csat]) is None  # an unknown is no failure


@pytest.mark.parametrize(
    ("output_type", "unit", "label"),
    [
        ("COUNT", {"name": "count", "symbol": None}, ""),
        ("NUMERIC", {"name": "ratio", "symbol": None}, ""),
        ("OFFSET", MS, ""),
        ("NUMERIC", MS, "ms"),
        ("NUMERIC", {"name": "US dollars", "symbol": "$"}, "$"),
        ("NUMERIC", {"name": "seconds", "symbol": None}, "seconds"),
        ("NUMERIC", None, ""),
    ],
)
def test_the_unit_is_named_only_when_it_says_something(
    output_type: str, unit: dict[str, Any] | None, label: str
) -> None:
    row = mt.build_rows([group("x", ok(2), type=output_type, unit=unit)])[0]
    assert row.unit == label


def test_value_rows_labels_roles_and_statuses() -> None:
    rows = rows_by_key(build())
    refund = mt.value_rows(rows["refund_check"])
    assert [(v.label, v.text, v.status) for v in refund] == [
        ("Segment 00:01.0\u201300:02.0", "true", Status.PASS),
        ("Segment 01:12.4\u201301:15.0", "false", Status.FAIL),
    ]
    response = mt.value_rows(rows["response_time"])
    assert len(response) == 13
    first, last = response[0], response[-1]
    assert (first.label, first.role, first.capture, first.text) == (
        "Range 00:40.1 → 01:02.7",
        "agent",
        "success",
        "900 ms",
    )
    assert (last.label, last.capture, last.text, last.status) == (
        "Call",
        "data missing",
        "data missing",
        Status.NA,
    )
    tone = mt.value_rows(rows["tone_check"])[0]
    assert (tone.capture, tone.status) == ("error", Status.ERROR)


def test_definitions_add_threshold_checks_labels_and_scale() -> None:
    groups = [
        group("fast_enough", ok(False), type="BOOLEAN"),
        group("resolved", ok(True), type="BOOLEAN"),
        group("csat", ok(4), type="SCALE"),
    ]
    definitions = [
        MetricDefinition(id="id-fast_enough", calculation_type="THRESHOLD", type="BOOLEAN"),
        MetricDefinition(id="x", slug="resolved", boolean_true_label="Resolved"),
        # no definition response has a scale range; one that carried it is not read
        MetricDefinition.model_validate({"id": "id-csat", "scaleMax": 5}),
    ]
    plain = mt.build_rows(groups)
    rich = mt.build_rows(groups, definitions=definitions)
    assert [r.status for r in plain] == [Status.UNKNOWN, Status.UNKNOWN, Status.NEUTRAL]
    # `resolved`'s definition says no calculation type: still unknown, never guessed
    assert [r.status for r in rich] == [Status.FAIL, Status.UNKNOWN, Status.NEUTRAL]
    assert [r.summary for r in rich] == ["false", "Resolved", "4"]


def order_of(order: str) -> list[str]:
    return [r.key for r in mt.sort_rows(build(), order)]


def test_failures_first_then_errors_then_the_rest_by_name() -> None:
    assert order_of("failures") == [
        "refund_check",
        "tone_check",
        "empty_one",
        "agent_expectations",
        "greeting_check",
        "call_outcome",
        "latency",
        "response_time",
        "voicemail_detected",
    ]


def test_name_and_type_orders() -> None:
    assert order_of("name")[:3] == ["empty_one", "agent_expectations", "greeting_check"]
    assert order_of("type") == [
        "greeting_check",
        "refund_check",
        "tone_check",
        "voicemail_detected",
        "call_outcome",
        "latency",
        "response_time",
        "agent_expectations",
        "empty_one",
    ]
    with pytest.raises(ValueError, match="order must be one of"):
        mt.sort_rows([], "size")


@pytest.mark.parametrize(
    ("order", "after"),
    [("failures", "name"), ("name", "type"), ("type", "failures"), ("?", "failures")],
)
def test_next_order(order: str, after: str) -> None:
    assert mt.next_order(order) == after


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("", None),
        ("   ", None),
        ("REFUND", {"refund_check": None}),
        ("outcome", {"call_outcome": None}),
        ("billing", {"call_outcome": (0,)}),
        ("valid refund", {"refund_check": (1,)}),
        ("cannot refund", {"refund_check": (1,)}),
        ("llm timeout", {"tone_check": (0,)}),
        ("901 ms", {"response_time": (1,)}),
        ("not applicable", {"agent_expectations": (0,)}),
        ("nothing like it", {}),
    ],
)
def test_filter_groups(needle: str, expected: dict[str, tuple[int, ...] | None] | None) -> None:
    rows = build()
    kept = mt.filter_groups(rows, needle)
    if expected is None:
        assert kept == rows
    else:
        assert {r.key: r.value_indexes for r in kept} == expected


def test_filtered_rows_show_only_matching_values() -> None:
    rows = mt.filter_groups(build(), "valid refund")
    assert [v.index for v in mt.value_rows(rows[0])] == [1]


def test_first_failure_prefers_a_failing_check_then_an_error() -> None:
    rows = build()
    assert mt.first_failure(rows) == (0, 1)
    g, v = mt.first_failure(rows, "name")  # type: ignore[misc]
    assert mt.sort_rows(rows, "name")[g].key == "refund_check" and v == 1
    no_fail = [r for r in rows if r.key != "refund_check"]
    assert mt.first_failure(no_fail) == (0, 0)
    assert mt.sort_rows(no_fail)[0].key == "tone_check"
    assert mt.first_failure([r for r in no_fail if r.key != "tone_check"]) is None


def test_first_failure_respects_a_filter() -> None:
    rows = build()
    assert mt.first_failure(mt.filter_groups(rows, "llm")) == (0, 0)
    assert mt.first_failure(mt.filter_groups(rows, "00:01")) is None  # only the passing value


def test_totals_and_rollup_text() -> None:
    total = mt.totals(build())
    assert total == mt.Rollup(failing=1, errors=1, not_applicable=2, passed=2, values=21)
    assert total.describe() == "1 failing · 1 error · 2 n/a"
    assert mt.Rollup(errors=2).describe() == "2 errors"
    assert mt.Rollup(passed=3, values=3).describe() == ""
    assert mt.Rollup(passed=3, not_applicable=1, values=4).describe(passing=True) == (
        "3 passing · 1 n/a"
    )
    assert total.describe(passing=True) == total.describe()  # failures say enough


def test_flat_rows_pair_each_value_with_its_metric() -> None:
    pairs = list(mt.flat_rows(build(GROUPS[:3])))
    assert [(g.key, v.index) for g, v in pairs] == [
        ("latency", 0),
        ("greeting_check", 0),
        ("refund_check", 0),
        ("refund_check", 1),
    ]


def test_long_values_are_shortened_in_rows() -> None:
    row = mt.build_rows([group("notes", ok("word " * 100), type="TEXT")])[0]
    assert len(row.summary) == mt.SUMMARY_WIDTH and row.summary.endswith("…")
    assert len(mt.value_rows(row)[0].text) == mt.VALUE_WIDTH


def test_rollups_and_first_failure_at_100_metrics_of_1000_values() -> None:
    values = [ok(i % 7 != 0, context="SEGMENT", segment=seg(i, i + 1)) for i in range(1000)]
    template = group("m_check", *values, type="BOOLEAN")
    groups = [
        template.model_copy(update={"slug": f"m{i}_check", "metric_definition_id": f"id-m{i}"})
        for i in range(100)
    ]
    rows = mt.build_rows(groups, definitions=[defined(f"m{i}", "LLM_JUDGE") for i in range(100)])
    ordered = mt.sort_rows(rows)
    assert mt.first_failure(rows) == (0, 0)
    assert ordered[0].rollup.failing == 143


def test_a_collapsed_metric_speaks_for_the_value_that_gives_its_mark() -> None:
    rows = rows_by_key(build())
    refund = mt.deciding_value(rows["refund_check"])  # the failing one, not the first
    assert refund is not None and refund.status is Status.FAIL
    assert refund.value.value_reasoning == "Agent refused a valid refund."
    assert mt.evidence_value(rows["refund_check"]) == refund.value
    tone = mt.deciding_value(rows["tone_check"])
    assert tone is not None and tone.value.error_message == "LLM timeout"
    assert mt.deciding_value(rows["greeting_check"]) is None  # passing, no reasoning given
    assert mt.evidence_value(rows["greeting_check"]) == rows["greeting_check"].group.values[0]
    assert mt.evidence_value(rows["response_time"]) is None  # many readings, none says why
    said = group("said", ok(1), ok(2, valueReasoning="Two turns."), type="NUMERIC")
    (row,) = build([said])
    found = mt.deciding_value(row)
    assert found is not None and found.index == 1
    late = group(
        "late",
        *[ok(i) for i in range(mt.REASONING_LOOKAHEAD)],
        ok(0, valueReasoning="Too far to look."),
        type="NUMERIC",
    )
    assert mt.deciding_value(build([late])[0]) is None  # not read whole on a cursor move
