"""core/browse.py: the time window, the filters, and verdicts fetched a few at a time and kept
for the session, against the sandbox's crowd through the real service."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from roark_tui.api.models import Call, Chat, Page, Pagination
from roark_tui.api.service import RoarkService
from roark_tui.core.browse import (
    Filters,
    RowVerdict,
    VerdictLoader,
    iter_listed,
    list_params,
    summarise,
)
from roark_tui.sandbox import Fault, SandboxConfig, create_app
from roark_tui.sandbox.demo_ids import BOOKING_CHAT_ID, DEMO_TOKEN, FAILING_CHAT_ID

UNTIL = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def crowd_app() -> Any:
    return create_app(SandboxConfig(crowd_until=UNTIL, clock=lambda: 0.0))


@pytest.fixture
async def service(crowd_app: Any) -> Any:
    service = RoarkService(
        base_url="http://sandbox.local",
        token=DEMO_TOKEN,
        transport=httpx.ASGITransport(app=crowd_app),
        allow_insecure=True,
        max_retries=0,
    )
    yield service
    await service.aclose()


def loader_for(service: RoarkService, **kw: Any) -> VerdictLoader:
    return VerdictLoader(
        lambda kind, conv_id: service.conversation_metrics(kind, conv_id, status="all"),
        service.all_definitions,
        **kw,
    )


def metrics_requests(app: Any) -> list[str]:
    return [p for m, p in app.state.sandbox.request_log if p.endswith("/metrics")]


async def window(service: RoarkService, kind: str, filters: Filters) -> list[Any]:
    lister = service.list_calls if kind == "call" else service.list_chats
    params = list_params(kind, filters)  # type: ignore[arg-type]

    async def page(after: str | None) -> Any:
        return await lister(limit=100, after=after, **params)

    return [conv async for batch, _ in iter_listed(page, filters) for conv in batch]


async def test_the_window_stops_at_the_cutoff(crowd_app: Any, service: RoarkService) -> None:
    since = UNTIL - timedelta(hours=48)
    listed = await window(service, "call", Filters(since=since))
    crowd = crowd_app.state.sandbox.crowd
    expected = {
        c.id
        for c in crowd.of_kind("call")
        if datetime.fromisoformat(c.record["startedAt"].replace("Z", "+00:00")) >= since
    }
    assert {c.id for c in listed} == expected and len(listed) == len(expected)
    pages = [p for m, p in crowd_app.state.sandbox.request_log if p == "/v1/call"]
    assert len(pages) <= len(expected) // 100 + 1  # stopped at the cutoff, not at the end


async def test_api_filters_go_to_the_api(crowd_app: Any, service: RoarkService) -> None:
    live = await window(service, "call", Filters(status="IN_PROGRESS"))
    assert live and all(c.status == "IN_PROGRESS" for c in live)
    found = await window(service, "chat", Filters(search="PASSWORD reset"))
    assert found and all("password reset" in (c.title or "").lower() for c in found)


async def test_verdicts_go_out_a_few_at_a_time(crowd_app: Any, service: RoarkService) -> None:
    crowd_app.state.sandbox.faults.latency = 0.02
    calls = await window(service, "call", Filters(since=UNTIL - timedelta(hours=24)))
    loader = loader_for(service, concurrency=4)
    got = [pair async for pair in loader.stream("call", [c.id for c in calls])]
    assert len(got) == len(calls) > 20
    assert crowd_app.state.sandbox.max_in_flight == 4
    assert len(metrics_requests(crowd_app)) == len(calls)


async def test_the_definitions_go_out_ahead_of_the_metrics(
    crowd_app: Any, service: RoarkService
) -> None:
    """Every verdict waits for the definitions: queued behind a page of metrics requests,
    they would hold every verdict back until the last metrics came in."""
    chats = [c.id for c in crowd_app.state.sandbox.crowd.of_kind("chat")[:12]]
    loader = loader_for(service, concurrency=2)
    got = [pair async for pair in loader.stream("chat", chats)]
    assert len(got) == len(chats)
    log = [p for _, p in crowd_app.state.sandbox.request_log]
    first = next(i for i, p in enumerate(log) if "definitions" in p)
    assert first < 2  # within the first slots, not after the twelve metrics requests


async def test_verdicts_are_kept_for_the_session(crowd_app: Any, service: RoarkService) -> None:
    loader = loader_for(service)
    first, again = await asyncio.gather(
        loader.verdict("chat", FAILING_CHAT_ID), loader.verdict("chat", FAILING_CHAT_ID)
    )
    assert first is again and first.state == "fail" and first.failing >= 2
    assert await loader.verdict("chat", FAILING_CHAT_ID) is first
    assert loader.known("chat", FAILING_CHAT_ID) is first
    assert len(metrics_requests(crowd_app)) == 1
    definitions = [p for _, p in crowd_app.state.sandbox.request_log if "definitions" in p]
    await loader.verdict("chat", BOOKING_CHAT_ID)
    assert [p for _, p in crowd_app.state.sandbox.request_log if "definitions" in p] == definitions


async def test_verdicts_nobody_waits_for_are_not_fetched(
    crowd_app: Any, service: RoarkService
) -> None:
    crowd_app.state.sandbox.faults.latency = 0.02  # the requests take turns
    chats = [c.id for c in crowd_app.state.sandbox.crowd.of_kind("chat")[:13]]
    loader = loader_for(service, concurrency=2)
    stream = loader.stream("chat", chats[:12])
    await anext(stream)
    await stream.aclose()  # the rows were let go of
    await loader.verdict("chat", chats[12])
    assert len(metrics_requests(crowd_app)) < 12
    assert not loader._tasks and not loader._waiting


async def test_the_verdicts_kept_are_bounded(crowd_app: Any, service: RoarkService) -> None:
    chats = [c.id for c in crowd_app.state.sandbox.crowd.of_kind("chat")[:6]]
    loader = loader_for(service, keep=4)
    for chat in chats:
        await loader.verdict("chat", chat)
    assert list(loader.cache) == [("chat", c) for c in chats[2:]]  # the oldest went first


async def test_a_fault_marks_that_row_only(crowd_app: Any, service: RoarkService) -> None:
    crowd_app.state.sandbox.faults.add(
        Fault("status", status=503, path=f"/v1/chat/{FAILING_CHAT_ID}/metrics")
    )
    loader = loader_for(service)
    got = dict([pair async for pair in loader.stream("chat", [FAILING_CHAT_ID, BOOKING_CHAT_ID])])
    assert got[FAILING_CHAT_ID] == RowVerdict("fault", problem="HTTP 503")
    assert got[BOOKING_CHAT_ID].state == "pass"
    assert loader.known("chat", FAILING_CHAT_ID) is None  # a fault is not kept: try again
    crowd_app.state.sandbox.faults.clear()
    assert (await loader.verdict("chat", FAILING_CHAT_ID)).state == "fail"


def test_filters_on_verdicts() -> None:
    failed = RowVerdict("fail", 5, ("loop_count_check",))
    passed = RowVerdict("pass", 5)
    assert Filters().kept(None) is True
    assert Filters(failing=True).kept(None) is None
    assert Filters(failing=True).kept(failed) and not Filters(failing=True).kept(passed)
    assert Filters(check="LOOP_COUNT_CHECK").kept(failed)
    assert not Filters(check="instruction_follow_check").kept(failed)
    chat = Chat(id="c", title="Refund", summary="a blender")
    assert Filters(search="BLENDER").listed(chat) and not Filters(search="kettle").listed(chat)
    assert Filters(search="kettle").listed(Call(id="x", title="Refund"))  # the API's job


def test_summaries() -> None:
    assert summarise([]).state == "empty" and summarise([]).label == "no metrics yet"
    assert RowVerdict("fail", 9, ("a", "b")).label == "2 failed"
    assert RowVerdict("pass", 9).label == "9 passed"
    assert RowVerdict("fault", problem="HTTP 503").label == "HTTP 503"


async def test_a_repeated_cursor_ends_the_walk() -> None:
    pages = 0

    async def page(after: str | None) -> Page[Any]:
        nonlocal pages
        pages += 1
        return Page[Chat](
            data=[Chat(id=f"c{pages}")], pagination=Pagination(has_more=True, next_cursor="x")
        )

    walked = [(batch, last) async for batch, last in iter_listed(page, Filters())]
    assert [([c.id for c in b], last) for b, last in walked] == [(["c1"], False), (["c2"], True)]
    assert pages == 2


def test_a_yes_no_metric_of_unknown_definition_is_no_pass() -> None:
    from roark_tui.api.models import MetricDefinition, MetricGroup

    group = MetricGroup.model_validate(
        {
            "metricDefinitionId": "d1",
            "slug": "refund_ok",
            "name": "Refund OK",
            "type": "BOOLEAN",
            "values": [{"captureStatus": "SUCCESS", "context": "CALL", "value": True}],
        }
    )
    unknown = summarise([group])
    assert (unknown.state, unknown.label, unknown.named) == ("unknown", "1 unknown", ("refund_ok",))
    judge = MetricDefinition.model_validate(
        {"id": "d1", "slug": "refund_ok", "calculationType": "LLM_JUDGE", "type": "BOOLEAN"}
    )
    assert summarise([group], [judge]).state == "pass"
    reading = judge.model_copy(update={"calculation_type": "PROVIDER"})
    assert summarise([group], [reading]).state == "none"
