"""Bounded time and memory against hostile servers on real loopback sockets: a body that never
ends, a gzip bomb, a server that drips a byte a second or says nothing, a list whose next cursor
is always new. Each ends in one sentence and a documented exit code, well within its bound.

The limits are set small through their environment variables (api/limits.py), so each case
costs about a second; the margins (a bound of 1 s, a failure only past 10 s) hold on a loaded
machine.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from typing import Any

import pytest
from rel_support import TOKEN, plain_server

from roark_tui.cli import main
from roark_tui.cli.common import EXIT_API, EXIT_NETWORK, EXIT_WAIT_TIMEOUT

CHAT = "chat-hostile-1"
METRICS = f"/v1/chat/{CHAT}/metrics"
SLOW = 10.0  # a command that takes this long has not kept its bound of about a second

Reply = Callable[[socket.socket, str, threading.Event], None]


@contextmanager
def hostile_server(reply: Reply) -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server (rel_support.plain_server) whose `reply(conn, path, stop)` writes
    raw bytes on the socket for each request; `stop` is set when the test ends, or SLOW s after
    the server starts, so a client that fails to keep its bound fails the test rather than
    hanging the suite. Yields (base URL, paths asked)."""
    stop = threading.Event()
    give_up = threading.Timer(SLOW, stop.set)
    asked: list[str] = []

    def answer(handler: Any) -> None:
        path = handler.path.split("?")[0]
        asked.append(path)
        with suppress(OSError):  # the client gave up: what these tests want
            reply(handler.connection, path, stop)

    give_up.start()
    try:
        with plain_server(answer) as (base_url, _):
            try:
                yield base_url, asked
            finally:
                stop.set()
    finally:
        give_up.cancel()


def head(status: int = 200, **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status} OK", "Content-Type: application/json", "Connection: close"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def json_reply(conn: socket.socket, document: Any) -> None:
    body = json.dumps(document).encode()
    conn.sendall(head(Content_Length=str(len(body))) + body)


def run(
    capsys: pytest.CaptureFixture[str], base_url: str, *args: str
) -> tuple[int, str, str, float]:
    start = time.monotonic()
    code = main(["--base-url", base_url, "--token", TOKEN, *args])
    took = time.monotonic() - start
    out, err = capsys.readouterr()
    return code, out, err, took


def one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


# --- size -------------------------------------------------------------------------------------


def endless_chunks(conn: socket.socket, path: str, stop: threading.Event) -> None:
    conn.sendall(head(Transfer_Encoding="chunked") + b"1\r\n[\r\n")
    chunk = b"%x\r\n%s\r\n" % (65536, b"0," * 32768)
    while not stop.is_set():
        conn.sendall(chunk)


@cache
def bomb() -> bytes:
    return gzip.compress(b" " * (16 * 1024 * 1024))  # 16 MB in about 16 KB


def gzip_bomb(conn: socket.socket, path: str, stop: threading.Event) -> None:
    body = bomb()
    conn.sendall(head(Content_Encoding="gzip", Content_Length=str(len(body))) + body)


def announced(conn: socket.socket, path: str, stop: threading.Event) -> None:
    conn.sendall(head(Content_Length=str(10**12)) + b"[")
    stop.wait()


@pytest.mark.parametrize("reply", [endless_chunks, gzip_bomb, announced])
@pytest.mark.parametrize("output", ["--json", "--print"])
def test_a_response_past_the_size_limit_is_one_sentence(
    reply: Reply, output: str, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    monkeypatch.setenv("ROARK_MAX_RESPONSE_MB", "1")
    with hostile_server(reply) as (base_url, asked):
        code, out, err, took = run(capsys, base_url, "chat", CHAT, output)
    assert code == EXIT_API and out == ""
    assert "larger than the 1 MB limit on a response (ROARK_MAX_RESPONSE_MB" in one_sentence(err)
    assert asked.count(METRICS) == 1  # a body too large is not asked for again
    assert took < SLOW


# --- time -------------------------------------------------------------------------------------


def drip_body(conn: socket.socket, path: str, stop: threading.Event) -> None:
    conn.sendall(head(Content_Length="100000"))
    while not stop.wait(0.05):  # each read is answered at once: no read timeout ever fires
        conn.sendall(b" ")


def drip_head(conn: socket.socket, path: str, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    while not stop.wait(0.05):  # a header line that never ends
        conn.sendall(b"x")


@pytest.mark.parametrize("reply", [drip_body, drip_head])
@pytest.mark.parametrize("command", [["chat", CHAT, "--json"], ["auth", "status"]])
def test_a_dripping_server_meets_the_request_deadline(
    reply: Reply, command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    monkeypatch.setenv("ROARK_REQUEST_DEADLINE", "0.5")
    with hostile_server(reply) as (base_url, _):
        code, _out, err, took = run(capsys, base_url, *command)
    assert code != 0
    assert "did not finish answering within 0.5 s (ROARK_REQUEST_DEADLINE" in err
    assert "Traceback" not in err
    assert took < SLOW


def test_the_async_client_meets_the_request_deadline(
    capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    monkeypatch.setenv("ROARK_REQUEST_DEADLINE", "0.5")
    with hostile_server(drip_body) as (base_url, _):
        code, out, err, took = run(capsys, base_url, "chat", CHAT, "--print")
    assert code == EXIT_NETWORK and out == ""
    assert "did not finish answering within 0.5 s" in one_sentence(err)
    assert took < SLOW


def silent(conn: socket.socket, path: str, stop: threading.Event) -> None:
    stop.wait()


@pytest.mark.parametrize("wait", [["--wait"], []])
def test_timeout_bounds_the_whole_gate_and_nothing_arrived_is_no_pass(
    wait: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with hostile_server(silent) as (base_url, asked):
        code, out, err, took = run(
            capsys, base_url, "chat", CHAT, "--check", "--timeout", "0.5", *wait
        )
    assert code == EXIT_WAIT_TIMEOUT, (out, err)
    assert "none failed" not in out and "PASS" not in out
    assert took < SLOW
    assert "/v1/metric/definitions" in asked[0]  # the definitions' load was bounded too
    if wait:
        assert "no metrics arrived, so nothing was judged; --wait timed out" in out
    else:
        assert "no answer before --timeout (0.5 s) ran out" in out


# --- lists ------------------------------------------------------------------------------------


def endless_pages(conn: socket.socket, path: str, stop: threading.Event) -> None:
    if path.startswith("/v1/metric/definitions"):
        more = not stop.is_set()
        page = {"data": [], "pagination": {"hasMore": more, "nextCursor": f"c{time.time_ns()}"}}
        json_reply(conn, page)
    else:
        json_reply(conn, {"data": []})


@pytest.mark.parametrize(
    "command", [["definitions", "--print"], ["chat", CHAT, "--print"], ["chat", CHAT, "--check"]]
)
def test_a_list_that_never_ends_stops_at_the_page_limit(
    command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    monkeypatch.setenv("ROARK_MAX_PAGES", "5")
    with hostile_server(endless_pages) as (base_url, asked):
        code, _out, err, took = run(capsys, base_url, *command)
    assert "still had more after 5 pages" in err and "ROARK_MAX_PAGES" in err
    assert sum(p.startswith("/v1/metric/definitions") for p in asked) == 5
    if command[0] == "definitions":
        assert code == EXIT_API
    assert took < SLOW
