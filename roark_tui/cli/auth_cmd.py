"""`roark-tui auth login | status | logout`: manage the stored bearer token.

Like `gh auth`: the environment token wins and is never written; the stored token lives in a
0600 file; status shows the token masked to its last 4 characters and who it belongs to.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import sys
from typing import TYPE_CHECKING, Any

from roark_tui.api.errors import AuthError
from roark_tui.auth import TokenStore, mask
from roark_tui.cli import common
from roark_tui.config import DEFAULT_PROFILE, TOKEN_ENV, Settings

if TYPE_CHECKING:
    from roark_tui.api.account import Me

SOURCE_WORDS = {
    "flag": "the --token flag",
    "env": f"${TOKEN_ENV}",
    "file": "the credentials file",
}


def register(subparsers: Any) -> None:
    auth = subparsers.add_parser("auth", help="log in, check or log out the stored token")
    auth.set_defaults(handler=lambda args, settings: _usage(auth))
    commands = auth.add_subparsers(title="auth commands", metavar="ACTION")

    login = commands.add_parser("login", help="validate a token with GET /v1/me and store it")
    login.add_argument(
        "--token-stdin", action="store_true", help="read the token from stdin instead of a prompt"
    )
    # SUPPRESS keeps the global --base-url/--profile when these are not repeated here.
    login.add_argument("--base-url", metavar="URL", default=argparse.SUPPRESS, help="API base URL")
    login.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS, help="profile name")
    login.set_defaults(handler=login_cmd)

    status = commands.add_parser("status", help="which token is in effect and whose it is")
    status.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS, help="profile name")
    status.set_defaults(handler=status_cmd)

    logout = commands.add_parser("logout", help="remove the stored token of a profile")
    logout.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS, help="profile name")
    logout.set_defaults(handler=logout_cmd)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    return common.EXIT_USAGE


def _refuse_demo(settings: Settings) -> None:
    if settings.demo:
        raise common.UsageError("--demo uses the built-in sandbox; there is no token to manage")


def _read_token(args: argparse.Namespace, settings: Settings) -> str:
    if args.token_stdin:
        token = sys.stdin.read().strip()
    elif settings.token_source == "flag" and settings.token:
        token = settings.token
    elif not sys.stdin.isatty():
        raise common.UsageError("stdin is not a terminal: pipe the token with --token-stdin")
    else:
        token = getpass.getpass("Roark API token (input hidden): ").strip()
    if not token:
        raise common.UsageError("no token given")
    if any(ch.isspace() for ch in token):
        raise common.UsageError("the token contains whitespace; paste only the token")
    return token


def _whoami(settings: Settings) -> Me:
    with common.make_blocking_service(settings) as service:
        return service.whoami()


def login_cmd(args: argparse.Namespace, settings: Settings) -> int:
    _refuse_demo(settings)
    token = _read_token(args, settings)
    candidate = dataclasses.replace(settings, token=token, token_source="flag")
    try:
        me = _whoami(candidate)
    except AuthError as exc:
        raise common.CredentialError(
            f"the server refused this token (HTTP {exc.status}); nothing was saved"
        ) from None
    who = me.describe()  # read and cleaned before anything is saved
    store = TokenStore()
    try:
        store.save(
            settings.profile,
            token=token,
            base_url=settings.base_url,
            project_id=settings.project_id,
        )
    except OSError as exc:
        raise common.CliError(f"could not save the token to {store.path}: {exc.strerror}") from None
    print(f"Logged in to {settings.base_url} as {who} (profile {settings.profile}).")
    print(f"Token {mask(token)} saved.")
    if settings.token_source == "env":
        print(f"Note: ${TOKEN_ENV} is set and takes precedence over the stored token.")
    return common.EXIT_OK


def status_cmd(args: argparse.Namespace, settings: Settings) -> int:
    if settings.demo:
        print("Demo mode: built-in sandbox, no token needed.")
        return common.EXIT_OK
    common.require_token(settings)
    store = TokenStore()
    where = SOURCE_WORDS[settings.token_source or "file"]
    if settings.token_source == "file":
        where = f"{where} {store.path}"
    print(f"Profile:  {settings.profile}")
    if settings.profile != DEFAULT_PROFILE and not settings.profile_stored:
        names = ", ".join(settings.stored_profiles) or "none"
        print(f"          (no such profile in {store.path}; stored: {names})")
    print(f"Base URL: {settings.base_url}")
    if settings.project_id:
        print(f"Project:  {settings.project_id}")
    print(f"Token:    {mask(settings.token)} (from {where})")
    stored = store.get(settings.profile)
    if settings.token_source != "file" and stored and stored.token:
        print(f"          (the stored token {mask(stored.token)} is not in use)")
    me = _whoami(settings)
    print(f"Account:  {me.describe()}")
    return common.EXIT_OK


def logout_cmd(args: argparse.Namespace, settings: Settings) -> int:
    _refuse_demo(settings)
    if settings.token_source == "env":
        print(
            f"The token in effect comes from ${TOKEN_ENV}; unset it to log out. "
            "Nothing was changed."
        )
        return common.EXIT_OK
    store = TokenStore()
    try:
        removed = store.remove_token(settings.profile)
    except OSError as exc:
        raise common.CliError(f"could not update {store.path}: {exc.strerror}") from None
    if removed:
        print(f"Removed the stored token of profile {settings.profile}.")
    else:
        print(f"No stored token for profile {settings.profile}; nothing to remove.")
    return common.EXIT_OK
