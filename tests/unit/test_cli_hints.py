"""The CLI's hints name what to change where the setting actually came from: a refused token's
source (flag, environment, profile file), a profile that does not exist, and the demo when no
token is found at all."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from roark_tui.api.service import RoarkService
from roark_tui.auth import TokenStore
from roark_tui.cli import main
from roark_tui.sandbox.demo_ids import FAILING_CHAT_ID

SANDBOX_URL = "http://sandbox.local"
WRONG = "wrong-token-0000"


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch, sandbox_app: Any) -> None:
    """Every async service the CLI builds talks to the in-process sandbox."""
    defaults = RoarkService.__init__.__kwdefaults__
    monkeypatch.setitem(defaults, "transport", httpx.ASGITransport(app=sandbox_app))


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(
        ["--base-url", SANDBOX_URL, "--insecure", *argv, "chat", FAILING_CHAT_ID, "--print"]
    )
    err = capsys.readouterr().err
    assert code == 3 and err.count("\n") == 1, err
    assert err.startswith("roark-tui: The token was refused") and WRONG not in err
    return err


def test_a_refused_token_names_the_source_in_use(
    sandbox: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    TokenStore().save("work", token=WRONG, base_url=SANDBOX_URL)
    from_file = refused(capsys, "--profile", "work")
    assert "it came from profile work in " in from_file
    assert "run `roark-tui --profile work auth login` to store a valid one" in from_file

    monkeypatch.setenv("ROARK_API_BEARER_TOKEN", WRONG)
    from_env = refused(capsys)
    assert "it came from $ROARK_API_BEARER_TOKEN" in from_env
    assert "set it to a valid token, or unset it" in from_env
    assert "auth login` to store" not in from_env  # a stored token would not take effect

    from_flag = refused(capsys, "--token", WRONG)
    assert "it came from --token" in from_flag and "pass a valid token there" in from_flag
    assert "auth login` to store" not in from_flag and "set it to" not in from_flag


def test_a_profile_that_does_not_exist_is_said_to_be_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    TokenStore().save("work", token="a-token-of-work-1234")
    assert main(["--profile", "nope", "auth", "status"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("roark-tui: profile nope does not exist in ")
    assert "(stored: work)" in err and "`roark-tui --profile nope auth login`" in err

    monkeypatch.setenv("ROARK_API_BEARER_TOKEN", "env-token-5678")
    monkeypatch.setattr("roark_tui.cli.auth_cmd._whoami", lambda settings: _Me())
    assert main(["--profile", "nope", "auth", "status"]) == 0
    out = capsys.readouterr().out
    assert "no such profile in " in out and "stored: work" in out


class _Me:
    def describe(self) -> str:
        return "someone"


def test_no_token_mentions_the_demo_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 3
    err = capsys.readouterr().err
    assert "`roark-tui auth login`" in err and "`roark-tui --demo`" in err
