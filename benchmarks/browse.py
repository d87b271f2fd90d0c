"""Browser figures: the list and its verdicts over a link with latency, and keys meanwhile.

`roark-tui chats` runs on a 120x40 pty through `benchmarks.probe`, against a loopback sandbox
with the crowd of conversations (sandbox/crowd.py) and LATENCY seconds added to every request,
as a distant API would. From the list request (the first page, PAGE_SIZE chats): the first
frame with rows, then, while the verdicts stream in (one metrics request per row, a few at a
time), Down is typed every KEY_GAP seconds and each press timed to the frame that shows the
cursor moved; then the frame with every verdict of the page shown. Reference for the first
rows: a bare fetch of the same page, with the same latency, in a fresh process.

Memory: against a sandbox of PAGED chats (no latency), End is typed again and again, each time
once the next page is on screen, until every chat has been listed; the app's resident memory
after PAGED chats is compared with the same process's after 2 x WINDOW_ROWS (the rows the
browser holds at most, once filled and once turned over: its caches are warm), so the ratio
says whether memory grows with how far one pages. The whole curve is in the notes.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import httpx

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
PAGED = 10_000
WINDOW_ROWS = 1_000  # tui/screens/browser.py: WINDOW_PAGES pages of PAGE rows
PAGING_GROWTH = 1.15  # memory after PAGED rows over memory after 2 x WINDOW_ROWS
PAGING_TIMEOUT = 600.0


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
    return [first, verdicts, keys, paging_figure(home)]


def _rss_mib(pid: int) -> float:
    """The resident memory of a running process, in MiB (Linux)."""
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _listed(events: list[Event]) -> int:
    return sum(e["rows"] for e in events if e["event"] == "list_end")


def paging_memory(home: Path) -> tuple[dict[int, float], int]:
    """MiB by rows listed (every WINDOW_ROWS, and at PAGED), and the rows the table held at
    the end."""
    with SandboxProcess(0, 0, home, crowd=True, chats=PAGED) as server:
        httpx.get(  # the sandbox builds its crowd now, not in the measured process's time
            f"{server.base_url}/v1/chat?limit=1",
            headers={"Authorization": f"Bearer {server.token}"},
            timeout=PAGING_TIMEOUT,
        ).raise_for_status()
        env = child_env(home, ROARK_BASE_URL=server.base_url, ROARK_API_BEARER_TOKEN=server.token)
        argv = [PYTHON, "-m", "benchmarks.probe", "chats"]
        with PtyProcess(argv, env, probe=True) as process:
            events = process.events
            process.wait_for(
                lambda: any(f["rows"] for f in _frames(events)), SHOWN_TIMEOUT, "the first rows"
            )
            memory: dict[int, float] = {}
            deadline = time.monotonic() + PAGING_TIMEOUT
            while (listed := _listed(events)) < PAGED and time.monotonic() < deadline:
                if listed >= WINDOW_ROWS * (len(memory) + 1):
                    memory[listed] = _rss_mib(process.pid)
                pages = sum(1 for e in events if e["event"] == "list_end")
                process.send(KEYS["end"])
                process.wait_for(
                    partial(_page_shown, events, pages),
                    SHOWN_TIMEOUT,
                    f"the next page after {listed} rows",
                )
            if listed < PAGED:
                raise RuntimeError(f"only {listed} chats listed in {PAGING_TIMEOUT:g} s")
            memory[listed] = _rss_mib(process.pid)
            return memory, _frames(events)[-1]["rows"]


def _page_shown(events: list[Event], pages: int) -> bool:
    """Whether a page was listed after the first `pages`, and a frame drawn since."""
    ends = [i for i, e in enumerate(events) if e["event"] == "list_end"]
    return len(ends) > pages and bool(_frames(events, ends[-1] + 1))


def paging_figure(home: Path) -> Figure:
    memory, held = paging_memory(home)
    turned = min(rows for rows in memory if rows >= 2 * WINDOW_ROWS)
    figure = Figure(
        f"Browser: resident memory after paging through {PAGED:,} chats vs after {turned:,}",
        Measure((memory[max(memory)],), "MiB"),
        Measure((memory[turned],), "MiB"),
        Target("ratio", PAGING_GROWTH),
    )
    curve = ", ".join(f"{rows:,}: {mib:.1f}" for rows, mib in sorted(memory.items()))
    figure.notes.append(f"MiB by rows listed: {curve}; rows held at the end: {held:,} (one run)")
    return figure
