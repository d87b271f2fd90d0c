"""The `roark-tui` command: global options, subcommands, exit codes.

Subcommands live in modules named in COMMAND_MODULES; each exposes `register(subparsers)` and
sets `handler=` on its parsers via `set_defaults`. A handler is `handler(args, settings)` and
returns an exit code or a Textual App, which is run here. Command modules must not import
textual or httpx at module level, so `--help` stays fast. Parsing imports only the module of the
command named on the line (COMMAND_HOMES), none when no command is named (the lookup screen
starts sooner), and all of them for help or an unknown command, so usage lists every command.
"""

from __future__ import annotations

import argparse
import importlib
import sys
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
    "browse_cmd",
    "projects_cmd",
    "definitions_cmd",
    "thresholds_cmd",
    "runs_cmd",
)
# The module that registers each command word (checked against the modules by a unit test).
COMMAND_HOMES = {
    "auth": "auth_cmd",
    "sandbox": "sandbox_cmd",
    "chat": "conversation_cmd",
    "call": "conversation_cmd",
    "chats": "browse_cmd",
    "calls": "browse_cmd",
    "projects": "projects_cmd",
    "definitions": "definitions_cmd",
    "thresholds": "thresholds_cmd",
    "runs": "runs_cmd",
    "run": "runs_cmd",
}
# Global options that take a value (the word after them is not a command).
VALUE_OPTIONS = ("--base-url", "--token", "--profile", "--project")
HELP_FLAGS = ("-h", "--help")

EPILOG = f"""\
Without a command, opens the lookup screen.
Token precedence: --token, then ${TOKEN_ENV}, then the profile stored by
`roark-tui auth login`.
Exit codes: 0 ok, 1 API error, 2 usage, 3 no or refused credential, 4 not found,
5 connection or timeout."""


def _command_word(argv: Sequence[str]) -> str | None:
    """The command `argv` names: its first word that is neither a global option nor the
    value of one; None when there is none, or when help is asked before it."""
    words = iter(argv)
    for word in words:
        if word in HELP_FLAGS:
            return None
        if word == "--":
            return next(words, None)
        if not word.startswith("-") or word == "-":
            return word
        takes_value = [name for name in VALUE_OPTIONS if name.startswith(word)]
        if "=" not in word and len(takes_value) == 1:  # argparse also accepts abbreviations
            next(words, None)
    return None


def _needed_modules(argv: Sequence[str] | None) -> Sequence[str]:
    """The command modules parsing `argv` needs (all of them when argv is None)."""
    if argv is None:
        return COMMAND_MODULES
    word = _command_word(argv)
    if word is None and not any(arg in HELP_FLAGS for arg in argv):
        return ()
    home = COMMAND_HOMES.get(word or "")
    return (home,) if home else COMMAND_MODULES


def _command_modules(names: Sequence[str] = COMMAND_MODULES) -> Iterator[ModuleType]:
    """The command modules of `names` that exist (colleagues add theirs by creating the file)."""
    for name in names:
        qualified = f"{__name__}.{name}"
        try:
            yield importlib.import_module(qualified)
        except ModuleNotFoundError as exc:
            if exc.name != qualified:
                raise


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of `roark-tui`; given the `argv` it will parse, with only the commands that
    parsing needs."""
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
        "--demo-reset",
        action="store_true",
        help="the demo as shipped: forget the definitions and thresholds earlier --demo runs "
        "created or edited (implies --demo)",
    )
    parser.add_argument(
        "--insecure",
        action="store_true",
        help="allow sending the token over plain http to a non-loopback host",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in _command_modules(_needed_modules(argv)):
        module.register(subparsers)
    return parser


def _parse(argv: Sequence[str] | None) -> tuple[argparse.Namespace, Settings]:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    if args.demo_reset:
        common.forget_demo()
        args.demo = True
    settings = resolve_settings(args)
    for note in settings.notes:
        common.print_note(note)
    from roark_tui.state import account  # lookups, drafts and packages are kept per account

    account.use_settings(settings)
    if args.demo_reset:  # the demo's definitions, as a lookup kept them, are gone with it
        from roark_tui.state import kept_definitions

        kept_definitions.store.clear()
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
