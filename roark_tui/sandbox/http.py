"""The little of HTTP the sandbox needs, on plain ASGI: requests, responses and a route table.

A web framework would cost every `--demo` command its import (Starlette and anyio, with
asyncio: a large share of `--demo chat <id> --json`) for fifteen routes and JSON
answers. Handlers are plain functions of a `Request` whose body is already read, so the app
awaits nothing of its own: only the fault knobs (a latency) ever wait, and without them a request
runs to its end in one step, with or without an event loop.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def header(scope: Scope, name: bytes) -> str | None:
    """The last value of request header `name` (lower case), as text."""
    found = None
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            found = value
    return None if found is None else found.decode("latin-1")


async def read_body(receive: Receive) -> bytes:
    """The whole request body."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class Request:
    """What a handler reads: the method, the path and its parameters, the query and the body,
    and `state`, the app's own (the sandbox's running state)."""

    __slots__ = ("body", "method", "path", "path_params", "query_params", "state")

    def __init__(self, scope: Scope, body: bytes, path_params: dict[str, str], state: Any) -> None:
        self.state = state
        self.method: str = scope["method"]
        self.path: str = scope["path"]
        self.path_params = path_params
        query = scope.get("query_string", b"").decode("latin-1")
        # the last of repeated parameters wins, as in most servers
        self.query_params: dict[str, str] = dict(parse_qsl(query, keep_blank_values=True))
        self.body = body


class Response:
    """A whole answer: status, body and headers, sent in one piece."""

    __slots__ = ("body", "headers", "status")

    def __init__(
        self,
        body: bytes | str,
        status: int = 200,
        *,
        media_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.body = body.encode() if isinstance(body, str) else body
        self.status = status
        if media_type.startswith("text/"):
            media_type += "; charset=utf-8"
        self.headers = [
            (b"content-length", str(len(self.body)).encode()),
            (b"content-type", media_type.encode()),
        ]
        for name, value in (headers or {}).items():
            self.headers.append((name.lower().encode("latin-1"), value.encode("latin-1")))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body})


Handler = Callable[[Request], Response]


class Route:
    """`path` with `{name}` segments, answered by `handler` for `methods` (GET also answers
    HEAD)."""

    __slots__ = ("handler", "methods", "pattern")

    def __init__(self, path: str, handler: Handler, methods: Iterable[str] = ("GET",)) -> None:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path)
        self.pattern = re.compile(f"^{regex}$")
        self.handler = handler
        self.methods = frozenset(methods) | ({"HEAD"} if "GET" in methods else set())


class NoRoute(Exception):
    """No route has this path, or none of those that have it takes this method."""

    def __init__(self, allowed: frozenset[str]) -> None:
        super().__init__()
        self.allowed = allowed


def route(routes: Iterable[Route], method: str, path: str) -> tuple[Handler, dict[str, str]]:
    """The handler of `method` on `path` and the path's parameters; NoRoute if there is none
    (`allowed` names the methods the path takes, empty when no route has it)."""
    allowed: frozenset[str] = frozenset()
    for candidate in routes:
        match = candidate.pattern.match(path)
        if match is None:
            continue
        if method in candidate.methods:
            return candidate.handler, match.groupdict()
        allowed |= candidate.methods
    raise NoRoute(allowed)


async def lifespan(receive: Receive, send: Send) -> None:
    """Answer a server's start-up and shut-down messages: the sandbox has nothing to set up."""
    while True:
        message = await receive()
        kind = message["type"]
        if kind == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif kind == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
