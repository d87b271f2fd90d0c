"""Run report figures: a run of 1,000 calls judged on 30 checks, over loopback.

Ours: `roark-tui run BIG_RUN_ID` on a 120x40 pty through `benchmarks.probe`: from the moment the
app asks for the run's results to the first frame showing its verdict and its checks worst first.
Reference: a bare fetch of the same bytes in a fresh process (httpx GET + json.loads). Then, on
the report, enter opens the first (failing) call and esc comes back: each key's time to the first
frame showing the other screen; the call's own metrics request is not in it (the metrics screen's
first frame is its loading state).
"""

from __future__ import annotations

import statistics
from pathlib import Path

from benchmarks.children import PYTHON, child_env
from benchmarks.lookup import (
    KEY_TIMEOUT,
    SHOWN_TIMEOUT,
    _first,
    _settle,
    against_bare_fetch,
    fetch_window,
)
from benchmarks.ptyrun import KEYS, PtyProcess
from benchmarks.sandbox_process import SandboxProcess
from benchmarks.stats import Figure, Measure, Target

SIZE = (1000, 30)  # calls, checks


def app_report(server: SandboxProcess, home: Path, job_id: str) -> tuple[float, float, list[float]]:
    """(request to verdict on screen, request to parsed results, [enter, esc] key times)."""
    env = child_env(home, ROARK_BASE_URL=server.base_url, ROARK_API_BEARER_TOKEN=server.token)
    argv = [PYTHON, "-m", "benchmarks.probe", "run", job_id]
    with PtyProcess(argv, env, probe=True) as process:
        events = process.events
        shown = process.wait_for(
            lambda: _first(events, 0, lambda e: e["event"] == "frame" and e.get("selected")),
            SHOWN_TIMEOUT,
            "a frame with the run's verdict and checks",
        )
        requested, fetched = fetch_window(events, "the run", job_id)
        keys = [_switch(process, key, screen) for key, screen in KEY_SCRIPT]
    return shown["t"] - requested["t"], fetched["t"] - requested["t"], keys


KEY_SCRIPT = (("enter", "MetricsScreen"), ("escape", "RunReportScreen"))


def _switch(process: PtyProcess, key: str, screen: str) -> float:
    """Type `key` once the app is idle; seconds to the first frame of `screen`."""
    _settle(process)
    start = len(process.events)
    sent = process.send(KEYS[key])
    frame = process.wait_for(
        lambda: _first(
            process.events, start, lambda e: e["event"] == "frame" and e.get("screen") == screen
        ),
        KEY_TIMEOUT,
        f"the {screen} after {key!r}",
    )
    return float(frame["t"] - sent)


def run_figures(runs: int, server: SandboxProcess, home: Path) -> list[Figure]:
    from roark_tui.sandbox.big_run import BIG_RUN_ID

    calls, checks = SIZE
    figure = Figure(
        f"Run of {calls} calls x {checks} checks: request to verdict and worst check on screen "
        "vs bare fetch",
        None,
        None,
        Target("ratio", 3.0),
    )
    seen: list[tuple[float, float, list[float]]] = []

    def ours() -> float:
        seen.append(app_report(server, home, BIG_RUN_ID))
        return seen[-1][0]

    path = f"/v1/simulation/plan/job/{BIG_RUN_ID}/results"
    count = against_bare_fetch(figure, ours, server, home, path, runs)
    if count is None:
        return [figure]
    measured = seen[-count:]
    fetched = statistics.median(m[1] for m in measured)
    figure.notes.append(f"of which request to parsed results: {fetched * 1000:.0f} ms (median)")
    keys = [k for m in measured for k in m[2]]
    key_figure = Figure(
        "Run report: open a call and come back, per key (to the frame showing it)",
        Measure(tuple(keys)),
        None,
        Target("absolute", 0.05),
    )
    key_figure.notes.append(
        f"{len(keys)} presses (enter, esc); slowest {max(keys) * 1000:.0f} ms; the call's "
        "metrics request is not in it"
    )
    return [figure, key_figure]
