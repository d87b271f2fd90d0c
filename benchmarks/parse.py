"""Parse figure: the 10k-value payload into our models versus the official SDK's.

Ours is the exact function the service parses every response with (`service._parse`, so it
includes what the service does around the parse); the reference is roark-analytics'
`CallListMetricsResponse.model_validate_json` on the same bytes. Both parse while an earlier
result of each is alive, as in the app (where the UI and the open conversation are), because the
garbage collector's cost grows with what is alive.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from benchmarks.stats import Figure, Measure, Target, alternate

NAME = "Parse the 10k-value payload: ours vs official SDK (roark-analytics)"


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
        return elapsed

    return once


def parse_figure(runs: int, payload: bytes) -> Figure:
    figure = Figure(NAME, None, None, Target("ratio", 0.7))
    try:
        from roark_analytics.types import CallListMetricsResponse
    except ImportError:
        figure.problems.append("roark-analytics is not installed: pip install -e '.[bench]'")
        return figure
    from roark_tui.api.models import MetricsResponse
    from roark_tui.api.service import _parse

    response = httpx.Response(
        200, content=payload, request=httpx.Request("GET", "http://127.0.0.1/metrics")
    )

    def ours() -> Any:
        return _parse(MetricsResponse, response)

    def sdk() -> Any:
        return CallListMetricsResponse.model_validate_json(payload)

    alive = (ours(), sdk())  # an open conversation, as the app has one
    groups = len(alive[0].data)
    values = sum(len(group.values) for group in alive[0].data)
    ours_s, ref_s = alternate(_timer(ours), _timer(sdk), max(runs, 15))
    figure.ours = Measure(tuple(ours_s))
    figure.reference = Measure(tuple(ref_s))
    figure.notes.append(
        f"{len(payload) / 1e6:.1f} MB, {groups} metrics, {values} values; "
        f"{max(runs, 15)} interleaved runs each"
    )
    del alive
    return figure
