"""What a simulation run looks like at a moment: the running run (demo_runs.RUNNING_RUN_ID)
changes with `SandboxState.run_elapsed()`, every other run is settled from the start."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from roark_tui.sandbox.conversations import iso, parse_iso
from roark_tui.sandbox.demo_runs import BY_ID, SETTLE_SECONDS, RunSeed
from roark_tui.sandbox.state import SandboxState


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
