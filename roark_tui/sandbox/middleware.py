"""The sandbox's front door (pure ASGI): records each request, applies the fault knobs, checks
the bearer token and the project header, and only then lets the request reach the routes.

Order: record (request_log, and post_counts for every POST that arrives, whatever happens to
it next) -> latency -> a fault rule or the random 5xx share -> 401 without a valid token (not
for /health) -> 400 for an empty X-Roark-Project-Id -> the route. The admin endpoints under
/_sandbox/ skip all of it except authentication (with the configured token even after a
revocation, so a test can restore it).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from roark_tui.sandbox.faults import Fault
from roark_tui.sandbox.http import (
    ASGIApp,
    Message,
    Receive,
    Response,
    Scope,
    Send,
    header,
    read_body,
)
from roark_tui.sandbox.problems import Problem
from roark_tui.sandbox.state import SandboxState

ADMIN_PREFIX = "/_sandbox/"
OPEN_PATHS = frozenset({"/health"})
BODY_FAULTS = frozenset({"truncate", "wrong_shape", "extra_fields", "drop"})

HTML_PAGE = """<!DOCTYPE html>
<html><head><title>{status} {reason}</title></head>
<body><center><h1>{status} {reason}</h1></center>
<hr><center>nginx/1.25.3</center>
<p>The upstream server did not answer in time. Request ID: 7f3a9c2e51b04d88</p>
</body></html>
"""
REASONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
    429: "Too Many Requests",
    404: "Not Found",
    401: "Unauthorized",
    403: "Forbidden",
}

# Unknown values a newer API might send in enum fields (the extra_fields fault).
FUTURE_ENUMS = {
    "type": "DURATION",
    "scope": "PER_TURN",
    "context": "TURN",
    "calculationType": "RULE_ENGINE",
    "captureStatus": "PARTIAL",
    "verdict": "UNCERTAIN",
    "participantRole": "supervisor",
    "callDirection": "INTERNAL",
    "status": "ARCHIVED",
    "endedStatus": "AGENT_HANDED_OFF",
    "role": "SUPERVISOR",
}
FUTURE_FIELD = "xRoarkPreview"


class SandboxMiddleware:
    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = self.state
        method: str = scope["method"]
        path: str = scope["path"]
        if path.startswith(ADMIN_PREFIX):
            if not state.token_ok(header(scope, b"authorization"), admin=True):
                await _unauthorized().response()(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return

        body = None
        if method in ("POST", "PUT", "PATCH"):
            body, receive = await _buffer(receive)
        state.record(method, path, body)

        faults = state.faults
        fault = faults.take(method, path)
        delay = faults.latency + (fault.delay if fault and fault.kind == "latency" else 0.0)
        if delay > 0:
            import asyncio  # only a latency knob waits: without one, no event loop is needed

            await asyncio.sleep(delay)
        if fault is not None and fault.kind in ("status", "rate_limit", "html"):
            await _fault_response(fault)(scope, receive, send)
            return
        random_status = faults.random_error()
        if random_status is not None:
            await Problem(random_status).response()(scope, receive, send)
            return
        if path not in OPEN_PATHS and not state.token_ok(header(scope, b"authorization")):
            await _unauthorized().response()(scope, receive, send)
            return
        project = header(scope, b"x-roark-project-id")
        if project is not None and not project.strip():
            problem = Problem(
                400,
                "X-Roark-Project-Id must not be empty: name a project or leave the header out",
                parameter="X-Roark-Project-Id",
                code="invalid_project_header",
            )
            await problem.response()(scope, receive, send)
            return
        if fault is not None and fault.kind in BODY_FAULTS:
            await _mangled(self.app, fault, scope, receive, send)
            return
        await self.app(scope, receive, send)


def _unauthorized() -> Problem:
    return Problem(
        401,
        "Missing or invalid API key: send Authorization: Bearer <token>",
        code="invalid_api_key",
    )


async def _buffer(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole request body and give back a receive that replays it."""
    body = await read_body(receive)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


def _fault_response(fault: Fault) -> Response:
    status = fault.status or 500
    if fault.kind == "html":
        page = HTML_PAGE.format(status=status, reason=REASONS.get(status, "Error"))
        return Response(page, status, media_type="text/html")
    if fault.kind == "rate_limit":
        wait = f"{fault.retry_after:g}"
        return Problem(429, headers={"Retry-After": wait}).response()
    return Problem(status).response()


async def _mangled(app: ASGIApp, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
    """Run the route, then spoil its answer the way the fault says."""
    status = 200
    headers: list[tuple[bytes, bytes]] = []
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    body = b"".join(chunks)
    if fault.kind == "drop":
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send(
            {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
        )
        raise _connection_dropped()
    if fault.kind == "truncate":
        body = body[: max(1, len(body) // 2)]
    elif fault.kind == "wrong_shape":
        status = 200
        body = json.dumps({"data": 42, "detail": "not the shape you expected"}).encode()
    elif fault.kind == "extra_fields":
        body = _with_future_fields(body)
    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _connection_dropped() -> Exception:
    """The error that ends a response mid-body. Over a socket the server then aborts the
    connection; in process (an ASGI transport of httpx) it reaches the client as the transport
    error a dropped connection causes, so the client code path is the same."""
    return dropped_type()("the sandbox dropped the connection mid-body (drop fault)")


@cache
def dropped_type() -> type[Exception]:
    """ConnectionDropped: an httpx.RemoteProtocolError when httpx is there (it always is for
    the client), so the server's log filter can tell a deliberate drop from a real crash."""
    base: type[Exception]
    try:
        from httpx import RemoteProtocolError

        base = RemoteProtocolError
    except ImportError:  # pragma: no cover - httpx is a dependency of the package
        base = ConnectionResetError
    return type("ConnectionDropped", (base,), {"__module__": __name__})


def _with_future_fields(body: bytes) -> bytes:
    """Add an unknown field to every object and unknown values to every other enum field."""
    try:
        data = json.loads(body)
    except ValueError:
        return body
    seen: dict[str, int] = {}

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key in FUTURE_ENUMS and isinstance(value, str):
                seen[key] = seen.get(key, 0) + 1
                if seen[key] % 2 == 0:
                    value = FUTURE_ENUMS[key]
            out[key] = walk(value)
        out[FUTURE_FIELD] = {"since": "2027-01", "note": "a field this client does not know"}
        return out

    return json.dumps(walk(data), ensure_ascii=False).encode()
