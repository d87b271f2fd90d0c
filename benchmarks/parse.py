"""Parse figures: the 10k-value payload into our models versus the official SDK's.

The service parses every response with the cyclic garbage collector paused (`gc_paused` in
api/parsing.py), which matters: a burst of allocations makes the collector walk everything alive.
So the two sides are compared under the same collector setting, twice:

- like for like, the figure the target is about: ours is the exact function the service parses
  with (`parsing.parse_model`, pause included); the reference is roark-analytics'
  `CallListMetricsResponse.model_validate_json` on the same bytes inside the same pause;
- both with the collector on: our model's `model_validate_json` (what `parse_model` runs inside the
  pause) against the same SDK call, for information.

Both parse while an earlier result of each is alive, as in the app (where the UI and the open
conversation are), because the collector's cost grows with what is alive; after each timed run a
full collection (not timed) leaves no debt for the other side's next run.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

import httpx

from benchmarks.stats import Figure, Measure, Target, alternate

NAME = "Parse 10k values: ours vs official SDK (roark-analytics), collector paused in both"
NAME_GC_ON = "Parse 10k values: ours vs official SDK (roark-analytics), collector on in both"


def fetch_payload(base_url: str, token: str, chat_id: str) -> bytes:
    response = httpx.get(
        f"{base_url}/v1/chat/{chat_id}/metrics",
        params={"status": "all"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )
    response.raise_for_status()
    return response.content


def _timer(parse: Callable[[], Any]) -> Callable[[], float]:
    def once() -> float:
        started = time.perf_counter()
        result = parse()
        elapsed = time.perf_counter() - started
        del result
        gc.collect()
        return elapsed

    return once


def parse_figures(runs: int, payload: bytes) -> list[Figure]:
    paused = Figure(NAME, None, None, Target("ratio", 0.7))
    gc_on = Figure(NAME_GC_ON, None, None, Target("info"))
    try:
        from roark_analytics.types import CallListMetricsResponse
    except ImportError:
        paused.problems.append("roark-analytics is not installed: pip install -e '.[bench]'")
        return [paused]
    from roark_tui.api.models import MetricsResponse
    from roark_tui.api.parsing import gc_paused, parse_model

    response = httpx.Response(
        200, content=payload, request=httpx.Request("GET", "http://127.0.0.1/metrics")
    )

    def ours_as_the_service() -> Any:
        return parse_model(MetricsResponse, response)

    def sdk_paused() -> Any:
        with gc_paused():
            return CallListMetricsResponse.model_validate_json(payload)

    def ours_gc_on() -> Any:
        return MetricsResponse.model_validate_json(payload)

    def sdk_gc_on() -> Any:
        return CallListMetricsResponse.model_validate_json(payload)

    alive = (ours_as_the_service(), sdk_gc_on())  # an open conversation, as the app has one
    groups = len(alive[0].data)
    values = sum(len(group.values) for group in alive[0].data)
    count = max(runs, 15)
    for figure, ours, sdk in (
        (paused, ours_as_the_service, sdk_paused),
        (gc_on, ours_gc_on, sdk_gc_on),
    ):
        ours_s, ref_s = alternate(_timer(ours), _timer(sdk), count)
        figure.ours = Measure(tuple(ours_s))
        figure.reference = Measure(tuple(ref_s))
    paused.notes.append(
        f"{len(payload) / 1e6:.1f} MB, {groups} metrics, {values} values; "
        f"{count} interleaved runs each, with the collector paused around each parse"
    )
    gc_on.notes.append("the same payload and runs, the collector on throughout")
    del alive
    return [paused, gc_on]
