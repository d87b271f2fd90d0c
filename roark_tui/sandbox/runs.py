"""Simulation runs: GET /v1/simulation/plan/jobs, /job/{jobId} and /job/{jobId}/results.

Built from the run seeds (demo_runs.py) and the demo calls' own metrics: a check's verdict on a
call is the CALL value of that check in the call's metrics, so a run can never say a call failed
a check its own metrics pass. Pass rates, the verdict and its failures, the comparison and the
sweep attribution are computed here the way Roark documents them (a check passes when its pass
rate reaches its minimum, 80% unless the plan set one; the score is the mean of the checks' pass
rates). The running run (demo_runs.RUNNING_RUN_ID) is seen at `SandboxState.run_elapsed()`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from roark_tui.sandbox import catalog, payloads
from roark_tui.sandbox.big_run import BIG_RUN_ID, big_run_body
from roark_tui.sandbox.conversations import iso, parse_iso
from roark_tui.sandbox.demo_runs import (
    AGENT_NAMES,
    BY_ID,
    PLAN_NAMES,
    SEEDS,
    SETTLE_SECONDS,
    RunSeed,
    SimCall,
)
from roark_tui.sandbox.http import Request, Response
from roark_tui.sandbox.problems import invalid, not_found
from roark_tui.sandbox.state import SandboxState

DEFAULT_MIN_PASS_RATE = 80.0
MAX_NEVER_SPOKE_SHARE = 20.0
RUN_STATUSES = (
    "PENDING",
    "QUEUED",
    "CREATING_SNAPSHOTS",
    "CREATING_SIMULATIONS",
    "PREPARING_CAPACITY",
    "RUNNING_SIMULATIONS",
    "COMPLETED",
    "FAILED",
    "TIMED_OUT",
    "CANCELLED",
    "CANCELLING",
    "ENDING_SIMULATIONS",
)
SETTLED = ("COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED")
MAX_LIMIT = 50
DEFAULT_LIMIT = 20
MIN_ARM_CALLS = 2
FOUND_UNATTRIBUTED_RATE = 20.0
FALSE_DISCOVERY_RATE = 0.1


# --- what a run looks like at a moment -----------------------------------------------------


class RunView:
    """One seed as seen at `elapsed` seconds (only the running run changes with time)."""

    def __init__(self, seed: RunSeed, elapsed: float) -> None:
        self.seed = seed
        self.settled = not seed.running or elapsed >= SETTLE_SECONDS
        self.status = seed.status if self.settled else "RUNNING_SIMULATIONS"
        self.calls = [(sim, self.settled or elapsed >= sim.lands_at) for sim in seed.calls]
        start = parse_iso(seed.created_at) + timedelta(seconds=5)
        self.created_at = seed.created_at
        self.started_at = iso(start)
        self.ended_at = None
        self.duration_ms = None
        if self.settled and seed.duration_s is not None:
            self.ended_at = iso(start + timedelta(seconds=seed.duration_s))
            self.duration_ms = seed.duration_s * 1000

    def list_item(self) -> dict[str, Any]:
        item = {
            "simulationRunPlanJobId": self.seed.job_id,
            "simulationRunPlanId": self.seed.plan_id,
            "status": self.status,
            "triggeredBy": self.seed.triggered_by,
            "createdAt": self.created_at,
            "startedAt": self.started_at,
        }
        if self.ended_at is not None:
            item["endedAt"] = self.ended_at
        return item


def view(state: SandboxState, job_id: str) -> RunView | None:
    seed = BY_ID.get(job_id.lower())
    if seed is None:
        return None
    return RunView(seed, state.run_elapsed() if seed.running else 0.0)


def placements(state: SandboxState) -> dict[str, list[tuple[str, str]]]:
    """Which runs, as (job id, plan id), have placed each call so far: the run filters of
    GET /v1/call."""
    placed: dict[str, list[tuple[str, str]]] = {}
    for job_id, seed in BY_ID.items():
        run = view(state, job_id)
        for sim, landed in run.calls if run is not None else ():
            if landed and sim.call_id:
                placed.setdefault(sim.call_id, []).append((seed.job_id, seed.plan_id))
    return placed


# --- checks and values, read from the calls' own metrics -----------------------------------


def _check_definition(source_slug: str) -> dict[str, Any]:
    return catalog.check_of(source_slug)


def _call_value(call_id: str, slug: str) -> dict[str, Any] | None:
    """The CALL-level SUCCESS row of `slug` on a demo call, if it has one."""
    conv = payloads.conversation(call_id)
    if conv is None:
        return None
    for group in conv.groups:
        if group["slug"] != slug:
            continue
        for row in group["values"]:
            if row.get("context") == "CALL" and row.get("captureStatus") == "SUCCESS":
                found: dict[str, Any] = row
                return found
    return None


def check_verdict(call_id: str, source_slug: str) -> bool | None:
    """Whether the call passed the check over `source_slug`; None when it was not graded."""
    row = _call_value(call_id, _check_definition(source_slug)["slug"])
    value = None if row is None else row.get("value")
    return value if isinstance(value, bool) else None


def _sim_id(seed: RunSeed, index: int) -> str:
    return f"{seed.job_id[:24]}{index:012d}"


def _call_entry(seed: RunSeed, index: int, sim: SimCall, landed: bool) -> dict[str, Any]:
    checks: list[dict[str, Any]] = []
    values: list[dict[str, Any]] = []
    if landed and sim.call_id:
        for source in seed.checks:
            check = _check_definition(source)
            passed = check_verdict(sim.call_id, source)
            if passed is not None:
                checks.append(
                    {
                        "metricDefinitionId": check["id"],
                        "metricName": check["name"],
                        "passed": passed,
                    }
                )
            row = _call_value(sim.call_id, source)
            if row is not None:
                definition = catalog.by_slug(source)
                values.append(
                    {
                        "metricDefinitionId": definition["id"],
                        "metricName": definition["name"],
                        "outputType": definition["type"],
                        "participantRole": row.get("participantRole"),
                        "reasoning": row.get("valueReasoning"),
                        "value": row.get("value"),
                    }
                )
    status = sim.status if landed else "IN_CALL"
    graded = bool(checks) and sim.counted
    conv = payloads.conversation(sim.call_id) if landed and sim.call_id else None
    return {
        "simulationJobId": _sim_id(seed, index),
        "callId": sim.call_id if landed else None,
        "status": status,
        "counted": sim.counted,
        "passed": all(c["passed"] for c in checks) if graded else None,
        "attemptNumber": 1,
        "retryOfSimulationJobId": None,
        "agentName": AGENT_NAMES.get(sim.call_id or ""),
        "personaName": sim.persona,
        "durationMs": conv.record.get("durationMs") if conv is not None else None,
        "checks": checks,
        "values": values,
    }


def _rate(passed: int, evaluated: int) -> float | None:
    return round(100.0 * passed / evaluated, 1) if evaluated else None


def _mean(rates: list[float | None]) -> float | None:
    known = [r for r in rates if r is not None]
    return round(sum(known) / len(known), 1) if known else None


# --- the results ---------------------------------------------------------------------------


def results(state: SandboxState, job_id: str, compare_to: str | None = None) -> dict[str, Any]:
    """The results body of one run (404 for an unknown run or baseline)."""
    run = view(state, job_id)
    if run is None:
        raise not_found("simulation run plan job", job_id, "jobId")
    data = _results_of(run)
    baseline = _baseline(state, run, compare_to)
    data["comparison"] = _comparison(data, baseline, requested=compare_to is not None)
    return {"data": data}


def _results_of(run: RunView) -> dict[str, Any]:
    seed = run.seed
    calls = [_call_entry(seed, i, sim, landed) for i, (sim, landed) in enumerate(run.calls)]
    counted = [c for c in calls if c["counted"]]
    evaluated = [c for c in counted if c["passed"] is not None]
    passed_calls = sum(1 for c in evaluated if c["passed"])
    checks, metrics = _checks_and_metrics(seed, calls)
    score = _mean([c["passRate"] for c in checks])
    pooled = [k["passed"] for c in evaluated for k in c["checks"]]
    summary = {
        "totalCalls": len(calls),
        "countedCalls": len(counted),
        "completedCalls": sum(1 for c in counted if c["status"] == "COMPLETED"),
        "evaluatedCalls": len(evaluated),
        "passedCalls": passed_calls,
        "failedCalls": len(evaluated) - passed_calls,
        "callPassRate": _rate(passed_calls, len(evaluated)),
        "checkPassRate": _rate(sum(pooled), len(pooled)),
        "score": score,
    }
    return {
        "run": _run_block(run),
        "summary": summary,
        "attemptSummary": {
            "attemptCount": len(calls),
            "retryCount": 0,
            "silentAttemptCount": 0,
            "stillSilentTestCaseCount": 0,
            "testCaseCount": len(calls),
        },
        "verdict": _verdict(run, checks, calls, score) if run.settled else None,
        "calls": calls,
        "metrics": metrics,
        "comparison": None,
        "debrief": _debrief(seed, checks) if run.settled else None,
        "breakdowns": {
            "byAgent": _breakdown(calls, "agentName"),
            "byPersona": _breakdown(calls, "personaName"),
        },
        "sweepAttribution": _sweep(seed, calls, checks) if run.settled else None,
    }


def _run_block(run: RunView) -> dict[str, Any]:
    return {
        "simulationRunPlanJobId": run.seed.job_id,
        "simulationRunPlanId": run.seed.plan_id,
        "simulationRunPlanName": PLAN_NAMES.get(run.seed.plan_id),
        "runNumber": run.seed.run_number,
        "status": run.status,
        "triggeredBy": run.seed.triggered_by,
        "createdAt": run.created_at,
        "startedAt": run.started_at,
        "endedAt": run.ended_at,
        "durationMs": run.duration_ms,
    }


def _checks_and_metrics(
    seed: RunSeed, calls: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The verdict's check rows and the metrics list (checks first, then their sources)."""
    checks: list[dict[str, Any]] = []
    check_metrics: list[dict[str, Any]] = []
    source_metrics: list[dict[str, Any]] = []
    for source in seed.checks:
        definition = _check_definition(source)
        verdicts = [
            k["passed"]
            for c in calls
            if c["counted"]
            for k in c["checks"]
            if k["metricDefinitionId"] == definition["id"]
        ]
        passed = sum(verdicts)
        rate = _rate(passed, len(verdicts))
        minimum = seed.min_pass_rates.get(source, DEFAULT_MIN_PASS_RATE)
        checks.append(
            {
                "metricDefinitionId": definition["id"],
                "metricName": definition["name"],
                "evaluatedSims": len(verdicts),
                "passedSims": passed,
                "passRate": rate,
                "minPassRate": minimum,
                "inherited": source not in seed.min_pass_rates,
                "passed": rate is not None and rate >= minimum,
            }
        )
        check_metrics.append(
            _metric(definition, len(verdicts), is_check=True)
            | {
                "check": {
                    "evaluatedCalls": len(verdicts),
                    "passedCalls": passed,
                    "failedCalls": len(verdicts) - passed,
                    "passRate": rate,
                },
                "distribution": [
                    {"value": "true", "count": passed},
                    {"value": "false", "count": len(verdicts) - passed},
                ],
            }
        )
        source_definition = catalog.by_slug(source)
        captured = [
            v["value"]
            for c in calls
            for v in c["values"]
            if v["metricDefinitionId"] == source_definition["id"]
        ]
        source_metrics.append(_source_metric(source_definition, captured))
    return checks, check_metrics + source_metrics


def _metric(definition: dict[str, Any], evaluated: int, *, is_check: bool) -> dict[str, Any]:
    unit = definition.get("unit") or {}
    return {
        "metricDefinitionId": definition["id"],
        "metricId": definition["slug"],
        "name": definition["name"],
        "outputType": definition["type"],
        "isCheck": is_check,
        "check": None,
        "distribution": None,
        "numeric": None,
        "evaluatedCalls": evaluated,
        "sampleSize": evaluated,
        "unitSymbol": unit.get("symbol"),
    }


def _source_metric(definition: dict[str, Any], captured: list[Any]) -> dict[str, Any]:
    metric = _metric(definition, len(captured), is_check=False)
    numbers = sorted(
        float(v) for v in captured if isinstance(v, int | float) and not isinstance(v, bool)
    )
    if numbers and definition["type"] in ("NUMERIC", "SCALE", "COUNT", "OFFSET"):
        metric["numeric"] = {
            "average": sum(numbers) / len(numbers),
            "min": numbers[0],
            "max": numbers[-1],
            "median": numbers[len(numbers) // 2],
            "p95": numbers[-1],
        }
    if definition["type"] == "BOOLEAN":
        metric["distribution"] = [
            {"value": str(flag).lower(), "count": sum(1 for v in captured if v is flag)}
            for flag in (True, False)
        ]
    return metric


def _verdict(
    run: RunView, checks: list[dict[str, Any]], calls: list[dict[str, Any]], score: float | None
) -> dict[str, Any]:
    failures: list[dict[str, Any]] = []
    if run.status != "COMPLETED":
        failures.append({"type": "RUN_NOT_COMPLETED", "status": run.status})
    evaluated = sum(1 for c in calls if c["counted"] and c["passed"] is not None)
    if evaluated < len(calls):
        failures.append(
            {
                "type": "INCOMPLETE_COVERAGE",
                "evaluatedCalls": evaluated,
                "expectedCalls": len(calls),
            }
        )
    for check in checks:
        if check["passRate"] is None:
            failures.append(
                {
                    "type": "METRIC_NOT_EVALUATED",
                    "metricDefinitionId": check["metricDefinitionId"],
                    "metricName": check["metricName"],
                }
            )
        elif not check["passed"]:
            failures.append(
                {
                    "type": "METRIC_BELOW_MIN_PASS_RATE",
                    "metricDefinitionId": check["metricDefinitionId"],
                    "metricName": check["metricName"],
                    "passRate": check["passRate"],
                    "minPassRate": check["minPassRate"],
                    "inherited": check["inherited"],
                }
            )
    return {"passed": not failures, "score": score, "checks": checks, "failures": failures}


def _breakdown(calls: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for call in calls:
        if call["counted"] and call[field]:
            groups.setdefault(call[field], []).append(call)
    rows = []
    for label, members in groups.items():
        evaluated = [c for c in members if c["passed"] is not None]
        passed = sum(1 for c in evaluated if c["passed"])
        rates: dict[str, list[bool]] = {}
        for call in evaluated:
            for check in call["checks"]:
                rates.setdefault(check["metricDefinitionId"], []).append(check["passed"])
        rows.append(
            {
                "key": label.lower().replace(" ", "-"),
                "label": label,
                "calls": len(members),
                "evaluatedCalls": len(evaluated),
                "passedCalls": passed,
                "callPassRate": _rate(passed, len(evaluated)),
                "score": _mean([_rate(sum(v), len(v)) for v in rates.values()]),
            }
        )
    return rows


def _debrief(seed: RunSeed, checks: list[dict[str, Any]]) -> dict[str, Any] | None:
    brief = seed.debrief
    if brief is None:
        return None
    ended = parse_iso(seed.created_at) + timedelta(seconds=(seed.duration_s or 0) + 5)
    ready = brief.status == "READY"
    return {
        "debriefId": f"{seed.job_id[:24]}d00000000001",
        "status": brief.status,
        "createdAt": iso(ended + timedelta(seconds=30)),
        "completedAt": iso(ended + timedelta(minutes=4)) if ready else None,
        "errorMessage": "The debrief writer timed out." if brief.status == "FAILED" else None,
        "report": _report(seed, checks, iso(ended + timedelta(minutes=4))) if ready else None,
    }


def _report(seed: RunSeed, checks: list[dict[str, Any]], when: str) -> dict[str, Any]:
    brief = seed.debrief
    assert brief is not None
    names = {c["metricDefinitionId"]: c["metricName"] for c in checks}
    failing = [c for c in checks if not c["passed"]]
    return {
        "verdict": "THRESHOLD_FAILED" if failing else "PASSED",
        "verdictSummary": brief.verdict_summary,
        "generatedAt": when,
        "executiveSummary": {"paragraphs": list(brief.paragraphs), "sections": []},
        "keyFindings": [
            {"title": t.title, "body": t.analysis, "callIds": list(t.call_ids)}
            for t in brief.themes
        ],
        "wentWell": [
            {
                "title": f"{c['metricName']} held at {c['passRate']:g}%",
                "body": "Every call that was graded on it passed.",
                "callIds": [],
            }
            for c in checks
            if c["passed"] and c["passRate"] == 100.0
        ],
        "themes": [
            {
                "slug": t.slug,
                "title": t.title,
                "analysis": t.analysis,
                "severity": t.severity,
                "impact": "HIGH",
                "prevalence": "ISOLATED",
                "lifecycle": "NEW",
                "rootCauseChannel": t.channel,
                "affectedCallCount": len(t.call_ids),
                "totalCallCount": len(seed.calls),
                "callIds": list(t.call_ids),
                "checkNames": [names[_check_definition(s)["id"]] for s in t.checks],
            }
            for t in brief.themes
        ],
        "recommendations": [
            {
                "order": n,
                "title": r.title,
                "body": r.body,
                "severity": r.severity,
                "channel": r.channel,
                "themeSlugs": list(r.themes),
                "currentText": r.current_text,
                "suggestedText": r.suggested_text,
            }
            for n, r in enumerate(brief.recommendations, start=1)
        ],
        "trend": None,
    }


def _sweep(
    seed: RunSeed, calls: list[dict[str, Any]], checks: list[dict[str, Any]]
) -> dict[str, Any] | None:
    if seed.sweep_property is None:
        return None
    arms: dict[str, list[dict[str, Any]]] = {}
    for sim, call in zip(seed.calls, calls, strict=True):
        if sim.sweep_value is not None:
            arms.setdefault(sim.sweep_value, []).append(call)
    values: list[dict[str, Any]] = []
    for value, members in arms.items():
        graded = [c for c in members if c["counted"] and c["passed"] is not None]
        rates: dict[str, list[bool]] = {}
        for call in graded:
            for check in call["checks"]:
                rates.setdefault(check["metricDefinitionId"], []).append(check["passed"])
        values.append(
            {
                "key": f"{seed.sweep_property}={value}",
                "label": value,
                "value": value,
                "isBaseline": value == next(iter(arms)),
                "attempted": len(members),
                "counted": len(graded),
                "retries": 0,
                "silentAttempts": 0,
                "score": _mean([_rate(sum(v), len(v)) for v in rates.values()]),
                "testable": len(graded) >= MIN_ARM_CALLS,
            }
        )
    sweep_checks = []
    for check in checks:
        evaluated = check["evaluatedSims"]
        failed = evaluated - check["passedSims"]
        rate = _rate(failed, evaluated)
        found = rate is not None and rate >= FOUND_UNATTRIBUTED_RATE
        sweep_checks.append(
            {
                "metricDefinitionId": check["metricDefinitionId"],
                "metricName": check["metricName"],
                "attribution": "FOUND_UNATTRIBUTED" if found else "WITHIN_NOISE",
                "evaluated": evaluated,
                "failed": failed,
                "failureRate": rate,
                "worseValues": [],
            }
        )
    sweep_checks.sort(key=lambda c: c["attribution"] != "FOUND_UNATTRIBUTED")
    small = [v["label"] for v in values if not v["testable"]]
    caveats = []
    if small:
        caveats.append(
            f"{', '.join(small)} had fewer than {MIN_ARM_CALLS} counted simulations, so they "
            "were reported but not compared."
        )
    testable = sum(1 for v in values if v["testable"])
    if testable < 2:
        caveats.append("No comparison ran: a value is only compared with at least one other.")
    return {
        "caveats": caveats,
        "checks": sweep_checks,
        "values": values,
        "neverSpokeValues": [],
        "falseDiscoveryRate": FALSE_DISCOVERY_RATE,
        "foundUnattributedFailureRate": FOUND_UNATTRIBUTED_RATE,
        "minArmCalls": MIN_ARM_CALLS,
        "minimumDetectableGap": None,
        "testableValueCount": testable,
        "testedComparisonCount": 0,
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
    baseline = _results_of(baseline_run)
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


# --- the run with its simulation jobs ------------------------------------------------------


def detail(state: SandboxState, job_id: str) -> dict[str, Any]:
    run = view(state, job_id)
    if run is None:
        raise not_found("simulation run plan job", job_id, "jobId")
    data = _results_of(run)
    body: dict[str, Any] = {
        "simulationRunPlanJobId": run.seed.job_id,
        "simulationRunPlanId": run.seed.plan_id,
        "status": run.status,
        "createdAt": run.created_at,
        "startedAt": run.started_at,
        "endedAt": run.ended_at,
        "attemptSummary": data["attemptSummary"],
        "pendingRetries": [],
        "simulationJobs": [
            _simulation_job(run, i, sim, landed) for i, (sim, landed) in enumerate(run.calls)
        ],
        "verdict": data["verdict"],
        "sweepAttribution": data["sweepAttribution"],
    }
    return {"data": body}


def _simulation_job(run: RunView, index: int, sim: SimCall, landed: bool) -> dict[str, Any]:
    done = landed and sim.status == "COMPLETED"
    status = {"NOT_RUN": "FAILED"}.get(sim.status, sim.status) if landed else "PROCESSING"
    return {
        "simulationJobId": _sim_id(run.seed, index),
        "callId": sim.call_id if landed else None,
        "status": status,
        "processingStatus": "COMPLETED" if done else "SIMULATING",
        "attemptNumber": 1,
        "retryOfSimulationJobId": None,
        "scheduledAt": None,
        "createdAt": run.created_at,
        "invalidation": None,
        "agentEndpoint": {
            "id": f"{run.seed.job_id[:24]}e{index:011d}",
            "name": AGENT_NAMES.get(sim.call_id or "", "Support agent"),
            "phoneNumber": None,
            "type": "PHONE",
        },
        "backgroundNoise": {
            "backgroundNoise": "NONE",
            "backgroundNoiseVolume": 0.0,
            "source": "PERSONA",
        },
        "persona": _persona(run, index, sim),
        "scenario": {"id": f"{run.seed.job_id[:24]}5{index:011d}", "description": None},
    }


def _persona(run: RunView, index: int, sim: SimCall) -> dict[str, Any]:
    return {
        "id": f"{run.seed.job_id[:24]}a{index:011d}",
        "name": sim.persona.split(" ")[0],
        "displayName": sim.persona,
        "accent": sim.sweep_value or "US",
        "age": "ADULT",
        "backgroundNoise": "NONE",
        "baseEmotion": "NEUTRAL",
        "confirmationStyle": "EXPLICIT",
        "gender": "FEMALE",
        "hasDisfluencies": False,
        "idleMessageMaxSpokenCount": 2,
        "idleMessageResetCountOnUserSpeechEnabled": True,
        "idleMessages": None,
        "idleTimeoutSeconds": 10,
        "intentClarity": "CLEAR",
        "interruption": "OFF",
        "language": "EN",
        "memoryReliability": "HIGH",
        "properties": {},
        "responseTiming": "NORMAL",
        "speechClarity": "CLEAR",
        "speechPace": "NORMAL",
        "understoodLanguages": ["EN"],
        "createdAt": "2026-10-01T09:00:00.000Z",
        "updatedAt": "2026-10-01T09:00:00.000Z",
    }


# --- routes --------------------------------------------------------------------------------


def _json(data: Any) -> Response:
    return Response(payloads.dumps(data))


def list_runs(request: Request) -> Response:
    state: SandboxState = request.state
    query = request.query_params
    limit = _limit(query.get("limit"))
    status = query.get("status") or None
    if status is not None and status not in RUN_STATUSES:
        raise invalid("status", f"status must be one of {', '.join(RUN_STATUSES)}")
    runs = [RunView(s, state.run_elapsed() if s.running else 0.0) for s in SEEDS]
    plan = query.get("simulationRunPlanId")
    label_name = (query.get("labelName") or "").lower()
    label_id = query.get("labelId")
    runs = [
        r
        for r in runs
        if (status is None or r.status == status)
        and (not plan or r.seed.plan_id == plan)
        and (not label_id and not label_name)  # the demo runs carry no labels
    ]
    start = 0
    after = query.get("after")
    if after:
        position = [r.seed.job_id for r in runs]
        if after not in position:
            raise invalid("after", "after is not a cursor this API gave out", "invalid_cursor")
        start = position.index(after) + 1
    page = runs[start : start + limit]
    more = start + limit < len(runs)
    return _json(
        {
            "data": [r.list_item() for r in page],
            "pagination": {
                "total": len(runs),
                "hasMore": more,
                "nextCursor": page[-1].seed.job_id if more and page else None,
            },
        }
    )


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError:
        raise invalid("limit", f"limit must be an integer from 1 to {MAX_LIMIT}") from None
    if not 1 <= value <= MAX_LIMIT:
        raise invalid("limit", f"limit must be from 1 to {MAX_LIMIT} (got {value})")
    return value


def get_run(request: Request) -> Response:
    return _json(detail(request.state, request.path_params["jobId"]))


def get_results(request: Request) -> Response:
    big = request.state.config.big_run
    if big is not None and request.path_params["jobId"] == BIG_RUN_ID:
        return Response(big_run_body(*big))
    compare_to = request.query_params.get("compareToJobId") or None
    return _json(results(request.state, request.path_params["jobId"], compare_to))
