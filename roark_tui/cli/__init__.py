"""The `roark-tui` command: global options, subcommands, exit codes.

Subcommands live in modules named in COMMAND_MODULES; each exposes `register(subparsers)` and
sets `handler=` on its parsers via `set_defaults`. A handler is `handler(args, settings)` and
returns an exit code or a Textual App, which is run here. Command modules must not import
textual or httpx at module level, so `--help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from roark_tui import __version__
from roark_tui.cli import common
from roark_tui.config import BASE_URL_ENV, PROJECT_ENV, TOKEN_ENV, Settings, resolve_settings

if TYPE_CHECKING:
    from textual.app import App

COMMAND_MODULES = (
    "auth_cmd",
    "sandbox_cmd",
    "conversation_cmd",
    "definitions_cmd",
    "thresholds_cmd",
)

EPILOG = f"""\
Without a command, opens the lookup screen.
Token precedence: --token, then ${TOKEN_ENV}, then the profile stored by
`roark-tui auth login`.
Exit codes: 0 ok, 1 API error, 2 usage, 3 no or refused credential, 4 not found,
5 connection or timeout."""


def _command_modules() -> Iterator[ModuleType]:
    """The command modules that exist (colleagues add theirs by creating the file)."""
    for name in COMMAND_MODULES:
        qualified = f"{__name__}.{name}"
        try:
            yield importlib.import_module(qualified)
        except ModuleNotFoundError as exc:
            if exc.name != qualified:
                raise


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roark-tui",
        description="A keyboard-first terminal explorer for Roark's conversation-metrics API.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"roark-tui {__version__}")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help=f"API base URL (env {BASE_URL_ENV}; default https://api.roark.ai)",
    )
    parser.add_argument("--token", metavar="TOKEN", help=f"bearer token (beats ${TOKEN_ENV})")
    parser.add_argument(
        "--profile", metavar="NAME", help="stored profile to use (default: default)"
    )
    parser.add_argument(
        "--project", metavar="ID", help=f"project id sent as X-Roark-Project-Id (env {PROJECT_ENV})"
    )
    parser.add_argument(
        "--demo", action="store_true", help="use the built-in demo data (no network, no token)"
    )
    parser.add_argument(
        "--insecure",
        action="store_true",
        help="allow sending the token over plain http to a non-loopback host",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in _command_modules():
        module.register(subparsers)
    return parser


def _parse(argv: Sequence[str] | None) -> tuple[argparse.Namespace, Settings]:
    args = build_parser().parse_args(argv)
    settings = resolve_settings(args)
    for note in settings.notes:
        common.print_note(note)
    return args, settings


def _lookup_app(settings: Settings) -> App[Any]:
    from roark_tui.tui.app import RoarkApp

    return RoarkApp(common.service_factory(settings), start=None, settings=settings)


def build_app(argv: Sequence[str] | None = None) -> App[Any]:
    """The Textual App `roark-tui <argv>` would run, without running it (tests use this)."""
    args, settings = _parse(argv)
    handler = getattr(args, "handler", None)
    result = handler(args, settings) if handler else _lookup_app(settings)
    if isinstance(result, int):
        raise common.UsageError("this command does not open the app")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `roark-tui`. Returns the exit code; API errors become one stderr line."""
    try:
        args, settings = _parse(argv)
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else common.EXIT_USAGE
    try:
        handler = getattr(args, "handler", None)
        result = handler(args, settings) if handler else _lookup_app(settings)
        if isinstance(result, int):
            return result
        result.run()
        return result.return_code or 0
    except KeyboardInterrupt:
        return common.EXIT_INTERRUPTED
    except Exception as exc:
        if not common.is_reportable(exc):
            raise
        common.print_error(exc)
        return common.exit_code_for(exc)
