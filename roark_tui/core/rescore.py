"""Re-scoring a conversation: which metrics, following the job, and what changed.

Roark scores forward only: after a definition is edited or a threshold created, a conversation
keeps its old values until a metric collection job scores it again (billed). This module holds
the rules, pure except `follow_job`, whose fetch, sleep and clock are injected (as in watch.py):

- "Changed" metrics of a conversation: thresholds whose source has a value here but which have
  none themselves (created since it was scored), and definitions edited in this session.
- The metrics `R` offers by default: the one under the cursor, with the changed thresholds
  over the same source (after tuning a check, re-scoring it scores its replacement too).
- What changed: each value of the re-scored metrics before and after, as text with its status
  mark, changed ones first (a metric that had no value reads "no value").
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

from roark_tui.api import errors
from roark_tui.api.models import CollectionJob, MetricDefinition, MetricGroup
from roark_tui.core.metric_tree import STATUS_MARKS, GroupRow, build_rows, value_rows
from roark_tui.core.safe_text import one_line
from roark_tui.core.watch import ValueKey, metric_id, value_key

POLL_FIRST = 0.5
POLL_MAX = 2.0
FOLLOW_TIMEOUT = 300.0
TRANSIENT = (errors.RateLimited, errors.ServerError, errors.NetworkError, errors.Timeout)
NO_VALUE = "no value"


def source_of(definition: MetricDefinition) -> str | None:
    """The source metric id of a threshold, else None."""
    spec = definition.threshold
    return spec.source_metric_definition_id if spec is not None else None


def changed_metrics(
    groups: Sequence[MetricGroup],
    definitions: Iterable[MetricDefinition],
    edited: Iterable[str] = (),
) -> list[MetricDefinition]:
    """The metrics whose values here may be out of date, in definition order."""
    scored = {metric_id(g) for g in groups if g.values}
    valued = {
        metric_id(g)
        for g in groups
        if any(status.upper() == "SUCCESS" for status, _ in g.values.outcomes())
    }
    edited_ids = set(edited)
    found = []
    for definition in definitions:
        source = source_of(definition)
        if definition.id in edited_ids or (source in valued and definition.id not in scored):
            found.append(definition)
    return found


def default_targets(
    selected: str | None,
    definitions: Sequence[MetricDefinition],
    changed: Sequence[MetricDefinition],
) -> list[MetricDefinition]:
    """The metric under the cursor (its id or slug), then the changed thresholds on its
    source."""
    by_id = {d.key: d for d in definitions} | {d.id: d for d in definitions}
    current = by_id.get(selected or "")
    if current is None:
        return []
    source = source_of(current) or current.id
    related = [
        d for d in changed if d.id != current.id and (source_of(d) == source or d.id == source)
    ]
    return [current, *related]


def explain(exc: errors.ApiError) -> str:
    """A failed re-score in words: billing and permission say what to do about them."""
    if isinstance(exc, errors.PaymentRequired):
        return (
            "Roark refused the re-score: the organization is out of credits (HTTP 402). "
            "Add credits in the Roark dashboard, then try again."
        )
    if isinstance(exc, errors.PermissionDenied):
        return (
            "Roark refused the re-score: this API key may not run metric collection jobs "
            "(HTTP 403). Use a key with the metric:create permission."
        )
    return f"Re-score failed: {one_line(str(exc), 200)}"


def progress(job: CollectionJob) -> str:
    """`Re-scoring: 1 of 3 done` in the job's own terms."""
    status = job.status.upper()
    done = job.completed_items + job.failed_items
    failed = f", {job.failed_items} failed" if job.failed_items else ""
    if status == "PENDING":
        return f"Re-score queued ({job.total_items} to score)"
    if status == "PROCESSING":
        return f"Re-scoring: {done} of {job.total_items} done{failed}"
    if status == "COMPLETED":
        return f"Re-scored: {job.completed_items} of {job.total_items}{failed}"
    if status == "CANCELED":
        return f"Re-score cancelled after {done} of {job.total_items}"
    if status == "FAILED":
        why = f": {one_line(job.error_message, 120)}" if job.error_message else ""
        return f"Re-score failed{why}"
    return f"Re-score {one_line(job.status, 20)}: {done} of {job.total_items}"


async def follow_job(
    fetch: Callable[[str], Awaitable[CollectionJob]],
    job: CollectionJob,
    *,
    on_progress: Callable[[CollectionJob], object] = lambda job: None,
    sleep: Callable[[float], Awaitable[object]] | None = None,
    clock: Callable[[], float] = time.monotonic,
    timeout: float = FOLLOW_TIMEOUT,
) -> CollectionJob:
    """Poll the job until it finishes (or `timeout` s pass: the last state is returned).
    Passing failures of a poll are waited out; others raise."""
    import asyncio

    wait = sleep or asyncio.sleep
    start = clock()
    delay = POLL_FIRST
    on_progress(job)
    while not job.finished and clock() - start < timeout:
        await wait(delay)
        delay = min(POLL_MAX, delay * 1.5)
        try:
            job = await fetch(job.id)
        except TRANSIENT:
            continue
        on_progress(job)
    return job


@dataclass(frozen=True)
class Change:
    """One value of a re-scored metric, before and after."""

    metric: str
    where: str
    before: str
    after: str
    same: bool = False
    key: ValueKey | None = None

    def line(self) -> str:
        where = f" ({self.where})" if self.where else ""
        if self.same:
            return f"{self.metric}{where}: {self.after} (unchanged)"
        return f"{self.metric}{where}: {self.before} → {self.after}"


def changes(
    before: Sequence[MetricGroup],
    after: Sequence[MetricGroup],
    metric_ids: Iterable[str],
    definitions: Sequence[MetricDefinition] = (),
) -> list[Change]:
    """Each value of `metric_ids` after the re-score, the changed ones first."""
    wanted = set(metric_ids)
    old = _values(build_rows(before, definitions=definitions), wanted)
    new = _values(build_rows(after, definitions=definitions), wanted)
    found = []
    for key, (name, where, text, content) in new.items():
        previous = old.get(key)
        if previous is None:
            found.append(Change(name, where, NO_VALUE, text, key=key))
        else:
            same = previous[3] == content
            found.append(Change(name, where, previous[2], text, same=same, key=key))
    return sorted(found, key=lambda change: change.same)


def _values(
    rows: Sequence[GroupRow], wanted: set[str]
) -> dict[ValueKey, tuple[str, str, str, tuple[object, ...]]]:
    found: dict[ValueKey, tuple[str, str, str, tuple[object, ...]]] = {}
    for row in rows:
        if metric_id(row.group) not in wanted:
            continue
        single = len(row.group.values) == 1
        for value in value_rows(row):
            text = f"{STATUS_MARKS[value.status]} {value.text or value.capture}"
            content = (value.value.capture_status, value.value.value)
            where = "" if single else one_line(value.label, 40)
            found[value_key(row.group, value.value)] = (row.name, where, text, content)
    return found
