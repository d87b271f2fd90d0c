"""The watch logic: merging polls, pending, the stop rule, backoff and the polling loop."""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.api import errors
from roark_tui.api.models import MetricGroup
from roark_tui.core import watch
from roark_tui.core.watch import WatchState, merge, next_delay, run_watch


def group(slug: str, *values: dict[str, Any]) -> MetricGroup:
    return MetricGroup.model_validate(
        {"metricDefinitionId": f"id-{slug}", "slug": slug, "name": slug, "values": list(values)}
    )


def row(value: object = True, *, status: str = "SUCCESS", seg: str | None = None, **kw: Any):
    out: dict[str, Any] = {"captureStatus": status, "context": "SEGMENT" if seg else "CALL"}
    if status == "SUCCESS":
        out["value"] = value
    if seg:
        out["segment"] = {"id": seg, "text": "", "startOffsetMs": 0, "endOffsetMs": 1}
    return {**out, **kw}


class FakeClock:
    """Time that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_merge_first_poll_is_all_new() -> None:
    result = merge([], [group("a", row()), group("b", row(seg="s1"), row(seg="s2"))])
    assert [g.slug for g in result.groups] == ["a", "b"]
    assert result.new_metrics == {"id-a", "id-b"}
    assert len(result.new_values) == 3


def test_merge_keeps_order_and_marks_only_new_rows() -> None:
    before = [group("b", row(seg="s1")), group("a", row())]
    poll = [group("a", row()), group("c", row()), group("b", row(seg="s2"), row(seg="s1"))]
    result = merge(before, poll)
    assert [g.slug for g in result.groups] == ["b", "a", "c"]
    assert [v.segment.id for v in result.groups[0].values] == ["s1", "s2"]
    assert result.new_metrics == {"id-c"}
    assert result.new_values == {
        ("id-b", "SEGMENT", "", "s2,,"),
        ("id-c", "CALL", "", ",,"),
    }


def test_merge_same_poll_twice_brings_nothing() -> None:
    poll = [group("a", row(participantRole="agent"), row(participantRole="customer"))]
    first = merge([], poll)
    again = merge(first.groups, poll)
    assert not again.has_new
    assert again.groups == first.groups


def test_merge_recomputed_row_counts_as_new_and_vanished_rows_stay() -> None:
    before = [group("a", row(status="ERROR", errorMessage="x")), group("b", row())]
    result = merge(before, [group("a", row(False))])
    assert result.new_values == {("id-a", "CALL", "", ",,")}
    assert result.groups[0].values[0].value is False
    assert [g.slug for g in result.groups] == ["a", "b"]


def test_pending_matches_slug_metric_id_or_definition_id() -> None:
    groups = [group("a", row()), group("b"), group("c", row())]
    assert watch.pending(groups, ["a", "b", "id-c", "d"]) == ["b", "d"]


def test_parse_expect() -> None:
    assert watch.parse_expect("a,b, c") == ("a", "b", "c")
    assert watch.parse_expect(["a,b", "b", "d"]) == ("a", "b", "d")
    assert watch.parse_expect(None) == ()


def test_stop_rule_two_quiet_polls_nothing_pending() -> None:
    state = WatchState()
    state.apply([group("a", row())], 0)
    assert not state.settled
    state.apply([group("a", row())], 2)
    assert state.quiet == 1 and not state.settled
    state.apply([group("a", row())], 4)
    assert state.settled


def test_stop_rule_waits_for_expected_and_for_first_rows() -> None:
    state = WatchState(expected=("a", "b"))
    for t in range(5):
        state.apply([group("a", row())], t)
    assert state.pending == ["b"] and not state.settled
    empty = WatchState()
    for t in range(5):
        empty.apply([], t)
    assert not empty.settled  # nothing has arrived yet: not settled, only a timeout ends it


def test_new_rows_reset_quiet_count() -> None:
    state = WatchState()
    state.apply([group("a", row())], 0)
    state.apply([group("a", row())], 1)
    state.apply([group("a", row()), group("b", row())], 2)
    assert state.quiet == 0 and not state.settled


def test_status_line() -> None:
    state = WatchState(expected=("a", "b", "c", "d"))
    state.apply([group("a", row()), group("x", row())], 100)
    assert state.status(104) == "2 metrics in · 3 pending · last update 4 s ago"
    bare = WatchState()
    bare.apply([group("a", row())], 0)
    assert bare.status(125, "settled") == "1 metrics in · last update 2 min ago · settled"


@pytest.mark.parametrize(
    ("quiet", "rand", "expected"),
    [(0, 1.0, 2.0), (0, 0.0, 1.6), (1, 1.0, 3.2), (3, 1.0, 8.192), (9, 1.0, 15.0), (9, 0.0, 12.0)],
)
def test_backoff_grows_from_2_to_15_with_jitter(quiet: int, rand: float, expected: float) -> None:
    assert next_delay(quiet, rand=lambda: rand) == pytest.approx(expected)


def test_backoff_honours_retry_after() -> None:
    assert next_delay(0, retry_after=30, rand=lambda: 1.0) == 30
    assert next_delay(9, retry_after=1, rand=lambda: 1.0) == 15
    assert next_delay(0, retry_after=10_000, rand=lambda: 1.0) == watch.MAX_RETRY_AFTER


class Script:
    """A fetch that plays a list of polls (or exceptions), then repeats the last one."""

    def __init__(self, *steps: Any) -> None:
        self.steps = list(steps)
        self.calls = 0
        self.in_flight = 0
        self.max_in_flight = 0

    async def __call__(self) -> list[MetricGroup]:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        step = self.steps[min(self.calls, len(self.steps) - 1)]
        self.calls += 1
        self.in_flight -= 1
        if isinstance(step, Exception):
            raise step
        return step


async def test_run_watch_settles_after_two_quiet_polls() -> None:
    clock = FakeClock()
    a, ab = [group("a", row())], [group("a", row()), group("b", row())]
    fetch = Script([], a, ab, ab, ab)
    updates: list[watch.WatchUpdate] = []
    outcome = await run_watch(
        fetch, clock=clock, sleep=clock.sleep, rand=lambda: 1.0, on_update=updates.append
    )
    assert outcome.settled and not outcome.timed_out
    assert fetch.calls == 5 and fetch.max_in_flight == 1
    assert [g.slug for g in outcome.state.groups] == ["a", "b"]
    # quiet count 1 after the empty first poll, then new rows reset it, then 1, then stop.
    assert clock.sleeps == pytest.approx([3.2, 2.0, 2.0, 3.2])
    assert updates[-1].next_delay is None


async def test_run_watch_times_out_with_a_last_poll_at_the_deadline() -> None:
    clock = FakeClock()
    fetch = Script([group("a", row())])
    state = WatchState(expected=("a", "b"))
    outcome = await run_watch(
        fetch, state=state, timeout=20, clock=clock, sleep=clock.sleep, rand=lambda: 1.0
    )
    assert outcome.timed_out and not outcome.settled
    assert clock.now == pytest.approx(1020)
    assert sum(clock.sleeps) == pytest.approx(20)


async def test_a_poll_hurried_by_the_deadline_is_not_a_quiet_poll() -> None:
    # Rows keep arriving every 4 s; with a 3 s timeout the watch polls at 0, 2 and 3 s. The
    # poll at 3 s came early, so two "quiet" polls must not be read as settled: it timed out.
    clock = FakeClock()
    a = [group("a", row())]
    outcome = await run_watch(
        Script(a, a, a), timeout=3, clock=clock, sleep=clock.sleep, rand=lambda: 1.0
    )
    assert outcome.timed_out and not outcome.settled
    assert clock.sleeps == pytest.approx([2.0, 1.0])
    assert outcome.state.quiet == 1


async def test_run_watch_waits_out_rate_limits_with_retry_after() -> None:
    clock = FakeClock()
    a = [group("a", row())]
    fetch = Script(errors.RateLimited(status=429, retry_after=42), a, a, a)
    outcome = await run_watch(fetch, clock=clock, sleep=clock.sleep, rand=lambda: 1.0)
    assert outcome.settled
    assert clock.sleeps[0] == 42


async def test_run_watch_gives_up_after_repeated_failures_and_raises_others_at_once() -> None:
    clock = FakeClock()
    with pytest.raises(errors.NetworkError):
        await run_watch(Script(errors.NetworkError()), clock=clock, sleep=clock.sleep)
    assert len(clock.sleeps) == 3
    with pytest.raises(errors.NotFound):
        await run_watch(Script(errors.NotFound(status=404)), clock=clock, sleep=clock.sleep)
