"""Collection jobs on a fake clock: a job is PENDING, then PROCESSING with its items completing
one by one, then COMPLETED; each item writes the metric's new values on the conversation
(roark_tui/sandbox/collection_jobs.py and rescoring.py)."""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.sandbox import demo_ids as ids
from roark_tui.sandbox.collection_jobs import PENDING_SECONDS

JOBS = "/v1/metric/collection-jobs"
DEFINITIONS = "/v1/metric/definitions"
METRICS = f"/v1/chat/{ids.FAILING_CHAT_ID}/metrics"


@pytest.fixture
def client(clocked_http: Any) -> Any:
    return clocked_http


async def start(client: Any, *metrics: str, chat: str = ids.FAILING_CHAT_ID) -> dict[str, Any]:
    body = {"chatIds": [chat], "metrics": [{"id": m} for m in metrics]}
    response = await client.post(JOBS, json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def job(client: Any, job_id: str) -> dict[str, Any]:
    return (await client.get(f"{JOBS}/{job_id}")).json()["data"]


async def values(client: Any, slug: str) -> list[Any]:
    groups = (await client.get(METRICS, params={"status": "all"})).json()["data"]
    group = next((g for g in groups if g["slug"] == slug), None)
    return [] if group is None else [v.get("value") for v in group["values"]]


async def test_a_job_progresses_on_the_clock_and_completes(client: Any, clock: Any) -> None:
    made = await start(client, "empathy_score", "loop_count", "user_effort_score")
    assert (made["status"], made["totalItems"], made["completedItems"]) == ("PENDING", 3, 0)
    assert made["startedAt"] is None and made["triggeredBy"] == "USER_API"
    clock.now += PENDING_SECONDS
    assert (await job(client, made["id"]))["status"] == "PROCESSING"
    seen = []
    for _ in range(12):
        clock.now += 0.4
        now = await job(client, made["id"])
        seen.append(now["completedItems"])
        if now["status"] == "COMPLETED":
            break
    assert now["status"] == "COMPLETED" and now["completedAt"] is not None
    assert seen == sorted(seen) and seen[-1] == 3 and len(set(seen)) > 2
    assert now["failedItems"] == 0


async def test_a_lowered_threshold_passes_after_the_job(client: Any, clock: Any) -> None:
    """The demo: Agent Empathy is 2 on the failing chat, its check (>= 3) fails; a new threshold
    at >= 2 has no value until a job scores it, then passes; the old check still fails."""
    body = {"operator": "GREATER_THAN_OR_EQUALS", "value": "2", "name": "Agent Empathy at least 2"}
    made = (await client.post(f"{DEFINITIONS}/empathy_score/thresholds", json=body)).json()["data"]
    assert await values(client, made["slug"]) == []
    started = await start(client, made["slug"])
    clock.now += 1.0
    assert await values(client, made["slug"]) == []  # PENDING, then the item is not due yet
    clock.now += 10
    assert (await job(client, started["id"]))["status"] == "COMPLETED"
    assert await values(client, made["slug"]) == [True]
    assert await values(client, "empathy_score_check") == [False]
    assert await values(client, "empathy_score") == [2]


async def test_an_edited_prompt_rescores_by_the_sandbox_judge(client: Any, clock: Any) -> None:
    """Same prompt, same values; the seeded version keeps its seeded values; the source's
    existing checks follow it."""
    seeded = await values(client, "agent_verified_caller")
    await start(client, "agent_verified_caller")
    clock.now += 10
    assert await values(client, "agent_verified_caller") == seeded
    readings = []
    for n in range(4):
        put = await client.put(
            f"{DEFINITIONS}/agent_verified_caller",
            json={"llmPrompt": f"Did the agent verify the caller? Variant {n}."},
        )
        assert put.status_code == 200, put.text
        await start(client, "agent_verified_caller")
        clock.now += 10
        readings.append(await values(client, "agent_verified_caller"))
    assert all(len(r) == len(seeded) for r in readings)
    assert any(r != seeded for r in readings)
    await client.put(
        f"{DEFINITIONS}/agent_verified_caller",
        json={"llmPrompt": "Did the agent verify the caller? Variant 0."},
    )
    await start(client, "agent_verified_caller")
    clock.now += 10
    assert await values(client, "agent_verified_caller") == readings[0]


async def test_cancel_stops_where_the_job_is(client: Any, clock: Any) -> None:
    made = await start(client, *("loop_count", "empathy_score", "user_effort_score"))
    clock.now += PENDING_SECONDS + 0.9  # the first item is done, not the others
    canceled = (await client.post(f"{JOBS}/{made['id']}/cancel")).json()["data"]
    assert canceled["status"] == "CANCELED" and canceled["completedItems"] == 1
    clock.now += 60
    again = (await client.post(f"{JOBS}/{made['id']}/cancel")).json()["data"]
    assert again == await job(client, made["id"])
    assert again["status"] == "CANCELED" and again["completedItems"] == 1


async def test_a_seeded_error_fails_its_item(client: Any, clock: Any) -> None:
    made = await start(client, "tool_invocation_parameters_correct", "loop_count")
    clock.now += 60
    done = await job(client, made["id"])
    assert (done["status"], done["completedItems"], done["failedItems"]) == ("COMPLETED", 1, 1)
    assert "tool_invocation_parameters_correct" in done["errorMessage"]


async def test_list_newest_first_with_status_and_pages(client: Any, clock: Any) -> None:
    first = await start(client, "loop_count")
    clock.now += 60
    second = await start(client, "empathy_score")
    listed = (await client.get(JOBS)).json()
    assert [j["id"] for j in listed["data"]] == [second["id"], first["id"]]
    done = (await client.get(JOBS, params={"status": "COMPLETED"})).json()["data"]
    assert [j["id"] for j in done] == [first["id"]]
    page = (await client.get(JOBS, params={"limit": 1})).json()
    assert page["pagination"]["hasMore"] is True
    rest = (await client.get(JOBS, params={"after": page["pagination"]["nextCursor"]})).json()
    assert [j["id"] for j in rest["data"]] == [first["id"]]
    assert (await client.get(JOBS, params={"limit": 51})).status_code == 400


@pytest.mark.parametrize(
    ("body", "status", "parameter"),
    [
        ({"metrics": [{"id": "loop_count"}]}, 400, "callIds"),
        (
            {"chatIds": [ids.FAILING_CHAT_ID], "callIds": [ids.FAILING_CALL_ID], "metrics": []},
            400,
            "chatIds",
        ),
        ({"chatIds": [ids.FAILING_CHAT_ID]}, 400, "metrics"),
        ({"chatIds": [ids.FAILING_CHAT_ID], "metrics": []}, 400, "metrics"),
        ({"chatIds": [ids.FAILING_CHAT_ID], "metrics": [{"id": "nope"}]}, 400, "metrics[0].id"),
        ({"chatIds": ["not-a-uuid"], "metrics": [{"id": "loop_count"}]}, 400, "chatIds[0]"),
        ({"chatIds": [ids.FAILING_CALL_ID], "metrics": [{"id": "loop_count"}]}, 404, "chatIds[0]"),
        (
            {"chatIds": [ids.FAILING_CHAT_ID], "metrics": [{"id": "loop_count"}], "force": True},
            400,
            "force",
        ),
        (
            {"chatIds": [ids.FAILING_CHAT_ID], "metrics": [{"id": "loop_count"}] * 21},
            400,
            "metrics",
        ),
    ],
)
async def test_bad_jobs_name_the_field(
    client: Any, body: dict[str, Any], status: int, parameter: str
) -> None:
    response = await client.post(JOBS, json=body)
    assert response.status_code == status, response.text
    assert response.json()["parameter"] == parameter
    assert (await client.get(JOBS)).json()["data"] == []


async def test_unknown_job_is_404(client: Any) -> None:
    response = await client.get(f"{JOBS}/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404 and response.json()["parameter"] == "jobId"


async def test_out_of_credits_and_permission_knobs(client: Any) -> None:
    faults = client.app.state.sandbox.faults
    from roark_tui.sandbox.faults import Fault

    for status, kind in ((402, "payment_required"), (403, "forbidden")):
        faults.add(Fault(kind="status", status=status, path=JOBS, method="POST", times=1))
        response = await client.post(
            JOBS, json={"chatIds": [ids.FAILING_CHAT_ID], "metrics": [{"id": "loop_count"}]}
        )
        assert response.status_code == status and response.json()["type"] == kind
    assert (await client.get(JOBS)).json()["data"] == []
