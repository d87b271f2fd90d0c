"""Simulation runs: GET /v1/simulation/plan/jobs, /job/{jobId} and /job/{jobId}/results.

Built from the run seeds (demo_runs.py): run_view.py says what a run looks like at a moment,
run_grading.py grades its calls from their own metrics, run_results.py and run_debrief.py
assemble the results body. Here: the run with its simulation jobs, and the routes.
"""

from __future__ import annotations

from typing import Any

from roark_tui.sandbox.big_run import BIG_RUN_ID, big_run_body
from roark_tui.sandbox.demo_runs import AGENT_NAMES, SEEDS, SimCall
from roark_tui.sandbox.http import Request, Response
from roark_tui.sandbox.paging import limit_param
from roark_tui.sandbox.problems import invalid, not_found
from roark_tui.sandbox.route_kit import json_response
from roark_tui.sandbox.run_grading import sim_id
from roark_tui.sandbox.run_results import results, results_of
from roark_tui.sandbox.run_view import RunView, placements, view
from roark_tui.sandbox.state import SandboxState

__all__ = ["get_results", "get_run", "list_runs", "placements", "view"]

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
MAX_LIMIT = 50

# --- the run with its simulation jobs ------------------------------------------------------


def detail(state: SandboxState, job_id: str) -> dict[str, Any]:
    run = view(state, job_id)
    if run is None:
        raise not_found("simulation run plan job", job_id, "jobId")
    data = results_of(run)
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
        "simulationJobId": sim_id(run.seed, index),
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


def list_runs(request: Request) -> Response:
    state: SandboxState = request.state
    query = request.query_params
    limit = limit_param(request, MAX_LIMIT)
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
    return json_response(
        {
            "data": [r.list_item() for r in page],
            "pagination": {
                "total": len(runs),
                "hasMore": more,
                "nextCursor": page[-1].seed.job_id if more and page else None,
            },
        }
    )


def get_run(request: Request) -> Response:
    return json_response(detail(request.state, request.path_params["jobId"]))


def get_results(request: Request) -> Response:
    big = request.state.config.big_run
    if big is not None and request.path_params["jobId"] == BIG_RUN_ID:
        return Response(big_run_body(*big))
    compare_to = request.query_params.get("compareToJobId") or None
    return json_response(results(request.state, request.path_params["jobId"], compare_to))
