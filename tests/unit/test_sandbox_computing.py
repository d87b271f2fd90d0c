"""The computing scenario on a fake clock: COMPUTING_CHAT_ID's metric rows arrive at t = 0, 4,
8, 12 and 16 s (roark_tui/sandbox/computing.py), some ending ERROR or NOT_APPLICABLE."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from roark_tui.sandbox import SandboxConfig, create_app
from roark_tui.sandbox import demo_ids as ids

METRICS = f"/v1/chat/{ids.COMPUTING_CHAT_ID}/metrics"


@pytest.fixture
async def client(clocked_http: Any) -> Any:
    await clocked_http.get(METRICS)  # the first look starts the schedule at clock.now
    return clocked_http


async def groups(client: Any, status: str = "all") -> list[dict[str, Any]]:
    return (await client.get(METRICS, params={"status": status})).json()["data"]


@pytest.mark.parametrize(
    ("elapsed", "with_all", "with_success"),
    [(0, 3, 3), (3.99, 3, 3), (4, 7, 7), (8, 12, 12), (12, 17, 15), (16, 20, 17), (600, 20, 17)],
)
async def test_rows_arrive_on_the_documented_schedule(
    client: Any, clock: Any, elapsed: float, with_all: int, with_success: int
) -> None:
    clock.now += elapsed
    assert len(await groups(client, "all")) == with_all
    assert len(await groups(client, "success")) == with_success


async def test_new_rows_are_appended_and_old_ones_never_change(client: Any, clock: Any) -> None:
    seen: list[dict[str, Any]] = []
    for _ in range(6):
        current = await groups(client)
        assert current[: len(seen)] == seen
        assert len(current) >= len(seen)
        seen = current
        clock.now += 4
    statuses = {(g["slug"], v["captureStatus"]) for g in seen for v in g["values"]}
    assert ("knowledge_grounding_score", "ERROR") in statuses
    assert ("knowledge_grounding_score_check", "ERROR") in statuses
    assert ("scenario_adherence", "NOT_APPLICABLE") in statuses
    errors = [v for g in seen for v in g["values"] if v["captureStatus"] == "ERROR"]
    assert all(v["errorMessage"] for v in errors)


async def test_flatten_follows_the_same_schedule(client: Any, clock: Any) -> None:
    clock.now += 8
    flat = (await client.get(METRICS, params={"status": "all", "flatten": "true"})).json()
    grouped = await groups(client)
    assert len(flat["data"]) == sum(len(g["values"]) for g in grouped)
    assert {row["slug"] for row in flat["data"]} == {g["slug"] for g in grouped}


async def test_restart_starts_the_schedule_over(client: Any, clock: Any) -> None:
    clock.now += 30
    assert len(await groups(client)) == 20
    client.app.state.sandbox.restart_computing()
    assert len(await groups(client)) == 3
    clock.now += 30
    answer = await client.post("/_sandbox/faults", json={"restartComputing": True})
    assert answer.status_code == 200
    assert len(await groups(client)) == 3
    clock.now += 4
    assert len(await groups(client)) == 7


async def test_other_conversations_do_not_depend_on_the_clock(client: Any, clock: Any) -> None:
    path = f"/v1/chat/{ids.FAILING_CHAT_ID}/metrics"
    before = (await client.get(path)).content
    clock.now += 100
    assert (await client.get(path)).content == before


async def test_the_schedule_starts_at_the_first_look(clock: Any) -> None:
    """A demo user who opens the computing chat minutes after starting the app still sees its
    rows arrive: the conversation "ends" when its metrics are first asked for."""
    app = create_app(SandboxConfig(clock=clock))
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {ids.DEMO_TOKEN}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://s", headers=headers) as c:
        clock.now += 300
        await c.get(f"/v1/chat/{ids.FAILING_CHAT_ID}/metrics")  # another chat: no look
        assert len((await c.get(METRICS, params={"status": "all"})).json()["data"]) == 3
        clock.now += 4
        assert len((await c.get(METRICS, params={"status": "all"})).json()["data"]) == 7
    assert app.state.sandbox.elapsed() == 4
