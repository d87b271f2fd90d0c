"""`python -m benchmarks [--quick] [--only GROUP ...]`: run the suite, print and save the table.

The table goes to stdout and, with the machine's description and every sample, to
bench-results/results-<timestamp>.md; progress goes to stderr. Exit status 1 if a target fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from benchmarks import machine
from benchmarks.browse import browse_figures
from benchmarks.children import REPO
from benchmarks.gate import gate_figures
from benchmarks.lookup import SIZES, lookup_figures
from benchmarks.parse import fetch_payload, parse_figures
from benchmarks.runs import SIZE as RUN_SIZE
from benchmarks.runs import run_figures
from benchmarks.sandbox_process import SandboxProcess
from benchmarks.startup import cold_start, screenless_commands
from benchmarks.stats import FAIL, Figure, Target, table
from benchmarks.wire import wire_figures

GROUPS = ("start", "commands", "lookup", "parse", "runs", "gate", "wire", "browse")
FULL_RUNS = 7
QUICK_RUNS = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_RUNS} runs per figure instead of {FULL_RUNS}: for trying, not for the README",
    )
    parser.add_argument("--runs", type=int, help="runs per figure (default 7)")
    parser.add_argument(
        "--only", nargs="+", choices=GROUPS, default=list(GROUPS), help="run only these groups"
    )
    parser.add_argument(
        "--out", type=Path, default=REPO / "bench-results", help="where the results file goes"
    )
    return parser


def progress(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def measure(groups: list[str], runs: int, home: Path) -> list[Figure]:
    from roark_tui.sandbox.demo_ids import BIG_CHAT_ID, FAILING_CHAT_ID

    figures: dict[str, list[Figure]] = {}

    def step(key: str, what: str, run: Callable[[], list[Figure]]) -> None:
        progress(what)
        try:
            figures[key] = run()
        except Exception as exc:  # one broken figure must not lose the others
            problem = f"could not measure: {type(exc).__name__}: {exc}"
            figures[key] = [Figure(what, None, None, Target("info"), problems=[problem])]

    if "start" in groups:
        step("start", "Cold start to first usable frame", partial(cold_start, runs, home))
    for size, (metrics, values) in SIZES.items():
        wanted = "lookup" in groups or (size == "10k" and {"commands", "parse"} & set(groups))
        if not wanted:
            continue
        progress(f"sandbox with {metrics}x{values} values")
        with SandboxProcess(metrics, values, home) as server:
            if size == "10k" and "commands" in groups:
                commands = partial(screenless_commands, runs, home, server, FAILING_CHAT_ID)
                step("commands", "Commands without a screen", commands)
            if size == "10k" and "parse" in groups:
                parse = partial(_parse, runs, server, BIG_CHAT_ID)
                step("parse", "Parse of the 10k payload", parse)
            if "lookup" in groups:
                lookup = partial(lookup_figures, size, runs, server, home, BIG_CHAT_ID)
                step(f"lookup-{size}", f"Lookup of {size} values", lookup)
    if "runs" in groups:
        progress(f"sandbox with a run of {RUN_SIZE[0]} calls x {RUN_SIZE[1]} checks")
        with SandboxProcess(0, 0, home, run=RUN_SIZE) as server:
            step("runs", "Run report", partial(run_figures, runs, server, home))
    if "gate" in groups:
        step("gate", "chat --check on big conversations", partial(gate_figures, runs, home))
    if "wire" in groups:
        wire = partial(wire_figures, runs, home, FAILING_CHAT_ID)
        step("wire", "Bytes on the wire", wire)
    if "browse" in groups:
        step("browse", "Browser with latency", partial(browse_figures, runs, home))
    order = [
        *("start", "commands", "lookup-1k", "lookup-10k", "lookup-100k", "parse", "runs"),
        *("gate", "wire", "browse"),
    ]
    return [f for key in order for f in figures.get(key, [])]


def _parse(runs: int, server: SandboxProcess, chat_id: str) -> list[Figure]:
    return parse_figures(runs, fetch_payload(server.base_url, server.token, chat_id))


def report(figures: list[Figure], runs: int, pairs: list[tuple[str, str]], argv: list[str]) -> str:
    command = " ".join(["python -m benchmarks", *argv])
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `{command}`: median of {runs} runs "
        "per side, ours and the reference interleaved in the same run.",
        "",
        table(figures),
        "",
        "Machine:",
        "",
        machine.as_markdown(pairs),
    ]
    notes = [(f.name, n) for f in figures for n in f.notes]
    if notes:
        lines += ["", "Notes:", "", *(f"- {name}: {note}" for name, note in notes)]
    lines += ["", "Samples (ours | reference):", ""]
    for f in figures:
        ours = f.ours.show_samples() if f.ours else "—"
        ref = f.reference.show_samples() if f.reference else "—"
        lines.append(f"- {f.name}: {ours} | {ref}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    runs = args.runs or (QUICK_RUNS if args.quick else FULL_RUNS)
    pairs = machine.describe()
    with tempfile.TemporaryDirectory(prefix="roark-bench-") as tmp:
        figures = measure(args.only, runs, Path(tmp))
    text = report(figures, runs, pairs, argv)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"results-{time.strftime('%Y%m%d-%H%M%S')}.md"
    path.write_text(text)
    progress(f"written to {path}")
    return 1 if any(f.verdict.startswith(FAIL) for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
