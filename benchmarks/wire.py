"""Bytes on the wire: what the app writes to its terminal for the first frame and for each key.

Over a slow link (SSH) the bytes are the lag. `roark-tui --demo chat FAILING_CHAT_ID` runs on a
120x40 pty with TERM=xterm-256color and COLORTERM=truecolor, through `benchmarks.probe`; every
byte it writes is counted: from spawn until the metrics screen is settled on the first failing
check (the first frame), then per key, from the key until the screen is quiet again: a cursor
move (Down, Up), an expand and a collapse (Enter on a metric with values), a keystroke in the
filter (its debounce included, so the filtered tree's redraw counts). Reference: the same app
and keys with Textual's own driver (`PLAIN_OUTPUT_ENV`), so the ratio is what our output
rewriting saves. Byte counts vary a little from run to run, the more so on a busy machine: a
slow app draws fewer intermediate frames (Textual coalesces them), so each side is the median
of `runs` spawns.
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.children import PYTHON, child_env
from benchmarks.lookup import _settle
from benchmarks.probe import PLAIN_OUTPUT_ENV
from benchmarks.ptyrun import KEYS, PtyProcess
from benchmarks.stats import Figure, Measure, Target

SHOWN_TIMEOUT = 60.0
FILTER_SETTLE = 0.3  # longer than the filter's debounce, so its redraw is counted
FIRST_FRAME_KB = 80.0
MOVE_KB = 6.0
# (kind, bytes typed): down and up moves, an expand and its collapse, a filter keystroke.
SCRIPT: tuple[tuple[str, bytes], ...] = (
    ("move", KEYS["down"]),
    ("move", KEYS["down"]),
    ("move", KEYS["up"]),
    ("move", KEYS["down"]),
    ("expand", KEYS["enter"]),
    ("expand", KEYS["enter"]),
    ("open filter", b"/"),
    ("filter", b"b"),
    ("filter", b"i"),
    ("filter", b"l"),
)


def wire_run(home: Path, chat_id: str, plain: bool) -> dict[str, list[float]]:
    """One spawn: kB written for the first frame and for each key kind of SCRIPT."""
    env = child_env(home, **({PLAIN_OUTPUT_ENV: "1"} if plain else {}))
    argv = [PYTHON, "-m", "benchmarks.probe", "--demo", "chat", chat_id]
    sizes: dict[str, list[float]] = {}
    with PtyProcess(argv, env, probe=True) as process:
        process.wait_for(
            lambda: any(e["event"] == "frame" and e.get("selected") for e in process.events),
            SHOWN_TIMEOUT,
            "the metrics screen with a failing check selected",
        )
        _settle(process)
        sizes["first"] = [len(process.output) / 1000]
        for kind, data in SCRIPT:
            before = len(process.output)
            process.send(data)
            if kind == "filter":
                time.sleep(FILTER_SETTLE)  # the filter applies after its debounce
            _settle(process)
            sizes.setdefault(kind, []).append((len(process.output) - before) / 1000)
    return sizes


def wire_figures(runs: int, home: Path, chat_id: str) -> list[Figure]:
    """The first frame and each key kind, ours against Textual's own output, interleaved."""
    ours: dict[str, list[float]] = {}
    plain: dict[str, list[float]] = {}
    for _ in range(runs):
        for side, into in ((False, ours), (True, plain)):
            for kind, sizes in wire_run(home, chat_id, side).items():
                into.setdefault(kind, []).extend(sizes)
    rows = (
        ("first", "First frame at 120x40 (`--demo chat`, failing check selected)", FIRST_FRAME_KB),
        ("move", "A cursor move in the metric tree (Down/Up, detail panes included)", MOVE_KB),
        ("expand", "Expand or collapse a metric (Enter)", None),
        ("filter", "A keystroke in the tree's filter (the filtered tree drawn)", None),
    )
    figures = []
    for kind, label, limit in rows:
        target = Target("absolute", limit, "kB") if limit is not None else Target("info")
        figures.append(
            Figure(
                f"Bytes on the wire: {label} vs Textual's own output",
                Measure(tuple(ours[kind]), "kB"),
                Measure(tuple(plain[kind]), "kB"),
                target,
            )
        )
    return figures
