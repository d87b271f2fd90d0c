"""arrival: the signs, read from one look, that a conversation's metrics may still be coming."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from roark_tui.api.models import Call, Chat, MetricDefinition, MetricGroup
from roark_tui.core.arrival import still_arriving
from roark_tui.core.metric_tree import GroupRow, build_rows

AT = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
DEFINITIONS = [
    MetricDefinition(
        id="id-sentiment", slug="sentiment", calculation_type="PROVIDER", type="NUMERIC"
    ),
    MetricDefinition(
        id="id-greeting", slug="greeting", calculation_type="LLM_JUDGE", type="BOOLEAN"
    ),
]


def rows(*slugs: str) -> list[GroupRow]:
    groups = [
        MetricGroup.model_validate(
            {
                "metricDefinitionId": f"id-{s}",
                "slug": s,
                "values": [{"captureStatus": "SUCCESS", "value": 1}],
            }
        )
        for s in slugs
    ]
    return build_rows(groups, definitions=DEFINITIONS)


def chat(ended: timedelta) -> Chat:
    return Chat(id="c", end_timestamp=(AT - ended).isoformat())


def test_each_sign_in_words() -> None:
    old, only_observations, with_check = (
        chat(timedelta(days=3)),
        rows("sentiment"),
        rows("sentiment", "greeting"),
    )
    live = Call(id="k", status="IN_PROGRESS")
    assert still_arriving(live, [], DEFINITIONS, (), AT, all_statuses=True) == (
        "The call is still in progress: Roark scores it once it ends"
    )
    assert still_arriving(
        old, with_check, DEFINITIONS, ("a", "b", "c", "d"), AT, all_statuses=True
    ) == ("4 expected metrics not in yet (a, b, c, …)")
    assert still_arriving(
        chat(timedelta(minutes=2)), with_check, DEFINITIONS, (), AT, all_statuses=True
    ) == ("Ended 2 min ago: metrics may still be computing")
    assert still_arriving(old, only_observations, DEFINITIONS, (), AT, all_statuses=True) == (
        "No checks yet, 1 metric in: more may be computing"
    )


def test_no_sign_no_words() -> None:
    old = chat(timedelta(days=3))
    assert (
        still_arriving(old, rows("sentiment", "greeting"), DEFINITIONS, (), AT, all_statuses=True)
        is None
    )
    # an ended call, long ago, with a check in: done
    ended = Call(id="k", status="ENDED", ended_at=(AT - timedelta(hours=2)).isoformat())
    assert still_arriving(ended, rows("greeting"), DEFINITIONS, (), AT, all_statuses=True) is None
    # with status=success an errored check is hidden, not missing; without definitions no
    # metric is known to be a check; a project without checks has none to wait for
    assert still_arriving(old, rows("sentiment"), DEFINITIONS, (), AT, all_statuses=False) is None
    assert still_arriving(old, rows("sentiment"), [], (), AT, all_statuses=True) is None
    assert (
        still_arriving(old, rows("sentiment"), DEFINITIONS[:1], (), AT, all_statuses=True) is None
    )
    # an end in the future (a clock skew) is no sign, nor is no conversation at all
    assert (
        still_arriving(
            chat(-timedelta(minutes=5)), rows("greeting"), DEFINITIONS, (), AT, all_statuses=True
        )
        is None
    )
    assert still_arriving(None, rows("greeting"), DEFINITIONS, (), AT, all_statuses=True) is None
