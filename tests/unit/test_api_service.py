"""RoarkService over httpx.MockTransport: exact requests, retries and waits, error mapping,
parsing, and the token kept secret. No server and no real waiting.

Long because it holds every behaviour of one class (the service) over one scripted transport.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from roark_tui import __version__
from roark_tui.api import RoarkService, errors

TOKEN = "sk-live-SECRET-0123456789"
BASE = "https://api.example.test"

Step = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class Server:
    """A scripted transport: answers each request with the next step (the last one repeats)."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return step
        return step(request)


class Sleeps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make(server: Server, **kw: Any) -> tuple[RoarkService, Sleeps]:
    sleeps = Sleeps()
    options: dict[str, Any] = {"base_url": BASE, "token": TOKEN, "sleep": sleeps}
    options.update(kw)
    return RoarkService(transport=httpx.MockTransport(server), **options), sleeps


def ok(data: Any, status: int = 200, **kw: Any) -> httpx.Response:
    return httpx.Response(status, json=data, **kw)


def err(status: int, body: Any = None, **kw: Any) -> httpx.Response:
    if body is None:
        body = {"type": "x", "code": "y", "message": "nope"}
    if isinstance(body, str):
        return httpx.Response(status, text=body, **kw)
    return httpx.Response(status, json=body, **kw)


CHAT = {"id": "c1", "title": "Refund", "futureField": {"a": 1}}
GROUP = {
    "metricDefinitionId": "d1",
    "slug": "sentiment_score",
    "metricId": "sentiment_score",
    "name": "Sentiment",
    "type": "SCALE",
    "scope": "GLOBAL",
    "values": [{"captureStatus": "SUCCESS", "context": "CALL", "value": 4}],
}
DEFINITION = {"id": "d1", "slug": "sentiment_score", "name": "Sentiment", "type": "SCALE"}


# --- requests ----------------------------------------------------------------------------------


async def test_headers_and_one_client_reused() -> None:
    server = Server(ok({"data": CHAT}))
    service, _ = make(server, project_id="proj-1")
    async with service:
        await service.get_chat("c1")
        client = service._client
        await service.get_chat("c1")
        assert service._client is client
    assert service._client is None
    first = server.requests[0]
    assert first.headers["authorization"] == f"Bearer {TOKEN}"
    assert first.headers["x-roark-project-id"] == "proj-1"
    assert first.headers["user-agent"] == f"roark-tui/{__version__}"
    assert str(first.url) == f"{BASE}/v1/chat/c1"


async def test_no_project_header_when_blank_and_client_created_lazily() -> None:
    server = Server(ok({"data": CHAT}))
    service, _ = make(server, project_id="  ")
    assert service._client is None
    await service.get_chat("c1")
    assert "x-roark-project-id" not in server.requests[0].headers
    await service.aclose()
    await service.aclose()


async def test_default_timeouts_like_the_sdk() -> None:
    server = Server(ok({"data": CHAT}))
    service, _ = make(server)
    await service.get_chat("c1")
    timeout = service._client.timeout  # type: ignore[union-attr]
    assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (5.0, 60, 60, 60)
    await service.aclose()


async def test_ids_are_escaped_into_one_path_segment() -> None:
    server = Server(ok({"data": DEFINITION}))
    service, _ = make(server)
    await service.get_definition("../../v1/me")
    assert server.requests[0].url.raw_path == b"/v1/metric/definitions/..%2F..%2Fv1%2Fme"
    with pytest.raises(errors.RequestRejected):
        await service.get_chat("  ")
    assert len(server.requests) == 1


async def test_base_url_with_a_path_prefix() -> None:
    server = Server(ok({"data": {"status": "healthy"}}))
    service, _ = make(server, base_url="https://gw.example.test/roark/")
    assert (await service.health()).status == "healthy"
    assert str(server.requests[0].url) == "https://gw.example.test/roark/health"


async def test_list_params_and_pagination() -> None:
    page = {"data": [CHAT], "pagination": {"total": 9, "hasMore": True, "nextCursor": "abc"}}
    server = Server(ok(page))
    service, _ = make(server)
    result = await service.list_chats(
        limit=5, after="xyz", sort_by="startTimestamp", sort_direction="asc"
    )
    assert result.data[0].id == "c1" and result.pagination.next_cursor == "abc"
    assert result.pagination.has_more and result.pagination.total == 9
    assert dict(server.requests[0].url.params) == {
        "limit": "5",
        "after": "xyz",
        "sortBy": "startTimestamp",
        "sortDirection": "asc",
    }
    await service.list_calls()
    assert dict(server.requests[1].url.params) == {"limit": "20"}
    assert server.requests[1].url.path == "/v1/call"


async def test_every_get_method_parses_its_model() -> None:
    transcript = {"participants": [{"id": "p1", "type": "AGENT"}], "entries": [{"text": "hi"}]}
    routes = {
        "/v1/chat/c1": {"data": CHAT},
        "/v1/call/k1": {"data": {"id": "k1", "callDirection": "INBOUND"}},
        "/v1/chat/c1/transcript": {"data": transcript},
        "/v1/call/k1/transcript": {"data": transcript},
        "/v1/me": {"data": {"tokenScope": "PROJECT", "user": {"email": "a@b.c"}}},
        "/health": {"data": {"status": "healthy", "version": "1"}},
        "/v1/metric/definitions/sentiment_score": {"data": DEFINITION},
    }
    server = Server(lambda request: ok(routes[request.url.path]))
    service, _ = make(server)
    chat = await service.get_chat("c1")
    assert chat.title == "Refund" and chat.model_extra == {"futureField": {"a": 1}}
    assert (await service.get_call("k1")).call_direction == "INBOUND"
    assert (await service.chat_transcript("c1")).entries[0].text == "hi"
    assert (await service.call_transcript("k1")).participants[0].type == "AGENT"
    assert (await service.whoami()).describe() == "a@b.c"
    assert (await service.health()).version == "1"
    assert (await service.get_definition("sentiment_score")).id == "d1"


async def test_grouped_metrics() -> None:
    server = Server(ok({"data": [GROUP]}))
    service, _ = make(server)
    groups = await service.chat_metrics("c1")
    assert groups[0].key == "sentiment_score" and groups[0].values[0].value == 4
    assert dict(server.requests[0].url.params) == {"status": "all"}


async def test_flat_metrics_are_regrouped() -> None:
    meta = {k: GROUP[k] for k in ("metricDefinitionId", "slug", "name", "type", "scope")}
    rows = [
        {**meta, "captureStatus": "SUCCESS", "context": "SEGMENT", "value": 3},
        {**meta, "captureStatus": "ERROR", "context": "CALL", "errorMessage": "boom"},
    ]
    server = Server(ok({"data": rows}))
    service, _ = make(server)
    groups = await service.call_metrics("k1", status="success", flatten=True)
    assert len(groups) == 1 and [v.capture_status for v in groups[0].values] == [
        "SUCCESS",
        "ERROR",
    ]
    assert dict(server.requests[0].url.params) == {"status": "success", "flatten": "true"}
    assert server.requests[0].url.path == "/v1/call/k1/metrics"


async def test_conversation_metrics_dispatches_by_kind() -> None:
    server = Server(ok({"data": [GROUP]}))
    service, _ = make(server)
    await service.conversation_metrics("chat", "a")
    await service.conversation_metrics("call", "b", status="success")
    assert [r.url.path for r in server.requests] == ["/v1/chat/a/metrics", "/v1/call/b/metrics"]
    with pytest.raises(ValueError):
        await service.conversation_metrics("sms", "c")  # type: ignore[arg-type]


async def test_iter_definitions_walks_every_page() -> None:
    pages = {
        None: {
            "data": [{"id": "1"}, {"id": "2"}],
            "pagination": {"hasMore": True, "nextCursor": "p2"},
        },
        "p2": {"data": [{"id": "3"}], "pagination": {"hasMore": True, "nextCursor": "p3"}},
        "p3": {"data": [{"id": "4"}], "pagination": {"hasMore": False, "nextCursor": None}},
    }
    server = Server(lambda request: ok(pages[request.url.params.get("after")]))
    service, _ = make(server)
    seen = [[d.id for d in page] async for page in service.iter_definitions(limit=2)]
    assert seen == [["1", "2"], ["3"], ["4"]]
    assert [r.url.params.get("limit") for r in server.requests] == ["2", "2", "2"]
    assert [d.id for d in await service.all_definitions()] == ["1", "2", "3", "4"]
    assert server.requests[-1].url.params["limit"] == "50"


async def test_iter_definitions_stops_on_a_repeated_cursor() -> None:
    page = {"data": [{"id": "1"}], "pagination": {"hasMore": True, "nextCursor": "same"}}
    server = Server(ok(page))
    service, _ = make(server)
    with pytest.raises(errors.ResponseError, match="same page cursor"):
        await service.all_definitions()
    assert len(server.requests) == 2


async def test_create_definition_and_threshold_post_json() -> None:
    created = {"data": {**DEFINITION, "id": "new", "calculationType": "THRESHOLD"}}
    server = Server(ok(created, status=201))
    service, _ = make(server)
    body = {"calculationType": "LLM_JUDGE", "name": "Polite", "outputType": "BOOLEAN"}
    assert (await service.create_definition(body)).id == "new"
    threshold = await service.create_threshold(
        "sentiment_score", {"operator": "EQUALS", "value": "1"}
    )
    assert threshold.calculation_type == "THRESHOLD"
    first, second = server.requests
    assert (first.method, first.url.path) == ("POST", "/v1/metric/definitions")
    assert json.loads(first.content) == body
    assert second.url.path == "/v1/metric/definitions/sentiment_score/thresholds"
    assert json.loads(second.content) == {"operator": "EQUALS", "value": "1"}


async def test_get_json_returns_raw_bytes() -> None:
    raw = b'{"data": {"id": "c1", "odd": [1, 2]}}'
    server = Server(httpx.Response(200, content=raw))
    service, _ = make(server)
    assert await service.get_json("/v1/chat/c1", {"status": "all"}) == raw
    assert server.requests[0].url.params["status"] == "all"
    for bad in ("https://evil.example/x", "//evil.example/x", "v1/me"):
        with pytest.raises(ValueError):
            await service.get_json(bad)
    assert len(server.requests) == 1


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, errors.RequestRejected),
        (401, errors.AuthError),
        (403, errors.PermissionDenied),
        (404, errors.NotFound),
        (409, errors.Conflict),
        (422, errors.RequestRejected),
        (429, errors.RateLimited),
        (500, errors.ServerError),
        (503, errors.ServerError),
        (418, errors.ApiError),
    ],
)
async def test_each_status_maps_to_its_error(status: int, cls: type[errors.ApiError]) -> None:
    body = {"type": "validation", "code": "bad_thing", "message": "Something is off"}
    server = Server(err(status, body))
    service, _ = make(server, max_retries=0)
    with pytest.raises(errors.ApiError) as info:
        await service.get_chat("c1")
    assert type(info.value) is cls
    e = info.value
    assert (e.status, e.type, e.code, e.message) == (
        status,
        "validation",
        "bad_thing",
        "Something is off",
    )
    assert "Something is off" in str(e) and f"HTTP {status}" in str(e)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"message": "bad", "parameter": "scaleMin"}, "scaleMin"),
        ({"message": "bad", "field": "outputType"}, "outputType"),
        ({"message": "bad", "param": "slug"}, "slug"),
        ({"message": "bad", "details": {"field": "countThreshold"}}, "countThreshold"),
        ({"message": "bad", "details": {"parameter": "value"}}, "value"),
        (
            {"message": "bad", "details": [{"path": ["scaleLabels", 0, "label"]}]},
            "scaleLabels.0.label",
        ),
        ({"message": "scaleMin must be less than scaleMax"}, "scaleMin"),
        ({"message": "participantRole: required when scope is PER_PARTICIPANT"}, "participantRole"),
        ({"message": "Invalid value for field 'aggregationMode'"}, "aggregationMode"),
        ({"message": "Metric 'my_slug' already exists"}, None),
        ({"message": "Rate limit exceeded"}, None),
    ],
)
async def test_rejected_field_from_any_spelling(body: dict[str, Any], field: str | None) -> None:
    server = Server(err(400, {"type": "validation", "code": "invalid", **body}))
    service, _ = make(server)
    with pytest.raises(errors.RequestRejected) as info:
        await service.create_definition({"name": "x"})
    assert info.value.field == field


async def test_legacy_error_keys_and_wrapped_error_are_read() -> None:
    server = Server(
        err(404, {"error_type": "not_found", "error_code": "metric_missing", "message": "gone"}),
        err(403, {"error": {"type": "forbidden", "code": "no", "message": "Not yours"}}),
    )
    service, _ = make(server)
    with pytest.raises(errors.NotFound) as first:
        await service.get_definition("x")
    assert (first.value.type, first.value.code) == ("not_found", "metric_missing")
    with pytest.raises(errors.PermissionDenied, match="Not yours"):
        await service.get_definition("x")


async def test_html_error_page_still_gives_the_right_class() -> None:
    page = (
        "<html><head><title>502 Bad Gateway</title><style>body{x:1}</style></head>"
        "<body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"
    )
    server = Server(err(502, page, headers={"content-type": "text/html"}))
    service, _ = make(server, max_retries=0)
    with pytest.raises(errors.ServerError) as info:
        await service.get_chat("c1")
    text = str(info.value)
    assert "502 Bad Gateway" in text and "<" not in text and "HTTP 502" in text
    assert info.value.message is None


async def test_html_without_title_is_stripped_and_bounded() -> None:
    page = "<div><script>var a = '<b>';</script><p>Access denied by the corporate proxy</p></div>"
    page += "<p>" + "padding " * 100 + "</p>"
    server = Server(err(401, page))
    service, _ = make(server)
    with pytest.raises(errors.AuthError) as info:
        await service.whoami()
    text = str(info.value)
    assert "Access denied by the corporate proxy" in text
    assert "script" not in text and "var a" not in text and len(text) < 250


async def test_empty_and_odd_json_error_bodies() -> None:
    server = Server(err(500, ""), err(404, {"unrelated": True}), err(400, [1, 2]))
    service, _ = make(server, max_retries=0)
    with pytest.raises(errors.ServerError) as first:
        await service.get_chat("a")
    assert str(first.value) == "The Roark API had a server error (HTTP 500)"
    with pytest.raises(errors.NotFound, match="not a Roark error"):
        await service.get_chat("a")
    with pytest.raises(errors.RequestRejected):
        await service.get_chat("a")


async def test_server_text_cannot_smuggle_terminal_escapes() -> None:
    server = Server(err(400, {"message": "bad\x1b[31m red\x07\nline", "code": "c\x1b]52;;x\x07"}))
    service, _ = make(server)
    with pytest.raises(errors.RequestRejected) as info:
        await service.get_chat("a")
    assert "\x1b" not in str(info.value) and "\x07" not in str(info.value)
    assert "\n" not in str(info.value)


async def test_redirect_is_not_followed() -> None:
    server = Server(httpx.Response(302, headers={"location": "https://elsewhere.example/login"}))
    service, sleeps = make(server)
    with pytest.raises(errors.ApiError) as info:
        await service.get_chat("c1")
    assert type(info.value) is errors.ApiError and info.value.status == 302
    assert "elsewhere.example" in str(info.value) and "not followed" in str(info.value)
    assert len(server.requests) == 1 and sleeps == []


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b'{"data": {"id": "c1", "title": "cut', "not valid JSON"),
        (b"", "empty"),
        (b'{"data": {"title": "no id"}}', "data.id: field required"),
        (b'{"data": [1, 2]}', "data"),
        (b"<html>oops</html>", "not valid JSON"),
    ],
)
async def test_unreadable_success_body_is_a_response_error(body: bytes, needle: str) -> None:
    server = Server(httpx.Response(200, content=body))
    service, _ = make(server)
    with pytest.raises(errors.ResponseError) as info:
        await service.get_chat("c1")
    assert needle in str(info.value)
    assert "pydantic" not in str(info.value) and "ValidationError" not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


# --- retries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
async def test_get_retries_retryable_statuses_then_succeeds(status: int) -> None:
    server = Server(err(status), ok({"data": CHAT}))
    service, sleeps = make(server)
    assert (await service.get_chat("c1")).id == "c1"
    assert len(server.requests) == 2
    assert len(sleeps) == 1 and 0.375 <= sleeps[0] <= 0.5


async def test_get_gives_up_after_max_retries_with_growing_waits() -> None:
    server = Server(err(503))
    service, sleeps = make(server)
    with pytest.raises(errors.ServerError):
        await service.get_chat("c1")
    assert len(server.requests) == 3
    assert 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0


async def test_max_retries_is_configurable() -> None:
    server = Server(err(500))
    service, sleeps = make(server, max_retries=4)
    with pytest.raises(errors.ServerError):
        await service.whoami()
    assert len(server.requests) == 5 and len(sleeps) == 4
    assert 3.0 <= sleeps[3] <= 4.0


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
async def test_client_errors_are_not_retried(status: int) -> None:
    server = Server(err(status))
    service, sleeps = make(server)
    with pytest.raises(errors.ApiError):
        await service.get_chat("c1")
    assert len(server.requests) == 1 and sleeps == []


async def test_retry_after_seconds_is_honoured() -> None:
    limited = err(429, {"type": "rate_limit", "code": "too_many_requests", "message": "Slow down"})
    limited.headers["retry-after"] = "3"
    server = Server(limited, ok({"data": CHAT}))
    service, sleeps = make(server)
    await service.get_chat("c1")
    assert sleeps == [3.0]


async def test_retry_after_ms_is_honoured_and_wins() -> None:
    server = Server(
        err(503, headers={"retry-after-ms": "1250", "retry-after": "9"}), ok({"data": CHAT})
    )
    service, sleeps = make(server)
    await service.get_chat("c1")
    assert sleeps == [1.25]


async def test_retry_after_http_date_is_honoured() -> None:
    import time
    from email.utils import formatdate

    server = Server(err(429, headers={"retry-after": formatdate(time.time() + 30, usegmt=True)}))
    server.steps.append(ok({"data": CHAT}))
    service, sleeps = make(server)
    await service.get_chat("c1")
    assert 28 <= sleeps[0] <= 30


async def test_retry_after_beyond_sixty_seconds_falls_back_to_backoff() -> None:
    server = Server(err(429, headers={"retry-after": "3600"}))
    service, sleeps = make(server)
    with pytest.raises(errors.RateLimited) as info:
        await service.get_chat("c1")
    assert all(s <= 1.0 for s in sleeps) and len(sleeps) == 2
    assert info.value.retry_after == 3600
    assert "retry in 3600 s" in str(info.value)


async def test_rate_limited_error_carries_the_wait() -> None:
    server = Server(err(429, headers={"retry-after": "7"}))
    service, sleeps = make(server, max_retries=0)
    with pytest.raises(errors.RateLimited) as info:
        await service.get_chat("c1")
    assert info.value.retry_after == 7 and sleeps == []


async def test_x_should_retry_overrides_the_status() -> None:
    server = Server(
        err(400, headers={"x-should-retry": "true"}),
        err(503, headers={"x-should-retry": "false"}),
    )
    service, sleeps = make(server)
    with pytest.raises(errors.ServerError):
        await service.get_chat("c1")
    assert [r.method for r in server.requests] == ["GET", "GET"] and len(sleeps) == 1


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_post_is_never_repeated_after_an_answer(status: int) -> None:
    server = Server(err(status, headers={"retry-after": "1", "x-should-retry": "true"}))
    service, sleeps = make(server)
    with pytest.raises(errors.ApiError):
        await service.create_definition({"name": "x"})
    assert len(server.requests) == 1 and sleeps == []


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("slow"),
        httpx.ReadError("reset"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.WriteError("broken pipe"),
    ],
)
async def test_post_is_not_repeated_when_it_may_have_reached_the_server(exc: Exception) -> None:
    server = Server(exc)
    service, sleeps = make(server)
    with pytest.raises((errors.NetworkError, errors.Timeout)):
        await service.create_threshold("s", {"operator": "EQUALS", "value": "1"})
    assert len(server.requests) == 1 and sleeps == []


@pytest.mark.parametrize("exc", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow")])
async def test_post_is_retried_when_it_never_reached_the_server(exc: Exception) -> None:
    server = Server(exc, ok({"data": DEFINITION}, status=201))
    service, sleeps = make(server)
    assert (await service.create_definition({"name": "x"})).id == "d1"
    assert len(server.requests) == 2 and len(sleeps) == 1


@pytest.mark.parametrize(
    ("exc", "cls"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), errors.NetworkError),
        (httpx.ReadError("reset by peer"), errors.NetworkError),
        (httpx.RemoteProtocolError("illegal status line"), errors.NetworkError),
        (httpx.ReadTimeout("timed out"), errors.Timeout),
        (httpx.ConnectTimeout("timed out"), errors.Timeout),
        (httpx.PoolTimeout("no free connection"), errors.Timeout),
        (httpx.WriteTimeout("timed out"), errors.Timeout),
    ],
)
async def test_get_retries_transport_failures_then_maps_them(
    exc: Exception, cls: type[errors.ApiError]
) -> None:
    server = Server(exc)
    service, sleeps = make(server)
    with pytest.raises(cls) as info:
        await service.get_chat("c1")
    assert type(info.value) is cls and info.value.status is None
    assert len(server.requests) == 3 and len(sleeps) == 2
    assert info.value.__cause__ is None


async def test_get_recovers_after_a_timeout() -> None:
    server = Server(httpx.ReadTimeout("slow"), ok({"data": CHAT}))
    service, _ = make(server)
    assert (await service.get_chat("c1")).id == "c1"


async def test_get_json_retries_like_the_rest() -> None:
    server = Server(err(503), httpx.Response(200, content=b"{}"))
    service, sleeps = make(server)
    assert await service.get_json("/v1/me") == b"{}"
    assert len(sleeps) == 1
    with pytest.raises(errors.NotFound):
        server.steps = [err(404)]
        await service.get_json("/v1/nothing")


async def test_unsupported_scheme_is_not_retried() -> None:
    service, sleeps = make(Server(ok({})), base_url="ftp://files.example.test")
    with pytest.raises(errors.ApiError, match="https://"):
        await service.get_chat("c1")
    assert sleeps == []


# --- transport security and secrecy ------------------------------------------------------------


@pytest.mark.parametrize("base", ["http://api.example.test", "http://10.0.0.5:8080"])
async def test_insecure_transport_is_refused_before_sending(base: str) -> None:
    server = Server(ok({"data": CHAT}))
    service, _ = make(server, base_url=base)
    with pytest.raises(errors.InsecureTransport) as info:
        await service.get_chat("c1")
    assert server.requests == [] and TOKEN not in str(info.value)


@pytest.mark.parametrize(
    "base", ["http://127.0.0.1:8765", "http://localhost:1", "http://[::1]:9", "http://127.5.5.5"]
)
async def test_plain_http_to_loopback_is_allowed(base: str) -> None:
    server = Server(ok({"data": CHAT}))
    service, _ = make(server, base_url=base)
    await service.get_chat("c1")
    assert len(server.requests) == 1


async def test_insecure_allowed_when_asked_or_without_a_token() -> None:
    server = Server(ok({"data": CHAT}))
    allowed, _ = make(server, base_url="http://api.example.test", allow_insecure=True)
    await allowed.get_chat("c1")
    anonymous, _ = make(server, base_url="http://api.example.test", token=None)
    await anonymous.health()
    assert "authorization" not in server.requests[1].headers


async def test_a_token_that_cannot_be_a_header_is_refused_without_echoing_it() -> None:
    bad = "sk live\nX-Evil: 1"
    server = Server(ok({"data": CHAT}))
    service, _ = make(server, token=bad)
    with pytest.raises(errors.AuthError) as info:
        await service.get_chat("c1")
    assert bad not in str(info.value) and "sk live" not in str(info.value)
    assert server.requests == []


async def test_token_never_in_repr_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    echo = {"type": "authentication", "message": f"Token {TOKEN} is not valid", "field": TOKEN}
    server = Server(
        err(503),
        err(401, echo),
        err(502, f"<html><body>bad auth {TOKEN}</body></html>"),
        err(502, f"<html><body>bad auth {TOKEN}</body></html>"),
        httpx.ConnectError(f"failed for {TOKEN}"),
    )
    service, _ = make(server, project_id="p", max_retries=1)
    assert TOKEN not in repr(service) and "token=set" in repr(service)
    assert TOKEN not in str(vars(service))
    caught: list[errors.ApiError] = []
    for _ in range(3):
        with pytest.raises(errors.ApiError) as info:
            await service.get_chat("c1")
        caught.append(info.value)
    assert [type(e) for e in caught] == [errors.AuthError, errors.ServerError, errors.NetworkError]
    for e in caught:
        assert TOKEN not in str(e) and TOKEN not in repr(e)
        assert all(TOKEN not in str(v) for v in vars(e).values())
    assert TOKEN not in repr(service._client.headers)  # type: ignore[union-attr]
    assert TOKEN not in caplog.text and "retry 1 of 1" in caplog.text


async def test_transport_failures_read_as_sentences_naming_the_host() -> None:
    server = Server(httpx.ConnectError("[Errno 111] Connection refused"))
    service, _ = make(server, max_retries=0, timeout=httpx.Timeout(9, connect=2))
    with pytest.raises(errors.NetworkError) as refused:
        await service.get_chat("c1")
    assert str(refused.value) == "Could not reach api.example.test: [Errno 111] Connection refused"
    server.steps = [httpx.ConnectTimeout("")]
    with pytest.raises(errors.Timeout, match=r"Could not connect to api\.example\.test within 2 s"):
        await service.get_chat("c1")
    server.steps = [httpx.ReadTimeout("")]
    with pytest.raises(errors.Timeout, match=r"api\.example\.test did not answer within 9 s"):
        await service.get_chat("c1")
