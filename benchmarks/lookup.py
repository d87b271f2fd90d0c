"""Lookup figures: from the metrics request to the first failing check on screen, over loopback.

Two ways in, both on a 120x40 pty against a loopback sandbox, through `benchmarks.probe` (the
real app with a stopwatch inside), each timed from the app's request for the metrics to the first
frame whose tree cursor is on a failing check:
- cold, `roark-tui chat BIG_CHAT_ID`: the window also holds the tail of the app's start-up and
  its first walk of the metric definitions;
- in the running app: the lookup screen, left until idle (its lists and their verdicts loaded),
  then the id typed and Enter; only the request for that id counts (the verdicts are fetched
  through the same methods), and the time from Enter is noted.
Reference: a bare fetch of the same bytes in a fresh process (httpx GET + json.loads). Also from
the cold runs: peak RSS with the conversation open, and, at 100k values, the time each key takes
to reach the screen.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.children import PYTHON, child_env
from benchmarks.probe import PROFILE_ENV, WINDOW_ENV
from benchmarks.ptyrun import KEYS, PtyProcess, Timeout
from benchmarks.sandbox_process import SandboxProcess
from benchmarks.stats import Figure, Measure, Target, alternate

# name: (metrics, values per metric)
SIZES = {"1k": (100, 10), "10k": (100, 100), "100k": (100, 1000)}
# Cold, the 1k figure is for scaling: start-up's tail dominates it.
COLD_TARGETS = {"1k": Target("info"), "10k": Target("ratio", 3.0), "100k": Target("absolute", 1.5)}
IN_APP_TARGETS = {
    "1k": Target("ratio", 5.0),
    "10k": Target("ratio", 3.0),
    "100k": Target("absolute", 1.5),
}
SHOWN_TIMEOUT = 60.0
KEY_TIMEOUT = 10.0
NO_FAILURE_AFTER = 2.0  # settled this long with no failing check selected: there is none
QUIET = 0.15  # a key's response is complete when no frame follows for this long
# At 100k: jump to the last (collapsed) metric, open it (1000 values, the first chunk shown),
# walk down and back, close it, open it again.
KEY_SCRIPT: tuple[tuple[str, str], ...] = (
    ("end", "move"),
    ("enter", "expand"),
    ("down", "move"),
    ("down", "move"),
    ("down", "move"),
    ("up", "move"),
    ("up", "move"),
    ("up", "move"),
    ("enter", "expand"),
    ("enter", "expand"),
)


@dataclass
class LookupRun:
    seconds: float  # metrics requested -> first failing check on screen
    fetched: float  # metrics requested -> parsed models back in the app
    cpu: float  # CPU seconds the app used in that window
    rss_mib: float = 0.0
    keys: list[tuple[str, float, float]] = field(default_factory=list)  # kind, first, settled
    entered: float | None = None  # in the running app: Enter typed -> failing check on screen


Event = dict[str, Any]


def _first(events: list[Event], start: int, test: Callable[[Event], bool]) -> Event | None:
    return next((e for e in events[start:] if test(e)), None)


def _spawn(server: SandboxProcess, home: Path, *args: str) -> PtyProcess:
    """`roark-tui <args>` through the probe, on a pty, against `server`."""
    env = child_env(home, ROARK_BASE_URL=server.base_url, ROARK_API_BEARER_TOKEN=server.token)
    return PtyProcess([PYTHON, "-m", "benchmarks.probe", *args], env, probe=True)


def _lookup_shown(process: PtyProcess, chat_id: str, start: int) -> tuple[LookupRun, Event]:
    """Wait for the first frame since event `start` with a failing check selected; that frame,
    and the run timed from the request for `chat_id` made since `start`."""
    shown = process.wait_for(
        lambda: (
            _first(process.events, start, lambda e: e["event"] == "frame" and e.get("selected"))
            or _no_failure_shown(process)
        ),
        SHOWN_TIMEOUT,
        "a frame with the first failing check selected",
    )
    requested, fetched = fetch_window(process.events, "the conversation", chat_id, start)
    run = LookupRun(
        shown["t"] - requested["t"],
        fetched["t"] - requested["t"],
        shown["cpu"] - requested["cpu"],
    )
    return run, shown


def app_lookup(server: SandboxProcess, home: Path, chat_id: str, keys: bool) -> LookupRun:
    """Cold: `roark-tui chat <chat_id>`."""
    with _spawn(server, home, "chat", chat_id) as process:
        run, _ = _lookup_shown(process, chat_id, 0)
        if keys:
            _settle(process)
            run.keys = [_press(process, key, kind) for key, kind in KEY_SCRIPT]
            if os.environ.get(PROFILE_ENV) and os.environ.get(WINDOW_ENV) == "keys":
                os.kill(process.pid, signal.SIGUSR1)  # the probe writes the profile
                process.wait_for(
                    lambda: _first(process.events, 0, lambda e: e["event"] == "profile_written"),
                    SHOWN_TIMEOUT,
                    "the keys profile",
                )
    run.rss_mib = process.peak_rss_mib
    return run


def in_app_lookup(server: SandboxProcess, home: Path, chat_id: str) -> LookupRun:
    """In the running app: the lookup screen idle, then the id typed (the screen let settle, as
    a paste would be) and Enter."""
    with _spawn(server, home) as process:
        process.wait_for(
            lambda: _first(process.events, 0, lambda e: e["event"] == "list_end"),
            SHOWN_TIMEOUT,
            "the lookup screen's latest conversations",
        )
        _settle(process)  # the verdicts of the lists too: their worker is busy until then
        process.send(chat_id.encode())
        _settle(process)
        start = len(process.events)
        sent = process.send(KEYS["enter"])
        run, shown = _lookup_shown(process, chat_id, start)
        run.entered = shown["t"] - sent
    return run


def fetch_window(events: list[Event], what: str, asked: str, start: int = 0) -> tuple[Event, Event]:
    """The app's request for `asked` (a conversation's or run's id) since event `start`, and
    its parsed answer (fetch_start, fetch_end)."""
    requested = _first(events, start, lambda e: e["event"] == "fetch_start" and e["id"] == asked)
    fetched = _first(events, start, lambda e: e["event"] == "fetch_end" and e["id"] == asked)
    if requested is None or fetched is None:
        raise RuntimeError(f"the app showed {what} without fetching it")
    return requested, fetched


def _busy(process: PtyProcess) -> int:
    """How many of the app's workers were busy at its last report."""
    last = next((e for e in reversed(process.events) if "busy" in e), None)
    return last["busy"] if last else 0


def _no_failure_shown(process: PtyProcess) -> None:
    """Raise at once, rather than wait out the timeout, when the app has shown the whole
    conversation, settled, and selected no failing check (the data has none)."""
    frames = [e for e in process.events if e["event"] == "frame"]
    last = frames[-1] if frames else None
    work = [e["t"] for e in process.events if e["event"] in ("worker", "fetch_end")]
    if (
        last is not None
        and last.get("lines")
        and not last.get("selected")
        and not _busy(process)
        and work
        and time.monotonic() - max(work) > NO_FAILURE_AFTER
    ):
        raise RuntimeError(
            f"the app settled on {last.get('lines')} tree lines without selecting a failing "
            "check: does the benchmark conversation have one?"
        )


def _tree(event: dict[str, Any]) -> tuple[Any, Any]:
    return event.get("cursor_line"), event.get("lines")


def _settle(process: PtyProcess) -> dict[str, Any]:
    """Wait until the app is idle: no worker busy (the metrics screen loads the header and the
    definitions after the metrics, and rebuilds the tree then) and no frame for QUIET seconds
    (a clock may still tick a frame a second). Returns the last frame drawn."""
    deadline = time.monotonic() + SHOWN_TIMEOUT
    while time.monotonic() < deadline:
        count = len(process.events)
        quiet_until = time.monotonic() + QUIET
        # pump returns at the first read, often the terminal bytes of the frame just reported:
        # keep reading until QUIET has really passed without a report.
        while len(process.events) == count and (left := quiet_until - time.monotonic()) > 0:
            process.pump(left)
        if len(process.events) == count and not _busy(process):
            return next(e for e in reversed(process.events) if e["event"] == "frame")
    raise Timeout(f"the app did not settle within {SHOWN_TIMEOUT:g} s")


def _press(process: PtyProcess, key: str, kind: str) -> tuple[str, float, float]:
    """Type `key`; (kind, seconds to the first frame that shows its effect, seconds until the
    screen is quiet again)."""
    before = _tree(_settle(process))
    start = len(process.events)
    sent = process.send(KEYS[key])
    changed = process.wait_for(
        lambda: _first(
            process.events,
            start,
            lambda e: e["event"] == "frame" and _tree(e) != before,
        ),
        KEY_TIMEOUT,
        f"a frame showing the effect of {key!r}",
    )
    last = _settle(process)
    return kind, changed["t"] - sent, last["t"] - sent


def bare_fetch(server: SandboxProcess, home: Path, path: str) -> float:
    """The reference: a fresh process fetching the same bytes from `path` (json.loads)."""
    env = child_env(home, ROARK_API_BEARER_TOKEN=server.token)
    url = f"{server.base_url}{path}"
    done = subprocess.run(
        [PYTHON, "-m", "benchmarks.bare_fetch", url],
        env=env,
        capture_output=True,
        timeout=120,
        check=True,
    )
    return float(json.loads(done.stdout)["seconds"])


def against_bare_fetch(
    figure: Figure,
    ours: Callable[[], float],
    server: SandboxProcess,
    home: Path,
    path: str,
    runs: int,
) -> int | None:
    """Measure `ours` against a bare fetch of `path`, interleaved, into `figure`; how many
    runs of ours count (the last ones), or None when it could not be measured (then said)."""
    try:
        ours_s, ref_s = alternate(ours, lambda: bare_fetch(server, home, path), runs)
    except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
        figure.problems.append(f"could not measure: {exc}")
        return None
    figure.ours = Measure(tuple(ours_s))
    figure.reference = Measure(tuple(ref_s))
    return len(ours_s)


def lookup_figures(
    size: str, runs: int, server: SandboxProcess, home: Path, chat_id: str
) -> list[Figure]:
    """The lookup rows of one size (cold, and in the running app), plus the memory row (10k,
    100k) and key rows (100k) of the cold runs."""
    metrics, values = SIZES[size]
    shape = f"{size} values ({metrics}x{values})"
    cold, measured = _lookup_figure(
        f"Lookup, `roark-tui chat <id>`, {shape}",
        COLD_TARGETS[size],
        partial(app_lookup, server, home, chat_id, keys=size == "100k"),
        server,
        home,
        chat_id,
        runs,
    )
    in_app, _ = _lookup_figure(
        f"Lookup in the running app, {shape}",
        IN_APP_TARGETS[size],
        partial(in_app_lookup, server, home, chat_id),
        server,
        home,
        chat_id,
        runs,
    )
    figures = [cold, in_app]
    if not measured:
        return figures
    memory_limit = {"10k": 100.0, "100k": 250.0}.get(size)
    if memory_limit is not None:
        figures.append(
            Figure(
                f"Peak RSS with the {size} conversation open"
                + (" (after the key script)" if size == "100k" else ""),
                Measure(tuple(r.rss_mib for r in measured), "MiB"),
                None,
                Target("absolute", memory_limit, "MiB"),
            )
        )
    if size == "100k":
        figures.extend(_key_figures(measured))
    return figures


def _lookup_figure(
    name: str,
    target: Target,
    lookup: Callable[[], LookupRun],
    server: SandboxProcess,
    home: Path,
    chat_id: str,
    runs: int,
) -> tuple[Figure, list[LookupRun]]:
    """One way of looking up against the bare fetch; the figure and the runs that count (none
    when it could not be measured)."""
    figure = Figure(f"{name}: request to failing check on screen vs bare fetch", None, None, target)
    seen: list[LookupRun] = []

    def ours() -> float:
        seen.append(lookup())
        return seen[-1].seconds

    count = against_bare_fetch(figure, ours, server, home, f"/v1/chat/{chat_id}/metrics", runs)
    if count is None:
        return figure, []
    measured = seen[-count:]
    fetched = statistics.median(r.fetched for r in measured)
    cpu = statistics.median(r.cpu for r in measured)
    entered = [r.entered for r in measured if r.entered is not None]
    figure.notes.append(
        f"of which request to parsed models: {fetched * 1000:.0f} ms (median), the rest "
        f"building the tree and drawing; the app's CPU time in the window: {cpu * 1000:.0f} ms"
        + (
            f"; from Enter typed to the same frame: {statistics.median(entered) * 1000:.0f} ms"
            " (median)"
            if entered
            else ""
        )
    )
    return figure, measured


def _key_figures(runs: list[LookupRun]) -> list[Figure]:
    """Per key kind: the time from typing the key to the first frame that shows its effect,
    every press of every run as a sample (the figure is their median)."""
    figures = []
    for kind, label in (("expand", "expand or collapse a metric"), ("move", "move the cursor")):
        first = [f for run in runs for k, f, _ in run.keys if k == kind]
        settled = [s for run in runs for k, _, s in run.keys if k == kind]
        figure = Figure(
            f"100k values: {label}, per key (to the frame showing it)",
            Measure(tuple(first)),
            None,
            Target("absolute", 0.05),
        )
        figure.notes.append(
            f"{len(first)} presses; slowest {max(first) * 1000:.0f} ms; until the screen is "
            f"quiet again (detail panes included): median {statistics.median(settled) * 1000:.0f}"
            f" ms, slowest {max(settled) * 1000:.0f} ms"
        )
        figures.append(figure)
    return figures
