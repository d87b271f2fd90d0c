"""Start-up figures: cold start to the first frame, and the commands that draw no screen."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.children import MINIMAL_APP, PYTHON, ROARK_TUI, child_env
from benchmarks.ptyrun import PtyProcess
from benchmarks.sandbox_process import SandboxProcess
from benchmarks.stats import Figure, Measure, Target, alternate, format_value, ratio

# The footer's command-palette key: both apps draw it in their footer, on their first frame.
FOOTER_MARKER = "palette"
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


def first_frame(argv: list[str], env: dict[str, str], seen: list[tuple[float, float]]) -> float:
    """Seconds from spawning `argv` on a 120x40 pty to its footer being drawn; (peak RSS in
    MiB, CPU seconds) of the process, killed at once, go to `seen`."""
    with PtyProcess(argv, env) as process:
        drawn = process.wait_for_text(FOOTER_MARKER, FIRST_FRAME_TIMEOUT)
    seen.append((process.peak_rss_mib, process.cpu_seconds))
    return drawn - process.started


def cold_start(runs: int, home: Path) -> list[Figure]:
    env = child_env(home)
    ours_seen: list[tuple[float, float]] = []
    ref_seen: list[tuple[float, float]] = []
    ours, ref = alternate(
        lambda: first_frame([ROARK_TUI, "--demo"], env, ours_seen),
        lambda: first_frame([PYTHON, MINIMAL_APP], env, ref_seen),
        runs,
    )
    start = Figure(
        "Cold start to first frame (`roark-tui --demo` vs minimal Textual app, pty)",
        Measure(tuple(ours)),
        Measure(tuple(ref)),
        Target("ratio", 1.3),
    )
    ours_cpu = statistics.median(cpu for _, cpu in ours_seen[-runs:])
    ref_cpu = statistics.median(cpu for _, cpu in ref_seen[-runs:])
    start.notes.append(
        f"CPU time to first frame (user+sys, median): ours {format_value(ours_cpu, 's')}, "
        f"reference {format_value(ref_cpu, 's')}, ratio {ratio(ours_cpu, ref_cpu):.2f}x"
    )
    memory = Figure(
        "Peak RSS at first frame (vs minimal Textual app)",
        Measure(tuple(rss for rss, _ in ours_seen[-runs:]), "MiB"),
        Measure(tuple(rss for rss, _ in ref_seen[-runs:]), "MiB"),
        Target("info"),
    )
    return [start, memory]


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
