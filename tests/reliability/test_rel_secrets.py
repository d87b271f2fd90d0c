"""The token never leaves its 0600 file and the Authorization header.

With a distinctive token (rel_support.TOKEN) this captures every screen of the app (lookup,
metrics, transcript, definitions, both wizards and their review, and the error states of a
revoked token and of a 500/401 whose body echoes the token back), every CLI output (--json,
--print, the gate, chats/calls, auth login/status/logout, error lines), every exception and
log record, and every file written, and finds the token in none but the credentials file.
Then: plain http to a non-loopback host is refused before anything is sent (unless
--insecure), and redirects are not followed, so the token never goes to another host.
"""

from __future__ import annotations

import logging
import stat
import traceback
from pathlib import Path
from typing import Any

import httpx
import pytest
from rel_support import (
    TOKEN,
    Driven,
    LiveSandbox,
    cli,
    echo_token,
    plain_server,
    screen_text,
    settle,
    terminal_output,
)
from textual.widgets import Input, Select

from roark_tui.api import errors
from roark_tui.api.service import RoarkService
from roark_tui.auth import TokenStore
from roark_tui.cli.common import EXIT_AUTH, EXIT_OK, EXIT_USAGE
from roark_tui.config import resolve_settings
from roark_tui.sandbox.demo_ids import FAILING_CHAT_ID
from roark_tui.state.files import config_dir, state_dir
from roark_tui.tui.screens.definition_wizard import DefinitionWizardScreen
from roark_tui.tui.screens.threshold_wizard import ThresholdWizardScreen

SOURCE = "talk_to_listen_ratio"


class Screens:
    """Every capture of the walk: plain text and escape-coded output."""

    def __init__(self, driven: Driven) -> None:
        self.driven = driven
        self.seen: dict[str, str] = {}

    async def take(self, name: str) -> None:
        await settle(self.driven.pilot)
        app = self.driven.app
        self.seen[name] = screen_text(app) + terminal_output(app)

    def leaks(self) -> list[str]:
        return [name for name, text in self.seen.items() if TOKEN in text]


async def test_no_screen_shows_the_token(
    live_app: Driven, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    driven, app, pilot = live_app, live_app.app, live_app.pilot
    driven.reset()
    await driven.home()
    screens = Screens(driven)
    await screens.take("lookup")

    app.open_conversation("chat", FAILING_CHAT_ID)
    await screens.take("metrics")
    await pilot.press("T")
    await screens.take("transcript")
    await pilot.press("escape")
    driven.sandbox.state.faults.revoke_token()
    await pilot.press("r")
    await screens.take("metrics: token revoked (banner)")
    driven.reset()
    for status in (500, 401):
        driven.transport.answer = echo_token(status)
        await pilot.press("r")
        await screens.take(f"metrics: {status} echoing the token (banner)")
        await driven.home()
        app.open_conversation("chat", FAILING_CHAT_ID)
        await screens.take(f"metrics: {status} echoing the token (first load)")
        driven.reset()
    await pilot.press("question_mark")
    await screens.take("help")
    await driven.home()

    app.open_definitions()
    await screens.take("definitions")
    await pilot.press("enter")
    await screens.take("definition in words")
    driven.transport.answer = echo_token(500)
    await pilot.press("r")
    await screens.take("definitions: 500 echoing the token")
    driven.reset()
    await driven.home()

    app.open_threshold_wizard(source=SOURCE)
    await settle(pilot)
    wizard = app.screen
    assert isinstance(wizard, ThresholdWizardScreen)
    for _ in range(20):
        if wizard.source_def is not None:
            break
        await settle(pilot)
    wizard.query_one("#operator", Select).value = "GREATER_THAN"
    wizard.query_one("#value", Input).insert_text_at_cursor("2")
    await screens.take("threshold wizard")
    await pilot.press("ctrl+s")
    await screens.take("threshold review")
    driven.transport.answer = echo_token(500)
    await pilot.press("c")
    await screens.take("threshold wizard: 500 echoing the token")
    driven.reset()
    await driven.home()

    app.open_definition_wizard()
    await settle(pilot)
    definition_wizard = app.screen
    assert isinstance(definition_wizard, DefinitionWizardScreen)
    await screens.take("definition wizard")
    await pilot.press("ctrl+s")
    definition_wizard.query_one("#name", Input).insert_text_at_cursor("Token probe")
    await settle(pilot)
    definition_wizard.query_one("#outputType", Select).value = "BOOLEAN"
    definition_wizard.query_one("#llmPrompt").insert("Was the caller verified?")
    await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)
    await pilot.press("ctrl+s")
    await screens.take("definition review")
    driven.transport.answer = echo_token(500)
    await pilot.press("c")
    await screens.take("definition wizard: 500 echoing the token")
    driven.reset()
    await driven.home()

    assert len(screens.seen) >= 18
    assert screens.leaks() == []
    echoed = [
        name for name, text in screens.seen.items() if "badrequestfrom" in "".join(text.split())
    ]
    assert len(echoed) >= 5, f"the echoing answers reached too few screens to prove much: {echoed}"
    records = [r.getMessage() + repr(r.args) + (r.exc_text or "") for r in caplog.records]
    assert records and not [r for r in records if TOKEN in r]
    assert all(TOKEN in h["authorization"] for _, _, h in driven.transport.sent)  # it was sent


async def test_errors_and_reprs_never_hold_the_token() -> None:
    """Exceptions built from answers that echo the token (JSON and HTML, 4xx and 5xx), and
    every repr on the way: no token in the message, the fields, repr() or the traceback."""
    for status in (400, 401, 403, 404, 409, 422, 429, 500, 502, 503):
        service = RoarkService(
            base_url="http://127.0.0.1:9",
            token=TOKEN,
            transport=httpx.MockTransport(echo_token(status)),
            max_retries=0,
        )
        with pytest.raises(errors.ApiError) as caught:
            await service.chat_metrics("chat-1")
        exc = caught.value
        texts = [str(exc), repr(exc), *map(str, vars(exc).values())]
        texts += traceback.format_exception(exc)
        assert not [t for t in texts if TOKEN in t], status
        assert "<token hidden>" in str(exc) or status >= 500
        assert TOKEN not in repr(service)
        await service.aclose()


def test_no_cli_output_shows_the_token(
    live_sandbox: LiveSandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    isolated_dirs: Path,
) -> None:
    live_sandbox.reset()
    flag = ["--base-url", live_sandbox.base_url, "--token", TOKEN]
    outputs: dict[str, tuple[int, str]] = {}
    for name, args in {
        "chat --json": [*flag, "chat", FAILING_CHAT_ID, "--json"],
        "chat --print": [*flag, "chat", FAILING_CHAT_ID, "--print"],
        "chat --check": [*flag, "chat", FAILING_CHAT_ID, "--check"],
        "chats": [*flag, "chats"],
        "calls --json": [*flag, "calls", "--json"],
        "auth status (flag)": [*flag, "auth", "status"],
    }.items():
        outputs[name] = cli(capsys, *args)
    outputs["auth login"] = cli(
        capsys, "--base-url", live_sandbox.base_url, "auth", "login", "--token-stdin",
        stdin=TOKEN + "\n",
    )  # fmt: skip
    outputs["auth status (file)"] = cli(capsys, "auth", "status")
    outputs["chat --print (file)"] = cli(capsys, "chat", FAILING_CHAT_ID, "--print")
    monkeypatch.setenv("ROARK_API_BEARER_TOKEN", TOKEN)
    outputs["auth status (env)"] = cli(capsys, "auth", "status")
    outputs["auth logout (env)"] = cli(capsys, "auth", "logout")
    monkeypatch.delenv("ROARK_API_BEARER_TOKEN")
    live_sandbox.state.faults.revoke_token()
    outputs["chat --print (revoked)"] = cli(capsys, *flag, "chat", FAILING_CHAT_ID, "--print")
    outputs["auth status (revoked)"] = cli(capsys, *flag, "auth", "status")
    live_sandbox.reset()

    def echo(handler: Any) -> None:
        body = f'{{"message": "denied for {handler.headers.get("Authorization")}"}}'.encode()
        handler.send_response(500 if handler.path.startswith("/v1/chat") else 401)
        handler.send_header("content-type", "application/json")
        handler.send_header("content-length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    with plain_server(echo) as (echo_url, seen):
        echo_flag = ["--base-url", echo_url, "--token", TOKEN]
        # No retries against this server: a 500 is answered at once (no real backoff waits).
        monkeypatch.setitem(RoarkService.__init__.__kwdefaults__, "max_retries", 0)
        outputs["chat --json (500 echo)"] = cli(capsys, *echo_flag, "chat", "x1", "--json")
        outputs["chat --print (500 echo)"] = cli(capsys, *echo_flag, "chat", "x1", "--print")
        outputs["auth login (401 echo)"] = cli(
            capsys, *echo_flag, "auth", "login", "--token-stdin", stdin=TOKEN
        )
    assert seen and all(TOKEN in h["Authorization"] for _, _, h in seen)
    outputs["auth logout (file)"] = cli(capsys, "auth", "logout")

    leaks = [name for name, (_, text) in outputs.items() if TOKEN in text]
    assert leaks == []
    assert outputs["auth status (file)"][0] == EXIT_OK
    assert "••••" + TOKEN[-4:] in outputs["auth status (file)"][1]
    assert outputs["chat --print (revoked)"][0] == EXIT_AUTH
    assert "denied for" in outputs["chat --print (500 echo)"][1]  # the echo reached the user


def test_token_file_is_private_and_the_only_file_with_the_token(
    live_sandbox: LiveSandbox, capsys: pytest.CaptureFixture[str], isolated_dirs: Path
) -> None:
    code, said = cli(
        capsys, "--base-url", live_sandbox.base_url, "auth", "login", "--token-stdin",
        stdin=TOKEN,
    )  # fmt: skip
    assert code == EXIT_OK, said
    store = TokenStore()
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    cli(capsys, "chat", FAILING_CHAT_ID, "--print")  # uses it, writes history? never the token
    holders = [
        p
        for root in (config_dir(), state_dir())
        if root.exists()
        for p in root.rglob("*")
        if p.is_file() and TOKEN.encode() in p.read_bytes()
    ]
    assert holders == [store.path]
    assert TOKEN not in repr(store) and TOKEN not in repr(store.get("default"))
    settings = resolve_settings(type("Args", (), {})())
    assert settings.token == TOKEN and TOKEN not in repr(settings)


class Recorder(httpx.AsyncBaseTransport):
    """Records what would leave; answers 200 {} (never touches the network)."""

    def __init__(self) -> None:
        self.sent: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return httpx.Response(200, json={"data": {"tokenScope": "PROJECT"}})


@pytest.mark.parametrize(
    "base_url", ["http://api.roark.example", "http://10.0.0.5:8080", "http://[2001:db8::1]"]
)
async def test_plain_http_to_another_host_is_refused_before_sending(base_url: str) -> None:
    recorder = Recorder()
    service = RoarkService(base_url=base_url, token=TOKEN, transport=recorder)
    with pytest.raises(errors.InsecureTransport) as caught:
        await service.whoami()
    assert recorder.sent == []
    said = str(caught.value)
    assert "Refusing to send the token over plain http" in said and "--insecure" in said
    assert TOKEN not in said
    allowed = RoarkService(base_url=base_url, token=TOKEN, transport=recorder, allow_insecure=True)
    await allowed.whoami()
    assert len(recorder.sent) == 1 and recorder.sent[0].headers["authorization"].endswith(TOKEN)
    for loopback in ("http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9"):
        await RoarkService(base_url=loopback, token=TOKEN, transport=recorder).whoami()
    assert len(recorder.sent) == 4


def test_cli_refuses_plain_http_unless_insecure(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[httpx.Request] = []

    def no_network(self: Any, request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"data": []})

    async def no_network_async(self: Any, request: httpx.Request) -> httpx.Response:
        return no_network(self, request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", no_network)
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", no_network_async)
    args = ["--base-url", "http://api.roark.example", "--token", TOKEN, "chat", "c1", "--json"]
    code, said = cli(capsys, *args)
    assert code == EXIT_USAGE and sent == []
    assert said.count("\n") == 1 and "plain http to api.roark.example" in said
    assert "--insecure" in said and TOKEN not in said
    code, said = cli(capsys, "--insecure", *args)
    assert code == EXIT_OK, said
    assert len(sent) == 1 and sent[0].url.host == "api.roark.example"


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_redirects_to_another_host_are_not_followed(status: int) -> None:
    def redirect(handler: Any) -> None:
        handler.send_response(status)
        handler.send_header("Location", f"http://collector.example/steal?token={TOKEN}")
        handler.send_header("content-length", "0")
        handler.end_headers()

    with plain_server(redirect) as (base_url, seen):
        recorder = Recording(httpx.AsyncHTTPTransport())
        service = RoarkService(base_url=base_url, token=TOKEN, transport=recorder)
        with pytest.raises(errors.ApiError) as caught:
            await service.whoami()
        await service.aclose()
    assert [r.url.host for r in recorder.sent] == ["127.0.0.1"]
    assert len(seen) == 1
    said = str(caught.value)
    assert "not followed" in said and TOKEN not in said


class Recording(httpx.AsyncBaseTransport):
    """Every request that leaves, then the real transport."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.sent: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
