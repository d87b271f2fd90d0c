"""Following a simulation run until it settles: the loop the CLI gate and the report share.

Like core/watch.py's loop for metrics (and with its backoff and transient-error rules), with
fetch, clock and sleep injected so tests never really sleep. A poll that changed something (the
status, or more calls landed) resets the backoff.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from roark_tui.api import errors
from roark_tui.api.runs import RunResults
from roark_tui.core.watch import TRANSIENT_ERRORS, next_delay


@dataclass(frozen=True)
class RunPoll:
    """Sent after every poll: the latest results (None before the first answer), the error
    of a failed poll, and the seconds until the next one (None when the loop ends)."""

    results: RunResults | None
    error: errors.ApiError | None
    next_delay: float | None


@dataclass(frozen=True)
class RunFollowed:
    results: RunResults
    settled: bool
    timed_out: bool


def progress_key(results: RunResults) -> tuple[object, ...]:
    """What counts as progress between two polls."""
    landed = sum(1 for call in results.calls if call.call_id)
    return (results.status, landed, len(results.calls))


async def follow_run(
    fetch: Callable[[], Awaitable[RunResults]],
    *,
    timeout: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    on_update: Callable[[RunPoll], object] | None = None,
    rand: Callable[[], float] = random.random,
    max_failures: int = 3,
) -> RunFollowed:
    """Poll until the run settles or `timeout` seconds pass. Transient failures are waited out
    (up to `max_failures` in a row); any other API error is raised."""
    deadline = None if timeout is None else clock() + timeout
    latest: RunResults | None = None
    last_key: tuple[object, ...] | None = None
    quiet = failures = 0
    while True:
        failure: errors.ApiError | None = None
        try:
            latest = await fetch()
        except TRANSIENT_ERRORS as exc:
            failures += 1
            if failures > max_failures:
                raise
            failure = exc
        else:
            failures = 0
            key = progress_key(latest)
            quiet = quiet + 1 if key == last_key else 0
            last_key = key
        now = clock()
        done = failure is None and latest is not None and latest.settled
        timed_out = not done and deadline is not None and now >= deadline
        delay = None
        if not (done or timed_out):
            delay = next_delay(quiet, retry_after=getattr(failure, "retry_after", None), rand=rand)
            if deadline is not None:
                delay = min(delay, deadline - now)
        if on_update is not None:
            on_update(RunPoll(latest, failure, delay))
        if done or timed_out:
            return RunFollowed(latest or RunResults(), settled=done, timed_out=timed_out)
        await sleep(delay or 0.0)
