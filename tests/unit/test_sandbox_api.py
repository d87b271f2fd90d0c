"""The sandbox's endpoints as any client of the real API sees them: auth, shapes, status codes,
cursor pagination, status=success|all and the flatten=true shape (docs/contract.md)."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from roark_tui.sandbox import SandboxConfig, create_app
from roark_tui.sandbox import demo_ids as ids

NON_SUCCESS = {"NOT_APPLICABLE", "DATA_MISSING", "ERROR"}


def client_for(app: Any, token: str | None = ids.DEMO_TOKEN, **headers: str) -> httpx.AsyncClient:
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sandbox.local", headers=headers
    )


# --- auth and headers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong-token", "Basic c2FuZGJveC10b2tlbg==", "sandbox-token"],
)
async def test_requests_without_the_token_are_401(
    sandbox_app: Any, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    async with client_for(sandbox_app, None, **headers) as client:
        for path in ("/v1/me", "/v1/chat", f"/v1/chat/{ids.FAILING_CHAT_ID}/metrics"):
            response = await client.get(path)
            assert response.status_code == 401
            body = response.json()
            assert body["type"] == "authentication" and body["code"] and body["message"]
            assert ids.DEMO_TOKEN not in response.text
        assert (await client.get("/health")).status_code == 200


async def test_bearer_scheme_is_case_insensitive(sandbox_app: Any) -> None:
    async with client_for(sandbox_app, None, Authorization=f"bearer {ids.DEMO_TOKEN}") as client:
        assert (await client.get("/v1/me")).status_code == 200


async def test_custom_token_and_no_auth() -> None:
    async with client_for(create_app(SandboxConfig(token="s3cret")), "s3cret") as client:
        assert (await client.get("/v1/me")).status_code == 200
    async with client_for(create_app(SandboxConfig(token=None)), None) as client:
        assert (await client.get("/v1/me")).status_code == 200


async def test_empty_project_header_is_400(sandbox_app: Any) -> None:
    async with client_for(sandbox_app, **{"X-Roark-Project-Id": " "}) as client:
        response = await client.get("/v1/chat")
        assert response.status_code == 400
        assert response.json()["parameter"] == "X-Roark-Project-Id"
    async with client_for(sandbox_app, **{"X-Roark-Project-Id": ids.DEMO_PROJECT_ID}) as client:
        assert (await client.get("/v1/chat")).status_code == 200


async def test_every_request_is_logged_and_posts_counted_per_body(
    sandbox_http: Any, sandbox_app: Any
) -> None:
    await sandbox_http.get("/v1/me", params={"x": "1"})
    body = {"operator": "EQUALS", "value": "0"}
    for _ in range(2):
        await sandbox_http.post("/v1/metric/definitions/loop_count/thresholds", json=body)
    await sandbox_http.post(
        "/v1/metric/definitions/loop_count/thresholds",
        content=b'{ "value" : "0", "operator" : "EQUALS" }',
        headers={"Content-Type": "application/json"},
    )
    state = sandbox_app.state.sandbox
    assert state.request_log[0] == ("GET", "/v1/me")
    key = ("/v1/metric/definitions/loop_count/thresholds", '{"operator":"EQUALS","value":"0"}')
    assert state.post_counts[key] == 3
    assert state.posts("/v1/metric/definitions/loop_count/thresholds") == 3
    assert (await sandbox_http.get("/_sandbox/requests")).json()["data"]["postCounts"] == [
        {"path": key[0], "body": key[1], "count": 3}
    ]


# --- account -----------------------------------------------------------------------------------


async def test_health_and_me(sandbox_http: Any) -> None:
    health = (await sandbox_http.get("/health")).json()["data"]
    assert health == {"status": "healthy", "timestamp": health["timestamp"], "version": "sandbox-1"}
    me = (await sandbox_http.get("/v1/me")).json()["data"]
    assert me["tokenScope"] == "PROJECT"
    assert me["defaultProject"]["id"] == ids.DEMO_PROJECT_ID
    assert "metric:create" in me["grantedPermissions"] and me["organization"]["name"]


async def test_unknown_routes_and_methods_are_json_errors(sandbox_http: Any) -> None:
    missing = await sandbox_http.get("/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["type"] == "not_found"
    assert missing.json()["message"] == "No route GET /v1/nothing-here"
    wrong = await sandbox_http.delete("/v1/chat")
    assert wrong.status_code == 405 and wrong.json()["code"] == "method_not_allowed"
    assert wrong.headers["allow"] == "GET, HEAD"
    taken = await sandbox_http.put("/v1/metric/definitions/x/thresholds")
    assert taken.status_code == 405 and taken.headers["allow"] == "POST"
    trailing = await sandbox_http.get("/v1/chat/")  # no route: ids are never empty
    assert trailing.status_code == 404


async def test_query_parameters_last_value_wins_and_blank_is_the_default(
    sandbox_http: Any,
) -> None:
    page = await sandbox_http.get("/v1/chat?limit=100&limit=2&sortBy=")
    assert page.status_code == 200 and len(page.json()["data"]) == 2


async def test_the_app_answers_a_servers_lifespan_messages(sandbox_app: Any) -> None:
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await sandbox_app({"type": "lifespan"}, receive, send)
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


# --- conversations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "conv_id"),
    [("chat", c) for c in ids.CHAT_IDS] + [("call", c) for c in ids.CALL_IDS],
)
async def test_conversation_record_and_transcript(
    sandbox_http: Any, kind: str, conv_id: str
) -> None:
    record = (await sandbox_http.get(f"/v1/{kind}/{conv_id}")).json()["data"]
    assert record["id"] == conv_id and record["title"] and record["summary"]
    assert record["projectId"] == ids.DEMO_PROJECT_ID and record["agents"] and record["customers"]
    transcript = (await sandbox_http.get(f"/v1/{kind}/{conv_id}/transcript")).json()["data"]
    entries = transcript["entries"]
    assert len(entries) >= 2
    roles = {p["type"] for p in transcript["participants"]}
    assert roles == {"AGENT", "CUSTOMER"}
    participant_ids = {p["id"] for p in transcript["participants"]}
    previous_end = 0
    for entry in entries:
        assert entry["participantId"] in participant_ids and entry["role"] in roles
        assert isinstance(entry["startOffsetMs"], int) and isinstance(entry["endOffsetMs"], int)
        assert previous_end <= entry["startOffsetMs"] < entry["endOffsetMs"]
        previous_end = entry["endOffsetMs"]
    assert previous_end <= record["durationMs"]
    if kind == "call":
        assert record["callDirection"] in ("INBOUND", "OUTBOUND")
        assert record["recordingUrlAccess"] == "AVAILABLE" and record["status"] == "ENDED"
        assert all(isinstance(v, str) for v in record["properties"].values())
        assert transcript["transcriptionSource"] == "ROARK_POST_CALL"
    else:
        assert record["startTimestamp"] < record["endTimestamp"]


async def test_ids_of_the_other_kind_or_unknown_are_404(sandbox_http: Any) -> None:
    for path in (
        f"/v1/chat/{ids.FAILING_CALL_ID}",
        f"/v1/call/{ids.FAILING_CHAT_ID}/metrics",
        "/v1/chat/not-a-chat/transcript",
        "/v1/call/00000000-0000-4000-8000-000000000000",
        f"/v1/chat/{ids.BIG_CHAT_ID}",
    ):
        response = await sandbox_http.get(path)
        assert response.status_code == 404, path
        assert response.json()["type"] == "not_found"
    other_source = await sandbox_http.get(
        f"/v1/call/{ids.FAILING_CALL_ID}/transcript", params={"source": "SIMULATION_AGENT_REALTIME"}
    )
    assert other_source.status_code == 404 and other_source.json()["parameter"] == "source"


async def walk(client: Any, path: str, **params: Any) -> tuple[list[dict[str, Any]], int]:
    """Every item of a cursor-paginated list, and how many pages it took."""
    items: list[dict[str, Any]] = []
    pages = 0
    after = None
    while True:
        query = dict(params, **({"after": after} if after else {}))
        response = await client.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        items.extend(page["data"])
        pagination = page["pagination"]
        if not pagination["hasMore"]:
            assert pagination["nextCursor"] is None
            return items, pages
        after = pagination["nextCursor"]


@pytest.mark.parametrize(
    ("sort_by", "field"),
    [
        ("createdAt", "createdAt"),
        ("startTimestamp", "startTimestamp"),
        ("endTimestamp", "endTimestamp"),
        ("duration", "durationMs"),
        ("title", "title"),
    ],
)
@pytest.mark.parametrize("direction", ["asc", "desc"])
async def test_chat_pagination_walks_every_chat_once_in_order(
    sandbox_http: Any, sort_by: str, field: str, direction: str
) -> None:
    items, pages = await walk(
        sandbox_http, "/v1/chat", limit=3, sortBy=sort_by, sortDirection=direction
    )
    assert pages == 3
    assert sorted(c["id"] for c in items) == sorted(ids.CHAT_IDS)
    keys = [(c[field], c["id"]) for c in items]
    assert keys == sorted(keys, reverse=direction == "desc")


async def test_list_defaults_and_totals(sandbox_http: Any) -> None:
    chats = (await sandbox_http.get("/v1/chat")).json()
    assert len(chats["data"]) == len(ids.CHAT_IDS) == chats["pagination"]["total"]
    created = [c["createdAt"] for c in chats["data"]]
    assert created == sorted(created, reverse=True)
    first = (await sandbox_http.get("/v1/chat", params={"limit": 1})).json()
    assert first["pagination"]["total"] == len(ids.CHAT_IDS) and first["pagination"]["hasMore"]
    cursor = json.loads(base64.b64decode(first["pagination"]["nextCursor"]))
    assert cursor == {"sortValue": first["data"][0]["createdAt"], "id": first["data"][0]["id"]}


async def test_calls_pagination_and_filters(sandbox_http: Any) -> None:
    items, pages = await walk(sandbox_http, "/v1/call", limit=1, sortBy="duration")
    assert pages == len(ids.CALL_IDS) and {c["id"] for c in items} == set(ids.CALL_IDS)
    found = (await sandbox_http.get("/v1/call", params={"searchText": "VOICEMAIL"})).json()
    assert [c["id"] for c in found["data"]] == [ids.VOICEMAIL_CALL_ID]
    assert found["pagination"]["total"] == 1
    ringing = (await sandbox_http.get("/v1/call", params={"status": "RINGING"})).json()
    assert ringing["data"] == [] and ringing["pagination"] == {
        "total": 0,
        "hasMore": False,
        "nextCursor": None,
    }


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/v1/chat", {"limit": "0"}, "limit"),
        ("/v1/chat", {"limit": "101"}, "limit"),
        ("/v1/chat", {"limit": "ten"}, "limit"),
        ("/v1/call", {"limit": "-1"}, "limit"),
        ("/v1/metric/definitions", {"limit": "500"}, "limit"),
        ("/v1/chat", {"sortBy": "mood"}, "sortBy"),
        ("/v1/call", {"sortBy": "startTimestamp"}, "sortBy"),
        ("/v1/chat", {"sortDirection": "up"}, "sortDirection"),
        ("/v1/call", {"status": "DONE"}, "status"),
        ("/v1/chat", {"after": "not a cursor!"}, "after"),
        ("/v1/chat", {"after": base64.b64encode(b'{"id": 1}').decode()}, "after"),
        ("/v1/metric/definitions", {"after": "e30="}, "after"),
        (f"/v1/chat/{ids.FAILING_CHAT_ID}/metrics", {"status": "some"}, "status"),
        (f"/v1/call/{ids.FAILING_CALL_ID}/metrics", {"flatten": "yes"}, "flatten"),
    ],
)
async def test_bad_query_parameters_are_400(
    sandbox_http: Any, path: str, params: dict[str, str], parameter: str
) -> None:
    response = await sandbox_http.get(path, params=params)
    assert response.status_code == 400, response.text
    assert response.json()["parameter"] == parameter


async def test_a_cursor_of_another_sort_order_is_refused(sandbox_http: Any) -> None:
    page = (await sandbox_http.get("/v1/chat", params={"limit": 2, "sortBy": "duration"})).json()
    response = await sandbox_http.get(
        "/v1/chat", params={"after": page["pagination"]["nextCursor"], "sortBy": "title"}
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"


# --- metric definitions ------------------------------------------------------------------------


async def test_definitions_span_pages_ordered_by_id(sandbox_http: Any) -> None:
    first = (await sandbox_http.get("/v1/metric/definitions")).json()
    assert first["pagination"]["limit"] == 20 and first["pagination"]["hasMore"]
    assert "total" not in first["pagination"]
    items, pages = await walk(sandbox_http, "/v1/metric/definitions")
    assert pages >= 4 and len(items) > 50
    assert [d["id"] for d in items] == sorted(d["id"] for d in items)
    assert len({d["slug"] for d in items}) == len(items)
    kinds = {d["calculationType"] for d in items}
    assert kinds == {"PROVIDER", "THRESHOLD", "LLM_JUDGE", "FORMULA", "PATTERN"}
    by_slug = {d["slug"]: d for d in items}
    for definition in items:
        assert definition["metricId"] == definition["slug"]
        assert "system" not in definition
        spec = definition.get("threshold")
        if definition["calculationType"] == "THRESHOLD":
            assert definition["type"] == "BOOLEAN" and spec is not None
            source = next(d for d in items if d["id"] == spec["sourceMetricDefinitionId"])
            assert definition["scope"] == source["scope"]
            assert definition["supportedContexts"] == source["supportedContexts"]
    checks = [s for s in by_slug if s.endswith("_check")]
    assert len(checks) >= 20
    # Roark's naming convention for its thresholds, and only for them: the name decides nothing
    assert {by_slug[s]["calculationType"] for s in checks} == {"THRESHOLD"}
    assert (
        by_slug["transfer_failure_check"]["threshold"]["sourceMetricDefinitionId"]
        == (by_slug["transfer_failure_count"]["id"])
    )


async def test_definition_get_by_id_or_slug(sandbox_http: Any) -> None:
    by_slug = (await sandbox_http.get("/v1/metric/definitions/response_time")).json()["data"]
    assert by_slug["type"] == "NUMERIC" and by_slug["scope"] == "PER_PARTICIPANT"
    assert by_slug["unit"] == {"name": "milliseconds", "symbol": "ms"}
    by_id = await sandbox_http.get(f"/v1/metric/definitions/{by_slug['id'].upper()}")
    assert by_id.json()["data"] == by_slug
    missing = await sandbox_http.get("/v1/metric/definitions/nope")
    assert missing.status_code == 404 and missing.json()["parameter"] == "idOrSlug"


# --- metrics payloads ----------------------------------------------------------------------------


async def metrics(client: Any, kind: str, conv_id: str, **params: str) -> list[dict[str, Any]]:
    response = await client.get(f"/v1/{kind}/{conv_id}/metrics", params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]


@pytest.mark.parametrize(
    ("kind", "conv_id"),
    [("chat", c) for c in ids.CHAT_IDS if c != ids.COMPUTING_CHAT_ID]
    + [("call", c) for c in ids.CALL_IDS],
)
async def test_status_all_adds_only_the_non_success_rows(
    sandbox_http: Any, kind: str, conv_id: str
) -> None:
    default = await metrics(sandbox_http, kind, conv_id)
    assert default == await metrics(sandbox_http, kind, conv_id, status="success")
    every = await metrics(sandbox_http, kind, conv_id, status="all")
    for group in default:
        assert group["values"]
        for value in group["values"]:
            assert value["captureStatus"] == "SUCCESS"
            assert "value" in value and 0 <= value["confidence"] <= 1
    extra = [(g["slug"], v) for g in every for v in g["values"] if v["captureStatus"] != "SUCCESS"]
    for _, value in extra:
        assert value["captureStatus"] in NON_SUCCESS
        assert "value" not in value and "confidence" not in value
        assert ("errorMessage" in value) == (value["captureStatus"] == "ERROR")
    success_rows = sum(len(g["values"]) for g in default)
    assert sum(len(g["values"]) for g in every) == success_rows + len(extra)
    assert extra, "each demo conversation shows at least one computed-but-empty row"


@pytest.mark.parametrize("status", ["success", "all"])
async def test_flatten_is_one_row_per_value_with_the_metric_fields(
    sandbox_http: Any, status: str
) -> None:
    for kind, conv_id in (("chat", ids.FAILING_CHAT_ID), ("call", ids.FAILING_CALL_ID)):
        grouped = await metrics(sandbox_http, kind, conv_id, status=status)
        flat = await metrics(sandbox_http, kind, conv_id, status=status, flatten="true")
        assert await metrics(sandbox_http, kind, conv_id, status=status, flatten="false") == grouped
        expected = [
            {**{k: v for k, v in g.items() if k != "values"}, **value}
            for g in grouped
            for value in g["values"]
        ]
        assert flat == expected
        assert all("values" not in row and row["slug"] and row["type"] for row in flat)


async def test_chat_and_call_metrics_share_one_shape(sandbox_http: Any) -> None:
    chat = await metrics(sandbox_http, "chat", ids.FAILING_CHAT_ID, status="all")
    call = await metrics(sandbox_http, "call", ids.FAILING_CALL_ID, status="all")
    group_keys = {"metricDefinitionId", "slug", "metricId", "name", "description", "type", "scope"}
    for group in chat + call:
        assert group_keys <= group.keys() <= group_keys | {"unit", "values"}
        assert group["slug"] == group["metricId"]
