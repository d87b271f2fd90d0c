"""core/rescore.py: which metrics a re-score offers, following a job without sleeping, and
the values that changed, old -> new; core/definition_diff.py: the PUT body of an edit."""

from __future__ import annotations

from typing import Any

from roark_tui.api import errors
from roark_tui.api.models import CollectionJob, MetricDefinition, MetricGroup
from roark_tui.core import definition_diff, rescore

SOURCE = "11111111-1111-1111-1111-111111111111"
OLD_CHECK = "22222222-2222-2222-2222-222222222222"
NEW_CHECK = "33333333-3333-3333-3333-333333333333"
OTHER = "44444444-4444-4444-4444-444444444444"


def threshold(def_id: str, source: str, value: str, name: str) -> MetricDefinition:
    return MetricDefinition.model_validate(
        {
            "id": def_id,
            "slug": name.lower().replace(" ", "_"),
            "name": name,
            "calculationType": "THRESHOLD",
            "type": "BOOLEAN",
            "threshold": {
                "sourceMetricDefinitionId": source,
                "operator": "GREATER_THAN_OR_EQUALS",
                "thresholdValue": value,
            },
        }
    )


DEFINITIONS = [
    MetricDefinition(id=SOURCE, slug="empathy", name="Empathy", calculation_type="LLM_JUDGE"),
    threshold(OLD_CHECK, SOURCE, "3", "Empathy at least 3"),
    threshold(NEW_CHECK, SOURCE, "2", "Empathy at least 2"),
    threshold(OTHER, "55555555-5555-5555-5555-555555555555", "1", "Elsewhere"),
]


def group(def_id: str, name: str, *values: Any, kind: str = "BOOLEAN") -> MetricGroup:
    return MetricGroup.model_validate(
        {
            "metricDefinitionId": def_id,
            "name": name,
            "type": kind,
            "values": [{"captureStatus": "SUCCESS", "context": "CALL", "value": v} for v in values],
        }
    )


BEFORE = [group(SOURCE, "Empathy", 2, kind="SCALE"), group(OLD_CHECK, "Empathy at least 3", False)]


def test_changed_are_unscored_thresholds_on_present_sources_and_edits() -> None:
    changed = rescore.changed_metrics(BEFORE, DEFINITIONS)
    assert [d.id for d in changed] == [NEW_CHECK]
    with_edit = rescore.changed_metrics(BEFORE, DEFINITIONS, edited=[SOURCE])
    assert [d.id for d in with_edit] == [SOURCE, NEW_CHECK]


def test_default_targets_take_the_replacement_along() -> None:
    changed = rescore.changed_metrics(BEFORE, DEFINITIONS)
    assert [d.id for d in rescore.default_targets(OLD_CHECK, DEFINITIONS, changed)] == [
        OLD_CHECK,
        NEW_CHECK,
    ]
    assert [d.id for d in rescore.default_targets(SOURCE, DEFINITIONS, changed)] == [
        SOURCE,
        NEW_CHECK,
    ]
    assert rescore.default_targets("unknown", DEFINITIONS, changed) == []


def test_changes_show_old_and_new_with_marks() -> None:
    after = [*BEFORE, group(NEW_CHECK, "Empathy at least 2", True)]
    found = rescore.changes(BEFORE, after, [OLD_CHECK, NEW_CHECK], DEFINITIONS)
    assert [c.line() for c in found] == [
        "Empathy at least 2: no value → ✔ true",
        "Empathy at least 3: ✘ false (unchanged)",
    ]
    flipped = [BEFORE[0], group(OLD_CHECK, "Empathy at least 3", True)]
    lines = [c.line() for c in rescore.changes(BEFORE, flipped, [OLD_CHECK], DEFINITIONS)]
    assert lines == ["Empathy at least 3: ✘ false → ✔ true"]
    assert not rescore.changes(BEFORE, flipped, [NEW_CHECK], DEFINITIONS)


def job(status: str, done: int = 0, total: int = 2) -> CollectionJob:
    return CollectionJob(id="j", status=status, total_items=total, completed_items=done)


async def test_follow_polls_until_finished_without_sleeping() -> None:
    answers: list[Any] = [
        job("PROCESSING", 1),
        errors.ServerError("passing"),
        job("COMPLETED", 2),
    ]
    waits: list[float] = []
    seen: list[str] = []

    async def fetch(job_id: str) -> CollectionJob:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def sleep(delay: float) -> None:
        waits.append(delay)

    done = await rescore.follow_job(
        fetch, job("PENDING"), sleep=sleep, on_progress=lambda j: seen.append(rescore.progress(j))
    )
    assert done.status == "COMPLETED" and not answers
    assert seen == ["Re-score queued (2 to score)", "Re-scoring: 1 of 2 done", "Re-scored: 2 of 2"]
    assert waits == sorted(waits) and len(waits) == 3


async def test_follow_gives_up_at_its_timeout() -> None:
    now = [0.0]

    async def fetch(job_id: str) -> CollectionJob:
        return job("PROCESSING")

    async def sleep(delay: float) -> None:
        now[0] += delay

    last = await rescore.follow_job(
        fetch, job("PENDING"), sleep=sleep, clock=lambda: now[0], timeout=5
    )
    assert last.status == "PROCESSING" and now[0] >= 5


def test_update_body_carries_only_editable_changes() -> None:
    judge = MetricDefinition.model_validate(
        {
            "id": SOURCE,
            "name": "Empathy",
            "calculationType": "LLM_JUDGE",
            "type": "BOOLEAN",
            "llmPrompt": "Was the agent kind?",
            "scope": "GLOBAL",
        }
    )
    wanted = {
        "name": "Empathy",
        "llmPrompt": "Was the agent kind and patient?",
        "scope": "PER_PARTICIPANT",
        "outputType": "BOOLEAN",
        "booleanTrueLabel": "Kind",
    }
    body = definition_diff.update_body(judge, wanted, reason="  stricter  ")
    assert body == {
        "llmPrompt": "Was the agent kind and patient?",
        "booleanTrueLabel": "Kind",
        "changeReason": "stricter",
    }
    assert definition_diff.diff(judge, body) == [
        ("llmPrompt", "Was the agent kind?", "Was the agent kind and patient?"),
        ("booleanTrueLabel", "(none)", "Kind"),
    ]
    assert not definition_diff.applied(judge, body)
    assert definition_diff.update_body(judge, {"name": "Empathy"}, reason="why") == {}
    check = DEFINITIONS[1]
    assert definition_diff.update_body(check, {"name": "New", "llmPrompt": "x"}) == {"name": "New"}
    assert definition_diff.read_only(MetricDefinition(id=OTHER, calculation_type="PROVIDER"))
