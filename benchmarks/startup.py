"""Start-up figures: cold start to the first usable frame and to the first paint, and the
commands that draw no screen."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.children import MINIMAL_APP, PYTHON, ROARK_TUI, child_env
from benchmarks.ptyrun import PtyProcess
from benchmarks.sandbox_process import SandboxProcess
from benchmarks.stats import Figure, Measure, Target, alternate, format_value, ratio

# The footer's command-palette key: both apps draw it in their footer, on their first frame.
FOOTER_MARKER = "palette"
# The lookup screen is usable once both of its lists are drawn: the recent lookups (empty in the
# suite's fresh state dir) and the latest conversations from the API, whose rows alone say how
# long ago each started ("16 d ago"); until then that list shows "Loading…".
USABLE_MARKERS = ("Nothing opened yet", " ago ")
FIRST_FRAME_TIMEOUT = 30.0
# Modules a command that draws no screen must never load.
FORBIDDEN = frozenset({"textual", "click", "roark_analytics"})
REFERENCE_COMMAND = (PYTHON, "-c", "import httpx, pydantic")
IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")
# Runs a script as `python script args` would, then lists what ended up in sys.modules (an
# attempted import that failed, such as httpx's optional CLI trying click, is not counted).
MODULES_AFTER = """
import atexit, json, runpy, sys
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
sys.argv.pop(0)
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@dataclass
class Start:
    """What one spawn showed: seconds to each frame waited for, and the process's cost."""

    frames: dict[str, float]
    peak_rss_mib: float = 0.0
    cpu_seconds: float = 0.0


def start_frames(argv: list[str], env: dict[str, str], markers: Sequence[str]) -> Start:
    """Spawn `argv` on a 120x40 pty and wait until each marker is drawn; killed at once after,
    with its peak RSS (MiB) and CPU seconds up to then."""
    with PtyProcess(argv, env) as process:
        drawn = process.wait_for_texts(markers, FIRST_FRAME_TIMEOUT)
    frames = {marker: at - process.started for marker, at in drawn.items()}
    return Start(frames, process.peak_rss_mib, process.cpu_seconds)


def cold_start(runs: int, home: Path) -> list[Figure]:
    """Ours to the first usable frame (the figure with the target) and to the first paint,
    both from the same spawns, against the first frame of a minimal Textual app (which is
    usable as soon as it paints)."""
    env = child_env(home)
    ours_seen: list[Start] = []
    ref_seen: list[Start] = []

    def ours() -> float:
        ours_seen.append(start_frames([ROARK_TUI, "--demo"], env, (FOOTER_MARKER, *USABLE_MARKERS)))
        return max(ours_seen[-1].frames.values())

    def reference() -> float:
        ref_seen.append(start_frames([PYTHON, MINIMAL_APP], env, (FOOTER_MARKER,)))
        return ref_seen[-1].frames[FOOTER_MARKER]

    usable_s, ref_s = alternate(ours, reference, runs)
    ours_runs, ref_runs = ours_seen[-runs:], ref_seen[-runs:]
    reference_measure = Measure(tuple(ref_s))
    usable = Figure(
        "Cold start to first usable frame (`roark-tui --demo`, lookup lists drawn) "
        "vs minimal Textual app, pty",
        Measure(tuple(usable_s)),
        reference_measure,
        Target("ratio", 1.3),
    )
    paint = Figure(
        "Cold start to first paint (`roark-tui --demo`, footer drawn) vs minimal Textual app",
        Measure(tuple(run.frames[FOOTER_MARKER] for run in ours_runs)),
        reference_measure,
        Target("info"),
    )
    ours_cpu = statistics.median(run.cpu_seconds for run in ours_runs)
    ref_cpu = statistics.median(run.cpu_seconds for run in ref_runs)
    usable.notes.append(
        f"CPU time to the usable frame (user+sys, median): ours {format_value(ours_cpu, 's')}, "
        f"reference (to its first frame) {format_value(ref_cpu, 's')}, "
        f"ratio {ratio(ours_cpu, ref_cpu):.2f}x"
    )
    memory = Figure(
        "Peak RSS at the first usable frame (vs minimal Textual app at its first frame)",
        Measure(tuple(run.peak_rss_mib for run in ours_runs), "MiB"),
        Measure(tuple(run.peak_rss_mib for run in ref_runs), "MiB"),
        Target("info"),
    )
    return [usable, paint, memory]


def run_command(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning `argv` (output to a pipe) to its exit; it must succeed."""
    started = time.monotonic()
    done = subprocess.run(argv, env=env, capture_output=True, timeout=120, check=False)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"{' '.join(argv[1:])} exited {done.returncode}: {' / '.join(err)}")
    return elapsed


def imports_of(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """Every module `argv` (a Python script and its arguments) imports, with its cumulative
    import time in seconds, from `python -X importtime`."""
    done = subprocess.run(
        [PYTHON, "-X", "importtime", *argv], env=env, capture_output=True, timeout=120, check=False
    )
    found: dict[str, float] = {}
    for line in done.stderr.decode(errors="replace").splitlines():
        match = IMPORT_LINE.match(line)
        if match:
            found[match.group(4)] = int(match.group(2)) / 1e6
    return found


def modules_loaded(argv: list[str], env: dict[str, str], scratch: Path) -> set[str]:
    """The modules in sys.modules when `argv` (a Python script and its arguments) exits."""
    out = scratch / "modules.json"
    out.unlink(missing_ok=True)
    subprocess.run(
        [PYTHON, "-c", MODULES_AFTER, str(out), *argv],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return set(json.loads(out.read_text()))


def heaviest(imports: dict[str, float], count: int = 4) -> str:
    """The top-level packages that cost most to import, as 'name 12 ms, ...'."""
    tops: dict[str, float] = {}
    for name, seconds in imports.items():
        if "." not in name:
            tops[name] = max(tops.get(name, 0.0), seconds)
    ranked = sorted(tops.items(), key=lambda item: item[1], reverse=True)[:count]
    return ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in ranked)


def screenless_commands(
    runs: int, home: Path, server: SandboxProcess, demo_chat_id: str
) -> list[Figure]:
    remote = child_env(home, ROARK_BASE_URL=server.base_url, ROARK_API_BEARER_TOKEN=server.token)
    plain = child_env(home)
    commands: list[tuple[str, list[str], dict[str, str]]] = [
        ("`roark-tui --help`", ["--help"], plain),
        ("`roark-tui auth status` (loopback, token in env)", ["auth", "status"], remote),
        (
            "`roark-tui --demo chat <id> --json`",
            ["--demo", "chat", demo_chat_id, "--json"],
            plain,
        ),
    ]
    figures = []
    for name, args, env in commands:
        figures.append(_screenless(name, [ROARK_TUI, *args], env, runs, plain, home))
    return figures


def _screenless(
    name: str,
    argv: list[str],
    env: dict[str, str],
    runs: int,
    ref_env: dict[str, str],
    scratch: Path,
) -> Figure:
    figure = Figure(
        f"{name} vs `python -c 'import httpx, pydantic'`",
        None,
        None,
        Target("ratio", 1.5),
    )
    try:
        ours, ref = alternate(_timed(argv, env), _timed(list(REFERENCE_COMMAND), ref_env), runs)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        figure.problems.append(str(exc))
        return figure
    figure.ours = Measure(tuple(ours))
    figure.reference = Measure(tuple(ref))
    loaded = sorted({m.split(".")[0] for m in modules_loaded(argv, env, scratch)} & FORBIDDEN)
    if loaded:
        figure.problems.append("imports " + ", ".join(loaded))
    imports = imports_of(argv, env)
    figure.notes.append(f"{len(imports)} modules imported; heaviest: {heaviest(imports)}")
    return figure


def _timed(argv: list[str], env: dict[str, str]) -> Callable[[], float]:
    return lambda: run_command(argv, env)
