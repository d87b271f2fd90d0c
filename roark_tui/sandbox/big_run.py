"""The benchmark run: BIG_RUN_ID with N calls judged on K checks (1,000 x 30 for the figure).

Asked for with `SandboxConfig(big_run=(N, K))`. Every third call fails a few checks; the calls
point at the demo calls (the failing claims call for a failed one, the booking call otherwise),
so a call opened from the report has metrics to show. Each call carries its K checks and K
call-level values with a sentence of reasoning, as a results response does. Built once per size
and kept as bytes.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from roark_tui.sandbox.demo_ids import BOOKING_CALL_ID, FAILING_CALL_ID

BIG_RUN_ID = "b16c4a7e-0000-4e8a-9c31-0f7e2d9a6b58"
PLAN_ID = "b16c4a7e-0000-4e8a-9c31-000000000001"


def _check_id(k: int) -> str:
    return f"b16c4a7e-{k:04d}-4e8a-9c31-0f7e2d9ac4ec"


def _fails(i: int, k: int) -> bool:
    return i % 3 == 0 and k % 10 == i % 10


@lru_cache(maxsize=2)
def big_run_body(calls: int, checks: int) -> bytes:
    names = [f"Benchmark check {k + 1}" for k in range(checks)]
    call_rows = []
    for i in range(calls):
        failing = any(_fails(i, k) for k in range(checks))
        call_rows.append(
            {
                "simulationJobId": f"b16c4a7e-5151-4e8a-9c31-{i:012d}",
                "callId": FAILING_CALL_ID if failing else BOOKING_CALL_ID,
                "status": "COMPLETED",
                "counted": True,
                "passed": not failing,
                "attemptNumber": 1,
                "retryOfSimulationJobId": None,
                "agentName": "Benchmark agent",
                "personaName": f"Persona {i % 12}",
                "durationMs": 60_000 + i,
                "checks": [
                    {
                        "metricDefinitionId": _check_id(k),
                        "metricName": names[k],
                        "passed": not _fails(i, k),
                    }
                    for k in range(checks)
                ],
                "values": [
                    {
                        "metricDefinitionId": _check_id(k),
                        "metricName": names[k],
                        "outputType": "BOOLEAN",
                        "participantRole": None,
                        "reasoning": f"Call {i} was judged on {names[k]} from its transcript.",
                        "value": not _fails(i, k),
                    }
                    for k in range(checks)
                ],
            }
        )
    verdict_checks: list[dict[str, Any]] = []
    for k in range(checks):
        failed = sum(1 for i in range(calls) if _fails(i, k))
        rate = round(100.0 * (calls - failed) / calls, 1)
        verdict_checks.append(
            {
                "metricDefinitionId": _check_id(k),
                "metricName": names[k],
                "evaluatedSims": calls,
                "passedSims": calls - failed,
                "passRate": rate,
                "minPassRate": 99.0,
                "inherited": False,
                "passed": rate >= 99.0,
            }
        )
    failures = [
        {
            "type": "METRIC_BELOW_MIN_PASS_RATE",
            **{
                k: c[k]
                for k in (
                    "metricDefinitionId",
                    "metricName",
                    "passRate",
                    "minPassRate",
                    "inherited",
                )
            },
        }
        for c in verdict_checks
        if not c["passed"]
    ]
    failing_calls = sum(1 for call in call_rows if not call["passed"])
    score = round(sum(c["passRate"] for c in verdict_checks) / checks, 1)
    run = {
        "simulationRunPlanJobId": BIG_RUN_ID,
        "simulationRunPlanId": PLAN_ID,
        "simulationRunPlanName": "Benchmark plan",
        "runNumber": 1000,
        "status": "COMPLETED",
        "triggeredBy": "TRIGGERED_FROM_API",
        "createdAt": "2026-11-20T10:00:00.000Z",
        "startedAt": "2026-11-20T10:00:05.000Z",
        "endedAt": "2026-11-20T11:00:05.000Z",
        "durationMs": 3_600_000,
    }
    data: dict[str, Any] = {
        "run": run,
        "summary": {
            "totalCalls": calls,
            "countedCalls": calls,
            "completedCalls": calls,
            "evaluatedCalls": calls,
            "passedCalls": calls - failing_calls,
            "failedCalls": failing_calls,
            "callPassRate": round(100.0 * (calls - failing_calls) / calls, 1),
            "checkPassRate": score,
            "score": score,
        },
        "attemptSummary": {
            "attemptCount": calls,
            "retryCount": 0,
            "silentAttemptCount": 0,
            "stillSilentTestCaseCount": 0,
            "testCaseCount": calls,
        },
        "verdict": {
            "passed": not failures,
            "score": score,
            "checks": verdict_checks,
            "failures": failures,
        },
        "calls": call_rows,
        "metrics": [],
        "comparison": None,
        "debrief": None,
        "breakdowns": {"byAgent": [], "byPersona": []},
        "sweepAttribution": None,
    }
    return json.dumps({"data": data}, separators=(",", ":")).encode()
