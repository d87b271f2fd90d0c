"""RoarkService against the sandbox over a real loopback socket (hypercorn in a thread): every
method, pagination, each error class, retries (Retry-After honoured, 5xx retried on GET, a
POST never repeated), timeouts, a connection dropped mid-body, an HTML page, broken JSON."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from roark_tui.api import errors
from roark_tui.api.service import RoarkService
from roark_tui.sandbox import demo_ids as ids

METRICS = f"/v1/chat/{ids.FAILING_CHAT_ID}/metrics"
DEFINITIONS = "/v1/metric/definitions"
SHORT = httpx.Timeout(3.0, connect=1.0)


class Sleeps:
    """The service's sleep, recorded; real (for Retry-After) or instant (for backoff)."""

    def __init__(self, real: bool) -> None:
        self.real = real
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        if self.real:
            await asyncio.sleep(delay)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps(real=False)


@pytest.fixture
async def service(loopback_sandbox: tuple[str, Any], sleeps: Sleeps) -> AsyncIterator[Any]:
    base_url, _ = loopback_sandbox
    async with RoarkService(
        base_url=base_url, token=ids.DEMO_TOKEN, timeout=SHORT, sleep=sleeps
    ) as client:
        yield client


@pytest.fixture
def state(loopback_sandbox: tuple[str, Any]) -> Any:
    return loopback_sandbox[1].state.sandbox


def hits(state: Any, path: str, method: str = "GET") -> int:
    return state.request_log.count((method, path))


# --- every method ------------------------------------------------------------------------------


async def test_every_method_over_the_socket(service: RoarkService, state: Any) -> None:
    assert (await service.health()).status == "healthy"
    assert "project" in (await service.whoami()).describe()
    chat = await service.get_chat(ids.FAILING_CHAT_ID)
    assert chat.title == "Duplicate charge on Pro plan" and chat.customers[0].label
    transcript = await service.chat_transcript(ids.FAILING_CHAT_ID)
    assert len(transcript.entries) == 13
    groups = await service.chat_metrics(ids.FAILING_CHAT_ID, status="all")
    flat = await service.chat_metrics(ids.FAILING_CHAT_ID, status="all", flatten=True)
    assert [g.key for g in flat] == [g.key for g in groups]
    assert [len(g.values) for g in flat] == [len(g.values) for g in groups]
    success = await service.chat_metrics(ids.FAILING_CHAT_ID, status="success")
    assert sum(len(g.values) for g in success) < sum(len(g.values) for g in groups)
    call = await service.get_call(ids.FAILING_CALL_ID)
    assert call.ended_status == "CUSTOMER_ENDED_CALL" and call.call_direction == "INBOUND"
    assert (await service.call_transcript(ids.FAILING_CALL_ID)).transcription_source
    call_groups = await service.call_metrics(ids.FAILING_CALL_ID)
    assert await service.conversation_metrics("call", ids.FAILING_CALL_ID) == (
        await service.call_metrics(ids.FAILING_CALL_ID, status="all")
    )
    assert {g.key for g in call_groups} >= {"latency_spike_count", "transfer_failure_check"}
    definition = await service.get_definition("loop_count_check")
    assert definition.calculation_type == "THRESHOLD" and definition.threshold is not None
    raw = await service.get_json(METRICS, {"status": "all", "flatten": "true"})
    assert raw.startswith(b'{"data":[{"metricDefinitionId"')
    assert ("GET", METRICS) in state.request_log


async def test_pagination_over_the_socket(service: RoarkService) -> None:
    seen: list[str] = []
    after = None
    while True:
        page = await service.list_chats(limit=3, after=after, sort_by="title", sort_direction="asc")
        seen.extend(c.id for c in page.data)
        assert page.pagination.total == len(ids.CHAT_IDS)
        if not page.pagination.has_more:
            break
        after = page.pagination.next_cursor
    assert sorted(seen) == sorted(ids.CHAT_IDS) and len(seen) == len(set(seen))
    calls = await service.list_calls(limit=100)
    assert {c.id for c in calls.data} == set(ids.CALL_IDS) and not calls.pagination.has_more
    first = await service.list_definitions(limit=10)
    assert first.pagination.has_more and first.pagination.limit == 10
    pages = [page async for page in service.iter_definitions(limit=25)]
    everything = await service.all_definitions()
    assert len(pages) >= 3 and sum(map(len, pages)) == len(everything) > 50
    assert [d.id for d in everything] == sorted(d.id for d in everything)


async def test_created_definitions_and_thresholds_persist(
    service: RoarkService, state: Any
) -> None:
    made = await service.create_definition(
        {
            "calculationType": "LLM_JUDGE",
            "name": "Offered a callback",
            "outputType": "BOOLEAN",
            "llmPrompt": "Did the agent offer a callback when it could not help?",
        }
    )
    check = await service.create_threshold(
        made.slug, {"operator": "EQUALS", "value": "true", "name": "Callback offered"}
    )
    assert check.threshold.source_metric_definition_id == made.id
    assert (await service.get_definition(check.id)).slug == check.slug
    assert {made.id, check.id} <= {d.id for d in await service.all_definitions()}
    assert state.posts(DEFINITIONS) == 1
    assert state.posts(f"{DEFINITIONS}/{made.slug}/thresholds") == 1


# --- error classes -----------------------------------------------------------------------------


async def test_refused_token_is_auth_error(loopback_sandbox: tuple[str, Any]) -> None:
    async with RoarkService(base_url=loopback_sandbox[0], token="wrong-token-1234") as bad:
        with pytest.raises(errors.AuthError) as caught:
            await bad.whoami()
    assert caught.value.status == 401 and caught.value.type == "authentication"
    assert "wrong-token" not in str(caught.value)


async def test_token_revoked_while_in_use(service: RoarkService, state: Any) -> None:
    await service.whoami()
    state.revoke_token()
    with pytest.raises(errors.AuthError):
        await service.get_chat(ids.FAILING_CHAT_ID)
    assert hits(state, f"/v1/chat/{ids.FAILING_CHAT_ID}") == 1  # a 401 is not retried


async def test_forbidden_is_permission_denied(service: RoarkService, state: Any) -> None:
    state.faults.add("status", status=403, path=DEFINITIONS)
    with pytest.raises(errors.PermissionDenied) as caught:
        await service.list_definitions()
    assert caught.value.status == 403 and caught.value.type == "forbidden"


async def test_unknown_ids_are_not_found(service: RoarkService) -> None:
    with pytest.raises(errors.NotFound):
        await service.get_chat("00000000-0000-4000-8000-000000000000")
    with pytest.raises(errors.NotFound) as caught:
        await service.get_definition("no_such_metric")
    assert caught.value.field == "idOrSlug"
    with pytest.raises(errors.NotFound):
        await service.create_threshold("no_such_metric", {"operator": "EQUALS", "value": "1"})


async def test_rejected_and_conflicting_bodies_name_the_field(
    service: RoarkService, state: Any
) -> None:
    bad_scale = {
        "calculationType": "LLM_JUDGE",
        "name": "Patience",
        "outputType": "SCALE",
        "llmPrompt": "How patient was the agent?",
        "scaleMin": 5,
        "scaleMax": 1,
    }
    with pytest.raises(errors.RequestRejected) as rejected:
        await service.create_definition(bad_scale)
    assert rejected.value.status == 400 and rejected.value.field == "scaleMin"
    taken = {"operator": "EQUALS", "value": "0", "slug": "loop_count_check", "name": "No loops"}
    with pytest.raises(errors.Conflict) as conflict:
        await service.create_threshold("loop_count", taken)
    assert conflict.value.status == 409 and conflict.value.field == "slug"
    path = f"{DEFINITIONS}/loop_count/thresholds"
    assert state.posts(path) == 1  # 409 is retryable for a GET, never for a POST


async def test_rate_limit_waits_as_long_as_retry_after_says(
    loopback_sandbox: tuple[str, Any], state: Any
) -> None:
    sleeps = Sleeps(real=True)
    state.faults.add("rate_limit", retry_after=0.2, times=1, path="/v1/chat")
    async with RoarkService(
        base_url=loopback_sandbox[0], token=ids.DEMO_TOKEN, timeout=SHORT, sleep=sleeps
    ) as service:
        started = time.perf_counter()
        page = await service.list_chats()
        waited = time.perf_counter() - started
    assert len(page.data) == len(ids.CHAT_IDS)
    assert sleeps.delays == [0.2] and waited >= 0.2
    assert hits(state, "/v1/chat") == 2


async def test_rate_limit_that_outlasts_the_retries(service: RoarkService, state: Any) -> None:
    state.faults.add("rate_limit", retry_after=0.05)
    with pytest.raises(errors.RateLimited) as caught:
        await service.whoami()
    assert caught.value.retry_after == 0.05 and caught.value.type == "rate_limit"
    assert hits(state, "/v1/me") == 3


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_retried_on_get(
    service: RoarkService, state: Any, sleeps: Sleeps, status: int
) -> None:
    state.faults.add("status", status=status, times=2, path=METRICS)
    groups = await service.chat_metrics(ids.FAILING_CHAT_ID)
    assert groups and hits(state, METRICS) == 3
    assert len(sleeps.delays) == 2 and 0.375 <= sleeps.delays[0] <= 0.5
    state.faults.add("status", status=status, path=METRICS)
    with pytest.raises(errors.ServerError) as caught:
        await service.chat_metrics(ids.FAILING_CHAT_ID)
    assert caught.value.status == status and hits(state, METRICS) == 6


@pytest.mark.parametrize("kind", ["status", "drop", "latency"])
async def test_a_post_is_never_repeated(
    loopback_sandbox: tuple[str, Any], state: Any, kind: str
) -> None:
    state.faults.add(kind, status=503 if kind == "status" else None, delay=2.0, method="POST")
    body = {
        "operator": "GREATER_THAN",
        "value": "2",
        "slug": f"loops_over_2_{kind}",
        "name": "Loops over 2",
    }
    async with RoarkService(
        base_url=loopback_sandbox[0],
        token=ids.DEMO_TOKEN,
        timeout=httpx.Timeout(0.5, connect=1.0),
        sleep=Sleeps(real=False),
    ) as service:
        expected = {"status": errors.ServerError, "drop": errors.NetworkError}
        with pytest.raises(expected.get(kind, errors.Timeout)):
            await service.create_threshold("loop_count", body)
    path = f"{DEFINITIONS}/loop_count/thresholds"
    assert state.post_counts == {(path, _canonical(body)): 1}


def _canonical(body: dict[str, Any]) -> str:
    from roark_tui.sandbox.state import canonical

    return canonical(httpx.Request("POST", "/", json=body).content)


async def test_a_slow_server_times_out_and_gets_retried(
    loopback_sandbox: tuple[str, Any], state: Any
) -> None:
    state.faults.latency = 2.0
    async with RoarkService(
        base_url=loopback_sandbox[0],
        token=ids.DEMO_TOKEN,
        timeout=httpx.Timeout(0.5, connect=1.0),
        sleep=Sleeps(real=False),
    ) as service:
        started = time.perf_counter()
        with pytest.raises(errors.Timeout) as caught:
            await service.get_chat(ids.BOOKING_CHAT_ID)
    # Three tries of 0.5 s each, not three waits for the server's 2 s answer.
    assert time.perf_counter() - started < 5.0
    assert "did not answer within 0.5 s" in str(caught.value)
    assert hits(state, f"/v1/chat/{ids.BOOKING_CHAT_ID}") == 3


async def test_a_connection_dropped_mid_body(service: RoarkService, state: Any) -> None:
    state.faults.add("drop", times=1, path=METRICS)
    groups = await service.chat_metrics(ids.FAILING_CHAT_ID)
    assert groups and hits(state, METRICS) == 2
    state.faults.add("drop", path=METRICS)
    with pytest.raises(errors.NetworkError) as caught:
        await service.chat_metrics(ids.FAILING_CHAT_ID)
    assert hits(state, METRICS) == 5
    assert "127.0.0.1" in str(caught.value)


async def test_connection_refused(sleeps: Sleeps) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with RoarkService(
        base_url=f"http://127.0.0.1:{port}", token=ids.DEMO_TOKEN, timeout=SHORT, sleep=sleeps
    ) as service:
        with pytest.raises(errors.NetworkError):
            await service.health()
    assert len(sleeps.delays) == 2


async def test_an_html_error_page_is_a_clear_error(service: RoarkService, state: Any) -> None:
    state.faults.add("html", path=METRICS)
    with pytest.raises(errors.ServerError) as caught:
        await service.chat_metrics(ids.FAILING_CHAT_ID)
    assert caught.value.status == 502
    assert "502 Bad Gateway" in str(caught.value) and "<" not in str(caught.value)
    state.faults.clear()
    state.faults.add("html", status=404, path="/v1/chat/*")
    with pytest.raises(errors.NotFound):
        await service.get_chat(ids.FAILING_CHAT_ID)


@pytest.mark.parametrize("kind", ["truncate", "wrong_shape"])
async def test_unreadable_bodies_are_response_errors(
    service: RoarkService, state: Any, kind: str
) -> None:
    state.faults.add(kind, times=1, path=METRICS)
    with pytest.raises(errors.ResponseError) as caught:
        await service.chat_metrics(ids.FAILING_CHAT_ID)
    assert caught.value.status == 200 and hits(state, METRICS) == 1
    state.faults.add(kind, times=1, path=f"/v1/chat/{ids.BOOKING_CHAT_ID}")
    with pytest.raises(errors.ResponseError):
        await service.get_chat(ids.BOOKING_CHAT_ID)


async def test_a_newer_api_with_unknown_fields_and_values_still_reads(
    service: RoarkService, state: Any
) -> None:
    state.faults.add("extra_fields", times=1, path=METRICS)
    groups = await service.chat_metrics(ids.FAILING_CHAT_ID, status="all")
    assert "DURATION" in {g.type for g in groups}
    assert "PARTIAL" in {v.capture_status for g in groups for v in g.values}
    assert groups[0].model_extra and "xRoarkPreview" in groups[0].model_extra


async def test_admin_endpoint_drives_a_served_sandbox(
    loopback_sandbox: tuple[str, Any], service: RoarkService
) -> None:
    base_url, app = loopback_sandbox
    headers = {"Authorization": f"Bearer {ids.DEMO_TOKEN}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers) as admin:
        knob = {"kind": "status", "status": 503, "path": "/health", "times": 1}
        answer = await admin.post("/_sandbox/faults", json={"add": [knob]})
        assert answer.status_code == 200
        assert app.state.sandbox.faults.rules[0].path == "/health"
        await service.health()  # retried past the one 503
        log = (await admin.get("/_sandbox/requests")).json()["data"]
        assert log["requests"] == [["GET", "/health"], ["GET", "/health"]]
        assert (await admin.post("/_sandbox/faults", json={"revokeToken": True})).is_success
        with pytest.raises(errors.AuthError):
            await service.whoami()
        assert (await admin.post("/_sandbox/faults", json={"restoreToken": True})).is_success
        assert await service.whoami()
