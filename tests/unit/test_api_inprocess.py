"""InProcessTransport: `--demo`'s sandbox answering both clients in the calling thread, with no
event loop for the blocking one."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from roark_tui.api import errors
from roark_tui.api.blocking import BlockingRoarkService
from roark_tui.api.inprocess import InProcessTransport
from roark_tui.api.service import RoarkService
from roark_tui.sandbox import Fault, SandboxConfig, create_app
from roark_tui.sandbox.demo_ids import DEMO_TOKEN, FAILING_CHAT_ID

BASE = "http://sandbox.local"
AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}


def client(app: Any) -> httpx.Client:
    return httpx.Client(transport=InProcessTransport(app), base_url=BASE, headers=AUTH)


def test_the_blocking_client_reads_the_sandbox() -> None:
    app = create_app(SandboxConfig())
    with BlockingRoarkService(
        base_url=BASE, token=DEMO_TOKEN, transport=InProcessTransport(app), allow_insecure=True
    ) as service:
        assert service.whoami().describe() == "org Lumen Demo Co, project Support agents (sandbox)"
        body = service.get_json(f"/v1/chat/{FAILING_CHAT_ID}/metrics", {"status": "all"})
    assert body.startswith(b'{"data":[')
    assert app.state.sandbox.request_log[-1] == ("GET", f"/v1/chat/{FAILING_CHAT_ID}/metrics")


async def test_the_async_client_reads_the_sandbox() -> None:
    service = RoarkService(
        base_url=BASE,
        token=DEMO_TOKEN,
        transport=InProcessTransport(create_app(SandboxConfig())),
        allow_insecure=True,
    )
    async with service:
        groups = await service.chat_metrics(FAILING_CHAT_ID, status="all")
    assert groups and all(group.values for group in groups)


def test_query_escaped_path_headers_and_body_reach_the_app() -> None:
    app = create_app(SandboxConfig())
    with client(app) as http:
        page = http.get("/v1/chat", params={"limit": "2", "sortDirection": "asc"})
        assert page.status_code == 200 and len(page.json()["data"]) == 2
        missing = http.get("/v1/chat/a%20b")
        assert missing.status_code == 404 and "'a b'" in missing.json()["message"]
        refused = http.get("/v1/me", headers={"Authorization": "Bearer wrong"})
        assert refused.status_code == 401
        bad = http.post("/v1/metric/definitions", content=b"{not json")
        assert bad.status_code == 400 and bad.json()["code"] == "invalid_json"
        assert bad.headers["content-type"] == "application/json"
    assert app.state.sandbox.post_counts[("/v1/metric/definitions", "{not json")] == 1


def test_a_dropped_connection_is_a_network_error() -> None:
    app = create_app(SandboxConfig(faults=(Fault("drop", path="/v1/me"),)))
    service = BlockingRoarkService(
        base_url=BASE,
        token=DEMO_TOKEN,
        transport=InProcessTransport(app),
        allow_insecure=True,
        max_retries=0,
    )
    with service, pytest.raises(errors.NetworkError):
        service.whoami()


async def test_an_app_that_waits_is_awaited_by_an_async_client() -> None:
    app = create_app(SandboxConfig(faults=(Fault("latency", delay=0.01),)))
    transport = InProcessTransport(app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=AUTH) as http:
        assert (await http.get("/v1/me")).status_code == 200


def test_an_app_that_waits_says_a_blocking_client_needs_an_event_loop() -> None:
    async def waits(scope: Any, receive: Any, send: Any) -> None:
        await Yields()

    http = httpx.Client(transport=InProcessTransport(waits), base_url=BASE)
    with http, pytest.raises(RuntimeError, match="needs an event loop"):
        http.get("/v1/me")


class Yields:
    """What an awaited future does while it is pending: hand control to the event loop."""

    def __await__(self) -> Any:
        yield "a pending future"
