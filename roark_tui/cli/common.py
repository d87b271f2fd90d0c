"""What every command shares: building the service, exit codes, errors on stderr.

Kept cheap to import (no httpx, no textual at module level) so `roark-tui --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from roark_tui.config import DEFAULT_PROFILE, TOKEN_ENV, Settings

if TYPE_CHECKING:
    from roark_tui.api.blocking import BlockingRoarkService
    from roark_tui.api.service import RoarkService

T = TypeVar("T")

DEMO_BASE_URL = "http://sandbox.local"
DEMO_KEPT_FILE = "demo_sandbox.json"  # in the state dir: what the demo created or edited

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4
EXIT_NETWORK = 5
# Gate verdicts of `chat`/`call --check` and `--wait` (roark_tui/cli/gate.py).
EXIT_CHECK_FAILED = 6
EXIT_CHECK_ERROR = 7
EXIT_WAIT_TIMEOUT = 8
# `run --check`: the run ended without completing, or settled with no verdict (never a pass).
EXIT_RUN_NOT_JUDGED = 9
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A problem the user can fix, reported as one line with its own exit code."""

    exit_code = EXIT_API


class UsageError(CliError):
    exit_code = EXIT_USAGE


class CredentialError(CliError):
    """No credential, or one the server refused."""

    exit_code = EXIT_AUTH


class MissingToken(CredentialError):
    """The command needs the API but no token was found anywhere: say how to give one, and
    that the demo needs none; a --profile that names no stored profile is said as such."""

    def __init__(self, settings: Settings) -> None:
        login = settings.login_command()
        if settings.profile != DEFAULT_PROFILE and not settings.profile_stored:
            from roark_tui.auth import TokenStore

            stored = ", ".join(settings.stored_profiles) or "none"
            super().__init__(
                f"profile {settings.profile} does not exist in {TokenStore().path} "
                f"(stored: {stored}): create it with `{login}`, or pass --token or set "
                f"${TOKEN_ENV}"
            )
            return
        super().__init__(
            f"no token: run `{login}` (or set ${TOKEN_ENV}, or pass --token); "
            "or try the app on built-in demo data, no account needed: `roark-tui --demo`"
        )


def require_token(settings: Settings) -> None:
    """Raise MissingToken unless a token is in effect (demo mode needs none)."""
    if not settings.demo and not settings.token:
        raise MissingToken(settings)


def make_service(settings: Settings) -> RoarkService:
    """The one RoarkService for these settings; `--demo` talks to an in-process sandbox."""
    from roark_tui.api.service import RoarkService

    return RoarkService(**_service_options(settings))


def make_blocking_service(settings: Settings) -> BlockingRoarkService:
    """The blocking twin of `make_service`, for commands that send one request and exit: no
    event loop to import or start."""
    from roark_tui.api.blocking import BlockingRoarkService

    return BlockingRoarkService(**_service_options(settings))


def _service_options(settings: Settings) -> dict[str, Any]:
    if settings.demo:
        from roark_tui.api.inprocess import InProcessTransport
        from roark_tui.sandbox import SandboxConfig, create_app

        config = SandboxConfig(token=None, crowd_until=demo_now, kept_in=demo_kept_file())
        return {
            "base_url": DEMO_BASE_URL,
            "token": "demo",
            "transport": InProcessTransport(create_app(config)),
            "project_id": settings.project_id,
            "allow_insecure": True,
        }
    require_token(settings)
    return {
        "base_url": settings.base_url,
        "token": settings.token,
        "project_id": settings.project_id,
        "allow_insecure": settings.insecure,
        "refused_token_fix": settings.refused_token_fix(),
    }


def demo_kept_file() -> Path:
    """Where `--demo` keeps the definitions and thresholds made on it, so they are there at
    the next start and no id is handed out twice; `--demo-reset` removes it."""
    from roark_tui.state.files import state_dir

    return state_dir() / DEMO_KEPT_FILE


def forget_demo() -> None:
    """`--demo-reset`: the demo starts as shipped (a file that cannot be removed is a
    warning: the demo then starts with what it kept)."""
    path = demo_kept_file()
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        print_note(f"--demo-reset: could not remove {path} ({exc.strerror or exc})")


def demo_now() -> datetime:
    """The moment the demo's crowd of conversations counts back from, asked when the crowd is
    first needed: now (the clock of core.formatting, which tests pin), to the minute, so demo
    apps started within a minute share one crowd."""
    from roark_tui.core.formatting import now

    return now().replace(second=0, microsecond=0)


def service_factory(settings: Settings) -> Callable[[], RoarkService]:
    """A factory for RoarkApp: checks the token now (so a missing one exits 3 before any UI)
    and builds the service later. The app calls it from a thread after its first frame, so
    the service comes with its HTTP client ready (see RoarkService.prepare) and the first
    request pays for neither."""
    require_token(settings)

    def build() -> RoarkService:
        service = make_service(settings)
        service.prepare()
        return service

    return build


def exit_code_for(exc: BaseException | None) -> int:
    """The process exit code for an outcome: 0 ok, 1 API error, 2 usage, 3 no or refused
    credential, 4 not found, 5 connection or timeout."""
    if exc is None:
        return EXIT_OK
    if isinstance(exc, CliError):
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    from roark_tui.api import errors

    if isinstance(exc, errors.AuthError | errors.PermissionDenied):
        return EXIT_AUTH
    if isinstance(exc, errors.NotFound):
        return EXIT_NOT_FOUND
    if isinstance(exc, errors.NetworkError | errors.Timeout):
        return EXIT_NETWORK
    if isinstance(exc, errors.InsecureTransport):
        return EXIT_USAGE
    return EXIT_API


def is_reportable(exc: BaseException) -> bool:
    """True for errors shown as one line (ours and the API's); anything else is a bug."""
    if isinstance(exc, CliError):
        return True
    from roark_tui.api.errors import ApiError

    return isinstance(exc, ApiError)


def print_error(exc: BaseException | str) -> None:
    """One line on stderr: `roark-tui: <what went wrong>`."""
    print(f"roark-tui: {exc}", file=sys.stderr)


def print_note(text: str) -> None:
    print(f"roark-tui: warning: {text}", file=sys.stderr)


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run one coroutine to completion from synchronous command code.

    Its result is handed over beside the task, not as the task's result: asyncio.run formats
    repr(task), result included, when it puts back the SIGINT handler, and a command's result
    can be a whole conversation."""
    import asyncio  # here, not at the top: `--help` and usage errors never need an event loop

    kept: list[T] = []

    async def keep() -> None:
        kept.append(await coro)

    asyncio.run(keep())
    return kept[0]


def quiet_pipe(action: Callable[[], int]) -> int:
    """Run a printing action; a reader that went away (`| head`) ends it quietly with 0."""
    try:
        code = action()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain again when flushing stdout at exit; point it at /dev/null.
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        finally:
            os.close(devnull)
        return EXIT_OK
    return code
