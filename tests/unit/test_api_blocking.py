"""BlockingRoarkService, the client of one-shot commands, behaves as RoarkService does: the same
requests, retries, waits and errors for the same answers (both are a ServiceBase), no token in
any repr or message, and plain http refused before anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from roark_tui.api import errors
from roark_tui.api import transport as transport_module
from roark_tui.api.account import Me
from roark_tui.api.blocking import BlockingRoarkService
from roark_tui.api.service import RoarkService
from roark_tui.cli import common
from roark_tui.config import Settings

TOKEN = "blocking-secret-token-7788"
BASE = "http://127.0.0.1:9"
ME = {"data": {"tokenScope": "PROJECT", "organization": {"name": "Acme"}, "futureField": 1}}

Answer = Callable[[httpx.Request], httpx.Response]


def answers(*steps: Answer) -> Callable[[httpx.Request], httpx.Response]:
    """A handler giving `steps` in turn, the last one from then on."""
    left = list(steps)

    def handle(request: httpx.Request) -> httpx.Response:
        return (left.pop(0) if len(left) > 1 else left[0])(request)

    return handle


def status(code: int, body: Any = None, **headers: str) -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        if isinstance(body, bytes):
            return httpx.Response(code, content=body, headers=headers)
        return httpx.Response(code, json=body if body is not None else {}, headers=headers)

    return answer


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno 111] Connection refused", request=request)


def timed_out(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


CASES: dict[str, tuple[Answer, ...]] = {
    "ok": (status(200, ME),),
    "503 then ok": (status(503), status(503), status(200, ME)),
    "429 with retry-after": (status(429, {"message": "slow down"}, **{"retry-after": "1.5"}),),
    "401": (status(401, {"type": "authentication", "message": f"bad token {TOKEN}"}),),
    "403": (status(403, {"type": "forbidden", "message": "not yours"}),),
    "404": (status(404, {"message": "no such thing"}),),
    "500 html": (status(500, b"<html><title>500 Oops</title></html>"),),
    "redirect": (status(302, b"", location=f"http://elsewhere.example/?t={TOKEN}"),),
    "truncated": (status(200, b'{"data": {"tokenSc'),),
    "wrong shape": (status(200, {"data": ["not", "an", "account"]}),),
    "refused": (refused,),
    "timeout then ok": (timed_out, status(200, ME)),
    "timeouts": (timed_out,),
}


def outcome(
    client: type[RoarkService] | type[BlockingRoarkService], steps: tuple[Answer, ...]
) -> tuple[object, list[tuple[str, str]], list[float]]:
    """(what whoami gave: the account or the error, the requests sent, the waits slept)."""
    import asyncio

    sent: list[tuple[str, str]] = []
    slept: list[float] = []
    handle = answers(*steps)

    def record(request: httpx.Request) -> httpx.Response:
        sent.append((request.method, str(request.url)))
        return handle(request)

    async def async_sleep(delay: float) -> None:
        slept.append(delay)

    blocking = client is BlockingRoarkService
    service = client(
        base_url=BASE,
        token=TOKEN,
        project_id="proj-1",
        transport=httpx.MockTransport(record),
        sleep=slept.append if blocking else async_sleep,
    )
    try:
        me = service.whoami() if blocking else asyncio.run(service.whoami())  # type: ignore[arg-type]
        got: object = {name: getattr(me, name) for name in Me.__slots__}
    except errors.ApiError as exc:
        got = (type(exc), str(exc), vars(exc))
    return got, sent, slept


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_both_clients_give_the_same_outcome(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport_module.random, "random", lambda: 0.5)  # the same jitter for both
    blocking = outcome(BlockingRoarkService, CASES[case])
    assert blocking == outcome(RoarkService, CASES[case])
    got, sent, slept = blocking
    assert sent and all(s == ("GET", f"{BASE}/v1/me") for s in sent)
    assert TOKEN not in repr(got)
    if case == "503 then ok":
        assert len(sent) == 3 and slept == [0.5 * 0.875, 1.0 * 0.875]
    if case == "429 with retry-after":
        assert len(sent) == 3 and slept == [1.5, 1.5]


def test_the_request_carries_the_token_and_project_and_the_close_is_safe() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=ME)

    transport = httpx.MockTransport(handle)
    with BlockingRoarkService(
        base_url=BASE + "/", token=TOKEN, project_id=" proj-1 ", transport=transport
    ) as service:
        me = service.whoami()
        assert TOKEN not in repr(service) and "token=set" in repr(service)
    service.close()
    assert me.describe() == "org Acme" and me.token_scope == "PROJECT"
    headers = seen[0].headers
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["x-roark-project-id"] == "proj-1"
    assert headers["user-agent"].startswith("roark-tui/")


def test_plain_http_to_another_host_is_refused_before_sending() -> None:
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(200))
    service = BlockingRoarkService(
        base_url="http://api.roark.example", token=TOKEN, transport=transport
    )
    with pytest.raises(errors.InsecureTransport) as caught:
        service.whoami()
    assert sent == [] and TOKEN not in str(caught.value)


def test_the_cli_builds_it_from_the_settings() -> None:
    service = common.make_blocking_service(
        Settings(base_url="https://api.example", token=TOKEN, project_id="p", insecure=True)
    )
    assert isinstance(service, BlockingRoarkService)
    assert (service.base_url, service.project_id) == ("https://api.example", "p")
    with pytest.raises(common.MissingToken):
        common.make_blocking_service(Settings(base_url="https://api.example"))
    with common.make_blocking_service(Settings(demo=True)) as demo:  # the in-process sandbox
        assert demo.whoami().describe() == "org Lumen Demo Co, project Support agents (sandbox)"
