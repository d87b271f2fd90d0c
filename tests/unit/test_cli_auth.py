"""`roark-tui auth login | status | logout` end to end against the in-process sandbox."""

from __future__ import annotations

import asyncio
import io
import json
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest

from roark_tui.api.blocking import BlockingRoarkService
from roark_tui.auth import TokenStore
from roark_tui.cli import common, main
from roark_tui.config import Settings

SANDBOX_URL = "http://sandbox.local"


class BlockingASGI(httpx.BaseTransport):
    """A blocking transport onto an ASGI app (each request on an event loop of its own), so the
    blocking service the auth commands use can talk to the in-process sandbox."""

    def __init__(self, app: Any) -> None:
        self._asgi = httpx.ASGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def exchange() -> tuple[int, httpx.Headers, bytes]:
            response = await self._asgi.handle_async_request(request)
            body = b"".join([chunk async for chunk in response.aiter_raw()])
            return response.status_code, response.headers, body

        status, headers, body = asyncio.run(exchange())
        return httpx.Response(status, headers=headers, content=body)


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch, sandbox_app: Any) -> Any:
    """Route every blocking service the CLI builds to `sandbox_app`, keeping the token it was
    given."""

    def make_blocking_service(settings: Settings) -> BlockingRoarkService:
        common.require_token(settings)
        return BlockingRoarkService(
            base_url=settings.base_url,
            token=settings.token,
            transport=BlockingASGI(sandbox_app),
            allow_insecure=True,
        )

    monkeypatch.setattr(common, "make_blocking_service", make_blocking_service)
    return sandbox_app


@pytest.fixture
def token() -> str:
    from roark_tui.sandbox.demo_ids import DEMO_TOKEN

    return DEMO_TOKEN


def stdin(monkeypatch: pytest.MonkeyPatch, text: str, *, tty: bool = False) -> None:
    fake = io.StringIO(text)
    fake.isatty = lambda: tty  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdin", fake)


def login(monkeypatch: pytest.MonkeyPatch, token: str, *extra: str) -> int:
    stdin(monkeypatch, token + "\n")
    return main(["--base-url", SANDBOX_URL, *extra, "auth", "login", "--token-stdin"])


def test_login_validates_and_stores(
    sandbox: Any, token: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert login(monkeypatch, token) == 0
    out = capsys.readouterr().out
    assert "Logged in to http://sandbox.local" in out and token[-4:] in out
    assert token not in out
    store = TokenStore()
    assert store.get("default").token == token
    assert store.get("default").base_url == SANDBOX_URL
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    assert ("GET", "/v1/me") in sandbox.state.sandbox.request_log


def test_login_refused_token_exits_3_and_saves_nothing(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert login(monkeypatch, "wrong-token-0000") == 3
    captured = capsys.readouterr()
    assert "refused" in captured.err and "wrong-token" not in captured.err + captured.out
    assert not TokenStore().path.exists()


def test_login_into_a_named_profile(
    sandbox: Any, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, token)
    argv = ["auth", "login", "--token-stdin", "--base-url", SANDBOX_URL, "--profile", "work"]
    assert main(argv) == 0
    assert TokenStore().get("work").token == token
    assert TokenStore().get("default") is None


def test_login_without_terminal_or_stdin_flag_is_usage_error(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(monkeypatch, "")
    assert main(["auth", "login"]) == 2
    assert "--token-stdin" in capsys.readouterr().err


def test_login_prompts_with_getpass_on_a_terminal(
    sandbox: Any, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, "", tty=True)
    prompts: list[str] = []

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        return token

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    assert main(["--base-url", SANDBOX_URL, "auth", "login"]) == 0
    assert prompts and TokenStore().get("default").token == token


def test_login_rejects_empty_token(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert login(monkeypatch, "  ") == 2


def test_status_shows_source_masked_token_and_account(
    sandbox: Any, token: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert login(monkeypatch, token) == 0
    capsys.readouterr()
    assert main(["auth", "status"]) == 0
    out = capsys.readouterr().out
    assert "Profile:  default" in out
    assert f"Base URL: {SANDBOX_URL}" in out
    assert f"••••{token[-4:]} (from the credentials file" in out
    assert "Account:" in out
    assert token not in out


def test_status_with_env_token_names_the_env(
    sandbox: Any, token: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert login(monkeypatch, token) == 0
    monkeypatch.setenv("ROARK_API_BEARER_TOKEN", "another-token-wxyz")
    capsys.readouterr()
    assert main(["auth", "status"]) == 3  # the sandbox refuses the env token
    out = capsys.readouterr().out
    assert "••••wxyz (from $ROARK_API_BEARER_TOKEN)" in out
    assert "is not in use" in out


def test_status_reports_a_revoked_token(
    sandbox: Any, token: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert login(monkeypatch, token) == 0
    sandbox.state.sandbox.faults.revoke_token()
    assert main(["auth", "status"]) == 3
    assert "refused" in capsys.readouterr().err


def test_status_without_token_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["auth", "status"]) == 3
    assert "no token" in capsys.readouterr().err


def test_logout_removes_the_stored_token(
    sandbox: Any, token: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert login(monkeypatch, token) == 0
    assert main(["auth", "logout"]) == 0
    assert "Removed" in capsys.readouterr().out
    assert TokenStore().get("default").token is None
    assert main(["auth", "status"]) == 3
    assert main(["auth", "logout"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_logout_with_env_token_changes_nothing(
    sandbox: Any, token: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert login(monkeypatch, token) == 0
    before = TokenStore().path.read_bytes()
    monkeypatch.setenv("ROARK_API_BEARER_TOKEN", token)
    capsys.readouterr()
    assert main(["auth", "logout"]) == 0
    out = capsys.readouterr().out
    assert "ROARK_API_BEARER_TOKEN" in out and "Nothing was changed" in out
    assert TokenStore().path.read_bytes() == before


def test_env_token_is_not_saved_by_login(
    sandbox: Any, token: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ROARK_API_BEARER_TOKEN", "env-only-token-9999")
    assert login(monkeypatch, token) == 0
    assert "takes precedence" in capsys.readouterr().out
    saved = json.loads(TokenStore().path.read_text())
    assert "env-only-token" not in json.dumps(saved)


def test_demo_mode(capsys: pytest.CaptureFixture[str], isolated_dirs: Path) -> None:
    assert main(["--demo", "auth", "status"]) == 0
    assert "Demo mode" in capsys.readouterr().out
    assert main(["--demo", "auth", "logout"]) == 2
    assert main(["--demo", "auth", "login", "--token-stdin"]) == 2
    assert not (isolated_dirs / "config").exists()


async def test_demo_service_needs_no_token() -> None:
    async with common.make_service(Settings(demo=True)) as service:
        me = await service.whoami()
    assert me.describe()


def test_login_reports_an_unwritable_config_dir(
    sandbox: Any,
    token: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    isolated_dirs: Path,
) -> None:
    blocker = isolated_dirs / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("ROARK_TUI_CONFIG_DIR", str(blocker))
    assert login(monkeypatch, token) == 1
    err = capsys.readouterr().err
    assert err.startswith("roark-tui: could not save the token to") and token not in err
