"""Browser figures: the list and its verdicts over a link with latency, and keys meanwhile.

`roark-tui chats` runs on a 120x40 pty through `benchmarks.probe`, against a loopback sandbox
with the crowd of conversations (sandbox/crowd.py) and LATENCY seconds added to every request,
as a distant API would. From the list request (the first page, PAGE_SIZE chats): the first
frame with rows, then, while the verdicts stream in (one metrics request per row, a few at a
time), Down is typed every KEY_GAP seconds and each press timed to the frame that shows the
cursor moved; then the frame with every verdict of the page shown. Reference for the first
rows: a bare fetch of the same page, with the same latency, in a fresh process.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from benchmarks.children import PYTHON, child_env
from benchmarks.lookup import KEY_TIMEOUT, SHOWN_TIMEOUT, Event, _first, bare_fetch
from benchmarks.ptyrun import KEYS, PtyProcess
from benchmarks.sandbox_process import SandboxProcess
from benchmarks.stats import Figure, Measure, Target, alternate

LATENCY = 0.1  # seconds added to every request
PAGE = 100  # the browser's page (core.browse.PAGE_SIZE): the verdicts waited for
KEY_GAP = 0.1  # a key every tenth of a second while the verdicts stream in
MAX_KEYS = 12
FIRST_ROWS_MARGIN = 0.1  # over one request's latency
ALL_VERDICTS = 2.5
KEY_LIMIT = 0.05


@dataclass
class BrowseRun:
    first_rows: float  # list request -> first frame with rows
    all_verdicts: float  # list request -> frame with the page's verdicts all shown
    keys: list[float] = field(default_factory=list)  # Down while verdicts streamed, each
    cpu: float = 0.0  # the app's CPU seconds from the list request to the last verdict


def _frames(events: list[Event], start: int = 0) -> list[Event]:
    return [e for e in events[start:] if e["event"] == "frame" and e["screen"] == "BrowserScreen"]


def _moved(events: list[Event], start: int, before: int) -> Event | None:
    """The first frame since `start` whose cursor is off row `before`."""
    return next((f for f in _frames(events, start) if f["cursor_row"] != before), None)


def browse_run(server: SandboxProcess, home: Path) -> BrowseRun:
    env = child_env(home, ROARK_BASE_URL=server.base_url, ROARK_API_BEARER_TOKEN=server.token)
    with PtyProcess([PYTHON, "-m", "benchmarks.probe", "chats"], env, probe=True) as process:
        events = process.events
        rows = process.wait_for(
            lambda: next((f for f in _frames(events) if f["rows"]), None),
            SHOWN_TIMEOUT,
            "the browser's first rows",
        )
        requested = _first(events, 0, lambda e: e["event"] == "list_start")
        assert requested is not None
        keys = []
        while len(keys) < MAX_KEYS and _frames(events)[-1]["verdicts"] < PAGE:
            before = _frames(events)[-1]["cursor_row"]
            start = len(events)
            sent = process.send(KEYS["down"])
            moved = process.wait_for(
                partial(_moved, events, start, before),
                KEY_TIMEOUT,
                "a frame showing the cursor moved",
            )
            if moved["verdicts"] < PAGE:  # the key was answered while verdicts streamed
                keys.append(moved["t"] - sent)
            process.pump(KEY_GAP)
        done = process.wait_for(
            lambda: next((f for f in _frames(events) if f["verdicts"] >= PAGE), None),
            SHOWN_TIMEOUT,
            f"the verdicts of the first {PAGE} chats",
        )
    return BrowseRun(
        rows["t"] - requested["t"],
        done["t"] - requested["t"],
        keys,
        done["cpu"] - requested["cpu"],
    )


def browse_figures(runs: int, home: Path) -> list[Figure]:
    with SandboxProcess(0, 0, home, crowd=True, latency=LATENCY) as server:
        seen: list[BrowseRun] = []

        def ours() -> float:
            seen.append(browse_run(server, home))
            return seen[-1].first_rows

        ours_s, ref_s = alternate(
            ours, lambda: bare_fetch(server, home, f"/v1/chat?limit={PAGE}"), runs
        )
    measured = seen[-runs:]
    latency_ms = f"{LATENCY * 1000:.0f} ms"
    first = Figure(
        f"Browser ({latency_ms} latency per request): list request to first rows on screen "
        "vs bare fetch of the same page",
        Measure(tuple(ours_s)),
        Measure(tuple(ref_s)),
        Target("margin", FIRST_ROWS_MARGIN),
    )
    verdicts = Figure(
        f"Browser ({latency_ms} latency per request): list request to all {PAGE} verdicts shown",
        Measure(tuple(r.all_verdicts for r in measured)),
        None,
        Target("absolute", ALL_VERDICTS),
    )
    verdicts.notes.append(
        f"the app's CPU time in that window: {statistics.median(r.cpu for r in measured):.2f} s"
        " (median)"
    )
    presses = [k for r in measured for k in r.keys]
    keys = Figure(
        "Browser: move the cursor while the verdicts stream in, per key (to the frame showing it)",
        Measure(tuple(presses)) if presses else None,
        None,
        Target("absolute", KEY_LIMIT),
        problems=[] if presses else ["no key was answered while verdicts streamed"],
    )
    if presses:
        keys.notes.append(f"{len(presses)} presses; slowest {max(presses) * 1000:.0f} ms")
    return [first, verdicts, keys]
