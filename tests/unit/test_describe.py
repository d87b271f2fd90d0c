"""Definitions in words: each calculation type reads as sentences, with ids replaced by names."""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.api.models import MetricDefinition, PatternStep, ThresholdSpec
from roark_tui.core.describe import (
    condition_in_words,
    definition_in_words,
    formula_in_words,
    name_of,
    threshold_sentence,
    window_in_words,
)
from roark_tui.core.formula_rules import reference

A = "11111111-1111-4111-8111-111111111111"
B = "22222222-2222-4222-8222-222222222222"
C = "33333333-3333-4333-8333-333333333333"
UNKNOWN = "99999999-9999-4999-8999-999999999999"
BY_ID = {
    A: MetricDefinition(
        id=A,
        slug="response_time",
        name="Response Time",
        unit={"name": "milliseconds", "symbol": "ms"},
    ),
    B: MetricDefinition(id=B, slug="talk_time", name=""),
    C: MetricDefinition(id=C, slug="first_word", name="Time to First Word", type="OFFSET"),
}


def words(data: dict[str, Any], asked: dict[str, Any] | None = None) -> dict[str, str]:
    definition = MetricDefinition.model_validate({"id": "x", **data})
    return dict(definition_in_words(definition, BY_ID, asked))


def test_names_replace_ids_and_unknown_ids_stay_recognisable():
    assert name_of(A, BY_ID) == "Response Time"
    assert name_of(B, BY_ID) == "talk_time"
    assert name_of(UNKNOWN, BY_ID) == "metric 99999999…"
    assert name_of(None, BY_ID) == "…"
    expression = f"({reference(A)} - {{{{ id:{B} }}}}) / {reference(UNKNOWN)}"
    assert formula_in_words(expression, BY_ID) == ("(Response Time - talk_time) / metric 99999999…")


def test_llm_judge_boolean():
    """The graded role is not in a definition response, even if an answer carried it: only a
    draft's create body names it."""
    judge = {
        "calculationType": "LLM_JUDGE",
        "type": "BOOLEAN",
        "description": "Checks identity",
        "scope": "PER_PARTICIPANT",
        "participantRole": "AGENT",
        "supportedContexts": ["CALL", "TURN"],
        "llmPrompt": "Did the agent verify the caller?",
        "booleanTrueLabel": "Verified",
    }
    out = words(judge)
    assert out[""] == "Checks identity"
    assert out["Kind"] == "LLM judge: an LLM grades each conversation against a prompt"
    assert out["Output"] == "BOOLEAN"
    assert out["Scope"] == "one value per participant"
    assert words(judge, asked=judge)["Scope"] == "one value per participant (AGENT)"
    assert out["Graded on"] == "the whole conversation, each agent reply"
    assert out["Prompt"] == "Did the agent verify the caller?"
    assert out["Answers"] == "true = Verified · false = false"
    assert out["Verdict"] == "a check: true passes, false fails"


@pytest.mark.parametrize(
    ("calculation", "output", "verdict"),
    [
        ("FORMULA", "BOOLEAN", "a check: true passes, false fails"),
        ("PATTERN", "BOOLEAN", "a check: true passes, false fails"),
        (
            "PROVIDER",
            "BOOLEAN",
            "a reading, not a check: true is whatever the metric means, never a pass; put a "
            "threshold on it to judge it",
        ),
        ("PROVIDER", "COUNT", None),
        ("LLM_JUDGE", "SCALE", None),
        ("SOMETHING_NEW", "BOOLEAN", None),  # not guessed
    ],
)
def test_a_yes_no_metric_says_whether_it_is_a_check(calculation, output, verdict):
    assert words({"calculationType": calculation, "type": output}).get("Verdict") == verdict


def test_boolean_without_labels_says_nothing_about_answers():
    out = words({"calculationType": "LLM_JUDGE", "type": "BOOLEAN", "llmPrompt": "Resolved?"})
    assert "Answers" not in out and out["Prompt"] == "Resolved?"


def test_scale_and_classes_of_a_definition_are_said_to_be_unknown():
    scale = words({"calculationType": "PROVIDER", "type": "SCALE", "scaleMin": 1, "scaleMax": 5})
    assert scale["Scale"] == "range not given by the API" and "Scale labels" not in scale
    classes = words({"calculationType": "LLM_JUDGE", "type": "CLASSIFICATION"})
    assert classes["Classes"] == "not listed by the API" and "Picks" not in classes
    assert "Scale" not in words({"calculationType": "LLM_JUDGE", "type": "NUMERIC"})


def test_draft_in_review_words_its_scale_and_classes():
    scale_body = {
        "calculationType": "LLM_JUDGE",
        "type": "SCALE",
        "scope": "GLOBAL",
        "scaleMin": 1,
        "scaleMax": 5,
        "scaleLabels": [
            {"rangeMin": 4, "rangeMax": 5, "label": "Good", "displayOrder": 2},
            {
                "rangeMin": 1,
                "rangeMax": 1.5,
                "label": "Poor",
                "displayOrder": 1,
                "description": "rude",
                "colorHex": "#FF0000",
            },
            {"rangeMin": 3, "rangeMax": 3, "label": "OK", "displayOrder": 3},
        ],
    }
    scale = words(scale_body, asked=scale_body)
    assert scale["Scope"] == "one value per conversation"
    assert scale["Prompt"] == "(no prompt)"
    assert scale["Scale"] == "from 1 to 5"
    assert scale["Scale labels"] == "1 to 1.5: Poor (rude) #FF0000\n4 to 5: Good\n3: OK"
    class_body = {
        "calculationType": "LLM_JUDGE",
        "type": "CLASSIFICATION",
        "classificationOptions": [
            {"label": "Other", "displayOrder": 2},
            {"label": "Billing", "description": "invoices", "displayOrder": 1},
        ],
        "maxClassifications": 1,
    }
    classes = words(class_body, asked=class_body)
    assert classes["Classes"] == "Billing: invoices\nOther"
    assert classes["Picks"] == "at most 1 class"


def test_formula():
    out = words(
        {
            "calculationType": "FORMULA",
            "type": "NUMERIC",
            "formula": {
                "expression": f"{reference(A)} / {reference(B)}",
                "sources": [
                    {"sourceMetricDefinitionId": A, "sourceVariantId": UNKNOWN},
                    {"sourceMetricDefinitionId": B},
                ],
            },
        }
    )
    assert out["Formula"] == "Response Time / talk_time"
    assert out["Sources"] == f"Response Time (variant {UNKNOWN})\ntalk_time"


@pytest.mark.parametrize(
    ("pattern", "sentence", "measures"),
    [
        (
            {
                "operation": "PATTERN_EXISTS",
                "windowMode": "seconds",
                "triggers": [
                    {
                        "sourceMetricDefinitionId": A,
                        "operator": "GREATER_THAN",
                        "thresholdValue": "2000",
                    }
                ],
                "outcome": {
                    "sourceMetricDefinitionId": B,
                    "operator": "EQUALS",
                    "thresholdValue": "true",
                    "sourceParticipantRole": "CUSTOMER",
                    "windowAfter": 10,
                    "windowBefore": 0,
                },
            },
            "When Response Time > 2000, then within 10 s after: talk_time (CUSTOMER) = true.",
            "true when the pattern happens at least once (BOOLEAN)",
        ),
        (
            {
                "operation": "PATTERN_COUNT",
                "windowMode": "segments",
                "triggerCombinator": "OR",
                "triggers": [
                    {
                        "sourceMetricDefinitionId": A,
                        "operator": "GREATER_THAN_OR_EQUALS",
                        "thresholdValue": "1",
                    },
                    {
                        "sourceMetricDefinitionId": UNKNOWN,
                        "operator": "NOT_EQUALS",
                        "thresholdValue": "Calm",
                    },
                ],
                "outcome": {
                    "sourceMetricDefinitionId": B,
                    "operator": "LESS_THAN",
                    "thresholdValue": "3",
                    "windowAfter": 1,
                    "windowBefore": 2,
                },
            },
            "When Response Time ≥ 1 OR metric 99999999… ≠ Calm, then from 2 segments before to "
            "1 segment after: talk_time < 3.",
            "how many times the pattern happens (NUMERIC)",
        ),
        (
            {"operation": "OUTCOME_AGGREGATE", "triggers": [], "outcome": None},
            "When ….",
            "the outcome metric's values inside the windows, aggregated",
        ),
    ],
)
def test_pattern(pattern, sentence, measures):
    out = words({"calculationType": "PATTERN", "pattern": pattern})
    assert out["Pattern"] == sentence
    assert out["Measures"] == measures


def test_pattern_parts_with_missing_values():
    step = PatternStep(source_metric_definition_id=A)
    assert condition_in_words(step, BY_ID) == "Response Time … …"
    assert window_in_words(step, None) == "within … s after"


def test_threshold_uses_the_source_name_and_unit():
    out = words(
        {
            "calculationType": "THRESHOLD",
            "type": "BOOLEAN",
            "threshold": {
                "sourceMetricDefinitionId": A,
                "operator": "GREATER_THAN",
                "thresholdValue": "1500",
                "aggregationMode": "AVERAGE",
            },
        }
    )
    assert out["Check"] == (
        "Passes when the AVERAGE of Response Time over the conversation is > 1500 ms"
    )


def test_equality_thresholds_read_as_words():
    spec = ThresholdSpec(operator="NOT_EQUALS", threshold_value="billing")
    assert threshold_sentence(spec, "Reason") == "Passes when any value of Reason is not billing"


def test_a_threshold_on_an_offset_is_in_ms_as_the_wizard_typed_it():
    threshold = {"sourceMetricDefinitionId": C, "operator": "GREATER_THAN", "thresholdValue": "9"}
    out = words({"calculationType": "THRESHOLD", "type": "BOOLEAN", "threshold": threshold})
    assert out["Check"].endswith("is > 9 ms")


def test_provider_with_unit_and_evidence_source():
    out = words(
        {
            "calculationType": "PROVIDER",
            "type": "COUNT",
            "unit": {"name": "interruptions", "symbol": None},
            "evidenceSource": {"metricId": "barge_in_yield_appropriateness", "countsWhen": False},
        }
    )
    assert out["Kind"] == "Roark model: computed by Roark's own models"
    assert out["Output"] == "COUNT · unit interruptions"
    assert out["Counts"] == "the per-turn verdicts of barge_in_yield_appropriateness that are false"


def test_unknown_kind_reads_as_it_comes():
    out = words({"calculationType": "SOMETHING_NEW", "type": "WEIRD"})
    assert out["Kind"] == "SOMETHING_NEW" and out["Output"] == "WEIRD"


@pytest.mark.parametrize(
    ("spec", "sentence"),
    [
        (
            ThresholdSpec(operator="GREATER_THAN_OR_EQUALS", threshold_value="3"),
            "Passes when any value of Score is ≥ 3",
        ),
        (
            ThresholdSpec(
                operator="EQUALS",
                threshold_value="true",
                aggregation_mode="COUNT",
                count_threshold=2,
                source_participant_role="AGENT",
            ),
            "Passes when at least 2 values of Score (AGENT only) are true",
        ),
        (
            ThresholdSpec(
                operator="LESS_THAN",
                threshold_value="3",
                aggregation_mode="COUNT",
                count_threshold=1,
            ),
            "Passes when at least 1 value of Score is < 3",
        ),
        (
            ThresholdSpec(aggregation_mode="P95"),
            "Passes when the P95 of Score over the conversation is … …",
        ),
    ],
)
def test_threshold_sentence(spec, sentence):
    assert threshold_sentence(spec, "Score") == sentence
