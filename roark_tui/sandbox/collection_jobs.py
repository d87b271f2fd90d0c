"""Metric collection jobs: re-score conversations with the metrics as they are defined now.

`POST /v1/metric/collection-jobs` takes `callIds` or `chatIds` (one of them, 1-500) and
`metrics` (`[{id}]`, 1-20, an id or a slug); its items are every (conversation, metric) pair.
A job is PENDING for PENDING_SECONDS on the sandbox clock, then PROCESSING: its items complete
one after the other, evenly over at most RUN_SECONDS, and each writes the metric's new values
on its conversation the moment it completes (rescoring.py says how they are scored). Then the
job is COMPLETED. Re-scoring a metric also re-evaluates the thresholds over it that already
have a value on that conversation, as derived metrics follow their source. Cancelling stops a
job where it is: items done stay done, the rest are skipped.

Jobs advance when someone looks (a job, the job list, or a conversation's metrics), so a test
with a fake clock decides exactly where a job is.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from roark_tui.sandbox import payloads, rescoring
from roark_tui.sandbox.body_fields import UUID, array, obj, uuid_field
from roark_tui.sandbox.conversations import Conversation, iso
from roark_tui.sandbox.definitions import DefinitionStore
from roark_tui.sandbox.problems import invalid, not_found

PENDING_SECONDS = 0.5
ITEM_SECONDS = 0.8
RUN_SECONDS = 4.0
MAX_CONVERSATIONS = 500
MAX_METRICS = 20
MAX_ITEMS = 5000
BODY_FIELDS = frozenset({"callIds", "chatIds", "metrics", "policyId"})
STATUSES = ("PENDING", "PROCESSING", "COMPLETED", "FAILED", "CANCELED")
_JOBS = uuid.UUID("9c2b7e41-3f6a-4d8b-a1c5-6e0f2d4b8a17")

Item = tuple[str, str]  # (conversation id, metric definition id)


@dataclass
class Job:
    id: str
    items: list[Item]
    created: float  # on the sandbox clock
    policy_ids: list[str]
    done: int = 0
    failed: int = 0
    error: str | None = None
    canceled_at: float | None = None
    finished_at: float | None = None

    @property
    def step(self) -> float:
        return min(ITEM_SECONDS, RUN_SECONDS / max(1, len(self.items)))

    def due(self, index: int) -> float:
        """When item `index` completes."""
        return self.created + PENDING_SECONDS + (index + 1) * self.step


@dataclass
class CollectionJobs:
    """One sandbox's jobs and the values they wrote (by conversation, by metric id)."""

    definitions: DefinitionStore
    clock: Callable[[], float]
    wall: datetime | None = None  # when the sandbox started (None: now)
    jobs: dict[str, Job] = field(default_factory=dict)
    rescored: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._origin = (self.clock(), self.wall or datetime.now(UTC))

    # --- the API ---------------------------------------------------------------------------

    def create(self, body: Any, find: Callable[[str, str], Conversation | None]) -> dict[str, Any]:
        body = obj(body, "")
        for name in body:
            if name not in BODY_FIELDS:
                raise invalid(name, f"{name} is not a field of a collection job", "unknown_field")
        calls = array(body, "callIds")
        chats = array(body, "chatIds")
        if (calls is None) == (chats is None):
            raise invalid(
                "chatIds" if chats is not None else "callIds",
                "send exactly one of callIds and chatIds",
                "missing_parameter" if calls is None else "invalid_parameter",
            )
        ids: list[Any] | None
        if calls is not None:
            key, kind, ids = "callIds", "call", calls
        else:
            key, kind, ids = "chatIds", "chat", chats
        assert ids is not None
        if not 1 <= len(ids) <= MAX_CONVERSATIONS:
            raise invalid(key, f"{key} takes 1 to {MAX_CONVERSATIONS} ids (got {len(ids)})")
        conversations: list[str] = []
        for i, raw in enumerate(ids):
            if not isinstance(raw, str) or not UUID.match(raw):
                raise invalid(f"{key}[{i}]", f"{key}[{i}] must be a UUID")
            if find(kind, raw.lower()) is None:
                raise not_found(kind, raw, f"{key}[{i}]")
            conversations.append(raw.lower())
        metrics = array(body, "metrics", required=True, low=1)
        assert metrics is not None
        if len(metrics) > MAX_METRICS:
            raise invalid("metrics", f"metrics takes at most {MAX_METRICS} (got {len(metrics)})")
        metric_ids: list[str] = []
        for i, raw in enumerate(metrics):
            where = f"metrics[{i}]"
            item = obj(raw, where)
            ref = item.get("id")
            found = self.definitions.lookup(ref) if isinstance(ref, str) else None
            if found is None:
                raise invalid(f"{where}.id", f"no metric definition {ref!r}", "unknown_metric")
            if found["id"] not in metric_ids:
                metric_ids.append(found["id"])
        policy = uuid_field(body, "policyId")
        items = [(c, m) for c in dict.fromkeys(conversations) for m in metric_ids]
        if len(items) > MAX_ITEMS:
            raise invalid("metrics", f"a job holds at most {MAX_ITEMS} conversation-metric pairs")
        job = Job(
            id=str(uuid.uuid5(_JOBS, f"job:{len(self.jobs) + 1}")),
            items=items,
            created=self.clock(),
            policy_ids=[policy] if policy else [],
        )
        self.jobs[job.id] = job
        return self.public(job)

    def require(self, job_id: str) -> Job:
        job = self.jobs.get(job_id.strip().lower())
        if job is None:
            raise not_found("metric collection job", job_id, "jobId")
        return job

    def cancel(self, job_id: str) -> dict[str, Any]:
        """Safe to repeat: a finished job is returned unchanged."""
        job = self.require(job_id)
        self.advance()
        if job.finished_at is None:
            now = self.clock()
            job.canceled_at = job.finished_at = now
        return self.public(job)

    def ordered(self, status: str | None) -> list[dict[str, Any]]:
        """Every job as the API shows it, newest first, of one status if asked."""
        self.advance()
        shown = [self.public(job) for job in reversed(self.jobs.values())]
        return [j for j in shown if status is None or j["status"] == status]

    # --- progress --------------------------------------------------------------------------

    def advance(self) -> None:
        """Complete every item that is due by now, in the order they fell due."""
        now = self.clock()
        for job in self.jobs.values():
            while job.finished_at is None and job.done + job.failed < len(job.items):
                if job.due(job.done + job.failed) > now:
                    break
                self._run(job, job.items[job.done + job.failed], job.due(job.done + job.failed))
            if job.finished_at is None and job.done + job.failed == len(job.items):
                job.finished_at = job.due(len(job.items) - 1)

    def _run(self, job: Job, item: Item, when: float) -> None:
        conv_id, def_id = item
        conv = payloads.conversation(conv_id)
        definition = self.definitions.lookup(def_id)
        if conv is None or definition is None:
            job.failed += 1
            job.error = "The metric or the conversation no longer exists"
            return
        stamp = self.stamp(when)
        written = self._score(conv, definition, stamp)
        reason = rescoring.failed(written)
        if reason is None:
            job.done += 1
        else:
            job.failed += 1
            job.error = f"{definition['slug']}: {reason}"
        for other in self.definitions.ordered():
            spec = other.get("threshold")
            if (
                spec
                and spec["sourceMetricDefinitionId"] == def_id
                and self.current(conv, other["id"]) is not None
            ):
                self._score(conv, other, stamp)

    def _score(self, conv: Conversation, definition: dict[str, Any], stamp: str) -> dict[str, Any]:
        seeded = next((g for g in conv.groups if g["metricDefinitionId"] == definition["id"]), None)
        group = rescoring.score(
            definition,
            conv.id,
            seeded,
            lambda metric: self.current(conv, metric),
            self.definitions.lookup,
            stamp,
        )
        self.rescored.setdefault(conv.id, {})[definition["id"]] = group
        return group

    def current(self, conv: Conversation, def_id: str) -> dict[str, Any] | None:
        """A metric's group on the conversation as served now."""
        mine = self.rescored.get(conv.id, {}).get(def_id)
        if mine is not None:
            return mine
        return next((g for g in conv.groups if g["metricDefinitionId"] == def_id), None)

    def groups(self, conv: Conversation, base: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """`base` (the conversation's groups being served) with the re-scored ones in their
        place, and metrics scored for the first time after them."""
        self.advance()
        mine = self.rescored.get(conv.id)
        if not mine:
            return base
        served = [mine.get(g["metricDefinitionId"], g) for g in base]
        present = {g["metricDefinitionId"] for g in base}
        return served + [g for def_id, g in mine.items() if def_id not in present]

    def touched(self, conv_id: str) -> bool:
        self.advance()
        return bool(self.rescored.get(conv_id))

    # --- shapes ----------------------------------------------------------------------------

    def stamp(self, when: float) -> str:
        clock0, wall0 = self._origin
        return iso(wall0 + timedelta(seconds=when - clock0))

    def public(self, job: Job) -> dict[str, Any]:
        """The job as the API serves it (SDK MetricCollectionJob... Data)."""
        now = self.clock()
        started = job.created + PENDING_SECONDS
        if job.canceled_at is not None:
            status = "CANCELED"
        elif job.finished_at is not None:
            status = "FAILED" if job.failed == len(job.items) else "COMPLETED"
        elif now < started:
            status = "PENDING"
        else:
            status = "PROCESSING"
        updated = job.finished_at if job.finished_at is not None else min(now, started)
        if status == "PROCESSING" and job.done + job.failed:
            updated = job.due(job.done + job.failed - 1)
        return {
            "id": job.id,
            "status": status,
            "triggeredBy": "USER_API",
            "totalItems": len(job.items),
            "completedItems": job.done,
            "failedItems": job.failed,
            "errorMessage": job.error,
            "policyIds": list(job.policy_ids),
            "createdAt": self.stamp(job.created),
            "startedAt": self.stamp(started) if now >= started or job.done else None,
            "completedAt": self.stamp(job.finished_at) if job.finished_at is not None else None,
            "updatedAt": self.stamp(updated),
        }


def status_param(raw: str | None) -> str | None:
    if raw is None or raw == "":
        return None
    if raw not in STATUSES:
        raise invalid("status", f"status must be one of {', '.join(STATUSES)} (got {raw!r})")
    return raw
