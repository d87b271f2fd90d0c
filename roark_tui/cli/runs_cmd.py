"""`runs` and `run`: simulation runs in the TUI, as text or JSON, and a CI gate on Roark's verdict.

The gate reads Roark's own verdict (`verdict.passed`), never a score or a count of ours. Kept free
of textual and httpx at module level, like every command module.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from roark_tui.cli import common, gate
from roark_tui.cli.gate_output import StatusLine
from roark_tui.config import Settings

if TYPE_CHECKING:
    from roark_tui.api.runs import RunListItem, RunResults
    from roark_tui.api.service import RoarkService
    from roark_tui.core.run_watch import RunPoll
    from roark_tui.core.runs import RunOutcome

DEFAULT_LIMIT = 20
MAX_LIMIT = 200
PAGE = 50
CONCURRENCY = 8
WORST_CALLS = 5

RUN_EXIT_CODES_HELP = """\
With --check the exit status is Roark's verdict on the run:
  0 the run passed (verdict.passed is true)
  6 the run failed: a check below its minimum, coverage, or an agent that never spoke
  9 the run did not complete, or it settled with no verdict (never a pass)
  8 the run is still in progress (without --wait), or --wait timed out
  1 API error  3 no or refused credential  4 not found  5 connection or timeout"""


def register(subparsers: Any) -> None:
    lister = subparsers.add_parser(
        "runs",
        help="recent simulation runs (run number, plan, status, verdict)",
        description="Open the simulation runs list in the TUI, or print it with --json or --print.",
    )
    lister.add_argument("--status", metavar="STATUS", help="only runs in this status")
    lister.add_argument("--plan", metavar="ID", help="only runs of this run plan")
    lister.add_argument("--label", metavar="NAME", help="only runs with this label")
    lister.add_argument(
        "--limit",
        type=_limit,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"how many runs to print (1-{MAX_LIMIT}, default {DEFAULT_LIMIT})",
    )
    output = lister.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the API's JSON")
    output.add_argument(
        "--print", action="store_true", help="print a table with each run's verdict and score"
    )
    lister.set_defaults(handler=runs_cmd)

    parser = subparsers.add_parser(
        "run",
        help="a simulation run's report: open it, print it, or gate a deploy on its verdict",
        description="Open a simulation run's report in the TUI, or print it with --json or "
        "--print, or gate on Roark's verdict with --check. RUN is a run (plan job) id or a "
        "dashboard URL containing it.",
        epilog=RUN_EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("run", metavar="RUN", help="run id or URL")
    parser.add_argument(
        "--compare", metavar="RUN", help="compare against this run instead of the previous one"
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the results JSON")
    output.add_argument(
        "--print",
        action="store_true",
        help="print the report as text: the verdict, failing checks, worst calls",
    )
    group = parser.add_argument_group("gate")
    group.add_argument(
        "--check", action="store_true", help="exit status is Roark's verdict on the run"
    )
    group.add_argument(
        "--wait",
        action="store_true",
        help="follow a run in progress until it settles (alone: exit 0 once settled, 8 if not)",
    )
    group.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help=f"bound the --wait (default {gate.DEFAULT_TIMEOUT:g}); running out exits 8",
    )
    parser.set_defaults(handler=run_cmd)


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_LIMIT}")
    return value


# --- runs --------------------------------------------------------------------------------------


def runs_cmd(args: argparse.Namespace, settings: Settings) -> Any:
    filters = {"status": args.status, "plan_id": args.plan, "label_name": args.label}
    if args.json or args.print:
        return common.quiet_pipe(lambda: _print_runs(settings, args, filters))
    factory = common.service_factory(settings)
    from urllib.parse import urlencode

    from roark_tui.tui.app import RoarkApp

    shown = {"status": args.status, "plan": args.plan}
    start = urlencode({name: value for name, value in shown.items() if value})
    return RoarkApp(factory, start=("runs", start), settings=settings)


async def collect_runs(
    service: RoarkService, limit: int, filters: dict[str, str | None]
) -> list[RunListItem]:
    """Up to `limit` runs, newest first, following the pages."""
    found: list[RunListItem] = []
    after: str | None = None
    while len(found) < limit:
        page = await service.list_runs(limit=min(PAGE, limit - len(found)), after=after, **filters)
        found.extend(page.data)
        after = page.next_cursor
        if after is None or not page.data:
            break
    return found[:limit]


def _print_runs(settings: Settings, args: argparse.Namespace, filters: dict[str, Any]) -> int:
    import asyncio

    service = common.make_service(settings)

    async def go() -> tuple[list[RunListItem], list[RunResults | None]]:
        async with service:
            items = await collect_runs(service, args.limit, filters)
            if args.json:
                return items, []
            slots = asyncio.Semaphore(CONCURRENCY)

            async def one(item: RunListItem) -> RunResults | None:
                from roark_tui.api.errors import ApiError

                async with slots:
                    try:
                        return await service.run_results(item.job_id)
                    except ApiError:
                        return None

            return items, list(await asyncio.gather(*(one(i) for i in items)))

    items, results = common.run_async(go())
    if args.json:
        body = {"data": [item.to_api() for item in items]}
        print(gate.dumps(body, pretty=sys.stdout.isatty()))
        return common.EXIT_OK
    print(render_runs_table(items, results))
    return common.EXIT_OK


def render_runs_table(items: Sequence[RunListItem], results: Sequence[RunResults | None]) -> str:
    """One line per run: number, plan, status, started, duration, verdict, score, id."""
    from roark_tui.core import runs
    from roark_tui.core.formatting import format_timestamp
    from roark_tui.core.safe_text import clean

    lines = []
    for item, result in zip(items, results, strict=True):
        info = result.run if result is not None and result.run is not None else None
        number = runs.run_label(info.run_number if info else None, item.job_id)
        plan = (info.simulation_run_plan_name if info else None) or item.simulation_run_plan_id
        verdict = runs.outcome(result).value if result is not None else runs.NO_VALUE
        score = result.verdict.score if result and result.verdict else None
        started = format_timestamp(item.started_at or item.created_at)[0]
        duration = runs.duration_text(info.duration_ms if info else None)
        cells = (
            f"{number:<7}",
            f"{clean(plan or '?')[:28]:<28}",
            f"{runs.status_words(item.status)[:20]:<20}",
            f"{started[:16]:<16}",
            f"{duration:>11}",
            f"{verdict:<13}",
            f"{'' if score is None else f'{score:.1f}':>5}",
            clean(item.job_id),
        )
        lines.append("  ".join(cells))
    return "\n".join(lines) if lines else "No runs."


# --- run ---------------------------------------------------------------------------------------


def run_cmd(args: argparse.Namespace, settings: Settings) -> Any:
    from roark_tui.core.runs import parse_run_ref

    try:
        job_id = parse_run_ref(args.run)
        compare = parse_run_ref(args.compare) if args.compare else None
    except ValueError as exc:
        raise common.UsageError(str(exc)) from None
    if args.timeout is not None and not args.wait:
        raise common.UsageError("--timeout only makes sense with --wait")
    if args.timeout is not None and args.timeout < 0:
        raise common.UsageError("--timeout must be 0 or more seconds")
    if args.check or args.wait:
        return common.quiet_pipe(lambda: _gate(settings, args, job_id, compare))
    if args.json:
        return common.quiet_pipe(lambda: _print_json(settings, job_id, compare))
    if args.print:
        return common.quiet_pipe(lambda: _gate(settings, args, job_id, compare))
    factory = common.service_factory(settings)
    from roark_tui.tui.app import RoarkApp

    return RoarkApp(factory, start=("run", job_id), settings=settings)


def _print_json(settings: Settings, job_id: str, compare: str | None) -> int:
    service = common.make_service(settings)
    path = f"/v1/simulation/plan/job/{_quote(job_id)}/results"

    async def go() -> bytes:
        async with service:
            return await service.get_json(path, {"compareToJobId": compare} if compare else None)

    body = common.run_async(go())
    print(gate.dumps(_loads(body), pretty=sys.stdout.isatty()))
    return common.EXIT_OK


def _quote(job_id: str) -> str:
    from urllib.parse import quote

    return quote(job_id, safe="")


def _loads(body: bytes) -> object:
    from roark_tui.api.parsing import read_json

    try:
        return read_json(body)
    except ValueError as exc:
        raise common.CliError(f"the API's answer could not be read: {exc}") from None


def exit_code_for(result: RunOutcome, *, timed_out: bool = False) -> int:
    """The gate's exit status for Roark's verdict (see RUN_EXIT_CODES_HELP)."""
    from roark_tui.core.runs import RunOutcome

    if result is RunOutcome.PASSED:
        return common.EXIT_OK
    if result is RunOutcome.FAILED:
        return common.EXIT_CHECK_FAILED
    if result is RunOutcome.RUNNING:
        return common.EXIT_WAIT_TIMEOUT
    return common.EXIT_RUN_NOT_JUDGED


async def judge_run(
    service: RoarkService,
    job_id: str,
    *,
    compare: str | None = None,
    wait: bool = False,
    timeout: float = gate.DEFAULT_TIMEOUT,
    timing: gate.Timing = gate.TIMING,
    on_update: Any = None,
) -> tuple[RunResults, bool]:
    """The run's results, followed until it settles with `wait`; and whether the wait timed
    out."""
    from roark_tui.core.run_watch import follow_run

    async def fetch() -> RunResults:
        return await service.run_results(job_id, compare_to=compare)

    if not wait:
        return await fetch(), False
    followed = await follow_run(
        fetch, timeout=timeout, clock=timing.clock, sleep=timing.sleep, on_update=on_update
    )
    return followed.results, followed.timed_out


def _gate(settings: Settings, args: argparse.Namespace, job_id: str, compare: str | None) -> int:
    from roark_tui.core import runs

    service = common.make_service(settings)
    progress = RunProgress(sys.stderr)
    timeout = gate.DEFAULT_TIMEOUT if args.timeout is None else args.timeout

    async def go() -> tuple[RunResults, bool]:
        async with service:
            try:
                return await judge_run(
                    service,
                    job_id,
                    compare=compare,
                    wait=bool(args.wait),
                    timeout=timeout,
                    timing=gate.TIMING,
                    on_update=progress.update,
                )
            finally:
                progress.clear()

    results, timed_out = common.run_async(go())
    result = runs.outcome(results)
    code = exit_code_for(result, timed_out=timed_out)
    if args.json:
        print(gate.dumps(results.to_api(), pretty=sys.stdout.isatty()))
        print(summary_line(results, code, timed_out), file=sys.stderr)
    elif args.print:
        print(render_report(results, timed_out=timed_out))
    else:
        print(summary_line(results, code, timed_out))
    if args.check:
        return code
    if args.wait and timed_out:
        return common.EXIT_WAIT_TIMEOUT
    return common.EXIT_OK


LABELS = {
    common.EXIT_OK: "PASS",
    common.EXIT_CHECK_FAILED: "FAIL",
    common.EXIT_RUN_NOT_JUDGED: "NOVERDICT",
    common.EXIT_WAIT_TIMEOUT: "PENDING",
}


def summary_line(results: RunResults, code: int, timed_out: bool) -> str:
    """`FAIL     run SR-42 4b9e2f71…  FAILED · score 79.2 · 2 of 4 checks below their minimum`."""
    from roark_tui.core import runs
    from roark_tui.core.safe_text import clean

    info = results.run
    label = "TIMEOUT" if timed_out else LABELS.get(code, str(code))
    number = runs.run_label(info.run_number if info else None)
    job = info.simulation_run_plan_job_id if info else None
    line = f"{label:<9} run {number} {job or ''}  {runs.headline(results)}"
    if timed_out:
        line += "; --wait timed out"
    return clean(line)


def render_report(results: RunResults, *, timed_out: bool = False) -> str:
    """The report as text: verdict and why, checks worst first, the worst calls, the debrief."""
    from roark_tui.core import runs
    from roark_tui.core.safe_text import clean

    code = exit_code_for(runs.outcome(results), timed_out=timed_out)
    lines = [summary_line(results, code, timed_out)]
    info = results.run
    if info is not None and info.simulation_run_plan_name:
        lines.append(f"plan     {clean(info.simulation_run_plan_name)}")
    for reason in runs.reasons(results):
        lines.append(f"  why    {clean(reason)}")
    checks = runs.check_rows(results)
    if checks:
        lines.append("checks (worst first)")
    for row in checks:
        mark = "··" if row.passed is None else ("ok" if row.passed else "FAIL")
        delta = runs.delta_text(row.delta)
        lines.append(
            f"  {mark:<4} {clean(row.name)[:40]:<40} {runs.pct(row.pass_rate):>6} "
            f"(min {runs.pct(row.min_pass_rate)})" + (f"  {delta} vs baseline" if delta else "")
        )
    calls = runs.call_rows(results, checks)
    worst = runs.worst_calls(calls, WORST_CALLS)
    if worst:
        lines.append("worst calls")
    for call_row in worst:
        call = call_row.call
        who = " · ".join(clean(x) for x in (call.agent_name, call.persona_name) if x)
        lines.append(f"  {call.call_id or call.simulation_job_id or '?'}  {who}")
        lines.append(f"      failed: {', '.join(clean(n) for n in call_row.failing)}")
    debrief = results.debrief
    if debrief is not None and debrief.ready and debrief.report is not None:
        if debrief.report.verdict_summary:
            lines.append(f"debrief  {clean(debrief.report.verdict_summary)}")
        for theme in debrief.report.themes:
            lines.append(f"  theme  {clean(theme.title or theme.slug or '?')}")
        for rec in debrief.report.recommendations:
            lines.append(f"  fix    {clean(rec.title or '?')}")
    elif debrief is not None:
        lines.append(f"debrief  {clean(debrief.status or '?')}")
    return "\n".join(lines)


class RunProgress(StatusLine):
    """The status line while --wait follows the run."""

    def update(self, poll: RunPoll) -> None:
        from roark_tui.core import runs

        if not self.enabled:
            return
        parts = []
        if poll.results is not None:
            landed = sum(1 for c in poll.results.calls if c.call_id)
            parts.append(f"{runs.status_words(poll.results.status)} · {landed} calls in")
        if poll.error is not None:
            parts.append(f"{poll.error.summary}, retrying")
        if poll.next_delay is not None:
            parts.append(f"next poll in {poll.next_delay:.0f} s")
        self._write(" · ".join(parts))
