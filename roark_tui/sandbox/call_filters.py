"""The filters of `GET /v1/call` (SDK 7.6.0 `call_list_params.py`), over the seeded calls.

A call's run (which simulation run plan job and plan it came from, whether the run's results
count it, whether the run is hidden) is not part of the Call object the API serves, so each
seeded call keeps it beside its record (`Conversation.run`); live calls have none. The demo runs
(runs.py) reuse the demo calls as their simulations: a call they placed also matches their job
and plan ids, while whether it counts and whether its run is hidden stay its own run's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from roark_tui.sandbox.problems import invalid

CALL_STATUSES = ("RINGING", "IN_PROGRESS", "ENDED")
MAX_IDS = 100  # simulationRunPlanJobIds / simulationRunPlanIds, comma-separated
MAX_PROPERTIES = 20
_PROPERTY = re.compile(r"^properties\[([^\]]+)\]\[([^\]]*)\]$")
_BOOLEAN = ("true", "false")
# The list's own parameters: a property filter of the same name is refused.
BUILT_IN = (
    "after",
    "limit",
    "sortBy",
    "sortDirection",
    "status",
    "searchText",
    "simulationRunPlanJobId",
    "simulationRunPlanJobIds",
    "simulationRunPlanIds",
    "countedInResults",
    "excludeHiddenRuns",
)


@dataclass(frozen=True)
class RunMembership:
    """Where a simulated call belongs: its run (plan job), the plan, and how the run treats it."""

    plan_job_id: str
    plan_id: str
    counted: bool = True
    hidden_run: bool = False


@dataclass(frozen=True)
class Searchable:
    """What the filters read of one call: its record, its transcript's text, its run, and the
    (job id, plan id) of the demo runs that placed it."""

    record: dict[str, Any]
    transcript_text: str
    run: RunMembership | None
    placed_in: tuple[tuple[str, str], ...] = ()

    def job_ids(self) -> set[str]:
        own = {self.run.plan_job_id} if self.run is not None else set()
        return own | {job.lower() for job, _ in self.placed_in}

    def plan_ids(self) -> set[str]:
        own = {self.run.plan_id} if self.run is not None else set()
        return own | {plan.lower() for _, plan in self.placed_in}


def snake(name: str) -> str:
    """A property name as stored: `planTier` and `plan_tier` are one property."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip())
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")


def _boolean(query: Mapping[str, str], name: str) -> bool | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    if raw not in _BOOLEAN:
        raise invalid(name, f"{name} must be 'true' or 'false' (got {raw!r})")
    return raw == "true"


def _ids(query: Mapping[str, str], name: str) -> set[str] | None:
    raw = query.get(name)
    if raw is None or not raw.strip():
        return None
    ids = {part.strip().lower() for part in raw.split(",") if part.strip()}
    if len(ids) > MAX_IDS:
        raise invalid(name, f"{name} takes at most {MAX_IDS} ids (got {len(ids)})")
    return ids


def _property_filters(query: Mapping[str, str]) -> dict[str, bool]:
    """`properties[<name>][exists]=true|false`, by stored (snake case) name."""
    wanted: dict[str, bool] = {}
    built_in = {snake(name) for name in BUILT_IN}
    for key, raw in query.items():
        match = _PROPERTY.match(key)
        if match is None:
            continue
        name, operator = match.groups()
        if operator != "exists":
            raise invalid(key, f"{key}: the only property filter is [exists]")
        if raw not in _BOOLEAN:
            raise invalid(key, f"{key} must be 'true' or 'false' (got {raw!r})")
        stored = snake(name)
        if stored in built_in:
            raise invalid(key, f"{name!r} is a built-in call filter, not a property name")
        wanted[stored] = raw == "true"
    if len(wanted) > MAX_PROPERTIES:
        raise invalid("properties", f"at most {MAX_PROPERTIES} property filters")
    return wanted


def _has_property(record: dict[str, Any], name: str) -> bool:
    properties = record.get("properties") or {}
    return any(snake(key) == name and value is not None for key, value in properties.items())


def filter_calls(calls: list[Searchable], query: Mapping[str, str]) -> list[dict[str, Any]]:
    """The records of the calls that pass every filter in `query` (all checked first, so a bad
    one is a 400 whatever the data)."""
    status = query.get("status") or None
    if status is not None and status not in CALL_STATUSES:
        allowed = ", ".join(CALL_STATUSES)
        raise invalid("status", f"status must be one of {allowed} (got {status!r})")
    search = (query.get("searchText") or "").strip().lower()
    job = (query.get("simulationRunPlanJobId") or "").strip().lower() or None
    jobs = _ids(query, "simulationRunPlanJobIds")
    plans = _ids(query, "simulationRunPlanIds")
    counted = _boolean(query, "countedInResults")
    exclude_hidden = _boolean(query, "excludeHiddenRuns")
    properties = _property_filters(query)

    def keep(call: Searchable) -> bool:
        record, run = call.record, call.run
        if status is not None and record.get("status") != status:
            return False
        texts = (record.get("title") or "", record.get("summary") or "", call.transcript_text)
        if search and not any(search in text.lower() for text in texts):
            return False
        if job is not None and job not in call.job_ids():
            return False
        if jobs is not None and not jobs & call.job_ids():
            return False
        if plans is not None and not plans & call.plan_ids():
            return False
        if counted is not None and (run is None or run.counted is not counted):
            return False
        if exclude_hidden and run is not None and run.hidden_run:
            return False
        return all(_has_property(record, name) is want for name, want in properties.items())

    return [call.record for call in calls if keep(call)]
