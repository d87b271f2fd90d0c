"""The CLI framework: parsing, global options, exit codes, errors as one line, fast --help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from roark_tui.api import errors
from roark_tui.cli import build_parser, common, main
from roark_tui.config import Settings


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (None, 0),
        (errors.ApiError(), 1),
        (errors.ServerError(status=500), 1),
        (errors.RequestRejected(status=400, field="name"), 1),
        (errors.RateLimited(status=429, retry_after=1), 1),
        (errors.ResponseError(), 1),
        (errors.Conflict(status=409), 1),
        (common.UsageError("bad"), 2),
        (errors.InsecureTransport(), 2),
        (errors.AuthError(status=401), 3),
        (errors.PermissionDenied(status=403), 3),
        (common.MissingToken(Settings()), 3),
        (errors.NotFound(status=404), 4),
        (errors.NetworkError(), 5),
        (errors.Timeout(), 5),
        (KeyboardInterrupt(), 130),
        (ValueError("bug"), 1),
    ],
)
def test_exit_code_for(exc: BaseException | None, code: int) -> None:
    assert common.exit_code_for(exc) == code


def test_global_options_before_command() -> None:
    args = build_parser().parse_args(
        [
            "--base-url",
            "http://127.0.0.1:8765",
            "--token",
            "T",
            "--profile",
            "p",
            "--project",
            "pr",
            "--demo",
            "--insecure",
            "auth",
            "status",
        ]
    )
    assert (args.base_url, args.token, args.profile, args.project) == (
        "http://127.0.0.1:8765",
        "T",
        "p",
        "pr",
    )
    assert args.demo and args.insecure


def test_subcommand_profile_does_not_clobber_global_one() -> None:
    args = build_parser().parse_args(["--profile", "work", "auth", "login"])
    assert args.profile == "work"
    args = build_parser().parse_args(["auth", "login", "--profile", "home"])
    assert args.profile == "home"


def test_sandbox_token_does_not_become_the_client_token() -> None:
    args = build_parser().parse_args(["sandbox", "--token", "S"])
    assert args.token is None and args.sandbox_token == "S"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert main(["auth"]) == 2


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "--base-url" in capsys.readouterr().out
    assert main(["--version"]) == 0


def test_missing_token_exits_3_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["auth", "status"]) == 3
    err = capsys.readouterr().err
    assert err.strip() == (
        "roark-tui: no token: run `roark-tui auth login` (or set $ROARK_API_BEARER_TOKEN, or "
        "pass --token); or try the app on built-in demo data, no account needed: "
        "`roark-tui --demo`"
    )


@pytest.mark.parametrize(
    ("exc", "code"),
    [(errors.NotFound("Chat not found", status=404), 4), (errors.NetworkError("refused"), 5)],
)
def test_api_errors_become_one_line(
    exc: errors.ApiError,
    code: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def failing_service(settings: object) -> None:
        raise exc

    monkeypatch.setattr(common, "make_blocking_service", failing_service)
    assert main(["--token", "some-token-1234", "auth", "status"]) == code
    err = capsys.readouterr().err
    assert err == f"roark-tui: {exc}\n"


def test_corrupt_credentials_warn_but_do_not_crash(
    isolated_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = isolated_dirs / "config" / "credentials.json"
    path.parent.mkdir()
    path.write_text("{{{")
    assert main(["auth", "status"]) == 3
    err = capsys.readouterr().err
    assert "warning: ignoring unreadable credentials file" in err
    assert main(["--token", "abc", "auth", "logout"]) == 0


def test_help_is_fast_and_imports_no_textual_or_httpx() -> None:
    code = (
        "import sys\n"
        "from roark_tui.cli import main\n"
        "rc = main(['--help'])\n"
        "heavy = sorted(m for m in ('textual', 'httpx', 'rich', 'pydantic') if m in sys.modules)\n"
        "print('HEAVY', heavy, rc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    assert out.strip().splitlines()[-1] == "HEAVY [] 0"
