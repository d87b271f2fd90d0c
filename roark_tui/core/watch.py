"""Following a conversation's metrics while they compute: merge, pending, stop rule, backoff.

Metric rows arrive one by one after a conversation ends; with `status=all` a row that is not
there yet is "still computing" and a NOT_APPLICABLE/DATA_MISSING/ERROR row is "computed, no
value" (docs/contract.md). Everything here is pure except `run_watch`, whose clock, sleep and
fetch are injected, so the CLI gate and the TUI share one loop and tests never really sleep.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field

from roark_tui.api import errors
from roark_tui.api.metric_values import MetricValue, ValueList
from roark_tui.api.models import MetricGroup

# (metric id, context, participant role, segment ids): one value row of one metric.
ValueKey = tuple[str, str, str, str]

INITIAL_DELAY = 2.0
MAX_DELAY = 15.0
MAX_RETRY_AFTER = 300.0
QUIET_POLLS_TO_STOP = 2
TRANSIENT_ERRORS = (errors.RateLimited, errors.ServerError, errors.NetworkError, errors.Timeout)


def metric_id(group: MetricGroup) -> str:
    """The identity of a metric across polls: its definition id, else its slug."""
    return group.metric_definition_id or group.key


def value_key(group: MetricGroup, value: MetricValue) -> ValueKey:
    """The identity of a value row across polls (not its content, which may be recomputed)."""
    segments = (value.segment, value.from_segment, value.to_segment)
    ids = ",".join(s.id or "" if s is not None else "" for s in segments)
    return (metric_id(group), value.context or "", value.participant_role or "", ids)


def _content(value: MetricValue) -> tuple[object, ...]:
    return (value.capture_status, value.value, value.computed_at, value.error_message)


@dataclass(frozen=True)
class MergeResult:
    """The merged metric list and what the poll brought that was not seen before."""

    groups: list[MetricGroup]
    new_values: frozenset[ValueKey]
    new_metrics: frozenset[str]

    @property
    def has_new(self) -> bool:
        return bool(self.new_values or self.new_metrics)


def merge(previous: Sequence[MetricGroup], poll: Sequence[MetricGroup]) -> MergeResult:
    """Fold a poll into the previous list, keeping its order (new things go last).

    A row counts as new when its key was not seen or its content changed (a recompute). Rows
    missing from the poll are kept: a short answer must not make rows the user is looking at
    vanish.
    """
    polled = {metric_id(g): g for g in poll}
    merged: list[MetricGroup] = []
    new_values: set[ValueKey] = set()
    new_metrics: set[str] = set()
    for group in previous:
        fresh = polled.pop(metric_id(group), None)
        if fresh is None:
            merged.append(group)
            continue
        merged.append(_merge_group(group, fresh, new_values))
    for mid, group in polled.items():
        new_metrics.add(mid)
        new_values.update(value_key(group, v) for v in group.values)
        merged.append(group)
    return MergeResult(merged, frozenset(new_values), frozenset(new_metrics))


def _merge_group(old: MetricGroup, fresh: MetricGroup, new_values: set[ValueKey]) -> MetricGroup:
    incoming = {value_key(fresh, v): v for v in fresh.values}
    values: list[MetricValue] = []
    for value in old.values:
        key = value_key(old, value)
        replacement = incoming.pop(key, None)
        if replacement is None:
            values.append(value)
            continue
        if _content(replacement) != _content(value):
            new_values.add(key)
        values.append(replacement)
    for key, value in incoming.items():
        new_values.add(key)
        values.append(value)
    return fresh.model_copy(update={"values": ValueList(values)})


def pending(groups: Iterable[MetricGroup], expected: Iterable[str]) -> list[str]:
    """Expected metrics (slug, metricId or definition id) that have no row yet, in order."""
    present: set[str] = set()
    for group in groups:
        if group.values:
            present.update(
                k for k in (group.slug, group.metric_id, group.metric_definition_id) if k
            )
    return [slug for slug in expected if slug not in present]


def metrics_in(groups: Iterable[MetricGroup]) -> int:
    """How many metrics have at least one row."""
    return sum(1 for g in groups if g.values)


def parse_expect(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """`slug1,slug2 slug3` (or several such strings) as a de-duplicated tuple."""
    if text is None:
        return ()
    parts = [text] if isinstance(text, str) else list(text)
    seen: dict[str, None] = {}
    for part in parts:
        for slug in part.replace(",", " ").split():
            seen.setdefault(slug, None)
    return tuple(seen)


def next_delay(
    quiet_polls: int,
    *,
    retry_after: float | None = None,
    rand: Callable[[], float] = random.random,
    initial: float = INITIAL_DELAY,
    maximum: float = MAX_DELAY,
) -> float:
    """Seconds to wait before the next poll.

    About `initial` after a poll that brought something, growing 1.6x per quiet poll up to
    `maximum`, jittered down by up to 20% so many watchers do not poll in step. A server's
    Retry-After wins when longer (capped at MAX_RETRY_AFTER).
    """
    base = min(initial * 1.6 ** max(quiet_polls, 0), maximum)
    delay = base * (0.8 + 0.2 * rand())
    if retry_after is not None and retry_after > delay:
        return min(retry_after, MAX_RETRY_AFTER)
    return delay


def format_age(seconds: float) -> str:
    """`4 s ago`, `3 min ago`, `2 h ago`."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    return f"{seconds // 3600} h ago"


@dataclass
class WatchState:
    """What a watch knows after each poll. `apply` folds in a poll and counts quiet polls."""

    groups: list[MetricGroup] = field(default_factory=list)
    expected: tuple[str, ...] = ()
    polls: int = 0
    quiet: int = 0
    last_update: float | None = None
    new_values: frozenset[ValueKey] = frozenset()

    def apply(
        self, poll: Sequence[MetricGroup], now: float, *, full_wait: bool = True
    ) -> MergeResult:
        """Fold in a poll. One that came early (`full_wait=False`, its wait cut short by a
        deadline) never counts as quiet: a quick re-poll bringing nothing proves nothing."""
        result = merge(self.groups, poll)
        self.groups = result.groups
        self.polls += 1
        self.new_values = result.new_values
        if result.has_new or self.last_update is None:
            self.last_update = now
        if result.has_new:
            self.quiet = 0
        elif full_wait:
            self.quiet += 1
        return result

    @property
    def pending(self) -> list[str]:
        return pending(self.groups, self.expected)

    @property
    def settled(self) -> bool:
        """Nothing pending and two polls in a row brought nothing new.

        Without expectations, a conversation with no rows at all is not settled: its metrics
        have not started arriving, and only the timeout ends that wait.
        """
        if self.pending or self.quiet < QUIET_POLLS_TO_STOP:
            return False
        return bool(self.expected) or metrics_in(self.groups) > 0

    def status(self, now: float, note: str | None = None) -> str:
        """`14 metrics in · 3 pending · last update 4 s ago` (pending only when known)."""
        parts = [f"{metrics_in(self.groups)} metrics in"]
        if self.expected:
            parts.append(f"{len(self.pending)} pending")
        if self.last_update is not None:
            parts.append(f"last update {format_age(now - self.last_update)}")
        if note:
            parts.append(note)
        return " · ".join(parts)


@dataclass(frozen=True)
class WatchUpdate:
    """Sent after every poll (or failed poll): the state, the merge, and when the next poll is."""

    state: WatchState
    result: MergeResult | None
    error: errors.ApiError | None
    next_delay: float | None
    now: float


@dataclass(frozen=True)
class WatchOutcome:
    state: WatchState
    settled: bool
    timed_out: bool


async def run_watch(
    fetch: Callable[[], Awaitable[Sequence[MetricGroup]]],
    *,
    state: WatchState | None = None,
    timeout: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    on_update: Callable[[WatchUpdate], object] | None = None,
    rand: Callable[[], float] = random.random,
    max_failures: int = 3,
) -> WatchOutcome:
    """Poll `fetch` (one request at a time) until settled or `timeout` seconds have passed.

    Transient failures (429, 5xx, network, timeout) are waited out with the same backoff,
    honouring Retry-After, up to `max_failures` in a row; then, like any other API error, the
    error is raised.
    """
    state = state if state is not None else WatchState()
    deadline = None if timeout is None else clock() + timeout
    failures = 0
    full_wait = True
    while True:
        result: MergeResult | None = None
        failure: errors.ApiError | None = None
        try:
            poll = await fetch()
        except TRANSIENT_ERRORS as exc:
            failures += 1
            if failures > max_failures:
                raise
            failure = exc
        else:
            failures = 0
            result = state.apply(poll, clock(), full_wait=full_wait)
        now = clock()
        done = result is not None and state.settled
        timed_out = not done and deadline is not None and now >= deadline
        delay: float | None = None
        if not (done or timed_out):
            retry_after = getattr(failure, "retry_after", None)
            delay = next_delay(state.quiet, retry_after=retry_after, rand=rand)
            if deadline is not None and delay > deadline - now:
                delay = deadline - now
                full_wait = False
        if on_update is not None:
            on_update(WatchUpdate(state, result, failure, delay, now))
        if done or timed_out:
            return WatchOutcome(state, settled=done, timed_out=timed_out)
        await sleep(delay or 0.0)
