"""The token over plain http: never to a proxy, only to loopback, and never with a base URL that
carries its own credentials or query.

Two real loopback servers: the API (answers /v1/me) and a "proxy" that records whatever reaches
it. With HTTP_PROXY, http_proxy or ALL_PROXY naming the proxy, httpx would hand a request for
the loopback API, token and all, in clear to the proxy; it must go straight to the API.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from rel_support import TOKEN, plain_server

from roark_tui.api import errors
from roark_tui.api.blocking import BlockingRoarkService
from roark_tui.api.service import RoarkService
from roark_tui.cli import main

ME = {"data": {"tokenScope": "PROJECT", "user": {"email": "me@example.test"}}}


def answer(status: int) -> Callable[[Any], None]:
    """A handler's answer: `status` with /v1/me's body."""

    def send(handler: Any) -> None:
        body = json.dumps(ME).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return send


async def whoami(base_url: str) -> None:
    service = RoarkService(base_url=base_url, token=TOKEN, max_retries=0)
    try:
        await service.whoami()
    finally:
        await service.aclose()


async def test_a_loopback_request_never_goes_through_a_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each variable in turn (a client with a proxy costs a trust store: one client each)."""
    with plain_server(answer(200)) as (api, api_saw), plain_server(answer(502)) as (proxy, saw):
        monkeypatch.setenv("HTTP_PROXY", proxy)
        await whoami(api)
        monkeypatch.delenv("HTTP_PROXY")
        monkeypatch.setenv("http_proxy", proxy)
        local = api.replace("127.0.0.1", "localhost")
        with BlockingRoarkService(base_url=local, token=TOKEN, max_retries=0) as blocking:
            blocking.whoami()
        monkeypatch.delenv("http_proxy")
        monkeypatch.setenv("ALL_PROXY", proxy)
        await whoami(api)
    assert saw == [], "the token went to the proxy"
    assert len(api_saw) == 3
    assert all(headers["Authorization"] == f"Bearer {TOKEN}" for _, _, headers in api_saw)


@pytest.mark.parametrize("name", ["localhost.localdomain", "ip6-localhost", "localhost."])
async def test_names_that_are_looked_up_are_not_loopback(name: str) -> None:
    """They resolve through /etc/hosts or DNS, which may point anywhere."""
    service = RoarkService(base_url=f"http://{name}:9", token=TOKEN, max_retries=0)
    with pytest.raises(errors.InsecureTransport, match="plain http"):
        await service.whoami()


@pytest.mark.parametrize(
    ("base", "says"),
    [
        ("https://me:hunter2@api.roark.example", "user name or password"),
        (f"https://{TOKEN}@api.roark.example", "user name or password"),
        ("http://admin@127.0.0.1:9", "user name or password"),
        (f"https://api.roark.example/?token={TOKEN}", "query string"),
        ("https://api.roark.example/v1#frag", "query string"),
    ],
)
def test_a_base_url_with_credentials_or_a_query_is_refused(
    base: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--base-url", base, "--token", TOKEN, "auth", "status"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert says in err and "Traceback" not in err
    assert TOKEN not in err and "hunter2" not in err
