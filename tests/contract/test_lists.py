"""Lists and paging: the client asks for pages the API documents and follows every one.

Definitions: no bound is documented, so the client asks for 50 (the maximum of Roark's other
metric lists) and the sandbox refuses more, which makes a client that relies on a bigger page
fail here. Chats and calls: 1 to 100.
"""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.sandbox import demo_ids as ids


async def test_the_client_reads_every_definition_page(demo_service: Any, sandbox_app: Any) -> None:
    store = sandbox_app.state.sandbox.definitions
    assert len(store) > 50  # more than one page
    found = await demo_service.all_definitions()
    assert [d.id for d in found] == [d["id"] for d in store.ordered()]
    pages = [p for m, p in sandbox_app.state.sandbox.request_log if p == "/v1/metric/definitions"]
    assert len(pages) == -(-len(store) // 50)


@pytest.mark.parametrize(
    ("path", "highest"), [("/v1/metric/definitions", 50), ("/v1/chat", 100), ("/v1/call", 100)]
)
async def test_page_sizes_are_bounded_as_documented(
    sandbox_http: Any, path: str, highest: int
) -> None:
    assert (await sandbox_http.get(path, params={"limit": str(highest)})).status_code == 200
    for bad in (highest + 1, 0, "ten"):
        refused = await sandbox_http.get(path, params={"limit": str(bad)})
        assert refused.status_code == 400 and refused.json()["parameter"] == "limit"


async def test_the_client_pages_lists_of_chats_and_calls(demo_service: Any) -> None:
    first = await demo_service.list_chats(limit=3)
    second = await demo_service.list_chats(limit=3, after=first.pagination.next_cursor)
    assert first.pagination.has_more and first.pagination.total == len(ids.CHAT_IDS)
    assert not {c.id for c in first.data} & {c.id for c in second.data}
    calls = await demo_service.list_calls(limit=100)
    assert {c.id for c in calls.data} == set(ids.CALL_IDS) and not calls.pagination.has_more
