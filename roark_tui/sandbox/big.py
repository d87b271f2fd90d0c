"""The benchmark conversation: BIG_CHAT_ID with N metrics x M values (up to 100k values).

Asked for with `SandboxConfig(big_conversation=(N, M))`. A 200-message transcript; metric i
cycles through BOOLEAN / NUMERIC / SCALE / COUNT (the BOOLEAN ones are checks, some failing:
yes/no LLM judges, whose definitions the sandbox lists while it serves this chat);
its first value is the CALL row and the others are SEGMENT rows on transcript entries (segments
match their entries), each with about 200 characters of reasoning. All values are SUCCESS, so
status=success and status=all answer the same. The JSON is written straight from string pieces
(no dict per value) and kept per size, so 100k values cost a fraction of a second once per
process. Only the BOOLEAN metrics are in the definitions list: a metric of another type is no
check whatever its calculation, so the others need none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from roark_tui.sandbox.catalog import base_definition
from roark_tui.sandbox.conversations import (
    CHAT_PACE,
    Conversation,
    chat_record,
    segment,
    stable_id,
    transcript,
)
from roark_tui.sandbox.demo_ids import BIG_CHAT_ID

ENTRIES = 200
TYPES = ("BOOLEAN", "NUMERIC", "SCALE", "COUNT")
_CUSTOMER_LINES = (
    "The invoice for last month still shows the old address.",
    "Can you check whether the replacement part has shipped?",
    "I was on hold for twenty minutes before this chat opened.",
    "That's not what the previous agent told me.",
)
_AGENT_LINES = (
    "Let me look that up for you right away.",
    "I can see the order here; it left our warehouse this morning.",
    "I'm sorry about the wait. I've updated the address on your account.",
    "Thanks for your patience. Here is what I found on your account.",
)
_FILLER = (
    "The agent acknowledged the request, restated it accurately and answered with the "
    "information on the account; no policy was misquoted, and the customer did not have to "
    "repeat anything in this part of the chat."
)


@dataclass
class BigChat:
    conversation: Conversation
    metrics: int
    per_metric: int
    _bodies: dict[bool, bytes] = field(default_factory=dict)

    def metrics_body(self, flatten: bool) -> bytes:
        body = self._bodies.get(flatten)
        if body is None:
            body = _encode(self, flatten)
            self._bodies[flatten] = body
        return body


@lru_cache(maxsize=2)
def big_chat(metrics: int, per_metric: int) -> BigChat:
    turns = [
        ("C", _CUSTOMER_LINES[i // 2 % 4]) if i % 2 == 0 else ("A", _AGENT_LINES[i // 2 % 4])
        for i in range(ENTRIES)
    ]
    agent = stable_id("agent", "benchmark-assistant")
    body = transcript(
        BIG_CHAT_ID,
        turns,
        CHAT_PACE,
        agent_id=agent,
        customer_id=stable_id(BIG_CHAT_ID, "customer"),
    )
    record = chat_record(
        BIG_CHAT_ID,
        start="2026-11-17T09:00:00.000Z",
        title=f"Benchmark chat: {metrics} metrics x {per_metric} values",
        summary="A long support chat scored by many metrics, for performance tests.",
        agent_id=agent,
        customer="Benchmark Customer",
        properties={"channel": "benchmark"},
        transcript_body=body,
        external_id="bench-" + BIG_CHAT_ID[:8],
    )
    return BigChat(Conversation("chat", BIG_CHAT_ID, record, body), metrics, per_metric)


def _slug(i: int) -> str:
    return f"bench_metric_{i:05d}"


def _definition_id(i: int) -> str:
    return stable_id("bench-metric", str(i))


def definitions(metrics: int) -> list[dict[str, Any]]:
    """The definitions of the chat's BOOLEAN metrics: yes/no LLM judges a project authored,
    which makes them checks (a PROVIDER BOOLEAN would be a plain reading)."""
    found = []
    for i in range(0, metrics, len(TYPES)):  # TYPES[0] is BOOLEAN
        body = base_definition(
            def_id=_definition_id(i),
            slug=_slug(i),
            name=f"Benchmark metric {i}",
            description=f"Synthetic boolean metric {i}",
            calculation="LLM_JUDGE",
            output_type="BOOLEAN",
        )
        body["llmPrompt"] = f"Did the agent keep benchmark rule {i}?"
        found.append(body)
    return found


_NUMERIC = tuple(f"{n / 10:.1f}" for n in range(1000))
_SCALE = tuple(str(1 + n) for n in range(5))
_COUNT = tuple(str(n) for n in range(4))


def _value(kind: str, i: int, k: int) -> str:
    if kind == "BOOLEAN":
        return "true" if (i + k) % 3 else "false"
    if kind == "NUMERIC":
        return _NUMERIC[(i * 7 + k * 13) % 1000]
    if kind == "SCALE":
        return _SCALE[(i + k) % 5]
    return _COUNT[(i + k) % 4]


def _encode(big: BigChat, flatten: bool) -> bytes:
    """The metrics body, assembled from per-entry pieces prepared once (the hot loop only
    joins strings)."""
    entries = big.conversation.entries
    filler = json.dumps(_FILLER)[1:-1]
    head = '"captureStatus":"SUCCESS","computedAt":"2026-11-17T09:31:12.000Z",'
    tails = [
        f'"context":"SEGMENT","segment":{json.dumps(segment(e), ensure_ascii=False)},'
        f'"confidence":0.9,"valueReasoning":"Message {j + 1} of {len(entries)}: {filler}",'
        '"policyIds":[]'
        for j, e in enumerate(entries)
    ]
    pieces: list[str] = ['{"data":[']
    for i in range(big.metrics):
        kind = TYPES[i % len(TYPES)]
        # BOOLEAN metrics are checks (see definitions), a third of whose values are false, so
        # a client opens this chat on a failing check, as it does a real failing conversation.
        slug = _slug(i)
        header = (
            f'"metricDefinitionId":"{_definition_id(i)}","slug":"{slug}",'
            f'"metricId":"{slug}","name":"Benchmark metric {i}",'
            f'"description":"Synthetic {kind.lower()} metric {i}","type":"{kind}",'
            '"scope":"GLOBAL"'
        )
        call_tail = (
            f'"context":"CALL","confidence":0.9,"valueReasoning":"Whole chat, metric {i}: '
            f'{filler}","policyIds":[]'
        )
        base = i * big.per_metric
        if i:
            pieces.append(",")
        if not flatten:
            pieces.append("{" + header + ',"values":[')
        for k in range(big.per_metric):
            tail = tails[(base + k) % len(entries)] if k else call_tail
            fields = f'{head}"value":{_value(kind, i, k)},{tail}'
            separator = "," if k else ""
            if flatten:
                pieces.append(f"{separator}{{{header},{fields}}}")
            else:
                pieces.append(f"{separator}{{{fields}}}")
        if not flatten:
            pieces.append("]}")
    pieces.append("]}")
    return "".join(pieces).encode()
