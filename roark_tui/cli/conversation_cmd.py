"""`chat`/`call <ID...>` (open, --json, --print, and the gate's --wait/--check) and the
`chats`/`calls` lists.

Without an output flag one id opens the metrics screen. `--json` prints the metrics document
as the API sent it (indented on a terminal, compact in a pipe); `--print` prints the metric
tree as plain text, failures first as on screen. --wait, --check, --expect, several ids or ids
on stdin hand over to the gate (cli/gate.py). Only opening the TUI imports textual.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from roark_tui.cli import common, gate, rescore_cmd
from roark_tui.config import Settings

if TYPE_CHECKING:
    from roark_tui.api.metric_values import MetricValue
    from roark_tui.api.models import MetricDefinition, MetricGroup
    from roark_tui.api.service import RoarkService
    from roark_tui.core.metric_tree import GroupRow, Status, ValueRow

KINDS: tuple[gate.Kind, ...] = ("chat", "call")
INDENT = "  "


def register(subparsers: Any) -> None:
    for kind in KINDS:
        parser = subparsers.add_parser(
            kind,
            help=f"a {kind}'s metrics: open them, print them, or gate on their checks",
            description=f"Open a {kind}'s metrics in the TUI, or print them with --json or "
            f"--print. ID may be a {kind} id or a dashboard URL containing it.",
            epilog=gate.EXIT_CODES_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.add_argument(
            "ids",
            nargs="*",
            metavar="ID",
            help=f"{kind} id or URL; several for a batch; - (or none, when piped) reads stdin",
        )
        output = parser.add_mutually_exclusive_group()
        output.add_argument(
            "--json", action="store_true", help="print the metrics JSON instead of opening the TUI"
        )
        output.add_argument(
            "--print",
            action="store_true",
            help="print the metric tree as text (failures first) instead of opening the TUI",
        )
        gate.add_arguments(parser)
        rescore_cmd.add_arguments(parser)
        parser.set_defaults(handler=_conversation_handler(kind))


# --- chat / call -------------------------------------------------------------------------------


def _conversation_handler(kind: gate.Kind) -> Callable[[argparse.Namespace, Settings], Any]:
    def handler(args: argparse.Namespace, settings: Settings) -> Any:
        return conversation_cmd(args, settings, kind)

    return handler


def conversation_cmd(args: argparse.Namespace, settings: Settings, kind: gate.Kind) -> Any:
    """Open the TUI on one conversation, or print, or gate; returns an exit code or the App."""
    given = list(args.ids)
    if not given:
        if sys.stdin.isatty():
            raise common.UsageError(f"give a {kind} id (or - to read ids from stdin)")
        given = ["-"]
    ids = clean_ids(kind, gate.read_ids(given, sys.stdin))
    if not ids:
        raise common.UsageError(f"no {kind} ids given")
    if args.rescore:
        return common.quiet_pipe(lambda: rescore_cmd.run(args, settings, kind, ids))
    if gate.wanted(args, given) or args.timeout is not None:
        return common.quiet_pipe(
            lambda: gate.run(args, settings, kind, ids, render_print=render_tree)
        )
    conv_id = ids[0]
    if args.json:
        return common.quiet_pipe(lambda: _print_json(settings, kind, conv_id))
    if args.print:
        return common.quiet_pipe(lambda: _print_tree(settings, kind, conv_id))
    factory = common.service_factory(settings)  # no token: exit 3 before importing the UI
    from roark_tui.tui.app import RoarkApp

    return RoarkApp(factory, start=(kind, conv_id), settings=settings)


def clean_ids(kind: str, given: Sequence[str]) -> list[str]:
    """The ids as `parse_ref` reads them (quotes, spaces and dashboard URLs allowed), in order
    and without repeats; a bad one, or a URL of the other kind, is a usage error."""
    from roark_tui.core.conversation_ref import parse_ref

    found: dict[str, None] = {}
    for text in given:
        try:
            ref_kind, conv_id = parse_ref(text)
        except ValueError as exc:
            raise common.UsageError(str(exc)) from None
        if ref_kind is not None and ref_kind != kind:
            raise common.UsageError(
                f"that URL is a {ref_kind}, not a {kind}: try `roark-tui {ref_kind} {conv_id}`"
            )
        found.setdefault(conv_id, None)
    return list(found)


class ConversationNotFound(common.CliError):
    exit_code = common.EXIT_NOT_FOUND


def _not_found(kind: gate.Kind, conv_id: str) -> ConversationNotFound:
    other = "call" if kind == "chat" else "chat"
    return ConversationNotFound(
        f"no {kind} with id {conv_id} (HTTP 404); if it is a {other}, "
        f"try `roark-tui {other} {conv_id}`"
    )


@contextmanager
def _other_kind_hint(kind: gate.Kind, conv_id: str) -> Iterator[None]:
    """A 404 becomes the hint to try the other kind."""
    from roark_tui.api.errors import NotFound

    try:
        yield
    except NotFound:
        raise _not_found(kind, conv_id) from None


def _fetch(settings: Settings, kind: gate.Kind, conv_id: str, request: Callable[[Any], Any]) -> Any:
    """Run one request on a fresh service."""

    async def go() -> Any:
        async with common.make_service(settings) as service:
            return await request(service)

    with _other_kind_hint(kind, conv_id):
        return common.run_async(go())


def _print_json(settings: Settings, kind: gate.Kind, conv_id: str) -> int:
    """The document as the API sent it, through the blocking client: one request, no event
    loop."""
    path = f"/v1/{kind}/{quote(conv_id, safe='')}/metrics"
    with _other_kind_hint(kind, conv_id), common.make_blocking_service(settings) as service:
        body = service.get_json(path, {"status": "all"})
    _write(sys.stdout, json_text(body, pretty=sys.stdout.isatty()))
    return common.EXIT_OK


def _print_tree(settings: Settings, kind: gate.Kind, conv_id: str) -> int:
    """The tree as the TUI shows it: the definitions load alongside the metrics (they tell
    which metrics are checks, boolean labels and scale tops)."""
    import asyncio

    async def both(
        service: RoarkService,
    ) -> tuple[list[MetricGroup], tuple[list[MetricDefinition], str | None]]:
        metrics = service.conversation_metrics(kind, conv_id, status="all")
        return await asyncio.gather(metrics, gate.load_definitions(service))

    groups, (definitions, note) = _fetch(settings, kind, conv_id, both)
    if note:
        common.print_note(note)
    from roark_tui.core.metric_tree import build_rows, totals

    rows = build_rows(groups, definitions=definitions)
    counts = [f"{len(rows)} metric{'s' if len(rows) != 1 else ''}"]
    rollup = totals(rows).describe(passing=True)
    _write(sys.stdout, " · ".join([f"{kind} {conv_id}", *counts, *([rollup] if rollup else [])]))
    _write(sys.stdout, tree_text(rows))
    return common.EXIT_OK


def json_text(body: bytes, *, pretty: bool) -> str:
    """An API body re-printed as `gate.dumps` prints JSON."""
    from roark_tui.api.parsing import read_json

    try:
        document = read_json(body)
    except ValueError as exc:
        raise common.CliError(f"the API's answer could not be read: {exc}") from None
    return gate.dumps(document, pretty=pretty)


# --- the tree as text --------------------------------------------------------------------------


def render_tree(groups: Sequence[MetricGroup], definitions: Sequence[MetricDefinition] = ()) -> str:
    """The metric tree of `groups` as plain text (the gate's --print)."""
    from roark_tui.core.metric_tree import build_rows

    return tree_text(build_rows(groups, definitions=definitions))


def tree_text(rows: Sequence[GroupRow]) -> str:
    """The metric tree as plain text, failures first: one line per metric, its values beneath
    it, and for each failing or errored value the reasoning and where it happened."""
    from roark_tui.core.metric_tree import sort_rows

    if not rows:
        return "No metrics yet (metrics appear as they are computed)."
    return "\n".join(line for row in sort_rows(rows) for line in _metric_lines(row))


def _status_word(status: Status) -> str:
    words = {"FAIL": "FAIL", "ERROR": "ERROR", "PASS": "PASS", "NA": "N/A", "UNKNOWN": "?"}
    return words.get(status.value, "")


def _metric_lines(row: GroupRow) -> Iterator[str]:
    """The metric's line and its values' lines; values in full (the screen shortens them)."""
    from roark_tui.core.metric_tree import value_rows, value_text
    from roark_tui.core.safe_text import one_line
    from roark_tui.core.verdict import UNKNOWN_REASON

    values = value_rows(row)
    inline = len(values) == 1 and values[0].label == "Call" and not values[0].role
    texts = [one_line(value_text(row.group, v.value, row.display)) for v in values]
    facts = [row.key, row.output_type, texts[0] if inline else row.summary]
    if len(values) > 1:  # one value already says its unit and status in the summary
        facts[2:2] = [row.unit]
        facts.append(row.rollup.describe())
    yield f"{_status_word(row.status):<6} {row.name}  " + " · ".join(f for f in facts if f)
    for value, text in zip(values, texts, strict=True):
        if not inline:
            where = "  ".join(p for p in (value.label, value.role) if p)
            yield f"{INDENT}{_status_word(value.status):<6} {where}  {text}"
        pad = INDENT * (1 if inline else 2) + " " * 7
        if value.status.value in ("FAIL", "ERROR"):
            yield from _details(value, pad, shown=text)
        elif value.status.value == "UNKNOWN":
            yield f"{pad}{UNKNOWN_REASON}, so neither passed nor failed"


def _details(row: ValueRow, pad: str, *, shown: str) -> Iterator[str]:
    """Why a value failed and where: reasoning (and the error message unless `shown`, the
    line above, already holds all of it), the segment(s), evidence spans, property verdicts."""
    from roark_tui.core.formatting import format_value, segment_span
    from roark_tui.core.safe_text import clean, one_line

    value = row.value
    texts = [("reasoning", value.value_reasoning)]
    if value.error_message and one_line(value.error_message) not in shown:
        texts.insert(0, ("error", value.error_message))
    for label, text in texts:
        if text:
            lines = clean(text).strip().splitlines() or [""]
            yield f"{pad}{label}: {lines[0]}"
            yield from (f"{pad}  {line}" for line in lines[1:])
    for label, segment in _segments(value):
        yield f"{pad}{label} {segment_span(segment)}: “{one_line(segment.text)}”"
    for span in value.evidence_spans:
        where = segment_span(span.from_segment)
        if span.to_segment is not None and span.to_segment != span.from_segment:
            where = f"{where} → {segment_span(span.to_segment)}"
        quoted = one_line(span.from_segment.text) if span.from_segment else ""
        reason = f" ({one_line(span.reason)})" if span.reason else ""
        yield f"{pad}evidence {where}: “{quoted}”{reason}"
    for verdict in value.property_verdicts:
        if verdict.verdict.upper() == "MATCH":
            continue
        observed = verdict.observed_value
        seen = f", observed {format_value(observed)}" if observed is not None else ""
        yield (
            f"{pad}property {one_line(verdict.property_name)}: {one_line(verdict.verdict)}, "
            f"expected {format_value(verdict.expected_value)}{seen}"
        )


def _segments(value: MetricValue) -> Iterator[tuple[str, Any]]:
    if value.segment is not None:
        yield "segment", value.segment
    if value.from_segment is not None:
        yield "from", value.from_segment
    if value.to_segment is not None and value.to_segment != value.from_segment:
        yield "to", value.to_segment


# --- output ------------------------------------------------------------------------------------


def _write(stream: IO[str], text: str) -> None:
    stream.write(text + "\n")
