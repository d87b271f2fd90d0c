"""A run's calls graded from their own metrics: a check's verdict on a call is the CALL value of
that check in the call's metrics, so a run can never say a call failed a check its own metrics
pass. A check passes when its pass rate reaches its minimum (80% unless the plan set one); the
score is the mean of the checks' pass rates. Also the run's metrics list, verdict and breakdowns.
"""

from __future__ import annotations

from typing import Any

from roark_tui.sandbox import catalog, payloads
from roark_tui.sandbox.demo_runs import AGENT_NAMES, PLAN_NAMES, RunSeed, SimCall
from roark_tui.sandbox.run_view import RunView

DEFAULT_MIN_PASS_RATE = 80.0


def check_definition(source_slug: str) -> dict[str, Any]:
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
    row = _call_value(call_id, check_definition(source_slug)["slug"])
    value = None if row is None else row.get("value")
    return value if isinstance(value, bool) else None


def sim_id(seed: RunSeed, index: int) -> str:
    return f"{seed.job_id[:24]}{index:012d}"


def call_entry(seed: RunSeed, index: int, sim: SimCall, landed: bool) -> dict[str, Any]:
    checks: list[dict[str, Any]] = []
    values: list[dict[str, Any]] = []
    if landed and sim.call_id:
        for source in seed.checks:
            check = check_definition(source)
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
        "simulationJobId": sim_id(seed, index),
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


def pass_rate(passed: int, evaluated: int) -> float | None:
    return round(100.0 * passed / evaluated, 1) if evaluated else None


def mean_rate(rates: list[float | None]) -> float | None:
    known = [r for r in rates if r is not None]
    return round(sum(known) / len(known), 1) if known else None


def run_block(run: RunView) -> dict[str, Any]:
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


def checks_and_metrics(
    seed: RunSeed, calls: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The verdict's check rows and the metrics list (checks first, then their sources)."""
    checks: list[dict[str, Any]] = []
    check_metrics: list[dict[str, Any]] = []
    source_metrics: list[dict[str, Any]] = []
    for source in seed.checks:
        definition = check_definition(source)
        verdicts = [
            k["passed"]
            for c in calls
            if c["counted"]
            for k in c["checks"]
            if k["metricDefinitionId"] == definition["id"]
        ]
        passed = sum(verdicts)
        rate = pass_rate(passed, len(verdicts))
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


def verdict(
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


def breakdown(calls: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
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
                "callPassRate": pass_rate(passed, len(evaluated)),
                "score": mean_rate([pass_rate(sum(v), len(v)) for v in rates.values()]),
            }
        )
    return rows
