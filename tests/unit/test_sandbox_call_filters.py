"""GET /v1/call honours every documented filter (SDK `call_list_params.py`) and refuses bad ones.

The demo has four calls: two live (FAILING, VOICEMAIL) and two simulated, BOOKING in a counted
run of one plan, TRANSFER invalidated in a hidden run of another.
"""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.sandbox import demo_ids as ids

LIVE = {ids.FAILING_CALL_ID, ids.VOICEMAIL_CALL_ID}
ALL = set(ids.CALL_IDS)
BILLING_JOB = ids.BILLING_RUN_PLAN_JOB_ID


async def listed(client: Any, **params: str) -> set[str]:
    response = await client.get("/v1/call", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["pagination"]["total"] == len(body["data"])
    return {call["id"] for call in body["data"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({}, ALL, id="no-filter"),
        pytest.param({"status": "ENDED"}, ALL, id="status-ended"),
        pytest.param({"status": "IN_PROGRESS"}, set(), id="status-in-progress"),
        pytest.param({"searchText": "VAT"}, {ids.TRANSFER_CALL_ID}, id="search-title"),
        pytest.param({"searchText": "confirmation by text"}, {ids.BOOKING_CALL_ID}, id="summary"),
        # said only in the transcript ("Tom Becker."), not in the title or summary
        pytest.param({"searchText": "tom becker"}, {ids.BOOKING_CALL_ID}, id="search-transcript"),
        pytest.param({"searchText": "  "}, ALL, id="search-blank"),
        pytest.param(
            {"simulationRunPlanJobId": ids.BOOKING_RUN_PLAN_JOB_ID},
            {ids.BOOKING_CALL_ID},
            id="run",
        ),
        pytest.param(
            {"simulationRunPlanJobIds": f"{ids.BOOKING_RUN_PLAN_JOB_ID}, {BILLING_JOB}"},
            {ids.BOOKING_CALL_ID, ids.TRANSFER_CALL_ID},
            id="runs",
        ),
        pytest.param(
            {"simulationRunPlanIds": ids.BILLING_RUN_PLAN_ID.upper()},
            {ids.TRANSFER_CALL_ID},
            id="plans",
        ),
        pytest.param({"countedInResults": "true"}, {ids.BOOKING_CALL_ID}, id="counted"),
        pytest.param({"countedInResults": "false"}, {ids.TRANSFER_CALL_ID}, id="invalidated"),
        pytest.param({"excludeHiddenRuns": "true"}, ALL - {ids.TRANSFER_CALL_ID}, id="hidden"),
        pytest.param({"excludeHiddenRuns": "false"}, ALL, id="hidden-false"),
        pytest.param(
            {"properties[claimNumber][exists]": "true"}, {ids.FAILING_CALL_ID}, id="property-set"
        ),
        # stored names are snake case: claimNumber and claim_number are one property
        pytest.param(
            {"properties[claim_number][exists]": "false"},
            ALL - {ids.FAILING_CALL_ID},
            id="property-missing",
        ),
        pytest.param(
            {"properties[region][exists]": "true", "properties[stylist][exists]": "true"},
            {ids.BOOKING_CALL_ID},
            id="properties-and",
        ),
        pytest.param({"properties[never_seen][exists]": "true"}, set(), id="property-unknown"),
        pytest.param(
            {"status": "ENDED", "excludeHiddenRuns": "true", "searchText": "transfer"},
            {ids.FAILING_CALL_ID},
            id="combined",
        ),
    ],
)
async def test_each_filter(sandbox_http: Any, params: dict[str, str], expected: set[str]) -> None:
    assert await listed(sandbox_http, **params) == expected


async def test_filters_and_paging_work_together(sandbox_http: Any) -> None:
    first = (
        await sandbox_http.get("/v1/call", params={"excludeHiddenRuns": "true", "limit": "2"})
    ).json()
    assert len(first["data"]) == 2 and first["pagination"]["hasMore"] is True
    assert first["pagination"]["total"] == 3
    cursor = first["pagination"]["nextCursor"]
    rest = (
        await sandbox_http.get(
            "/v1/call", params={"excludeHiddenRuns": "true", "limit": "2", "after": cursor}
        )
    ).json()
    assert rest["pagination"] == {"total": 3, "hasMore": False, "nextCursor": None}
    seen = [c["id"] for c in first["data"] + rest["data"]]
    assert len(seen) == len(set(seen)) == 3 and ids.TRANSFER_CALL_ID not in seen


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        pytest.param({"limit": "101"}, "limit", id="limit-above-max"),
        pytest.param({"limit": "0"}, "limit", id="limit-zero"),
        pytest.param({"status": "ended"}, "status", id="status-case"),
        pytest.param({"sortBy": "startTimestamp"}, "sortBy", id="chat-sort-on-calls"),
        pytest.param({"sortDirection": "up"}, "sortDirection", id="direction"),
        pytest.param({"countedInResults": "yes"}, "countedInResults", id="counted-not-boolean"),
        pytest.param({"excludeHiddenRuns": "1"}, "excludeHiddenRuns", id="hidden-not-boolean"),
        pytest.param(
            {"simulationRunPlanIds": ",".join(str(i) for i in range(101))},
            "simulationRunPlanIds",
            id="too-many-plans",
        ),
        pytest.param(
            {"properties[status][exists]": "true"}, "properties[status][exists]", id="built-in"
        ),
        pytest.param(
            {"properties[searchText][exists]": "true"},
            "properties[searchText][exists]",
            id="built-in-snake",
        ),
        pytest.param(
            {"properties[region][equals]": "US"}, "properties[region][equals]", id="not-exists"
        ),
        pytest.param(
            {"properties[region][exists]": "maybe"}, "properties[region][exists]", id="exists-value"
        ),
        pytest.param(
            {f"properties[p{i}][exists]": "true" for i in range(21)}, "properties", id="too-many"
        ),
        pytest.param({"after": "not-a-cursor"}, "after", id="cursor"),
    ],
)
async def test_bad_filters_are_refused_naming_the_parameter(
    sandbox_http: Any, params: dict[str, str], parameter: str
) -> None:
    response = await sandbox_http.get("/v1/call", params=params)
    assert response.status_code == 400, response.text
    assert response.json()["parameter"] == parameter


async def test_run_membership_is_not_served(sandbox_http: Any) -> None:
    """The run a call came from filters the list but is no field of the Call object; a
    simulated call says so only through its simulationJobId."""
    calls = (await sandbox_http.get("/v1/call")).json()["data"]
    simulated = {c["id"] for c in calls if c["simulationJobId"]}
    assert simulated == ALL - LIVE
    assert not any("simulationRunPlanJobId" in c or "run" in c for c in calls)


async def test_chat_list_limits_and_sorts_as_documented(sandbox_http: Any) -> None:
    assert (await sandbox_http.get("/v1/chat", params={"limit": "101"})).status_code == 400
    response = await sandbox_http.get(
        "/v1/chat", params={"sortBy": "title", "sortDirection": "asc"}
    )
    titles = [c["title"] for c in response.json()["data"]]
    assert titles == sorted(titles)
    # a call filter means nothing to chats: ignored, as any unknown parameter
    everything = await sandbox_http.get("/v1/chat", params={"status": "ENDED"})
    assert everything.json()["pagination"]["total"] == len(ids.CHAT_IDS)
