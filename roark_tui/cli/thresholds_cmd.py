"""`roark-tui thresholds new`: open the threshold wizard, optionally on a source metric and with a
conversation loaded for the what-if."""

from __future__ import annotations

import argparse
from typing import Any

from roark_tui.cli import common
from roark_tui.config import Settings


def register(subparsers: Any) -> None:
    thresholds = subparsers.add_parser(
        "thresholds", help="turn a metric into a pass/fail check (threshold)"
    )
    actions = thresholds.add_subparsers(title="actions", metavar="ACTION")
    new = actions.add_parser(
        "new",
        help="open the threshold wizard",
        description="Open the threshold wizard. With --chat or --call, the draft is tried on "
        "that conversation's values before anything is sent.",
    )
    new.add_argument("--source", metavar="ID_OR_SLUG", help="the metric the threshold watches")
    conversation = new.add_mutually_exclusive_group()
    conversation.add_argument("--chat", metavar="ID", help="try the draft on this chat (id or URL)")
    conversation.add_argument("--call", metavar="ID", help="try the draft on this call (id or URL)")
    new.set_defaults(handler=new_cmd)
    thresholds.set_defaults(handler=lambda args, settings: _usage(thresholds))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage()
    common.print_error("choose an action: new")
    return common.EXIT_USAGE


def new_cmd(args: argparse.Namespace, settings: Settings) -> Any:
    """The app on the threshold wizard; --chat/--call take an id or a dashboard URL."""
    from roark_tui.cli.conversation_cmd import clean_ids

    conversation = None
    for kind in ("chat", "call"):
        given = getattr(args, kind)
        if given is not None:
            conversation = (kind, clean_ids(kind, [given])[0])
    source = (args.source or "").strip()
    factory = common.service_factory(settings)  # no token: exit 3 before importing the UI
    from roark_tui.tui.app import RoarkApp

    return RoarkApp(
        factory,
        start=("threshold-wizard", source),
        start_conversation=conversation,
        settings=settings,
    )
