"""A hostile server on loopback: a bare HTTP server (not the sandbox) answering bytes no honest
API sends. Whatever it sends never reaches the terminal raw and never crashes a command:
escape sequences, C1 controls and bidi overrides in the account line, error bodies and
`Location` headers; non-string account fields; NaN, 1e999 and dates past year 9999; JSON nested
2,000 deep; a metric group that does not fit; a carriage return in a value's context. --json
stays valid JSON (a number JSON cannot spell is written as null).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rel_support import TOKEN, UNSAFE_OUTPUT, cli, plain_server

from roark_tui.api.service import RoarkService
from roark_tui.auth import TokenStore
from roark_tui.cli import main
from roark_tui.cli.common import EXIT_API, EXIT_CHECK_ERROR, EXIT_OK

# Every way a string can act on a terminal or reorder what is read, around words that must show.
HOSTILE = (
    "ada\x1b]0;owned\x07\x1b]52;c;SGk=\x07\x1b[2J\x9b31m\u202eevil\u2066x\u2069\x1b[201~\r\nroot"
)
SHOWN = "adaevilx"  # what a person reads of it, once cleaned
# In a header: bidi overrides and isolates (httpx itself refuses a control character there).
IN_HEADER = "\u202eevil\u2066x\u2069"
DEEP = b"[" * 2000 + b"]" * 2000
NOT_FOUND = (404, b'{"message": "no such thing"}', {})


class Canned:
    """The server's answers: path (query left out) -> (status, body, headers); else a 404.
    Header values go out as raw UTF-8 bytes, as a hostile server may send them."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes, dict[str, str]]] = {}

    def json(self, path: str, document: Any, status: int = 200) -> None:
        self.routes[path] = (status, json.dumps(document).encode(), {})

    def __call__(self, handler: Any) -> None:
        status, body, headers = self.routes.get(handler.path.split("?")[0], NOT_FOUND)
        handler.send_response(status)
        for name, value in {"content-type": "application/json", **headers}.items():
            handler.send_header(name, value.encode().decode("latin-1"))
        handler.send_header("content-length", str(len(body)))
        # A client that has read enough may hang up first: not this server's business to say.
        with contextlib.suppress(ConnectionError):
            handler.end_headers()
            handler.wfile.write(body)


@pytest.fixture(scope="module")
def listening() -> Iterator[tuple[str, Canned]]:
    """One server for the module (stopping one takes half a second); answers set per test."""
    canned = Canned()
    with plain_server(canned) as (url, _):
        yield url, canned


@pytest.fixture
def server(
    listening: tuple[str, Canned], monkeypatch: pytest.MonkeyPatch
) -> tuple[list[str], Canned]:
    """(the flags that point a command at the server, its answers). No retries: an error is
    answered at once."""
    url, canned = listening
    canned.routes.clear()
    canned.json("/v1/metric/definitions", {"data": [], "pagination": {"hasMore": False}})
    monkeypatch.setitem(RoarkService.__init__.__kwdefaults__, "max_retries", 0)
    return ["--base-url", url, "--token", TOKEN], canned


def assert_inert(said: str) -> None:
    unsafe = UNSAFE_OUTPUT.search(said)
    assert unsafe is None, f"{unsafe.group()!r} reached the terminal: {said!r}"
    assert "Traceback" not in said


def metrics(*groups: dict[str, Any]) -> dict[str, Any]:
    return {"data": list(groups)}


def group(ident: Any, name: str, *values: dict[str, Any]) -> dict[str, Any]:
    return {"metricDefinitionId": ident, "name": name, "type": "NUMERIC", "values": list(values)}


# --- 1: the account line ------------------------------------------------------------------------


@pytest.mark.parametrize("odd", [HOSTILE, 5, True, ["a@b.c"]], ids=["escapes", "5", "true", "list"])
def test_the_account_line_is_clean_and_read_tolerantly(
    server: tuple[list[str], Canned],
    capsys: pytest.CaptureFixture[str],
    isolated_dirs: Path,
    odd: Any,
) -> None:
    flags, canned = server
    me = {"user": {"email": odd, "name": odd}, "organization": {"name": odd}, "tokenScope": odd}
    canned.json("/v1/me", {"data": me})
    status = cli(capsys, *flags, "auth", "status")
    login = cli(capsys, "--base-url", flags[1], "auth", "login", "--token-stdin", stdin=TOKEN)
    for code, said in (status, login):
        assert code == EXIT_OK, said
        assert_inert(said)
        if odd == HOSTILE:
            assert f"{SHOWN} root, org {SHOWN} root" in said, said
    stored = TokenStore().get("default")
    assert stored is not None and stored.token == TOKEN


def test_a_login_whose_check_fails_saves_nothing(
    server: tuple[list[str], Canned], capsys: pytest.CaptureFixture[str]
) -> None:
    flags, canned = server
    canned.json("/v1/me", {"data": [HOSTILE]})
    code, said = cli(capsys, "--base-url", flags[1], "auth", "login", "--token-stdin", stdin=TOKEN)
    assert code == EXIT_API and "could not be read" in said
    assert_inert(said)
    assert not TokenStore().path.exists()


# --- 2: error bodies, redirects, --check headers --------------------------------------------------


def test_error_bodies_and_redirects_reach_stderr_clean(
    server: tuple[list[str], Canned], capsys: pytest.CaptureFixture[str]
) -> None:
    flags, canned = server
    canned.json("/v1/chat/c1/metrics", {"type": "bad", "message": HOSTILE}, status=400)
    canned.routes["/v1/chat/c2/metrics"] = (302, b"", {"location": f"http://x/{IN_HEADER}"})
    page = f"<html><title>502 {HOSTILE}</title></html>".encode()
    canned.routes["/v1/chat"] = (502, page, {"content-type": "text/html"})
    for args in (["chat", "c1", "--print"], ["chat", "c2", "--json"], ["chats"]):
        code, said = cli(capsys, *flags, *args)
        assert code != EXIT_OK and "evilx" in said, (args, said)
        assert_inert(said)


def test_a_carriage_return_in_a_context_stays_on_its_line(
    server: tuple[list[str], Canned], capsys: pytest.CaptureFixture[str]
) -> None:
    flags, canned = server
    check = {"id": "m1", "slug": "fast", "calculationType": "THRESHOLD", "type": "BOOLEAN"}
    canned.json("/v1/metric/definitions", {"data": [check], "pagination": {"hasMore": False}})
    errored = {"captureStatus": "ERROR", "errorMessage": "judge down", "context": "CALL\rFAKE OK"}
    canned.json("/v1/chat/c1/metrics", metrics(group("m1", "Latency", errored)))
    code, said = cli(capsys, *flags, "chat", "c1", "--check", "--print")
    assert code == EXIT_CHECK_ERROR, said
    assert_inert(said)
    assert not [line for line in said.splitlines() if line.startswith("FAKE")], said


# --- 3: numbers and dates no formatter can show ---------------------------------------------------


def test_numbers_and_dates_out_of_range_are_said_so(
    server: tuple[list[str], Canned], capsys: pytest.CaptureFixture[str]
) -> None:
    flags, canned = server
    odd = [
        {"id": "a1", "durationMs": "1e999", "startTimestamp": "9999-12-31T23:59:59-23:59"},
        {"id": "a2", "durationMs": "NaN", "startTimestamp": "9999-12-31T23:59:59Z"},
        {"id": "a3", "durationMs": 1e300, "startTimestamp": "0001-01-01T00:00:00+23:59"},
        {"id": "a4", "durationMs": -1e20, "startTimestamp": "soon"},
    ]
    body = json.dumps({"data": odd}).replace('"1e999"', "1e999").replace('"NaN"', "NaN")
    canned.routes["/v1/chat"] = (200, body.encode(), {})
    calls = body.replace("startTimestamp", "startedAt")
    canned.routes["/v1/call"] = (200, calls.encode(), {})
    for kind in ("chats", "calls"):
        code, said = cli(capsys, *flags, kind)
        assert code == EXIT_OK, said
        assert_inert(said)
        rows = [line for line in said.splitlines() if line.startswith("a")]
        assert len(rows) == 4, said
        assert "—" in rows[0] and "—" in rows[1] and "out of range" in rows[2], said
        assert "9999-12-31 23:59" in rows[1], said


# --- 4: JSON nested past reading ------------------------------------------------------------------


def test_json_nested_two_thousand_deep_is_one_sentence(
    server: tuple[list[str], Canned], capsys: pytest.CaptureFixture[str]
) -> None:
    flags, canned = server
    for path in ("/v1/me", "/v1/chat/c1/metrics", "/v1/chat", "/v1/metric/definitions"):
        canned.routes[path] = (400, DEEP, {})
    for args in (
        ["auth", "status"],
        ["chat", "c1", "--print"],
        ["chat", "c1", "--json"],
        ["chats"],
        ["definitions", "--print"],
    ):
        code, said = cli(capsys, *flags, *args)
        assert code == EXIT_API, (args, said)
        assert len(said.strip().splitlines()) <= 5 and "[[[[" not in said, (args, said)
    deep_value = b'{"data": [{"metricDefinitionId": "m", "values": [{"value": ' + DEEP + b"}]}]}"
    canned.routes["/v1/chat/c1/metrics"] = (200, deep_value, {})
    canned.routes["/v1/chat"] = (200, b'{"data": [{"id": "a", "title": ' + DEEP + b"}]}", {})
    for args in (["chat", "c1", "--json"], ["chats", "--json"]):
        code, said = cli(capsys, *flags, *args)
        assert code == EXIT_API and "nested deeper than can be read" in said, (args, said)


def test_the_gate_records_an_unreadable_answer_as_that_ids_error(
    server: tuple[list[str], Canned], capsys: pytest.CaptureFixture[str]
) -> None:
    flags, canned = server
    canned.routes["/v1/chat/bad/metrics"] = (400, DEEP, {})
    canned.json("/v1/chat/good/metrics", metrics(group("m1", "Latency", {"value": 1})))
    code, said = cli(capsys, *flags, "chat", "good", "bad", "--check")
    assert code == EXIT_API, said
    lines = said.splitlines()
    assert any("good" in line and "PASS" in line for line in lines), said
    assert any("bad" in line and "APIERROR" in line for line in lines), said


# --- 5: one group that does not fit ---------------------------------------------------------------


def test_one_unreadable_metric_is_one_error_row(
    server: tuple[list[str], Canned], capsys: pytest.CaptureFixture[str]
) -> None:
    flags, canned = server
    canned.json(
        "/v1/chat/c1/metrics",
        metrics(group(None, "Broken", {"value": 1}), group("m2", "Latency", {"value": 250})),
    )
    code, said = cli(capsys, *flags, "chat", "c1", "--print")
    assert code == EXIT_OK, said
    assert "ERROR  Broken" in said and "metricDefinitionId" in said, said
    assert "Latency" in said and "250" in said, said
    code, said = cli(capsys, *flags, "chat", "c1", "--check")
    assert code == EXIT_CHECK_ERROR, said


# --- 6: --json is JSON ----------------------------------------------------------------------------


def refuse_constant(name: str) -> None:
    raise AssertionError(f"{name} is not JSON")


def test_json_output_is_valid_json(
    server: tuple[list[str], Canned], capsys: pytest.CaptureFixture[str]
) -> None:
    flags, canned = server
    values = b'[{"value": NaN}, {"value": Infinity}, {"value": -Infinity}, {"value": 1e999}]'
    body = b'{"data": [{"metricDefinitionId": "m", "name": "x", "values": ' + values + b"}]}"
    canned.routes["/v1/chat/c1/metrics"] = (200, body, {})
    canned.routes["/v1/chat"] = (200, b'{"data": [{"id": "a", "durationMs": NaN}]}', {})
    for args in (
        ["chat", "c1", "--json"],
        ["chat", "c1", "--check", "--json"],
        ["chats", "--json"],
    ):
        code = main([*flags, *args])
        said = capsys.readouterr().out
        assert code == EXIT_OK, (args, said)
        assert json.loads(said, parse_constant=refuse_constant), (args, said)
        assert "null" in said, (args, said)


# --- the screens: lookup, metrics header, transcript, error state, copy ---------------------------

PASTE_TRAP = "m1\x1b[201~\recho pwned\x1b[200~"  # ends a bracketed paste, then runs a command


async def test_the_screens_show_odd_values_and_copy_clean_text(
    server: tuple[list[str], Canned],
) -> None:
    from rel_support import screen_text, settle

    from roark_tui.cli import build_app
    from roark_tui.tui.screens.metrics import MetricsScreen
    from roark_tui.tui.screens.transcript import TranscriptScreen

    flags, canned = server
    latest = [
        {"id": "c1", "title": "far future", "startTimestamp": "9999-12-31T23:59:59-23:59"},
        {"id": "c2", "title": "edge of time", "startTimestamp": "9999-12-31T23:59:59Z"},
    ]
    canned.json("/v1/chat", {"data": latest})
    canned.routes["/v1/chat/c1"] = (200, b'{"data": {"id": "c1", "durationMs": NaN}}', {})
    entry = b'{"role": "AGENT", "text": "hello", "startOffsetMs": 1e999}'
    canned.routes["/v1/chat/c1/transcript"] = (200, b'{"data": {"entries": [' + entry + b"]}}", {})
    value = {"value": 1, "segment": {"id": PASTE_TRAP, "startOffsetMs": "NaN"}}
    canned.json("/v1/chat/c1/metrics", metrics(group(PASTE_TRAP, "Latency", value)))
    canned.json("/v1/chat/c2/metrics", {"type": "bad", "message": HOSTILE}, status=400)

    app = build_app(flags)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        seen = screen_text(app)
        assert "far future" in seen and "edge of time" in seen, seen
        app.open_conversation("chat", "c1")
        await settle(pilot)
        assert isinstance(app.screen, MetricsScreen) and app.screen.groups
        seen = screen_text(app)
        assert "Latency" in seen and "lasted —" in seen, seen
        await pilot.press("down", "c")
        await settle(pilot)
        assert app.clipboard == "m1 echo pwned", app.clipboard  # inert, on one line
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, TranscriptScreen)
        assert "hello" in screen_text(app)
        await pilot.press("escape", "escape")
        app.open_conversation("chat", "c2")
        await settle(pilot)
        seen = screen_text(app)
        assert "evilx" in seen and not UNSAFE_OUTPUT.search(seen), seen
