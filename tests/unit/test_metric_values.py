"""Metric values read as views over the JSON as sent: tolerant, lazy, and one shape for all."""

from __future__ import annotations

import json

import pytest

from roark_tui.api.metric_values import MetricValue, Segment, ValueList
from roark_tui.api.models import MetricDefinition, MetricGroup
from roark_tui.core.metric_tree import Status, build_rows, outcome_status, value_status
from roark_tui.core.verdict import Kind


def test_fields_read_with_their_api_names_and_defaults() -> None:
    value = MetricValue(
        {
            "value": 812,
            "confidence": 0.9,
            "participantRole": "AGENT",
            "segment": {"id": "s1", "text": "hi", "startOffsetMs": 1200, "endOffsetMs": "1500.5"},
            "evidenceSpans": [{"fromSegment": {"text": "a"}, "reason": "why"}, "junk"],
            "propertyVerdicts": [{"propertyName": "name", "verdict": "MATCH"}],
            "policyIds": ["p1", 7],
        }
    )
    assert value.capture_status == "SUCCESS"
    assert (value.value, value.confidence, value.participant_role) == (812, 0.9, "AGENT")
    segment = Segment(id="s1", text="hi", start_offset_ms=1200, end_offset_ms="1500.5")
    assert value.segment == segment
    assert value.segment is not None and value.segment.end_offset_ms == 1500.5
    [span] = value.evidence_spans  # the item that is not an object is skipped
    assert span.from_segment is not None and span.from_segment.text == "a"
    assert span.to_segment is None
    assert [v.property_name for v in value.property_verdicts] == ["name"]
    assert value.policy_ids == ["p1"]
    assert value.error_message is None and value.from_segment is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"startOffsetMs": True}, None),
        ({"startOffsetMs": "soon"}, None),
        ({"startOffsetMs": float("inf")}, None),
        ({"startOffsetMs": "nan"}, None),
        ({"startOffsetMs": [1]}, None),
        ({"startOffsetMs": 3}, 3.0),
    ],
)
def test_a_number_of_the_wrong_kind_reads_as_absent(raw: dict, expected: float | None) -> None:
    assert Segment(raw).start_offset_ms == expected


def test_text_fields_take_numbers_as_text_and_nothing_else() -> None:
    segment = Segment({"id": 17, "text": {"nested": "x"}})
    assert segment.id == "17" and segment.text == ""
    value = MetricValue({"captureStatus": None, "segment": "s1", "context": ["CALL"]})
    assert value.capture_status == "SUCCESS" and value.segment is None and value.context is None


@pytest.mark.parametrize("item", [None, "oops", 3, [1, 2]])
def test_a_value_that_is_not_an_object_reads_as_an_error_row(item: object) -> None:
    values = ValueList([item])
    [row] = list(values)
    assert row.capture_status == "ERROR"
    assert row.error_message is not None and "the API sent this value as" in row.error_message
    assert list(values.outcomes()) == [("ERROR", None)]
    assert value_status(values[0], Kind.CHECK) is Status.ERROR


def test_keyword_construction_spells_fields_as_the_api_does() -> None:
    value = MetricValue(capture_status="ERROR", error_message="boom", segment=Segment(text="t"))
    assert value.to_api() == {
        "captureStatus": "ERROR",
        "errorMessage": "boom",
        "segment": {"text": "t"},
    }
    assert value == MetricValue(value.to_api()) and value != Segment(value.to_api())


def test_groups_take_views_or_dicts_and_dump_the_json_as_sent() -> None:
    sent = {"value": False, "futureField": [1]}
    group = MetricGroup.model_validate(
        {"metricDefinitionId": "d1", "values": [sent, MetricValue(value=True)]}
    )
    assert isinstance(group.values, ValueList) and len(group.values) == 2
    assert group.values.raw[0] is sent
    assert group.to_api()["values"] == [sent, {"value": True}]
    assert json.loads(group.model_dump_json(by_alias=True))["values"][1] == {"value": True}
    assert group.values[0:1] == [MetricValue(sent)]
    with pytest.raises(ValueError, match="values must be a list"):
        MetricGroup.model_validate({"values": {"value": 1}})


def test_outcomes_agree_with_the_views() -> None:
    """The roll-up reads outcomes without views; both must say the same status."""
    raw = [
        {"value": True},
        {"value": False},
        {"captureStatus": "ERROR"},
        {"captureStatus": "not_applicable", "value": True},
        {"captureStatus": 5, "value": "true"},
        None,
    ]
    values = ValueList(raw)
    for kind in Kind:
        by_view = [value_status(v, kind) for v in values]
        by_outcome = [outcome_status(c, v, kind) for c, v in values.outcomes()]
        assert by_view == by_outcome
    group = MetricGroup(metric_definition_id="d", slug="x", values=values)
    judge = MetricDefinition(id="d", calculation_type="LLM_JUDGE", type="BOOLEAN")
    [row] = build_rows([group], definitions=[judge])
    assert (row.rollup.passed, row.rollup.failing, row.rollup.errors) == (1, 1, 2)
    assert row.rollup.not_applicable == 2
