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
    conversation.add_argument("--chat", metavar="ID", help="try the draft on this chat")
    conversation.add_argument("--call", metavar="ID", help="try the draft on this call")
    new.set_defaults(handler=new_cmd)
    thresholds.set_defaults(handler=lambda args, settings: _usage(thresholds))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage()
    common.print_error("choose an action: new")
    return common.EXIT_USAGE


def new_cmd(args: argparse.Namespace, settings: Settings) -> Any:
    from roark_tui.tui.app import RoarkApp

    conversation = None
    if args.chat:
        conversation = ("chat", args.chat.strip())
    elif args.call:
        conversation = ("call", args.call.strip())
    source = (args.source or "").strip()
    return RoarkApp(
        common.service_factory(settings),
        start=("threshold-wizard", source),
        start_conversation=conversation,
        settings=settings,
    )
