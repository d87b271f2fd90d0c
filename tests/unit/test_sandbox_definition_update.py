"""PUT /v1/metric/definitions/{idOrSlug} by Roark's rules: only what is named changes, each
update is a new version, immutable and undocumented fields are refused naming the field, a
derived metric (threshold, pattern) takes only a new name, Roark's own metrics are read-only."""

from __future__ import annotations

from typing import Any

import pytest

DEFINITIONS = "/v1/metric/definitions"


async def put(client: Any, key: str, body: dict[str, Any]) -> Any:
    return await client.put(f"{DEFINITIONS}/{key}", json=body)


async def get(client: Any, key: str) -> dict[str, Any]:
    return (await client.get(f"{DEFINITIONS}/{key}")).json()["data"]


async def test_each_update_is_a_new_version_and_keeps_the_rest(sandbox_http: Any) -> None:
    before = await get(sandbox_http, "agent_verified_caller")
    versions = {before["versionId"]}
    for n in range(3):
        response = await put(
            sandbox_http,
            "agent_verified_caller",
            {"llmPrompt": f"Prompt {n}", "changeReason": f"try {n}"},
        )
        assert response.status_code == 200, response.text
        versions.add(response.json()["data"]["versionId"])
    after = await get(sandbox_http, "agent_verified_caller")
    assert len(versions) == 4 and after["versionId"] in versions
    assert after["llmPrompt"] == "Prompt 2"
    unchanged = {k: v for k, v in after.items() if k not in ("llmPrompt", "versionId")}
    assert unchanged == {k: v for k, v in before.items() if k not in ("llmPrompt", "versionId")}


@pytest.mark.parametrize(
    "field", ["slug", "metricId", "scope", "outputType", "participantRole", "calcType"]
)
async def test_an_immutable_field_is_refused_by_name(sandbox_http: Any, field: str) -> None:
    before = await get(sandbox_http, "agent_verified_caller")
    response = await put(sandbox_http, "agent_verified_caller", {"name": "X", field: "GLOBAL"})
    assert response.status_code == 400
    assert response.json()["parameter"] == field and response.json()["code"] == "immutable_field"
    assert await get(sandbox_http, "agent_verified_caller") == before


@pytest.mark.parametrize("field", ["description", "prompt", "threshold"])
async def test_an_undocumented_field_is_refused_by_name(sandbox_http: Any, field: str) -> None:
    response = await put(sandbox_http, "customer_intent", {field: "x"})
    assert response.status_code == 400 and response.json()["parameter"] == field


@pytest.mark.parametrize(
    ("key", "body", "parameter"),
    [
        ("empathy_score_check", {"name": "Kind", "llmPrompt": "p"}, "llmPrompt"),
        ("interruption_sours_customer", {"formula": "1"}, "formula"),
        ("customer_intent", {"scaleMin": 1}, "scaleMin"),
        ("customer_intent", {"changeReason": "nothing else"}, None),
        ("customer_intent", {"name": "n" * 101}, "name"),
    ],
)
async def test_fields_a_metric_does_not_take(
    sandbox_http: Any, key: str, body: dict[str, Any], parameter: str | None
) -> None:
    before = await get(sandbox_http, key)
    response = await put(sandbox_http, key, body)
    assert response.status_code == 400, response.text
    assert response.json().get("parameter") == parameter
    assert await get(sandbox_http, key) == before


async def test_a_threshold_can_be_renamed_only(sandbox_http: Any) -> None:
    before = await get(sandbox_http, "empathy_score_check")
    response = await put(
        sandbox_http, "empathy_score_check", {"name": "Agent Showed Empathy (replaced)"}
    )
    assert response.status_code == 200
    after = response.json()["data"]
    assert after["name"] == "Agent Showed Empathy (replaced)"
    assert after["threshold"] == before["threshold"] and after["versionId"] != before["versionId"]


async def test_roark_metrics_are_read_only(sandbox_http: Any) -> None:
    response = await put(sandbox_http, "user_effort_score_check", {"name": "Mine"})
    assert response.status_code == 403


async def test_a_rename_shows_in_the_conversation_metrics(sandbox_http: Any) -> None:
    from roark_tui.sandbox.demo_ids import FAILING_CHAT_ID

    await put(sandbox_http, "empathy_score_check", {"name": "Agent Showed Empathy (replaced)"})
    groups = (await sandbox_http.get(f"/v1/chat/{FAILING_CHAT_ID}/metrics")).json()["data"]
    names = {g["slug"]: g["name"] for g in groups}
    assert names["empathy_score_check"] == "Agent Showed Empathy (replaced)"
    assert names["empathy_score"] == "Agent Empathy"
