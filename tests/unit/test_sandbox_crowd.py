"""The crowd: a few hundred seeded calls and chats over the week before a moment, listed and
paged by the sandbox like the demo conversations, with checks that fail coherently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from roark_tui.sandbox import SandboxConfig, create_app, demo_ids
from roark_tui.sandbox.crowd import CALLS, CHATS, Crowd, crowd
from roark_tui.sandbox.demo_ids import DEMO_TOKEN

UNTIL = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def iso_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture
def crowd_app() -> Any:
    return create_app(SandboxConfig(crowd_until=UNTIL, clock=lambda: 0.0))


@pytest.fixture
async def http(crowd_app: Any) -> Any:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=crowd_app),
        base_url="http://sandbox.local",
        headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
    ) as client:
        yield client


async def walk(http: Any, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    after = None
    while True:
        query = {**params, **({"after": after} if after else {})}
        page = (await http.get(path, params=query)).json()
        assert len(page["data"]) <= params.get("limit", 20)
        items.extend(page["data"])
        if not page["pagination"]["hasMore"]:
            return items
        after = page["pagination"]["nextCursor"]


def test_the_same_crowd_on_every_build() -> None:
    first, second = Crowd(UNTIL), Crowd(UNTIL)
    assert list(first.conversations) == list(second.conversations)
    one = next(iter(first.conversations))
    assert first.conversations[one].record == second.conversations[one].record
    assert first.get(one).groups == second.get(one).groups  # type: ignore[union-attr]


@pytest.mark.parametrize(("path", "field", "count"), [("/v1/call", "startedAt", CALLS)])
async def test_calls_sort_and_page_over_the_week(http: Any, path: str, field: str, count: int):
    items = await walk(http, path, limit=100, sortBy="startedAt", sortDirection="desc")
    assert len(items) == count + len(demo_ids.CALL_IDS)
    assert len({c["id"] for c in items}) == len(items)
    starts = [iso_time(c[field]) for c in items]
    assert starts == sorted(starts, reverse=True)
    crowd_starts = [
        s for c, s in zip(items, starts, strict=True) if c["id"] not in demo_ids.CALL_IDS
    ]
    assert max(crowd_starts) <= UNTIL and min(crowd_starts) >= UNTIL - timedelta(days=7)
    recent = [s for s in crowd_starts if s >= UNTIL - timedelta(hours=48)]
    assert 40 <= len(recent) < count  # denser in the last two days, yet spread over the week
    assert {c["status"] for c in items} == {"ENDED", "IN_PROGRESS"}


async def test_chats_page_with_limit_100(http: Any) -> None:
    items = await walk(http, "/v1/chat", limit=100, sortBy="startTimestamp")
    assert len(items) == CHATS + len(demo_ids.CHAT_IDS)
    too_many = await http.get("/v1/chat", params={"limit": 101})
    assert too_many.status_code == 400


async def test_failing_checks_come_with_failing_sources(http: Any) -> None:
    """Every false check value is its THRESHOLD's verdict on the source value, with the
    reasoning that says so; some conversations fail, some errored, most pass."""
    sample = Crowd(UNTIL)
    checks = {
        d["slug"]: d
        for d in (await http.get("/v1/metric/definitions", params={"limit": 50})).json()["data"]
    }
    failing = errored = passing = 0
    for conv in list(sample.conversations.values())[:120]:
        body = (await http.get(f"/v1/{conv.kind}/{conv.id}/metrics?status=all")).json()
        groups = {g["slug"]: g for g in body["data"]}
        statuses = set()
        for slug, group in groups.items():
            if not slug.endswith("_check"):
                continue
            for value in group["values"]:
                if value["captureStatus"] == "ERROR":
                    statuses.add("ERROR")
                elif value["value"] is False:
                    statuses.add("FAIL")
                    assert "the check needs" in value["valueReasoning"]
                    assert value["evidenceSpans"], slug
        failing += "FAIL" in statuses
        errored += "ERROR" in statuses
        passing += not statuses and bool(groups)
    assert failing >= 20 and errored >= 1 and passing >= 40
    assert checks  # the definitions list still answers beside the crowd


async def test_computing_and_in_progress(crowd_app: Any, http: Any) -> None:
    calls = (await http.get("/v1/call", params={"sortBy": "startedAt", "limit": 5})).json()
    live = [c for c in calls["data"] if c["status"] == "IN_PROGRESS"]
    assert live and all(c["endedAt"] is None for c in live)
    assert (await http.get(f"/v1/call/{live[0]['id']}/metrics")).json() == {"data": []}
    computing = next(c for c in calls["data"] if c["status"] == "ENDED")
    early = (await http.get(f"/v1/call/{computing['id']}/metrics?status=all")).json()["data"]
    assert early and not any(g["slug"].endswith("_check") for g in early)


async def test_max_in_flight_counts_concurrent_requests(crowd_app: Any, http: Any) -> None:
    import asyncio

    crowd_app.state.sandbox.faults.latency = 0.05
    await asyncio.gather(*(http.get("/v1/chat", params={"limit": 1}) for _ in range(5)))
    state = crowd_app.state.sandbox
    assert state.max_in_flight == 5 and state.in_flight == 0


def test_no_crowd_unless_asked(sandbox_app: Any) -> None:
    assert sandbox_app.state.sandbox.crowd is None
    assert crowd(UNTIL) is crowd(UNTIL)
