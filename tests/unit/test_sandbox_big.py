"""The size knob: SandboxConfig(big_conversation=(metrics, values_per_metric)) adds BIG_CHAT_ID
with that many values, built fast and once."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from roark_tui.sandbox import SandboxConfig, create_app
from roark_tui.sandbox import demo_ids as ids
from roark_tui.sandbox.big import big_chat


def client_for(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s")


async def test_big_chat_has_n_by_m_values_on_its_own_transcript() -> None:
    app = create_app(SandboxConfig(token=None, big_conversation=(12, 7)))
    async with client_for(app) as client:
        listed = (await client.get("/v1/chat", params={"limit": 100})).json()
        assert ids.BIG_CHAT_ID in {c["id"] for c in listed["data"]}
        assert listed["pagination"]["total"] == len(ids.CHAT_IDS) + 1
        record = (await client.get(f"/v1/chat/{ids.BIG_CHAT_ID}")).json()["data"]
        assert record["title"] == "Benchmark chat: 12 metrics x 7 values"
        entries = (await client.get(f"/v1/chat/{ids.BIG_CHAT_ID}/transcript")).json()["data"][
            "entries"
        ]
        grouped = (await client.get(f"/v1/chat/{ids.BIG_CHAT_ID}/metrics")).json()["data"]
        every = await client.get(f"/v1/chat/{ids.BIG_CHAT_ID}/metrics", params={"status": "all"})
        flat = (
            await client.get(f"/v1/chat/{ids.BIG_CHAT_ID}/metrics", params={"flatten": "true"})
        ).json()["data"]
    assert every.json()["data"] == grouped
    assert len(grouped) == 12 and all(len(g["values"]) == 7 for g in grouped)
    assert len(flat) == 84
    assert {g["type"] for g in grouped} == {"BOOLEAN", "NUMERIC", "SCALE", "COUNT"}
    # Served entries carry no id (none is documented): a segment is found by its offsets.
    by_span = {(e["startOffsetMs"], e["endOffsetMs"]): e for e in entries}
    for group in grouped:
        assert group["values"][0]["context"] == "CALL"
        for value in group["values"]:
            assert 150 <= len(value["valueReasoning"]) <= 260
            if value["context"] == "SEGMENT":
                segment = value["segment"]
                entry = by_span[(segment["startOffsetMs"], segment["endOffsetMs"])]
                assert segment["text"] == entry["text"] and "id" not in entry
    assert flat[8] == {
        **{k: v for k, v in grouped[1].items() if k != "values"},
        **grouped[1]["values"][1],
    }


def test_a_hundred_thousand_values_are_built_once() -> None:
    big = big_chat(200, 500)
    body = big.metrics_body(False)
    assert big.metrics_body(False) is body
    assert big_chat(200, 500) is big
    assert body.count(b'"captureStatus"') == 100_000
    assert body.count(b'"values"') == 200


def test_size_knob_is_checked() -> None:
    with pytest.raises(ValueError):
        SandboxConfig(big_conversation=(0, 10))
