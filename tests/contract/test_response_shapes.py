"""Every answer the sandbox gives has Roark's documented shape, checked against the official SDK.

For each endpoint the SDK covers, the body must validate as the SDK's response model (every
required field there, each of its type) and carry no key the model does not list: the SDK's
models accept extra keys, so a second walk compares the keys with the model's fields. Endpoints
the SDK leaves out are held to the nearest documented shape: a definition fetched by id or slug,
and a threshold, to the SDK's definition union (the reference pages serve the same object); chat
metrics to the call metrics model (one "conversation metrics" payload on both); chat records and
transcripts to the fields the chat reference pages list.
"""

from __future__ import annotations

import functools
import json
import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError
from roark_analytics.types import (
    call_get_by_id_response,
    call_get_transcript_response,
    call_list_metrics_response,
    call_list_response,
    health_get_response,
    me_get_response,
    metric_create_definition_response,
    metric_list_definitions_response,
    metric_update_definition_response,
)

from roark_tui.sandbox import demo_ids as ids

SEEDS = json.loads((Path(__file__).parent / "seed_examples.json").read_text())
DEFINITIONS = "/v1/metric/definitions"
# One definition of any calculation type, as the list, get, create and update answers hold it.
DEFINITION = get_args(
    metric_list_definitions_response.MetricListDefinitionsResponse.model_fields["data"].annotation
)[0]
THRESHOLD = metric_list_definitions_response.ThresholdMetricResponse
CALL_METRICS = call_list_metrics_response.CallListMetricsResponse
TRANSCRIPT_ENTRY = call_get_transcript_response.DataEntry
TRANSCRIPT_PARTICIPANT = call_get_transcript_response.Data.model_fields["participants"].annotation


def undocumented(value: Any, annotation: Any, where: str = "$") -> list[str]:
    """The paths of keys in `value` that `annotation` (an SDK model, or a type made of them)
    does not document. A union is read as the member that fits with the fewest such keys."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return undocumented(value, get_args(annotation)[0], where)
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if value is None or not members:
            return []
        fits = [m for m in members if _fits(value, m)] or members
        return min((undocumented(value, m, where) for m in fits), key=len)
    if origin is list and isinstance(value, list):
        item = get_args(annotation)[0]
        return [p for i, v in enumerate(value) for p in undocumented(v, item, f"{where}[{i}]")]
    if origin is dict and isinstance(value, dict):
        item = get_args(annotation)[1]
        return [p for k, v in value.items() for p in undocumented(v, item, f"{where}.{k}")]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if not isinstance(value, dict):
            return []
        fields = {(f.alias or name): f.annotation for name, f in annotation.model_fields.items()}
        found = [f"{where}.{key}" for key in value if key not in fields]
        for key, field in fields.items():
            if key in value:
                found += undocumented(value[key], field, f"{where}.{key}")
        return found
    return []


@functools.cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    """One adapter per SDK type: building one costs far more than a validation."""
    return TypeAdapter(annotation)


def _fits(value: Any, annotation: Any) -> bool:
    try:
        _adapter(annotation).validate_python(value)
    except ValidationError:
        return False
    return True


def assert_documented(body: Any, model: Any) -> None:
    """`body` validates as `model` and has no key the model does not list."""
    _adapter(model).validate_python(body)
    assert undocumented(body, model) == []


# --- the checker itself ----------------------------------------------------------------------


def test_the_walk_finds_extra_keys_at_any_depth() -> None:
    """The second walk is what makes these tests able to fail: the SDK's models would take
    an undocumented key silently."""
    good = {
        "data": {
            "defaultProject": {"id": "p", "name": "P", "slug": "p"},
            "grantedPermissions": [],
            "organization": {"id": "o", "name": "O"},
            "scopes": [],
            "tokenScope": "PROJECT",
            "user": None,
        }
    }
    assert_documented(good, me_get_response.MeGetResponse)
    bad = json.loads(json.dumps(good))
    bad["data"]["project"] = {"id": "p"}
    bad["data"]["defaultProject"]["color"] = "red"
    me_get_response.MeGetResponse.model_validate(bad)  # the SDK alone lets both through
    assert undocumented(bad, me_get_response.MeGetResponse) == [
        "$.data.project",
        "$.data.defaultProject.color",
    ]
    scale = {"calculationType": "LLM_JUDGE", "scaleMin": 1}
    assert "$.scaleMin" in undocumented(scale, DEFINITION)


# --- endpoints the SDK covers ----------------------------------------------------------------

CALL_LISTS = [
    {},
    {"limit": "2", "sortBy": "duration", "sortDirection": "asc"},
    {"status": "ENDED", "searchText": "transfer"},
    {"simulationRunPlanIds": f"{ids.BOOKING_RUN_PLAN_ID},{ids.BILLING_RUN_PLAN_ID}"},
    {"countedInResults": "true", "excludeHiddenRuns": "true"},
    {"properties[region][exists]": "true"},
]


@pytest.mark.parametrize(
    ("path", "params", "model"),
    [
        ("/health", {}, health_get_response.HealthGetResponse),
        ("/v1/me", {}, me_get_response.MeGetResponse),
        *[("/v1/call", p, call_list_response.CallListResponse) for p in CALL_LISTS],
        *[(f"/v1/call/{c}", {}, call_get_by_id_response.CallGetByIDResponse) for c in ids.CALL_IDS],
        *[
            (f"/v1/call/{c}/transcript", {}, call_get_transcript_response.CallGetTranscriptResponse)
            for c in ids.CALL_IDS
        ],
        *[
            (
                f"/v1/call/{c}/metrics",
                {"status": s},
                call_list_metrics_response.CallListMetricsResponse,
            )
            for c in ids.CALL_IDS
            for s in ("success", "all")
        ],
    ],
)
async def test_sdk_endpoints_answer_the_sdk_shape(
    sandbox_http: Any, path: str, params: dict[str, str], model: Any
) -> None:
    response = await sandbox_http.get(path, params=params)
    assert response.status_code == 200, response.text
    assert_documented(response.json(), model)


# Definitions of every kind a client can create, beside the seeded ones: created ones are where
# settings no response documents (a scale, classes, a graded role) could leak out.
CREATE_BODIES = [
    {
        "calculationType": "LLM_JUDGE",
        "name": "Warmth",
        "outputType": "SCALE",
        "llmPrompt": "How warm was the agent?",
        "scaleMin": 1,
        "scaleMax": 5,
        "scaleLabels": [{"rangeMin": 1, "rangeMax": 5, "label": "Any", "displayOrder": 1}],
    },
    {
        "calculationType": "LLM_JUDGE",
        "name": "Topic",
        "outputType": "CLASSIFICATION",
        "scope": "PER_PARTICIPANT",
        "participantRole": "CUSTOMER",
        "classificationOptions": [{"label": "billing", "description": "Bills", "displayOrder": 1}],
        "maxClassifications": 1,
    },
    {
        "calculationType": "LLM_JUDGE",
        "name": "Polite",
        "outputType": "BOOLEAN",
        "llmPrompt": "Was the agent polite?",
        "booleanTrueLabel": "Polite",
        "booleanFalseLabel": "Rude",
    },
    {
        "calculationType": "FORMULA",
        "name": "Loops and spikes",
        "outputType": "NUMERIC",
        "formula": "{{id:%s}} + {{id:%s}}",
        "sources": ["loop_count", "latency_spike_count"],
    },
    {
        "calculationType": "PATTERN",
        "name": "Spike then loop",
        "operation": "PATTERN_EXISTS",
        "trigger": {"source": "latency_spike_count", "operator": "GREATER_THAN", "value": "0"},
        "outcome": {"source": "loop_count", "operator": "GREATER_THAN", "value": "0"},
    },
]


async def _id_of(client: Any, slug: str) -> str:
    return (await client.get(f"{DEFINITIONS}/{slug}")).json()["data"]["id"]


async def _create_body(client: Any, body: dict[str, Any]) -> dict[str, Any]:
    """A body of CREATE_BODIES with its source slugs turned into ids."""
    body = dict(body)
    if body["calculationType"] == "FORMULA":
        sources = [await _id_of(client, slug) for slug in body["sources"]]
        body["formula"] = body["formula"] % tuple(sources)
        body["sources"] = [{"sourceMetricDefinitionId": s} for s in sources]
    if body["calculationType"] == "PATTERN":
        for key in ("trigger", "outcome"):
            step = body[key]
            body[key] = {
                "sourceMetricDefinitionId": await _id_of(client, step["source"]),
                "operator": step["operator"],
                "thresholdValue": step["value"],
            }
        body["outcome"]["windowAfter"] = 3
    return body


async def _all_pages(client: Any) -> list[dict[str, Any]]:
    pages, after = [], None
    while True:
        params = {"limit": "50", **({"after": after} if after else {})}
        response = await client.get(DEFINITIONS, params=params)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        after = pages[-1]["pagination"]["nextCursor"]
        if not after:
            return pages


async def test_definitions_answer_the_sdk_shape_in_every_endpoint(sandbox_http: Any) -> None:
    created = []
    for body in CREATE_BODIES:
        response = await sandbox_http.post(DEFINITIONS, json=await _create_body(sandbox_http, body))
        assert response.status_code == 201, response.text
        assert_documented(
            response.json(), metric_create_definition_response.MetricCreateDefinitionResponse
        )
        created.append(response.json()["data"])
    threshold = await sandbox_http.post(
        f"{DEFINITIONS}/{created[0]['slug']}/thresholds",
        json={"operator": "GREATER_THAN_OR_EQUALS", "value": "3", "name": "Warm enough"},
    )
    assert threshold.status_code == 201, threshold.text
    assert_documented(threshold.json()["data"], THRESHOLD)
    assert set(threshold.json()) == {"data"}
    updated = await sandbox_http.put(
        f"{DEFINITIONS}/{created[0]['slug']}", json={"scaleMax": 10, "name": "Warmth (1-10)"}
    )
    assert updated.status_code == 200, updated.text
    assert_documented(
        updated.json(), metric_update_definition_response.MetricUpdateDefinitionResponse
    )
    pages = await _all_pages(sandbox_http)
    assert len(pages) > 1
    for page in pages:
        assert_documented(page, metric_list_definitions_response.MetricListDefinitionsResponse)
    listed = [d for page in pages for d in page["data"]]
    assert {d["id"] for d in created} <= {d["id"] for d in listed}
    kinds = {d["calculationType"] for d in listed}
    assert kinds == {"LLM_JUDGE", "PROVIDER", "THRESHOLD", "FORMULA", "PATTERN"}
    for definition in listed:  # GET /{idOrSlug}: not in the SDK, the same union
        got = await sandbox_http.get(f"{DEFINITIONS}/{definition['slug']}")
        assert set(got.json()) == {"data"} and got.json()["data"] == definition
        assert_documented(definition, DEFINITION)


# --- chat endpoints (not in the SDK) ---------------------------------------------------------

CHAT_FIELDS = set(SEEDS["responses"][0]["body"]["data"])


def _assert_chat(record: dict[str, Any]) -> None:
    assert set(record) <= CHAT_FIELDS, set(record) - CHAT_FIELDS
    assert all(set(agent) <= {"id"} for agent in record.get("agents", []))
    assert all(set(c) <= {"phoneNumberE164", "label"} for c in record.get("customers", []))


async def test_chats_answer_the_documented_shape(sandbox_http: Any) -> None:
    listed = (await sandbox_http.get("/v1/chat", params={"limit": "100"})).json()
    assert set(listed) == {"data", "pagination"}
    assert set(listed["pagination"]) == {"total", "hasMore", "nextCursor"}
    assert {c["id"] for c in listed["data"]} == set(ids.CHAT_IDS)
    for record in listed["data"]:
        _assert_chat(record)
        got = (await sandbox_http.get(f"/v1/chat/{record['id']}")).json()
        assert got == {"data": record}
        transcript = (await sandbox_http.get(f"/v1/chat/{record['id']}/transcript")).json()
        assert set(transcript) == {"data"}
        assert set(transcript["data"]) <= {"participants", "entries", "transcriptionSource"}
        assert_documented(transcript["data"]["entries"], list[TRANSCRIPT_ENTRY])
        assert_documented(transcript["data"]["participants"], TRANSCRIPT_PARTICIPANT)
        for status in ("success", "all"):
            metrics = await sandbox_http.get(
                f"/v1/chat/{record['id']}/metrics", params={"status": status}
            )
            assert_documented(metrics.json(), call_list_metrics_response.CallListMetricsResponse)


# --- the crowd (the demo's few hundred extra conversations) ----------------------------------


async def test_the_crowd_answers_the_same_shapes() -> None:
    """The crowd's calls and chats (in progress, computing, failing, errored) as the list
    answers them, and the metrics and transcripts of a sample of them (every fourth, and every
    call not ended), on the newest page of each kind."""
    from datetime import UTC, datetime

    import httpx

    from roark_tui.sandbox import SandboxConfig, create_app

    app = create_app(SandboxConfig(crowd_until=datetime(2026, 12, 1, tzinfo=UTC), token=None))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sandbox.local"
    ) as client:
        for kind in ("call", "chat"):
            listed = (await client.get(f"/v1/{kind}", params={"limit": "100"})).json()
            if kind == "call":
                assert_documented(listed, call_list_response.CallListResponse)
            for record in listed["data"]:
                if kind == "chat":
                    _assert_chat(record)
            # Metrics and transcripts of a sample: every fourth, and every call not ended.
            sample = [
                r
                for i, r in enumerate(listed["data"])
                if i % 4 == 0 or r.get("status", "ENDED") != "ENDED"
            ]
            for record in sample:
                metrics = await client.get(f"/v1/{kind}/{record['id']}/metrics?status=all")
                assert_documented(metrics.json(), CALL_METRICS)
                transcript = (await client.get(f"/v1/{kind}/{record['id']}/transcript")).json()
                assert_documented(transcript["data"]["entries"], list[TRANSCRIPT_ENTRY])
