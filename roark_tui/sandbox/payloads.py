"""The demo conversations, built once per process, and their response bodies as JSON bytes.

Seed data never changes while a process runs, so each conversation is built on first use and
each metrics body (grouped or flat, success or all) is encoded once and reused by every
sandbox in the process: a Pilot test that creates a fresh sandbox pays nothing for the data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

from roark_tui.sandbox.conversations import Conversation

SUCCESS = "SUCCESS"


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


@cache
def _builders() -> dict[str, Callable[[], Conversation]]:
    """How each seeded chat and call is built, by id: the chats in CHAT_IDS order, then calls."""
    from roark_tui.sandbox.computing import computing_chat
    from roark_tui.sandbox.demo_calls import CALL_BUILDERS
    from roark_tui.sandbox.demo_chats import CHAT_BUILDERS
    from roark_tui.sandbox.demo_ids import CHAT_IDS, COMPUTING_CHAT_ID

    chats = {**CHAT_BUILDERS, COMPUTING_CHAT_ID: computing_chat}
    return {**{conv_id: chats[conv_id] for conv_id in CHAT_IDS}, **CALL_BUILDERS}


_built: dict[str, Conversation] = {}


def conversation(conv_id: str) -> Conversation | None:
    """One seeded chat or call, built on its first use (`--demo chat <id> --json` builds just
    the one it prints); None for an id that is not seeded."""
    return _seeded(conv_id) if conv_id in _builders() else None


def conversations() -> dict[str, Conversation]:
    """Every seeded chat and call by id."""
    return {conv_id: _seeded(conv_id) for conv_id in _builders()}


def _seeded(conv_id: str) -> Conversation:
    if conv_id not in _built:
        _built[conv_id] = _builders()[conv_id]()
    return _built[conv_id]


def groups_for(
    conv: Conversation, *, status: str, visible: int | None = None
) -> list[dict[str, Any]]:
    """The metric groups served: with status=success only SUCCESS values (and groups that
    keep at least one); `visible` limits them to the first n (the computing scenario)."""
    return with_status(conv.groups if visible is None else conv.groups[:visible], status)


def with_status(groups: list[dict[str, Any]], status: str) -> list[dict[str, Any]]:
    if status == "all":
        return groups
    kept = []
    for group in groups:
        values = [v for v in group["values"] if v["captureStatus"] == SUCCESS]
        if values:
            kept.append({**group, "values": values})
    return kept


def flat_rows(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """flatten=true (docs/contract.md): one row per value, metric-level fields merged in."""
    rows: list[dict[str, Any]] = []
    for group in groups:
        header = {k: v for k, v in group.items() if k != "values"}
        rows.extend({**header, **value} for value in group["values"])
    return rows


_metrics_cache: dict[tuple[str, str, bool, int | None], bytes] = {}


def metrics_body(
    conv: Conversation, *, status: str, flatten: bool, visible: int | None = None
) -> bytes:
    key = (conv.id, status, flatten, visible)
    body = _metrics_cache.get(key)
    if body is None:
        groups = groups_for(conv, status=status, visible=visible)
        body = dumps({"data": flat_rows(groups) if flatten else groups})
        _metrics_cache[key] = body
    return body


def encode_groups(groups: list[dict[str, Any]], *, status: str, flatten: bool) -> bytes:
    """A metrics body of groups that change while the sandbox runs (never cached)."""
    kept = with_status(groups, status)
    return dumps({"data": flat_rows(kept) if flatten else kept})


def visible_groups(conv: Conversation, elapsed: float) -> int:
    """How many of a scheduled conversation's groups have appeared after `elapsed` seconds."""
    return sum(1 for t in conv.appear_at if t <= elapsed)


_transcript_cache: dict[str, bytes] = {}


def transcript_body(conv: Conversation) -> bytes:
    """The transcript as served: its entries without the `id` the sandbox keeps to tie metric
    segments to them (the API documents no entry id)."""
    body = _transcript_cache.get(conv.id)
    if body is None:
        entries = [{k: v for k, v in e.items() if k != "id"} for e in conv.entries]
        body = dumps({"data": {**conv.transcript, "entries": entries}})
        _transcript_cache[conv.id] = body
    return body
