"""`chat`/`call` with --wait, --check, --timeout, --expect and many ids: a gate for CI.

Each conversation is polled like the TUI's watch (core/watch.py) until its metrics settle, then
judged (core/verdict.py). One summary line per conversation; the worst outcome is the exit
status. Progress goes to stderr, and only when stderr is a terminal, so pipes and CI logs stay
clean. Kept free of textual; httpx and the service are only imported when a command runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Literal, TypeVar

from roark_tui.cli import common
from roark_tui.cli.gate_output import Progress, dumps, metrics_json, render_checks
from roark_tui.config import Settings

if TYPE_CHECKING:
    from roark_tui.api.errors import ApiError
    from roark_tui.api.models import MetricDefinition, MetricGroup
    from roark_tui.api.service import RoarkService
    from roark_tui.core.verdict import GateResult
    from roark_tui.core.watch import WatchUpdate

Kind = Literal["chat", "call"]
DEFAULT_TIMEOUT = 600.0
CONCURRENCY = 8
# Once --timeout is spent, a request still at work gets this long before it is given up: the
# poll that would have settled it is not cut off at the very edge.
LAST_REQUEST_GRACE = 0.5
T = TypeVar("T")

# Worst first: a definite failed check, then an errored one, then the ways of not getting an
# answer at all (refused credential, unknown id, API error, connection), then a timed-out wait.
SEVERITY = (
    common.EXIT_CHECK_FAILED,
    common.EXIT_CHECK_ERROR,
    common.EXIT_AUTH,
    common.EXIT_NOT_FOUND,
    common.EXIT_API,
    common.EXIT_NETWORK,
    common.EXIT_WAIT_TIMEOUT,
    common.EXIT_OK,
)
LABELS = {
    common.EXIT_OK: "PASS",
    common.EXIT_CHECK_FAILED: "FAIL",
    common.EXIT_CHECK_ERROR: "ERROR",
    common.EXIT_WAIT_TIMEOUT: "TIMEOUT",
    common.EXIT_AUTH: "AUTH",
    common.EXIT_NOT_FOUND: "NOTFOUND",
    common.EXIT_NETWORK: "NETWORK",
    common.EXIT_API: "APIERROR",
}

EXIT_CODES_HELP = f"""\
With --check or --wait the exit status is the worst outcome over all ids:
  0 every check passed (or, without --check, all metrics settled)
  6 a check failed          7 a check errored (captureStatus ERROR)
  8 --timeout ran out, or --expect'ed metrics are still missing
  1 API error  3 no or refused credential  4 not found  5 connection or timeout
  2 usage error (also an --expect'ed slug no definition has, unless --allow-unknown-expect)
When ids disagree, the first of {" ".join(str(code) for code in SEVERITY)} that any id got wins: a
failed check on one id and an API error on another exit 6."""


async def _sleep(seconds: float) -> None:
    import asyncio  # here, not at the top: `--json` and `--print` never poll

    await asyncio.sleep(seconds)


@dataclass(frozen=True)
class Timing:
    """The clock and sleep the gate polls with (tests swap in a fake, never really sleeping)."""

    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[object]] = _sleep


TIMING = Timing()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The gate's flags, for the `chat` and `call` parsers (ids are the parser's own)."""
    group = parser.add_argument_group("wait and gate (ID may repeat; - reads ids from stdin)")
    group.add_argument(
        "--wait", action="store_true", help="poll until the metrics settle, then print"
    )
    group.add_argument(
        "--check",
        action="store_true",
        help="exit status is the verdict of the checks (thresholds and yes/no metrics you "
        "authored; a yes/no metric whose definition is unknown is reported, not judged)",
    )
    group.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help=f"bound the whole command, requests included (default {DEFAULT_TIMEOUT:g}); "
        "running out exits 8",
    )
    group.add_argument(
        "--expect",
        action="append",
        metavar="SLUGS",
        help="comma-separated metric slugs that must arrive (repeatable); a slug no "
        "definition has is a usage error",
    )
    group.add_argument(
        "--allow-unknown-expect",
        action="store_true",
        help="wait for --expect'ed slugs that no definition has yet (a metric still being "
        "created) instead of refusing them",
    )


def wanted(args: argparse.Namespace, ids: Sequence[str]) -> bool:
    """True when the command is the gate's job rather than the single-conversation path."""
    return bool(args.wait or args.check or args.expect or len(ids) != 1 or "-" in ids)


def read_ids(ids: Sequence[str], stdin: IO[str]) -> list[str]:
    """The ids given, with `-` replaced by the ids on stdin (whitespace separated, # comments),
    de-duplicated in order."""
    found: dict[str, None] = {}
    for given in ids:
        if given != "-":
            found.setdefault(given.strip().strip("'\""), None)
            continue
        for line in stdin:
            for token in line.split("#", 1)[0].split():
                found.setdefault(token.strip("'\""), None)
    found.pop("", None)
    return list(found)


@dataclass
class Outcome:
    """What the gate learned about one conversation. Its repr leaves out the metrics, their
    verdicts and the definitions: a conversation can hold 100k values."""

    kind: Kind
    conv_id: str
    groups: list[MetricGroup] = field(repr=False)
    result: GateResult | None = field(default=None, repr=False)
    error: ApiError | None = None
    timed_out: bool = False
    exit_code: int = common.EXIT_OK
    definitions: Sequence[MetricDefinition] = field(default=(), repr=False)  # what it knew
    arrived: bool = True  # did any answer with its metrics come at all

    def summary(self, check: bool) -> str:
        """`FAIL     chat <id>  1 of 3 checks failed: refund_check`."""
        from roark_tui.core.watch import metrics_in

        label = LABELS.get(self.exit_code, str(self.exit_code))
        if self.exit_code == common.EXIT_OK and not check:
            label = "DONE"
        elif self.exit_code == common.EXIT_WAIT_TIMEOUT and not self.timed_out:
            label = "PENDING"
        if self.error is not None:
            detail = str(self.error)
        elif not self.arrived:
            detail = "no metrics arrived, so nothing was judged"
        elif check and self.result is not None:
            detail = self.result.summary()
        else:
            detail = f"{metrics_in(self.groups)} metrics in"
            if self.result is not None and self.result.pending:
                detail += f"; {len(self.result.pending)} pending: {', '.join(self.result.pending)}"
        if self.timed_out:
            detail += "; --wait timed out"
        return f"{label:<8} {self.kind} {self.conv_id}  {detail}"


def exit_code_of(result: GateResult | None, *, check: bool, timed_out: bool) -> int:
    from roark_tui.core.verdict import Verdict

    if check and result is not None:
        if result.verdict is Verdict.FAIL:
            return common.EXIT_CHECK_FAILED
        if result.verdict is Verdict.ERROR:
            return common.EXIT_CHECK_ERROR
    if timed_out or (result is not None and result.verdict is Verdict.PENDING):
        return common.EXIT_WAIT_TIMEOUT
    return common.EXIT_OK


def worst(codes: Sequence[int]) -> int:
    """The most severe exit code by SEVERITY (unknown codes count as API errors)."""
    rank = {code: i for i, code in enumerate(SEVERITY)}
    return min(codes, key=lambda c: rank.get(c, rank[common.EXIT_API]), default=common.EXIT_OK)


@dataclass(frozen=True)
class GateOptions:
    kind: Kind
    wait: bool
    check: bool
    timeout: float
    expected: tuple[str, ...]
    concurrency: int = CONCURRENCY
    definitions: bool = False  # list them even without --check (for --print's tree)
    allow_unknown_expect: bool = False  # an --expect'ed slug no definition has is waited for


async def judge_one(
    service: RoarkService,
    conv_id: str,
    options: GateOptions,
    *,
    deadline: float,
    definitions: Sequence[MetricDefinition],
    timing: Timing,
    on_update: Callable[[str, WatchUpdate], object] | None = None,
) -> Outcome:
    """Fetch (or watch) one conversation's metrics and judge them. API errors are recorded in
    the outcome, never raised, so one bad id does not hide the others' verdicts."""
    from roark_tui.api.errors import ApiError
    from roark_tui.core.verdict import gate
    from roark_tui.core.watch import WatchState, run_watch

    arrived = False

    async def fetch() -> list[MetricGroup]:
        nonlocal arrived
        request = service.conversation_metrics(options.kind, conv_id, status="all")
        groups = await within(deadline, request, options.timeout, timing)
        arrived = True
        return groups

    state = WatchState(expected=options.expected)
    timed_out = False
    try:
        if options.wait:
            outcome = await run_watch(
                fetch,
                state=state,
                timeout=max(deadline - timing.clock(), 0.0),
                clock=timing.clock,
                sleep=timing.sleep,
                on_update=(lambda u: on_update(conv_id, u)) if on_update else None,
            )
            timed_out = outcome.timed_out
        else:
            state.apply(await fetch(), timing.clock())
    except ApiError as exc:
        spent = timing.clock() >= deadline
        code = common.EXIT_WAIT_TIMEOUT if spent else common.exit_code_for(exc)
        return Outcome(options.kind, conv_id, state.groups, error=exc, exit_code=code)
    if not arrived:  # nothing to judge is no pass: the wait ran out before any answer
        code = common.EXIT_WAIT_TIMEOUT
        return Outcome(options.kind, conv_id, [], None, None, True, code, definitions, False)
    result = gate(state.groups, definitions=definitions, expected=options.expected)
    code = exit_code_of(result, check=options.check, timed_out=timed_out)
    return Outcome(options.kind, conv_id, state.groups, result, None, timed_out, code, definitions)


async def within(deadline: float, work: Awaitable[T], timeout: float, timing: Timing) -> T:
    """`work`, given up as an api Timeout once the command's --timeout is spent (plus
    LAST_REQUEST_GRACE): no request of the gate outlives the bound of the whole command."""
    import asyncio

    from roark_tui.api.errors import Timeout

    cutoff = asyncio.timeout(max(deadline - timing.clock(), 0.0) + LAST_REQUEST_GRACE)
    try:
        async with cutoff:
            return await work
    except TimeoutError:
        if not cutoff.expired():
            raise
        raise Timeout(f"no answer before --timeout ({timeout:g} s) ran out") from None


async def judge_many(
    service: RoarkService,
    ids: Sequence[str],
    options: GateOptions,
    *,
    timing: Timing = TIMING,
    on_update: Callable[[str, WatchUpdate], object] | None = None,
    on_done: Callable[[Outcome], object] | None = None,
) -> list[Outcome]:
    """Judge every id, at most `options.concurrency` at a time, results in the order given."""
    import asyncio

    deadline = timing.clock() + options.timeout
    wanted = options.check or options.definitions or options.expected
    definitions: list[MetricDefinition] = []
    note = None
    if wanted:
        definitions, note = await load_definitions(
            service, lambda listed: within(deadline, listed, options.timeout, timing)
        )
    if note is None:  # only a listing that worked can tell a slug nobody has
        check_expected(options, definitions)
    slots = asyncio.Semaphore(max(options.concurrency, 1))

    async def one(conv_id: str) -> Outcome:
        async with slots:
            outcome = await judge_one(
                service,
                conv_id,
                options,
                deadline=deadline,
                definitions=definitions,
                timing=timing,
                on_update=on_update,
            )
        if on_done is not None:
            on_done(outcome)
        return outcome

    outcomes = list(await asyncio.gather(*(one(i) for i in ids)))
    if note and any(outcome.error is None for outcome in outcomes):
        common.print_note(note)
    bare = [o.conv_id for o in outcomes if o.result is not None and not o.result.checks]
    if options.check and not options.wait and bare:
        common.print_note(
            f"no checks yet on {', '.join(bare)}: if its metrics are still computing, --wait "
            "waits for them; --expect SLUG keeps the gate from passing without that check"
        )
    return outcomes


def unknown_expected(expected: Sequence[str], definitions: Sequence[MetricDefinition]) -> list[str]:
    """The --expect'ed names that are no definition's slug, metric id or id."""
    known = {k for d in definitions for k in (d.slug, d.metric_id, d.id) if k}
    return [name for name in expected if name not in known]


def check_expected(options: GateOptions, definitions: Sequence[MetricDefinition]) -> None:
    """Refuse an --expect'ed name no definition has before anything is polled: it could only
    stay pending until the timeout. With --allow-unknown-expect (a metric still being created)
    it is waited for, with a note."""
    import difflib

    unknown = unknown_expected(options.expected, definitions)
    if not unknown:
        return
    slugs = sorted({d.slug for d in definitions if d.slug})
    guesses = {name: difflib.get_close_matches(name, slugs, n=1) for name in unknown}
    meant = [
        f"{name} (did you mean {found[0]}?)" if found else name for name, found in guesses.items()
    ]
    said = f"--expect {', '.join(meant)}: no metric definition has that slug or id"
    if options.allow_unknown_expect:
        common.print_note(f"{said}; waiting for it to be created (--allow-unknown-expect)")
        return
    raise common.UsageError(
        f"{said}; `roark-tui definitions --print` lists them, and --allow-unknown-expect waits "
        "for a metric that does not exist yet"
    )


async def load_definitions(
    service: RoarkService,
    bound: Callable[[Awaitable[list[MetricDefinition]]], Awaitable[list[MetricDefinition]]]
    | None = None,
) -> tuple[list[MetricDefinition], str | None]:
    """All definitions (they tell which metrics are checks, boolean labels and scale tops), or
    none and the note saying why. Optional, so a failure is a note, which callers print only once a
    conversation's own request worked: when the whole API is out of reach, its error says it.
    `bound` wraps the walk (the gate's --timeout)."""
    from roark_tui.api.errors import ApiError

    listed = service.all_definitions()
    try:
        return await (bound(listed) if bound else listed), None
    except ApiError as exc:
        return [], (
            f"could not list definitions ({exc}); without them no yes/no metric can be told "
            "a check, so each is reported as unknown"
        )


def run(
    args: argparse.Namespace,
    settings: Settings,
    kind: Kind,
    ids: Sequence[str],
    *,
    render_print: Callable[[Sequence[MetricGroup], Sequence[MetricDefinition]], str] | None = None,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """The gate for `chat`/`call`: returns the worst exit code over all ids."""
    from roark_tui.core.watch import parse_expect

    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if args.timeout is not None and args.timeout < 0:
        raise common.UsageError("--timeout must be 0 or more seconds")
    conv_ids = read_ids(ids, stdin)
    if not conv_ids:
        raise common.UsageError(f"no {kind} ids given")
    as_json = bool(getattr(args, "json", False))
    as_print = bool(getattr(args, "print", False))
    single = len(conv_ids) == 1
    show_tree = as_print or (single and not as_json and not args.check)
    options = GateOptions(
        kind=kind,
        wait=bool(args.wait),
        check=bool(args.check),
        timeout=DEFAULT_TIMEOUT if args.timeout is None else args.timeout,
        expected=parse_expect(args.expect),
        definitions=show_tree and render_print is not None,
        allow_unknown_expect=bool(getattr(args, "allow_unknown_expect", False)),
    )
    progress = Progress(stderr, len(conv_ids))
    service = common.make_service(settings)

    async def go() -> list[Outcome]:
        async with service:
            try:
                return await judge_many(
                    service,
                    conv_ids,
                    options,
                    timing=TIMING,
                    on_update=progress.update,
                    on_done=progress.finished,
                )
            finally:
                progress.clear()

    outcomes = common.run_async(go())
    from roark_tui.core.safe_text import clean

    for outcome in outcomes:
        summary = clean(outcome.summary(options.check))
        if as_json:
            print(summary, file=stderr)
            if single and outcome.error is None:
                print(metrics_json(outcome.groups, pretty=stdout.isatty()), file=stdout)
            elif not single:
                print(_json_line(outcome, options.check), file=stdout)
            continue
        print(summary, file=stdout)
        if as_print and options.check:
            checks = render_checks(outcome)
            if checks:
                print(checks, file=stdout)
        if show_tree and outcome.error is None and render_print is not None:
            print(render_print(outcome.groups, outcome.definitions), file=stdout)
    return worst([o.exit_code for o in outcomes])


def _json_line(outcome: Outcome, check: bool) -> str:
    """One conversation per line in batch --json: its outcome and its metrics."""
    body: dict[str, object] = {
        "kind": outcome.kind,
        "id": outcome.conv_id,
        "outcome": LABELS.get(outcome.exit_code, str(outcome.exit_code)),
        "exitCode": outcome.exit_code,
        "timedOut": outcome.timed_out,
    }
    if outcome.error is not None:
        body["error"] = str(outcome.error)
    if check and outcome.result is not None:
        body["summary"] = outcome.result.summary()
    body["data"] = [g.to_api() for g in outcome.groups]
    return dumps(body)
