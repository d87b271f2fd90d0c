"""The results body of a run: its summary, verdict, calls, metrics, debrief, breakdowns, sweep
attribution and the comparison with a baseline run (the requested one, else the plan's previous
settled run)."""

from __future__ import annotations

from typing import Any

from roark_tui.sandbox.demo_runs import SEEDS
from roark_tui.sandbox.problems import not_found
from roark_tui.sandbox.run_debrief import debrief, sweep
from roark_tui.sandbox.run_grading import (
    breakdown,
    call_entry,
    checks_and_metrics,
    mean_rate,
    pass_rate,
    run_block,
    verdict,
)
from roark_tui.sandbox.run_view import RunView, view
from roark_tui.sandbox.state import SandboxState

SETTLED = ("COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED")


def results(state: SandboxState, job_id: str, compare_to: str | None = None) -> dict[str, Any]:
    """The results body of one run (404 for an unknown run or baseline)."""
    run = view(state, job_id)
    if run is None:
        raise not_found("simulation run plan job", job_id, "jobId")
    data = results_of(run)
    baseline = _baseline(state, run, compare_to)
    data["comparison"] = _comparison(data, baseline, requested=compare_to is not None)
    return {"data": data}


def results_of(run: RunView) -> dict[str, Any]:
    seed = run.seed
    calls = [call_entry(seed, i, sim, landed) for i, (sim, landed) in enumerate(run.calls)]
    counted = [c for c in calls if c["counted"]]
    evaluated = [c for c in counted if c["passed"] is not None]
    passed_calls = sum(1 for c in evaluated if c["passed"])
    checks, metrics = checks_and_metrics(seed, calls)
    score = mean_rate([c["passRate"] for c in checks])
    pooled = [k["passed"] for c in evaluated for k in c["checks"]]
    summary = {
        "totalCalls": len(calls),
        "countedCalls": len(counted),
        "completedCalls": sum(1 for c in counted if c["status"] == "COMPLETED"),
        "evaluatedCalls": len(evaluated),
        "passedCalls": passed_calls,
        "failedCalls": len(evaluated) - passed_calls,
        "callPassRate": pass_rate(passed_calls, len(evaluated)),
        "checkPassRate": pass_rate(sum(pooled), len(pooled)),
        "score": score,
    }
    return {
        "run": run_block(run),
        "summary": summary,
        "attemptSummary": {
            "attemptCount": len(calls),
            "retryCount": 0,
            "silentAttemptCount": 0,
            "stillSilentTestCaseCount": 0,
            "testCaseCount": len(calls),
        },
        "verdict": verdict(run, checks, calls, score) if run.settled else None,
        "calls": calls,
        "metrics": metrics,
        "comparison": None,
        "debrief": debrief(seed, checks) if run.settled else None,
        "breakdowns": {
            "byAgent": breakdown(calls, "agentName"),
            "byPersona": breakdown(calls, "personaName"),
        },
        "sweepAttribution": sweep(seed, calls, checks) if run.settled else None,
    }


# --- comparison ----------------------------------------------------------------------------


def _baseline(state: SandboxState, run: RunView, compare_to: str | None) -> RunView | None:
    """The requested run, else the plan's previous settled run."""
    if compare_to:
        found = view(state, compare_to)
        if found is None:
            raise not_found("simulation run plan job", compare_to, "compareToJobId")
        return found
    earlier = [
        s
        for s in SEEDS
        if s.plan_id == run.seed.plan_id
        and s.run_number < run.seed.run_number
        and s.status in SETTLED
    ]
    if not earlier:
        return None
    return view(state, max(earlier, key=lambda s: s.run_number).job_id)


def _comparison(
    current: dict[str, Any], baseline_run: RunView | None, *, requested: bool
) -> dict[str, Any] | None:
    if baseline_run is None:
        return None
    baseline = results_of(baseline_run)
    now_checks = {c["metricDefinitionId"]: c for c in _verdict_checks(current)}
    then_checks = {c["metricDefinitionId"]: c for c in _verdict_checks(baseline)}
    rows = []
    for def_id in {**now_checks, **then_checks}:
        now, then = now_checks.get(def_id), then_checks.get(def_id)
        name = (now or then or {}).get("metricName")
        now_rate = now["passRate"] if now else None
        then_rate = then["passRate"] if then else None
        rows.append(
            {
                "metricDefinitionId": def_id,
                "metricName": name,
                "baselinePassRate": then_rate,
                "currentPassRate": now_rate,
                "delta": _delta(now_rate, then_rate),
            }
        )
    summary, base = current["summary"], baseline["summary"]
    return {
        "baselineRun": {
            "simulationRunPlanJobId": baseline_run.seed.job_id,
            "runNumber": baseline_run.seed.run_number,
            "status": baseline_run.status,
            "endedAt": baseline_run.ended_at,
        },
        "baselineSource": "REQUESTED" if requested else "PREVIOUS_RUN",
        "baselineScore": base["score"],
        "currentScore": summary["score"],
        "scoreDelta": _delta(summary["score"], base["score"]),
        "baselineCallPassRate": base["callPassRate"],
        "currentCallPassRate": summary["callPassRate"],
        "callPassRateDelta": _delta(summary["callPassRate"], base["callPassRate"]),
        "checks": rows,
    }


def _verdict_checks(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A run's check rows, from its verdict or (still running) from its calls so far."""
    if data["verdict"] is not None:
        return list(data["verdict"]["checks"])
    return [
        {"metricDefinitionId": m["metricDefinitionId"], "metricName": m["name"]}
        | {"passRate": (m["check"] or {}).get("passRate")}
        for m in data["metrics"]
        if m["isCheck"]
    ]


def _delta(now: float | None, then: float | None) -> float | None:
    return round(now - then, 1) if now is not None and then is not None else None
