"""`projects`: the projects this credential may act on (GET /v1/projects), to pick one for
--project / ROARK_PROJECT_ID. The one in use is marked."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from roark_tui.cli import common
from roark_tui.config import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "projects",
        help="list the projects this credential may act on (for --project)",
        description="The projects this credential may act on, with the permissions it holds "
        "in each. Use an id with --project ID or ROARK_PROJECT_ID; `*` marks the one in use.",
    )
    parser.add_argument("--json", action="store_true", help="print the API's JSON")
    parser.set_defaults(handler=projects_cmd)


def projects_cmd(args: argparse.Namespace, settings: Settings) -> int:
    return common.quiet_pipe(lambda: _print(args, settings))


def _print(args: argparse.Namespace, settings: Settings) -> int:
    from roark_tui.core.safe_text import one_line

    async def go() -> Any:
        async with common.make_service(settings) as service:
            if args.json:
                return await service.get_json("/v1/projects")
            return await service.list_projects()

    result = common.run_async(go())
    out = sys.stdout
    if args.json:
        from roark_tui.cli.conversation_cmd import json_text

        out.write(json_text(result, pretty=out.isatty()) + "\n")
        return common.EXIT_OK
    for project in result:
        mark = "*" if project.id == settings.project_id else " "
        cells = [
            mark,
            one_line(project.id),
            one_line(project.slug),
            one_line(project.name),
            ",".join(one_line(p) for p in project.granted_permissions),
        ]
        out.write(("\t".join(cells) if not out.isatty() else "  ".join(cells)) + "\n")
    if not result:
        common.print_note("this credential may act on no project")
    return common.EXIT_OK
