"""Threshold draft rules: field errors per output type and the exact request body."""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.api.models import AGGREGATION_MODES, OPERATORS, OUTPUT_TYPES, MetricDefinition
from roark_tui.core.slugs import slug_from
from roark_tui.core.threshold_rules import (
    NAME_MAX,
    SOURCE_TYPES,
    ThresholdDraft,
    default_name,
    effective_name,
    suggested_slug,
    supports_role,
    to_body,
    to_rule,
    validate,
)

VARIANT = "11111111-2222-4333-8444-555555555555"


def source(output_type: str = "NUMERIC", **extra: Any) -> MetricDefinition:
    data = {
        "id": "aaaaaaaa-0000-4000-8000-000000000001",
        "slug": "response_time",
        "name": "Response Time",
        "type": output_type,
        "supportedContexts": ["CALL"],
        "variantId": VARIANT,
    }
    return MetricDefinition.model_validate({**data, **extra})


GOOD_VALUES = {
    "COUNT": "3",
    "NUMERIC": "1500",
    "BOOLEAN": "true",
    "SCALE": "4",
    "TEXT": "refund",
    "CLASSIFICATION": "Angry",
    "OFFSET": "30000",
}
NUMERIC = {"COUNT", "NUMERIC", "SCALE", "OFFSET"}


def draft(**kw: str) -> ThresholdDraft:
    base = {"source": "response_time", "operator": "EQUALS", "value": "1500"}
    return ThresholdDraft(**{**base, **kw})


@pytest.mark.parametrize("output_type", SOURCE_TYPES)
@pytest.mark.parametrize("operator", OPERATORS)
@pytest.mark.parametrize("mode", AGGREGATION_MODES)
def test_operator_and_mode_allowed_by_output_type(output_type, operator, mode):
    value = GOOD_VALUES[output_type]
    d = draft(operator=operator, value=value, aggregation_mode=mode, count_threshold="2")
    errors = validate(d, source(output_type))
    numeric = output_type in NUMERIC
    assert ("operator" in errors) is (not numeric and operator not in ("EQUALS", "NOT_EQUALS"))
    assert ("aggregationMode" in errors) is (not numeric and mode not in ("EACH", "COUNT"))
    assert set(errors) <= {"operator", "aggregationMode"}


@pytest.mark.parametrize(
    ("output_type", "value", "error"),
    [
        ("NUMERIC", "", "Enter the value"),
        ("NUMERIC", "  ", "Enter the value"),
        ("NUMERIC", "fast", "Enter a number"),
        ("NUMERIC", "nan", "Enter a number"),
        ("COUNT", "2.5", None),
        ("OFFSET", "-1", None),
        ("SCALE", "4.5", None),
        ("SCALE", "high", "Enter a number"),
        ("BOOLEAN", "yes", "Pick true or false"),
        ("BOOLEAN", "FALSE", None),
        ("CLASSIFICATION", "Calm", None),
        ("TEXT", "anything at all", None),
    ],
)
def test_value_is_typed_by_the_source(output_type, value, error):
    errors = validate(draft(value=value), source(output_type))
    if error is None:
        assert "value" not in errors
    else:
        assert error in errors["value"]


def test_scale_range_and_classes_are_not_read_even_when_an_answer_carries_them():
    """No definition response documents them, so the API judges the value, not the wizard."""
    scale = source("SCALE", scaleMin=1, scaleMax=5)
    assert "value" not in validate(draft(value="99"), scale)
    classes = source("CLASSIFICATION", classificationOptions=[{"label": "Angry"}])
    assert "value" not in validate(draft(value="x"), classes)


@pytest.mark.parametrize(
    ("text", "ok"), [("0", True), ("3", True), ("", False), ("-1", False), ("1.5", False)]
)
def test_count_threshold_required_only_for_count(text, ok):
    counted = validate(draft(aggregation_mode="COUNT", count_threshold=text), source())
    assert ("countThreshold" not in counted) is ok
    assert "countThreshold" not in validate(draft(count_threshold=text), source())


@pytest.mark.parametrize(
    ("contexts", "allowed"),
    [(["CALL"], False), ([], False), (["CALL", "SEGMENT"], True), (["TURN"], True)],
)
def test_participant_role_only_on_turn_or_segment_sources(contexts, allowed):
    src = source(supportedContexts=contexts)
    assert supports_role(src) is allowed
    errors = validate(draft(source_participant_role="AGENT"), src)
    assert ("sourceParticipantRole" not in errors) is allowed
    assert "sourceParticipantRole" not in validate(draft(), src)


def test_participant_role_must_be_known():
    src = source(supportedContexts=["SEGMENT"])
    errors = validate(draft(source_participant_role="agent"), src)
    assert "AGENT, CUSTOMER" in errors["sourceParticipantRole"]


@pytest.mark.parametrize(
    ("variant", "ok"), [("", True), (VARIANT, True), ("v1", False), (VARIANT + "0", False)]
)
def test_variant_is_an_optional_uuid(variant, ok):
    assert ("sourceVariantId" not in validate(draft(source_variant_id=variant), source())) is ok


@pytest.mark.parametrize(
    ("slug", "ok"),
    [("", True), ("rt_check", True), ("a" * 50, True), ("a" * 51, False), ("Bad-Slug", False)],
)
def test_slug_optional_up_to_50_lower_snake(slug, ok):
    assert ("slug" not in validate(draft(slug=slug), source())) is ok


def test_missing_and_unknown_source():
    assert "Pick the metric" in validate(draft(source=""), None)["source"]
    errors = validate(draft(source="nope", value=""), None)
    assert errors["source"] == "No metric definition 'nope'."
    assert "value" in errors


@pytest.mark.parametrize("output_type", ["TEXT", "OFFSET"])
def test_text_and_offset_sources_are_refused_with_the_types_that_work(output_type):
    errors = validate(draft(value=GOOD_VALUES[output_type]), source(output_type))
    assert errors["source"] == (
        f"Response Time is {output_type}: thresholds exist only on "
        "SCALE, NUMERIC, COUNT, BOOLEAN and CLASSIFICATION metrics."
    )


@pytest.mark.parametrize("output_type", OUTPUT_TYPES)
def test_only_text_and_offset_are_refused(output_type):
    refused = "source" in validate(draft(value=GOOD_VALUES[output_type]), source(output_type))
    assert refused is (output_type in ("TEXT", "OFFSET"))


def test_a_source_type_this_client_does_not_know_is_left_to_the_server():
    assert "source" not in validate(draft(), source("DURATION"))
    assert "source" not in validate(draft(), source(None))


def test_empty_draft_lists_every_required_field():
    assert set(validate(ThresholdDraft(), None)) == {"source", "operator", "value"}


def test_body_for_a_count_threshold():
    d = draft(operator="GREATER_THAN_OR_EQUALS", aggregation_mode="COUNT", count_threshold=" 2 ")
    src = source()
    assert validate(d, src) == {}
    assert to_body(d, src) == {
        "operator": "GREATER_THAN_OR_EQUALS",
        "value": "1500",
        "aggregationMode": "COUNT",
        "countThreshold": 2,
        "sourceVariantId": VARIANT,
        "slug": "response_time_count_gte_1500",
        "name": "Response Time at least 1500 (2+ values)",
    }


def test_body_with_role_variant_slug_and_boolean_value():
    src = source("BOOLEAN", slug="agent_verified", supportedContexts=["CALL", "SEGMENT"])
    other = "99999999-2222-4333-8444-555555555555"
    d = draft(
        source="agent_verified",
        operator="NOT_EQUALS",
        value=" TRUE ",
        source_participant_role="AGENT",
        source_variant_id=other,
        slug="agent_not_verified",
    )
    assert validate(d, src) == {}
    assert to_body(d, src) == {
        "operator": "NOT_EQUALS",
        "value": "true",
        "aggregationMode": "EACH",
        "sourceParticipantRole": "AGENT",
        "sourceVariantId": other,
        "slug": "agent_not_verified",
        "name": "Response Time (agent) is not true",
    }


def test_body_leaves_out_count_and_missing_variant():
    src = source(variantId=None)
    body = to_body(draft(count_threshold="4", aggregation_mode="AVERAGE"), src)
    assert "countThreshold" not in body and "sourceVariantId" not in body
    assert body["value"] == "1500" and isinstance(body["value"], str)


@pytest.mark.parametrize(("supports", "pinned"), [(True, VARIANT), (None, VARIANT), (False, None)])
def test_the_sources_own_variant_is_pinned_unless_it_has_none(supports, pinned):
    src = source(supportsVariants=supports)
    assert to_body(draft(), src).get("sourceVariantId") == pinned


def test_suggested_slug_is_bounded_and_clean():
    src = source(slug="a_very_long_metric_slug_that_goes_on_and_on_forever")
    slug = suggested_slug(draft(operator="LESS_THAN", value="0.5"), src)
    assert len(slug) <= 50 and not slug.endswith("_")
    assert slug.startswith("a_very_long")
    negative = suggested_slug(draft(value="-0.5"), source())
    assert negative == "response_time_each_eq_minus_0_5"
    assert negative != suggested_slug(draft(value="0.5"), source())
    assert suggested_slug(draft(value="\u22120.5"), source()) == negative  # the minus sign
    assert suggested_slug(draft(), None) == ""


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Sentiment -0.5", "sentiment_minus_0_5"),
        ("Q-1 score", "q_1_score"),  # a hyphen between words is no sign
        ("re-check", "re_check"),
        ("Ranges 1-3", "ranges_1_3"),
    ],
)
def test_a_slug_keeps_the_sign_of_a_number(text, slug):
    assert slug_from(text) == slug


def test_rule_for_the_what_if():
    src = source("SCALE", supportedContexts=["SEGMENT"])
    d = draft(value="3", aggregation_mode="COUNT", count_threshold="1")
    d.source_participant_role = "AGENT"
    rule = to_rule(d, src)
    assert (rule.operator, rule.value, rule.count_threshold) == ("EQUALS", "3", 1)
    assert rule.source_participant_role == "AGENT"
    assert to_rule(d, source("SCALE")).source_participant_role is None
    assert to_rule(draft(aggregation_mode="COUNT"), src).count_threshold is None


@pytest.mark.parametrize(
    ("fields", "output_type", "unit", "name"),
    [
        (
            {"operator": "GREATER_THAN_OR_EQUALS", "value": "3"},
            "SCALE",
            None,
            "Agent Empathy at least 3",
        ),
        (
            {
                "operator": "LESS_THAN_OR_EQUALS",
                "value": "1500",
                "aggregation_mode": "AVERAGE",
                "source_participant_role": "AGENT",
            },
            "NUMERIC",
            {"name": "milliseconds", "symbol": "ms"},
            "Agent Empathy (agent) average at most 1500 ms",
        ),
        (
            {
                "operator": "EQUALS",
                "value": "TRUE",
                "aggregation_mode": "COUNT",
                "count_threshold": "0",
            },
            "BOOLEAN",
            None,
            "Agent Empathy is true (0+ values)",
        ),
        (
            {"operator": "NOT_EQUALS", "value": "Calm"},
            "CLASSIFICATION",
            None,
            "Agent Empathy is not Calm",
        ),
        ({"operator": "", "value": ""}, "SCALE", None, "Agent Empathy"),
        ({"operator": "LESS_THAN", "value": " 4 "}, "COUNT", None, "Agent Empathy less than 4"),
    ],
)
def test_default_name_says_what_is_checked(fields, output_type, unit, name):
    src = source(
        output_type,
        name="Agent Empathy",
        supportedContexts=["CALL", "TURN"],
        **({"unit": unit} if unit else {}),
    )
    assert default_name(draft(**fields), src) == name


def test_default_name_leaves_out_a_role_the_source_cannot_take_and_is_bounded():
    assert default_name(draft(source_participant_role="AGENT"), source()) == (
        "Response Time is 1500"
    )
    assert default_name(draft(), None) == ""
    long = source(name="N" * 300 + "\x1b[31m", classificationOptions=[])
    name = default_name(draft(value="v" * 300), long)
    assert len(name) == NAME_MAX and "\x1b" not in name and name.endswith("…")
    name = default_name(draft(value="1500"), source(name="N" * 300))
    assert len(name) <= NAME_MAX and name.endswith(" is 1500")


def test_the_name_follows_the_draft_until_edited_and_is_required():
    src = source()
    d = draft()
    assert d.name_auto and effective_name(d, src) == "Response Time is 1500"
    d.value = "2000"
    assert to_body(d, src)["name"] == "Response Time is 2000"
    d.name, d.name_auto = "  Slow answers ", False
    d.value = "3000"
    assert to_body(d, src)["name"] == "Slow answers" and "name" not in validate(d, src)
    d.name = " "
    assert "Name the check (1 to 100 characters)" in validate(d, src)["name"]
    d.name = "x" * 101
    assert validate(d, src)["name"] == "At most 100 characters (101 now)."
    assert "name" not in validate(draft(source=""), None)  # no source: nothing to name yet


def test_draft_round_trips_and_tolerates_junk():
    d = draft(slug="x", count_threshold="3", name="Mine", name_auto=False)
    assert ThresholdDraft.from_dict(d.to_dict()) == d
    assert ThresholdDraft.from_dict({"name_auto": "no", "name": 3}) == ThresholdDraft()
    assert ThresholdDraft.from_dict({"operator": 3, "other": "y", "value": "2"}) == ThresholdDraft(
        value="2"
    )
    assert ThresholdDraft.from_dict(["nope"]) == ThresholdDraft()


@pytest.mark.parametrize(
    ("spec", "unit", "sentence"),
    [
        (
            {
                "operator": "GREATER_THAN_OR_EQUALS",
                "thresholdValue": "1500",
                "aggregationMode": "AVERAGE",
            },
            "ms",
            "Passes when the AVERAGE of Response Time over the conversation is ≥ 1500 ms",
        ),
        (
            {"operator": "LESS_THAN", "thresholdValue": "3", "aggregationMode": "EACH"},
            None,
            "Passes when any value of Response Time is < 3",
        ),
        (
            {
                "operator": "EQUALS",
                "thresholdValue": "true",
                "aggregationMode": "COUNT",
                "countThreshold": 2,
                "sourceParticipantRole": "AGENT",
            },
            None,
            "Passes when at least 2 values of Response Time (AGENT only) are true",
        ),
        ({}, "ms", "Passes when any value of Response Time is … …"),
    ],
)
def test_threshold_sentence(spec, unit, sentence):
    from roark_tui.api.models import ThresholdSpec
    from roark_tui.core.describe import threshold_sentence

    assert threshold_sentence(ThresholdSpec.model_validate(spec), "Response Time", unit) == sentence


def test_value_unit_and_source_group():
    from roark_tui.api.models import MetricGroup
    from roark_tui.core.threshold_rules import source_group, value_unit

    assert value_unit(source(unit={"name": "milliseconds", "symbol": "ms"})) == "ms"
    assert value_unit(source(unit={"name": "count", "symbol": None})) == "count"
    assert value_unit(source("OFFSET")) == "ms"
    assert value_unit(source("NUMERIC")) is None and value_unit(None) is None
    src = source()
    by_slug = MetricGroup.model_validate({"metricDefinitionId": "other", "slug": "response_time"})
    by_id = MetricGroup.model_validate({"metricDefinitionId": src.id, "slug": "renamed"})
    assert source_group([by_slug, by_id], src) is by_id
    assert source_group([by_slug], src) is by_slug
    assert source_group([], src) is None


def test_created_from_recognises_the_threshold_a_body_asked_for():
    from roark_tui.core.threshold_rules import created_from

    src = source()
    body = to_body(draft(aggregation_mode="COUNT", count_threshold="2"), src)
    spec = {
        "sourceMetricDefinitionId": src.id,
        "operator": "EQUALS",
        "thresholdValue": "1500",
        "aggregationMode": "COUNT",
        "countThreshold": 2,
    }

    def made(**changes: Any) -> MetricDefinition:
        return MetricDefinition.model_validate({"id": "x", "threshold": {**spec, **changes}})

    assert created_from(made(), src.id, body)
    assert not created_from(made(countThreshold=3), src.id, body)
    assert not created_from(made(thresholdValue="1600"), src.id, body)
    assert not created_from(made(sourceMetricDefinitionId="other"), src.id, body)
    assert not created_from(made(sourceParticipantRole="AGENT"), src.id, body)
    assert not created_from(MetricDefinition(id="x"), src.id, body)


def test_operators_for_a_source_follow_its_type() -> None:
    from roark_tui.core.threshold_rules import EQUALITY_ONLY, operators_for

    assert operators_for(source("BOOLEAN")) == EQUALITY_ONLY == ("EQUALS", "NOT_EQUALS")
    assert operators_for(source("CLASSIFICATION")) == EQUALITY_ONLY
    assert "GREATER_THAN" in operators_for(source("NUMERIC"))
    assert "GREATER_THAN" in operators_for(None)  # unknown: may be a number
