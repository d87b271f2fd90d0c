"""The fault matrix on the two new writes: a definition update (PUT) and a collection job
(POST). Each is sent once: the server never receives a second one for one action, whatever
fails; after an unclear answer the state is read back (the definition's version, the job
list), and the caller gets what the server has, or an error saying what is known."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from rel_support import CASE_IDS, CASES, Case, LiveSandbox, SwitchTransport, make_service

from roark_tui.api import errors, write_once
from roark_tui.core.definition_diff import applied
from roark_tui.sandbox.demo_ids import FAILING_CHAT_ID

JOBS = "/v1/metric/collection-jobs"
# What the caller gets: "ok" (a plain answer), "confirmed" (read back), or the error class.
OUTCOME: dict[str, Any] = {
    "timeout": errors.Unconfirmed,
    "refused": errors.Unconfirmed,
    "dropped": "confirmed",
    "http_500": errors.ServerError,
    "http_502": errors.ServerError,
    "http_503": errors.ServerError,
    "rate_limited": errors.RateLimited,
    "html_page": errors.ServerError,
    "truncated_json": "confirmed",
    "wrong_shape": "confirmed",
    "unknown_enums": "ok",
    "revoked_401": errors.AuthError,
    "not_found_404": errors.NotFound,
}


@pytest_asyncio.fixture
async def service(live_sandbox: LiveSandbox) -> AsyncIterator[tuple[Any, SwitchTransport]]:
    transport = SwitchTransport(live_sandbox.received)
    svc = make_service(live_sandbox.base_url, transport)
    live_sandbox.reset()
    try:
        yield svc, transport
    finally:
        live_sandbox.reset()
        await svc.aclose()
        await transport.aclose()


async def outcome(write: Any) -> Any:
    try:
        written = await write
    except errors.ApiError as exc:
        return type(exc)
    return "confirmed" if written.note else "ok"


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_a_collection_job_is_posted_once(
    case: Case, live_sandbox: LiveSandbox, service: tuple[Any, SwitchTransport]
) -> None:
    svc, transport = service
    mark = live_sandbox.mark()
    case.apply(live_sandbox, transport, "POST", JOBS)
    result = await outcome(
        write_once.start_collection_job(svc, "chat", [FAILING_CHAT_ID], ["loop_count"])
    )
    transport.reset()
    live_sandbox.reset()
    assert live_sandbox.requests_since(mark, "POST", JOBS) == case.server_posts
    assert result == OUTCOME[case.name]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_a_definition_update_is_put_once(
    case: Case, live_sandbox: LiveSandbox, service: tuple[Any, SwitchTransport]
) -> None:
    svc, transport = service
    current = await svc.get_definition("customer_intent")
    body = {"name": f"Customer Intent ({case.name})", "changeReason": "fault test"}
    mark = live_sandbox.mark()
    path = f"/v1/metric/definitions/{current.id}"
    case.apply(live_sandbox, transport, "PUT", path)
    result = await outcome(write_once.update_definition(svc, current, body, applied))
    transport.reset()
    live_sandbox.reset()
    assert live_sandbox.requests_since(mark, "PUT", path) == case.server_posts
    assert result == OUTCOME[case.name]
    after = await svc.get_definition(current.id)
    assert (after.name == body["name"]) == case.route_runs or case.name == "timeout"
