"""core/tune.py: what t offers on a check, the draft a tuned threshold starts from, the old
rule beside the new one, and the old threshold's name once replaced."""

from __future__ import annotations

from roark_tui.api.models import MetricDefinition, MetricGroup
from roark_tui.core import tune
from roark_tui.core.whatif import Rule

SOURCE = "11111111-1111-1111-1111-111111111111"
CHECK = MetricDefinition.model_validate(
    {
        "id": "22222222-2222-2222-2222-222222222222",
        "name": "Agent Showed Empathy",
        "calculationType": "THRESHOLD",
        "type": "BOOLEAN",
        "threshold": {
            "sourceMetricDefinitionId": SOURCE,
            "operator": "GREATER_THAN_OR_EQUALS",
            "thresholdValue": "3",
            "aggregationMode": "EACH",
            "countThreshold": None,
            "sourceParticipantRole": None,
            "sourceVariantId": "33333333-3333-3333-3333-333333333333",
        },
    }
)
EMPATHY = MetricDefinition(id=SOURCE, slug="empathy_score", name="Agent Empathy", type="SCALE")


def scored(*values: int) -> list[MetricGroup]:
    return [
        MetricGroup.model_validate(
            {
                "metricDefinitionId": SOURCE,
                "type": "SCALE",
                "values": [
                    {"captureStatus": "SUCCESS", "context": "CALL", "value": v} for v in values
                ],
            }
        )
    ]


def test_what_t_offers() -> None:
    assert tune.tuning_of(CHECK) == "threshold"
    judge = MetricDefinition(id="j", calculation_type="LLM_JUDGE", type="BOOLEAN")
    assert tune.tuning_of(judge) == "authored"
    provider = MetricDefinition(id="p", calculation_type="PROVIDER", type="BOOLEAN")
    assert tune.tuning_of(provider) == "none"
    assert tune.tuning_of(None) == "none"


def test_the_draft_starts_from_the_threshold() -> None:
    assert tune.draft_fields(CHECK, EMPATHY) == {
        "source": "empathy_score",
        "operator": "GREATER_THAN_OR_EQUALS",
        "value": "3",
        "aggregation_mode": "EACH",
        "count_threshold": "",
        "source_participant_role": "",
        "source_variant_id": "33333333-3333-3333-3333-333333333333",
    }


def test_old_and_new_side_by_side_and_on_recent_ones() -> None:
    old = tune.rule_of(CHECK)
    assert old is not None
    new = Rule(operator="GREATER_THAN_OR_EQUALS", value="2")
    pair = tune.side_by_side(old, new, scored(2)[0].values, "SCALE")
    assert (tune.verdict_word(pair.old), tune.verdict_word(pair.new)) == ("fails", "passes")
    assert pair.changed
    recent = [scored(2), scored(1), scored(4), None, []]
    assert tune.recent_counts(old, new, SOURCE, recent, "SCALE") == (
        "fails today on 2 of 3; with the new value on 1 of 3"
    )
    assert "none of the recent" in tune.recent_counts(old, new, SOURCE, [None], "SCALE")


def test_replaced_name_is_bounded_and_said_once() -> None:
    assert tune.replaced_name("Agent Showed Empathy") == "Agent Showed Empathy (replaced)"
    assert tune.replaced_name("Agent Showed Empathy (replaced)").count("replaced") == 1
    assert len(tune.replaced_name("x" * 100)) == 100
