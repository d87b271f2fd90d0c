"""`calls` and `chats`: list conversations, narrowed by time, status, text and verdict.

    roark-tui calls [--since 2h] [--failing | --check SLUG] [--status S] [--search TEXT]
                    [--limit N] [--json | --print]

On a terminal without --json or --print this opens the conversation browser. In a pipe the
plain list is tab-separated (id, started, duration, title), as it always was. `--print` (and a
verdict filter in a pipe) adds each conversation's verdict and streams the rows as the verdicts
arrive, in the order they arrive. `--json` prints the API's own page, unless a time window or a
verdict is asked for: then roark-tui's document (see `json_document`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from roark_tui.cli import common
from roark_tui.config import Settings

if TYPE_CHECKING:
    from roark_tui.core.browse import Conversation, Filters, Kind, RowVerdict

KINDS: tuple[Kind, ...] = ("chat", "call")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
HEADER = ["ID", "STARTED", "DURATION", "TITLE"]
WIDE = 130  # from here on, start times keep their year
MIN_TITLE = 20  # a title with less room goes on the line below its row
VERDICT_WIDTH = 16  # "✘ 3 failed", "? rate limited"; the checks go on the line below


def register(subparsers: Any) -> None:
    for kind in KINDS:
        lister = subparsers.add_parser(
            f"{kind}s",
            help=f"browse recent {kind}s; --failing lists those with a failing check",
            description=f"The most recent {kind}s. On a terminal: the browser. In a pipe: "
            "tab-separated lines. --since, --failing and --check read the list newest first "
            f"and judge each {kind} by its checks.",
            epilog="--json prints the API's page as it is; with --since, --failing or --check "
            'it prints {"kind", "filters", "conversations": [{"id", "title", "started", '
            '"durationMs", "verdict": {"status", "checks", "failing", "failed", "errored", '
            '"unknown", "problem"}}]}. Exit 1 when a verdict could not be loaded.',
        )
        lister.add_argument(
            "--limit",
            type=_limit,
            metavar="N",
            help=f"how many to look at (1-{MAX_LIMIT}; default {DEFAULT_LIMIT}, or all of "
            "the --since window)",
        )
        lister.add_argument(
            "--since",
            metavar="WHEN",
            help="only those started since: a duration (30m, 2h, 3d, 1w) or a date "
            "(2026-12-01, 2026-12-01T08:00)",
        )
        lister.add_argument(
            "--failing", action="store_true", help="only those with a failing check"
        )
        lister.add_argument("--check", metavar="SLUG", help="only those where this check failed")
        if kind == "call":
            lister.add_argument(
                "--status",
                type=str.upper,
                choices=("RINGING", "IN_PROGRESS", "ENDED"),
                help="only calls in this state",
            )
            lister.add_argument(
                "--search",
                metavar="TEXT",
                help="only calls whose title, summary or transcript has TEXT",
            )
        else:
            lister.add_argument(
                "--search", metavar="TEXT", help="only chats whose title or summary has TEXT"
            )
        output = lister.add_mutually_exclusive_group()
        output.add_argument("--json", action="store_true", help="print JSON (see below)")
        output.add_argument(
            "--print",
            action="store_true",
            help="print the list with each one's verdict, as the verdicts arrive",
        )
        lister.set_defaults(handler=_handler(kind))


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_LIMIT}")
    return value


def _handler(kind: Kind) -> Callable[[argparse.Namespace, Settings], Any]:
    def handler(args: argparse.Namespace, settings: Settings) -> Any:
        filters = filters_of(args)
        out = sys.stdout
        if not args.json and not args.print and out.isatty():
            factory = common.service_factory(settings)
            from roark_tui.tui.app import RoarkApp

            return RoarkApp(factory, start=(f"{kind}s", ""), settings=settings, filters=filters)
        return common.quiet_pipe(lambda: list_cmd(args, settings, kind, filters))

    return handler


def filters_of(args: argparse.Namespace) -> Filters:
    """The filters the options name; a --since that cannot be read is a usage error."""
    from roark_tui.core.browse import Filters
    from roark_tui.core.formatting import local_zone, now
    from roark_tui.core.since import parse_since

    since = None
    if args.since is not None:
        try:
            since = parse_since(args.since, now(), local_zone())
        except ValueError as exc:
            raise common.UsageError(str(exc)) from None
    check = (args.check or "").strip() or None
    return Filters(
        since=since,
        status=getattr(args, "status", None),
        search=(args.search or "").strip() or None,
        failing=bool(args.failing),
        check=check,
    )


def list_cmd(args: argparse.Namespace, settings: Settings, kind: Kind, filters: Filters) -> int:
    """The list in a pipe or with --print/--json; returns the exit code."""
    out = sys.stdout
    limit = args.limit or (None if filters.since else DEFAULT_LIMIT)
    own_document = filters.since is not None or filters.needs_verdicts
    if args.json and not own_document:
        return _api_json(settings, kind, filters, limit or DEFAULT_LIMIT)
    with_verdicts = args.print or args.json or filters.needs_verdicts
    printer = Printer(out, kind, verdicts=with_verdicts, collect=args.json)
    common.run_async(_walk(settings, kind, filters, limit, printer, with_verdicts))
    if args.json:
        printer.collected.sort(key=lambda pair: printer.order.get(pair[0].id, 0))
        document = json_document(kind, filters, printer.collected)
        from roark_tui.cli.gate import dumps

        out.write(dumps(document, pretty=out.isatty()) + "\n")
    printer.finish(filters)
    if printer.faults:
        common.print_note(
            f"{printer.faults} {kind}(s) could not be judged (their metrics did not load)"
        )
        return common.EXIT_API
    return common.EXIT_OK


def _api_json(settings: Settings, kind: Kind, filters: Filters, limit: int) -> int:
    from roark_tui.cli.conversation_cmd import json_text

    params: dict[str, Any] = {"limit": limit}
    if filters.status:
        params["status"] = filters.status
    if filters.search and kind == "call":
        params["searchText"] = filters.search

    async def go() -> bytes:
        async with common.make_service(settings) as service:
            body: bytes = await service.get_json(f"/v1/{kind}", params)
            return body

    sys.stdout.write(json_text(common.run_async(go()), pretty=sys.stdout.isatty()) + "\n")
    return common.EXIT_OK


async def _walk(
    settings: Settings,
    kind: Kind,
    filters: Filters,
    limit: int | None,
    printer: Printer,
    with_verdicts: bool,
) -> None:
    """List, judge (when asked) and print, page by page."""
    from roark_tui.core.browse import (
        PAGE_SIZE,
        VerdictLoader,
        check_problem,
        iter_listed,
        list_params,
    )

    async with common.make_service(settings) as service:
        lister = service.list_calls if kind == "call" else service.list_chats
        params = list_params(kind, filters)
        size = min(PAGE_SIZE, limit) if limit else PAGE_SIZE

        async def page(after: str | None) -> Any:
            return await lister(limit=size, after=after, **params)

        loader = VerdictLoader(
            lambda k, conv_id: service.conversation_metrics(k, conv_id, status="all"),
            service.all_definitions,
        )
        if filters.check:
            problem = check_problem(filters.check, await loader.definitions())
            if problem:
                common.print_note(problem)
        async for batch, _ in iter_listed(page, filters, limit=limit):
            if not with_verdicts:
                for conv in batch:
                    printer.row(conv, None)
                continue
            by_id = {conv.id: conv for conv in batch}
            printer.order.update((conv.id, len(printer.order)) for conv in batch)
            async for conv_id, verdict in loader.stream(kind, list(by_id)):
                if filters.kept(verdict) or verdict.state == "fault":
                    printer.row(by_id[conv_id], verdict)


class Printer:
    """Writes rows as they come: tab-separated in a pipe, aligned on a terminal (fixed
    widths, since rows stream), or kept for the JSON document."""

    def __init__(self, out: IO[str], kind: Kind, *, verdicts: bool, collect: bool) -> None:
        self.out = out
        self.kind = kind
        self.verdicts = verdicts
        self.collect = collect
        self.collected: list[tuple[Conversation, RowVerdict | None]] = []
        self.order: dict[str, int] = {}  # listing position, so the JSON keeps the list's order
        self.tty = out.isatty()
        self.count = 0
        self.faults = 0
        self._width = _width(out)

    def row(self, conv: Conversation, verdict: RowVerdict | None) -> None:
        self.count += 1
        if verdict is not None and verdict.state == "fault":
            self.faults += 1
        if self.collect:
            self.collected.append((conv, verdict))
            return
        from roark_tui.core.browse import list_row

        cells = list_row(conv)
        if self.tty:
            if self.count == 1:
                self._line(HEADER, "VERDICT" if self.verdicts else None, head=True)
            verdict_cell = verdict_text(verdict) if self.verdicts else None
            below = self._line(cells, verdict_cell)
            names = verdict.named if verdict is not None else ()
            if names:
                below.append(", ".join(names))
            if below:
                from roark_tui.core.safe_text import one_line

                text = one_line(" \u00b7 ".join(below), max(self._width - 8, 20))
                self.out.write(f"    \u2514 {text}\n")
        else:
            extra = verdict_fields(verdict) if self.verdicts else []
            self.out.write("\t".join([*cells[:3], *extra, cells[3]]) + "\n")
        self.out.flush()

    def _line(self, cells: list[str], verdict_cell: str | None, head: bool = False) -> list[str]:
        """One aligned row; the title goes on the line below (returned) when the row leaves
        it fewer than MIN_TITLE columns."""
        from roark_tui.core.safe_text import one_line

        narrow = self._width < WIDE
        started = cells[1][5:] if narrow and not head else cells[1]  # no year when narrow
        fixed = [cells[0].ljust(36), started.ljust(11 if narrow else 16)]
        fixed.append(cells[2].rjust(11))
        if verdict_cell is not None:
            fixed.append(one_line(verdict_cell, VERDICT_WIDTH).ljust(VERDICT_WIDTH))
        room = self._width - sum(len(c) for c in fixed) - 2 * len(fixed)
        if room < MIN_TITLE:
            self.out.write("  ".join(fixed).rstrip() + "\n")
            return [] if head else [one_line(cells[3])]
        self.out.write("  ".join([*fixed, one_line(cells[3], room)]).rstrip() + "\n")
        return []

    def finish(self, filters: Filters) -> None:
        if self.collect or not self.tty:
            return
        if not self.count:
            what = " ".join([f"No {self.kind}s", *filters.describe()])
            self.out.write(what + ".\n")


def verdict_text(verdict: RowVerdict | None) -> str:
    """`✘ 2 failed` for a terminal (the checks it names go on a line of their own)."""
    if verdict is None:
        return ""
    return f"{verdict.mark} {verdict.label}"


def verdict_fields(verdict: RowVerdict | None) -> list[str]:
    """The verdict's columns in a pipe: status, failing count, failed checks (comma list)."""
    if verdict is None:
        return ["", "", ""]
    names = (verdict.problem or "",) if verdict.state == "fault" else verdict.named
    return [verdict.state.upper(), str(verdict.failing), ",".join(names)]


def json_document(
    kind: Kind,
    filters: Filters,
    rows: list[tuple[Conversation, RowVerdict | None]],
) -> dict[str, Any]:
    """roark-tui's list document: the filters, then each conversation with its verdict."""
    return {
        "kind": kind,
        "filters": {
            "since": filters.since.isoformat() if filters.since else None,
            "status": filters.status,
            "search": filters.search,
            "failing": filters.failing,
            "check": filters.check,
        },
        "conversations": [
            {
                "id": conv.id,
                "title": conv.title,
                "started": conv.started,
                "durationMs": conv.duration_ms,
                "verdict": verdict.as_json() if verdict is not None else None,
            }
            for conv, verdict in rows
        ],
    }


def _width(stream: IO[str]) -> int:
    import os

    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return 100
