"""The gate's figures: `roark-tui chat <id> --check` on a big conversation, start to exit.

Two shapes of conversation: 100 metrics x 100 values, and one metric of 4,000 values (the shape
whose cost once grew with the square of the values on Python 3.11 and 3.12, through reprs that
asyncio formats at its teardown). Each run is a fresh process against the loopback sandbox of
benchmarks.sandbox_process; its time is measured against a bare fetch of the same metrics, and
its peak memory is the process's own maximum resident set (os.wait4). The oldest supported
Python is the one that matters: the figure's notes say which one measured it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.children import ROARK_TUI, child_env
from benchmarks.lookup import against_bare_fetch
from benchmarks.sandbox_process import SandboxProcess
from benchmarks.stats import Figure, Measure, Target

SIZES = {"100x100": (100, 100), "1x4000": (1, 4000)}
# Exit 6: the big conversation's checks fail by design (some of its yes/no metrics say no).
CHECK_EXITS = (0, 6)
TIME_LIMIT = 3.0  # seconds, start to exit
MEMORY_LIMIT = 250.0  # MiB
RUN_TIMEOUT = 120.0


def gate_run(server: SandboxProcess, home: Path, chat_id: str) -> tuple[float, float]:
    """(seconds from spawn to exit, peak resident MiB) of one `chat <id> --check`."""
    env = child_env(home, ROARK_BASE_URL=server.base_url, ROARK_API_BEARER_TOKEN=server.token)
    with tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            [ROARK_TUI, "chat", chat_id, "--check"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in CHECK_EXITS:
            err.seek(0)
            said = err.read().decode(errors="replace").strip().splitlines()[-3:]
            raise RuntimeError(f"--check exited {process.returncode}: {' / '.join(said)}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def gate_figures(runs: int, home: Path) -> list[Figure]:
    from roark_tui.sandbox.demo_ids import BIG_CHAT_ID

    python = ".".join(str(part) for part in sys.version_info[:3])
    figures: list[Figure] = []
    for size, (metrics, values) in SIZES.items():
        with SandboxProcess(metrics, values, home) as server:
            timed = Figure(
                f"`chat <id> --check`, {size} values: start to exit vs bare fetch",
                None,
                None,
                Target("absolute", TIME_LIMIT),
            )
            memory: list[float] = []

            def ours(server: SandboxProcess = server, memory: list[float] = memory) -> float:
                seconds, mib = gate_run(server, home, BIG_CHAT_ID)
                memory.append(mib)
                return seconds

            path = f"/v1/chat/{BIG_CHAT_ID}/metrics"
            counted = against_bare_fetch(timed, ours, server, home, path, runs)
            timed.notes.append(f"measured on Python {python}")
            figures.append(timed)
            peak = Figure(
                f"`chat <id> --check`, {size} values: peak memory",
                Measure(tuple(memory[-counted:]), "MiB") if counted else None,
                None,
                Target("absolute", MEMORY_LIMIT, "MiB"),
            )
            figures.append(peak)
    return figures
