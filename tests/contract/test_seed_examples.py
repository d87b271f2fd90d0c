"""Each example of Roark's reference pages, through our code: the request examples go to the
sandbox (which must take them), the response examples to the client's parser (which must read
them). The examples live in seed_examples.json, copied from the pages with their addresses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from roark_tui.api import errors
from roark_tui.api.models import Chat, Envelope, MetricDefinition
from roark_tui.api.parsing import parse_model
from roark_tui.api.service import RoarkService

SEEDS = json.loads((Path(__file__).parent / "seed_examples.json").read_text())
REQUESTS = {seed["name"]: seed for seed in SEEDS["requests"]}
RESPONSES = {seed["name"]: seed for seed in SEEDS["responses"]}


def test_every_seed_names_its_page() -> None:
    for seed in [*SEEDS["requests"], *SEEDS["responses"]]:
        assert seed["source"].startswith("https://"), seed["name"]
    assert len(REQUESTS) == len(SEEDS["requests"]) and len(RESPONSES) == len(SEEDS["responses"])


@pytest.mark.parametrize("name", list(REQUESTS))
async def test_request_examples_are_taken_by_the_sandbox(sandbox_http: Any, name: str) -> None:
    seed = REQUESTS[name]
    body = {**seed["complete"], **seed["body"]} if "body" in seed else None
    response = await sandbox_http.request(
        seed["method"], seed["path"], params=seed.get("query"), json=body
    )
    if seed.get("not_served"):
        # Listed so the suite notices if the sandbox starts serving it without its example.
        assert response.status_code == 405, response.text
        return
    assert response.status_code == seed["status"], response.text
    if seed["method"] == "POST":
        created = parse_model(Envelope[MetricDefinition], response).data
        for key in ("name", "slug"):
            if key in body:
                assert getattr(created, key) == body[key]
        if "value" in body:
            assert created.threshold is not None
            assert created.threshold.threshold_value == body["value"]


def test_the_chat_example_reads_as_a_chat() -> None:
    seed = RESPONSES["a chat (get, and each list item)"]
    answer = httpx.Response(
        seed["status"], json=seed["body"], request=httpx.Request("GET", "http://x/v1/chat/1")
    )
    chat = parse_model(Envelope[Chat], answer).data
    example = seed["body"]["data"]
    assert (chat.id, chat.title, chat.summary) == (
        example["id"],
        example["title"],
        example["summary"],
    )
    assert chat.duration_ms == example["durationMs"]
    assert chat.properties == example["properties"]


async def test_the_rate_limit_example_reads_as_rate_limited() -> None:
    seed = RESPONSES["rate limited"]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    service = RoarkService(
        base_url="https://api.roark.ai",
        token="seed-example-token",
        transport=httpx.MockTransport(lambda _: httpx.Response(seed["status"], json=seed["body"])),
        sleep=sleep,
    )
    async with service:
        with pytest.raises(errors.RateLimited) as caught:
            await service.health()
    said = caught.value
    assert (said.type, said.code, said.message) == (
        seed["body"]["type"],
        seed["body"]["code"],
        seed["body"]["message"],
    )
    assert len(waits) == 2  # a GET is retried after a 429, then given up
