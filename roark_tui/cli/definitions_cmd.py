"""`roark-tui definitions`: open the definitions browser, `definitions new` the wizard, and
`definitions --json` / `--print` list every definition for scripts (no Textual involved)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from roark_tui.cli import common
from roark_tui.config import Settings

if TYPE_CHECKING:
    from roark_tui.api.models import MetricDefinition

PRINT_COLUMNS = ("name", "slug", "kind", "output", "scope", "contexts")
NAME_WIDTH = 40


def register(subparsers: Any) -> None:
    definitions = subparsers.add_parser(
        "definitions",
        help="browse metric definitions, or create one",
        description="Open the metric definitions browser, or print every definition with "
        "--json or --print. `definitions new` opens the new-definition wizard.",
    )
    output = definitions.add_mutually_exclusive_group()
    output.add_argument(
        "--json",
        action="store_true",
        help="print every definition as JSON ({data: [...]}) instead of opening the TUI",
    )
    output.add_argument(
        "--print",
        action="store_true",
        help="print one line per definition (name, slug, kind, output, scope, contexts)",
    )
    definitions.set_defaults(handler=browse_cmd)
    actions = definitions.add_subparsers(title="actions", metavar="[ACTION]")
    new = actions.add_parser(
        "new",
        help="open the new-definition wizard (LLM judge, formula or pattern)",
        description="Open the new-definition wizard. A draft left unfinished is offered again.",
    )
    new.set_defaults(handler=new_cmd)


def browse_cmd(args: argparse.Namespace, settings: Settings) -> Any:
    if args.json or args.print:
        definitions = _fetch_all(settings)
        text = _json_text(definitions) if args.json else print_text(definitions)
        return common.quiet_pipe(lambda: _write(text))
    return _app(settings, ("definitions", ""))


def new_cmd(args: argparse.Namespace, settings: Settings) -> Any:
    return _app(settings, ("definition-wizard", ""))


def _app(settings: Settings, start: tuple[str, str]) -> Any:
    from roark_tui.tui.app import RoarkApp

    return RoarkApp(common.service_factory(settings), start=start, settings=settings)


def _fetch_all(settings: Settings) -> list[MetricDefinition]:
    async def go() -> list[MetricDefinition]:
        async with common.make_service(settings) as service:
            return await service.all_definitions()

    return common.run_async(go())


def _write(text: str) -> int:
    sys.stdout.write(text + "\n")
    return common.EXIT_OK


def _json_text(definitions: Sequence[MetricDefinition]) -> str:
    from roark_tui.cli.gate import dumps

    return dumps({"data": [d.to_api() for d in definitions]}, pretty=sys.stdout.isatty())


def print_text(definitions: Sequence[MetricDefinition]) -> str:
    """Aligned columns with a header, sorted by name; API text on one line, made safe."""
    from roark_tui.core.safe_text import one_line

    rows = [
        (
            one_line(d.name or d.key, NAME_WIDTH),
            one_line(d.key),
            one_line(d.calculation_type or ""),
            one_line(d.type or ""),
            one_line(d.scope or ""),
            one_line(",".join(d.supported_contexts)),
        )
        for d in sorted(definitions, key=lambda d: ((d.name or d.key).lower(), d.key))
    ]
    header = tuple(c.upper() for c in PRINT_COLUMNS)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    count = len(rows)
    lines.append(f"{count} metric definition" + ("" if count == 1 else "s"))
    return "\n".join(lines)
