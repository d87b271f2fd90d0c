"""An httpx transport that answers from an ASGI app in the calling thread: `--demo`'s sandbox.

httpx's own ASGITransport runs the app under an event loop through anyio, so a blocking client
cannot use it and an async one pays for anyio on the way. An app that awaits nothing of its own
(the sandbox: its handlers are plain functions of a request read in full) runs to its end in one
step of its coroutine, which is all a blocking client's request does here; an async client's
awaits the app, so a sandbox's latency knob still waits.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import unquote

import httpx

ASGIApp = Callable[..., Awaitable[None]]


class InProcessTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Send each request to `app` (ASGI 3) in this thread; its exceptions reach the caller."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """One step of the app's coroutine: it must finish without waiting on anything."""
        exchange = _Exchange(request, request.read())
        step = self._app(exchange.scope, exchange.receive, exchange.send).__await__()
        try:
            waited = next(step)
        except StopIteration:
            return exchange.response()
        step.close()
        raise RuntimeError(f"the in-process app waited on {waited!r}: it needs an event loop")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        exchange = _Exchange(request, await request.aread())
        await self._app(exchange.scope, exchange.receive, exchange.send)
        return exchange.response()


class _Exchange:
    """One request as the app sees it (scope, receive) and its answer as it is sent."""

    def __init__(self, request: httpx.Request, body: bytes) -> None:
        url = request.url
        self.scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": url.scheme,
            "path": unquote(url.path),
            "raw_path": url.raw_path.split(b"?")[0],
            "query_string": url.query,
            "root_path": "",
            "headers": [(k.lower(), v) for k, v in request.headers.raw],
            "server": (url.host, url.port),
            "client": ("127.0.0.1", 0),
        }
        self._body = body
        self._start: MutableMapping[str, Any] = {}
        self._chunks: list[bytes] = []

    async def receive(self) -> dict[str, Any]:
        return {"type": "http.request", "body": self._body, "more_body": False}

    async def send(self, message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self._start.update(message)
        elif message["type"] == "http.response.body":
            self._chunks.append(message.get("body", b""))

    def response(self) -> httpx.Response:
        return httpx.Response(
            self._start["status"],
            headers=self._start.get("headers", []),
            content=b"".join(self._chunks),
        )
