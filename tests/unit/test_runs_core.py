"""core/runs.py: Roark's verdict read back in words, worst first, and what a gate makes of it."""

from __future__ import annotations

import json

import pytest

from roark_tui.api.runs import RunResults, RunResultsResponse, VerdictFailure
from roark_tui.core import runs


def results(**data: object) -> RunResults:
    parsed = RunResultsResponse.model_validate_json(json.dumps({"data": data}))
    assert parsed.data is not None
    return parsed.data


def check(name: str, rate: float | None, minimum: float, passed: bool) -> dict[str, object]:
    return {
        "metricDefinitionId": name.lower(),
        "metricName": name,
        "passRate": rate,
        "minPassRate": minimum,
        "passed": passed,
        "inherited": True,
        "evaluatedSims": 4,
        "passedSims": 2,
    }


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        (
            {"type": "RUN_NOT_COMPLETED", "status": "TIMED_OUT"},
            "did not complete: it ended TIMED OUT",
        ),
        (
            {"type": "INCOMPLETE_COVERAGE", "evaluatedCalls": 1, "expectedCalls": 3},
            "1 of 3 expected calls",
        ),
        (
            {"type": "AGENT_NEVER_SPOKE", "neverSpokeCalls": 2, "totalCalls": 5, "maxShare": 20},
            "never spoke on 2 of 5 calls (at most 20% may be silent)",
        ),
        ({"type": "METRIC_NOT_EVALUATED", "metricName": "Greeting"}, "Greeting was not evaluated"),
        (
            {
                "type": "METRIC_BELOW_MIN_PASS_RATE",
                "metricName": "Latency",
                "passRate": 50,
                "minPassRate": 80,
                "inherited": False,
            },
            "Latency passed 50% of calls, below 80% (its own minimum)",
        ),
        ({"type": "SOMETHING_NEW", "metricName": "X"}, "SOMETHING_NEW: X"),
        ({}, "UNKNOWN"),
    ],
)
def test_every_failure_member_is_worded(failure: dict[str, object], words: str) -> None:
    assert words in runs.failure_words(VerdictFailure.model_validate(failure))


def test_outcome_is_roarks_verdict_and_never_a_pass_without_one() -> None:
    settled = {"run": {"status": "COMPLETED"}}
    assert runs.outcome(results(**settled, verdict={"passed": True})) is runs.RunOutcome.PASSED
    assert runs.outcome(results(**settled, verdict={"passed": False})) is runs.RunOutcome.FAILED
    assert runs.outcome(results(**settled)) is runs.RunOutcome.NO_VERDICT
    assert runs.outcome(results(**settled, verdict={"passed": "yes"})) is runs.RunOutcome.NO_VERDICT
    running = results(run={"status": "RUNNING_SIMULATIONS"}, verdict={"passed": True})
    assert runs.outcome(running) is runs.RunOutcome.RUNNING
    timed_out = results(run={"status": "TIMED_OUT"}, verdict={"passed": True})
    assert runs.outcome(timed_out) is runs.RunOutcome.NOT_COMPLETED
    not_completed = results(
        **settled, verdict={"passed": False, "failures": [{"type": "RUN_NOT_COMPLETED"}]}
    )
    assert runs.outcome(not_completed) is runs.RunOutcome.NOT_COMPLETED
    assert runs.outcome(results(run={"status": "NEW_STATUS"})) is runs.RunOutcome.RUNNING


def test_checks_worst_first_with_their_delta() -> None:
    data = results(
        run={"status": "COMPLETED"},
        verdict={
            "passed": False,
            "checks": [
                check("Fine", 100, 80, True),
                check("Close", 70, 80, False),
                check("Far", 50, 90, False),
                check("Barely", 81, 80, True),
            ],
        },
        comparison={
            "checks": [{"metricDefinitionId": "far", "delta": -30, "baselinePassRate": 80}]
        },
    )
    rows = runs.check_rows(data)
    assert [r.name for r in rows] == ["Far", "Close", "Barely", "Fine"]
    assert rows[0].delta == -30 and runs.delta_text(rows[0].delta) == "-30 pts"
    assert rows[1].delta is None and runs.delta_text(None) == ""


def test_running_checks_come_from_the_metric_tallies() -> None:
    data = results(
        run={"status": "RUNNING_SIMULATIONS"},
        metrics=[
            {"metricDefinitionId": "a", "name": "A", "isCheck": True, "check": {"passRate": 50}},
            {"metricDefinitionId": "b", "name": "B", "isCheck": False},
        ],
    )
    assert [(r.name, r.pass_rate, r.min_pass_rate) for r in runs.check_rows(data)] == [
        ("A", 50.0, None)
    ]
    assert "verdict comes only when the run ends" in runs.headline(data)


def test_calls_failed_first_with_their_failing_checks_named_worst_first() -> None:
    def call(call_id: str, passed: bool | None, failed: list[str]) -> dict[str, object]:
        checks = [
            {"metricDefinitionId": f.lower(), "metricName": f, "passed": False} for f in failed
        ]
        return {"callId": call_id, "passed": passed, "checks": checks}

    data = results(
        run={"status": "COMPLETED"},
        verdict={"checks": [check("Far", 50, 90, False), check("Close", 70, 80, False)]},
        calls=[
            call("ok", True, []),
            call("ungraded", None, []),
            call("one", False, ["Close"]),
            call("two", False, ["Close", "Far"]),
        ],
    )
    rows = runs.call_rows(data)
    assert [r.call.call_id for r in rows] == ["two", "one", "ungraded", "ok"]
    assert rows[0].failing == ("Far", "Close")
    assert [r.call.call_id for r in runs.calls_failing(rows, "far")] == ["two"]
    assert [r.call.call_id for r in runs.worst_calls(rows)] == ["two", "one"]


def test_numbers_and_labels() -> None:
    assert runs.run_label(42) == "SR-42"
    assert runs.run_label(None, "4b9e2f71-8c3a") == "4b9e2f71"
    assert runs.pct(66.66) == "66.7%" and runs.pct(100.0) == "100%" and runs.pct(None) == "—"
    assert runs.delta_text(0.0) == "±0 pts" and runs.delta_text(5) == "+5 pts"


@pytest.mark.parametrize(
    "text",
    [
        "4b9e2f71-8c3a-4d5e-b6f0-1a2c3d4e5f42",
        "  '4b9e2f71-8c3a-4d5e-b6f0-1a2c3d4e5f42' ",
        "https://app.roark.ai/projects/5d1f0b8e-2c47-4a93-8e6b-0f3a9c7d2e10/simulations/"
        "runs/4b9e2f71-8c3a-4d5e-b6f0-1a2c3d4e5f42?tab=calls",
        "https://app.roark.ai/simulations?jobId=4b9e2f71-8c3a-4d5e-b6f0-1a2c3d4e5f42",
    ],
)
def test_a_run_is_named_by_id_or_url(text: str) -> None:
    assert runs.parse_run_ref(text) == "4b9e2f71-8c3a-4d5e-b6f0-1a2c3d4e5f42"


@pytest.mark.parametrize(
    "text", ["", "https://app.roark.ai/projects/5d1f0b8e-2c47-4a93-8e6b-0f3a9c7d2e10", "a b"]
)
def test_a_bad_run_reference_says_why(text: str) -> None:
    with pytest.raises(ValueError):
        runs.parse_run_ref(text)
