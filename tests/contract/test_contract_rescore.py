"""The sandbox's answers for the update and collection-job endpoints validate against the
official SDK's response models, and every body our client sends there carries only keys of the
SDK's params types."""

from __future__ import annotations

import json
import typing
from typing import Any

import pytest

pytest.importorskip("roark_analytics")

from roark_analytics.types import (
    metric_collection_job_cancel_response as cancel_response,
)
from roark_analytics.types import (
    metric_collection_job_create_params as create_params,
)
from roark_analytics.types import (
    metric_collection_job_create_response as create_response,
)
from roark_analytics.types import (
    metric_collection_job_get_by_id_response as get_response,
)
from roark_analytics.types import (
    metric_collection_job_list_response as list_response,
)
from roark_analytics.types import (
    metric_update_definition_params as update_params,
)
from roark_analytics.types import (
    metric_update_definition_response as update_response,
)

from roark_tui.sandbox import demo_ids as ids

JOBS = "/v1/metric/collection-jobs"
DEFINITIONS = "/v1/metric/definitions"


def aliases(params: type) -> set[str]:
    """The wire names of a TypedDict's keys (their PropertyInfo alias, else the key)."""
    hints = typing.get_type_hints(params, include_extras=True)
    names = set()
    for key, hint in hints.items():
        alias = next((getattr(m, "alias", None) for m in getattr(hint, "__metadata__", ())), None)
        names.add(alias or key)
    return names


@pytest.mark.parametrize(
    ("key", "body"),
    [
        ("agent_verified_caller", {"llmPrompt": "Verified?", "changeReason": "clearer"}),
        ("empathy_score_check", {"name": "Agent Showed Empathy (replaced)"}),
        ("friction_events", {"name": "Friction"}),
        ("interruption_sours_customer", {"name": "Interruption sours"}),
        ("customer_intent", {"name": "Intent", "supportedContexts": ["CALL"]}),
    ],
)
async def test_update_answers_are_the_sdk_shape(
    sandbox_http: Any, key: str, body: dict[str, Any]
) -> None:
    assert set(body) <= aliases(update_params.MetricUpdateDefinitionParams)
    response = await sandbox_http.put(f"{DEFINITIONS}/{key}", json=body)
    assert response.status_code == 200, response.text
    update_response.MetricUpdateDefinitionResponse.model_validate(response.json())


async def test_job_answers_are_the_sdk_shape(sandbox_http: Any, sandbox_app: Any) -> None:
    body = {"chatIds": [ids.FAILING_CHAT_ID], "metrics": [{"id": "empathy_score_check"}]}
    assert set(body) <= aliases(create_params.MetricCollectionJobCreateParams)
    created = await sandbox_http.post(JOBS, json=body)
    assert created.status_code == 201, created.text
    create_response.MetricCollectionJobCreateResponse.model_validate(created.json())
    job_id = created.json()["data"]["id"]
    got = await sandbox_http.get(f"{JOBS}/{job_id}")
    get_response.MetricCollectionJobGetByIDResponse.model_validate(got.json())
    listed = await sandbox_http.get(JOBS)
    list_response.MetricCollectionJobListResponse.model_validate(listed.json())
    canceled = await sandbox_http.post(f"{JOBS}/{job_id}/cancel")
    cancel_response.MetricCollectionJobCancelResponse.model_validate(canceled.json())
    assert canceled.json()["data"]["status"] == "CANCELED"


async def test_our_writes_carry_only_sdk_keys(demo_service: Any, sandbox_app: Any) -> None:
    """The bodies our client sends: an edit of every editable form field, a rename, a job."""
    from roark_tui.api import write_once
    from roark_tui.core import definition_diff as diff

    allowed = aliases(update_params.MetricUpdateDefinitionParams)
    for key in ("agent_verified_caller", "friction_events", "empathy_score_check"):
        definition = await demo_service.get_definition(key)
        values = {k: v + " (edited)" for k, v in diff.form_values(definition).items()}
        if "formula" in values:
            values["formula"] = diff.current(definition, "formula") + " * 2"
        body = diff.update_body(definition, diff.wanted(definition, values), "why")
        assert body and set(body) <= allowed, body
        await write_once.update_definition(demo_service, definition, body, diff.applied)
    metric = (await demo_service.get_definition("loop_count")).id
    await write_once.start_collection_job(demo_service, "chat", [ids.FAILING_CHAT_ID], [metric])
    sent = [
        json.loads(body) for path, body in sandbox_app.state.sandbox.post_counts if path == JOBS
    ]
    assert len(sent) == 1
    assert set(sent[0]) <= aliases(create_params.MetricCollectionJobCreateParams)
    assert set(sent[0]["metrics"][0]) <= aliases(create_params.Metric)
