"""The definitions the session last listed whole (api/known_definitions.py): one walk shared by
the callers who ask while it is under way, a failure kept by nobody, a walk a forget()
overtook walked again; and the service's use of it against the in-process sandbox: the
list known after a walk, forgotten by any write to a definition (even a refused or unclear one)
and by another project.

No waits on time: a walk is held on an asyncio.Event the test sets.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from inspect import CORO_SUSPENDED, getcoroutinestate
from typing import Any

import pytest
from pilot_support import WAIT_LIMIT, sandbox_service

from roark_tui.api import errors
from roark_tui.api.known_definitions import KnownDefinitions
from roark_tui.api.models import MetricDefinition
from roark_tui.api.service import RoarkService
from roark_tui.sandbox import Fault
from roark_tui.sandbox.demo_ids import VOICE_PROJECT_ID

DEFINITIONS = "/v1/metric/definitions"


def definition(slug: str) -> MetricDefinition:
    return MetricDefinition.model_validate({"id": f"id-{slug}", "slug": slug, "name": slug})


class HeldWalk:
    """A walk that waits on `release` and then answers `answer` (or raises `error`); counts
    how often it was started."""

    def __init__(self, answer: list[MetricDefinition] | None = None) -> None:
        self.answer = answer if answer is not None else [definition("a"), definition("b")]
        self.error: Exception | None = None
        self.release = asyncio.Event()
        self.started = 0
        self.waiting = asyncio.Event()

    async def __call__(self) -> list[MetricDefinition]:
        self.started += 1
        self.waiting.set()
        await self.release.wait()
        if self.error is not None:
            raise self.error
        return list(self.answer)


async def until_waiting(*tasks: asyncio.Task[Any]) -> None:
    """Until every other task of the loop (the callers, and the walks they started) is
    suspended at an await: a caller's only await is the walk it shares, a walk's only one its
    release. A condition, looked at as the loop turns."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_LIMIT

    def suspended(task: asyncio.Task[Any]) -> bool:
        return getcoroutinestate(task.get_coro()) == CORO_SUSPENDED  # type: ignore[arg-type]

    while not all(suspended(t) for t in asyncio.all_tasks() - {asyncio.current_task()}):
        assert loop.time() < deadline, "the tasks never all reached a held walk"
        await asyncio.sleep(0)
    assert not any(task.done() for task in tasks)


# --- KnownDefinitions on plain coroutines ------------------------------------------------------


async def test_nothing_is_known_before_a_walk_and_the_list_is_kept_after_one() -> None:
    known = KnownDefinitions()
    walk = HeldWalk()
    walk.release.set()
    assert known.latest is None
    found = await known.fetch(walk)
    assert found == walk.answer
    assert known.latest == walk.answer
    # Copies: a caller changing its list does not change what is known.
    found.clear()
    latest = known.latest
    assert latest is not None
    latest.clear()
    assert known.latest == walk.answer


async def test_callers_asking_while_a_walk_is_under_way_share_it() -> None:
    known = KnownDefinitions()
    walk = HeldWalk()
    first = asyncio.create_task(known.fetch(walk))
    await walk.waiting.wait()
    second = asyncio.create_task(known.fetch(walk))
    await until_waiting(first, second)
    assert walk.started == 1
    walk.release.set()
    assert await first == await second == walk.answer
    assert walk.started == 1
    assert known.latest == walk.answer
    # The walk is over: the next caller gets a fresh one.
    assert await known.fetch(walk) == walk.answer
    assert walk.started == 2


async def test_a_failed_walk_reaches_every_caller_and_is_not_kept() -> None:
    known = KnownDefinitions()
    walk = HeldWalk()
    walk.error = errors.ServerError("down")
    callers = [asyncio.create_task(known.fetch(walk)) for _ in range(2)]
    await until_waiting(*callers)
    walk.release.set()
    outcomes = await asyncio.gather(*callers, return_exceptions=True)
    assert [type(o) for o in outcomes] == [errors.ServerError, errors.ServerError]
    assert walk.started == 1
    assert known.latest is None
    # Not kept as a walk either: the next caller starts a new one, which may succeed.
    walk.error = None
    assert await known.fetch(walk) == walk.answer
    assert walk.started == 2 and known.latest == walk.answer


async def test_a_failed_walk_leaves_the_list_known_before_it() -> None:
    known = KnownDefinitions()
    walk = HeldWalk()
    walk.release.set()
    await known.fetch(walk)
    walk.error = errors.ServerError("down")
    with pytest.raises(errors.ServerError):
        await known.fetch(walk)
    assert known.latest == walk.answer


class ServerWalk:
    """A walk that reads `server` when it starts and answers that once `release` is set, as a
    walk of pages reads what the server held when it went by."""

    def __init__(self) -> None:
        self.server = [definition("before the write")]
        self.release = asyncio.Event()
        self.started = 0

    async def __call__(self) -> list[MetricDefinition]:
        self.started += 1
        read = list(self.server)
        await self.release.wait()
        return read


async def test_a_walk_a_write_overtook_is_walked_again() -> None:
    known = KnownDefinitions()
    walk = ServerWalk()
    callers = [asyncio.create_task(known.fetch(walk)) for _ in range(2)]
    await until_waiting(*callers)
    known.forget()  # a write while the walk was out
    assert known.latest is None
    walk.server = [definition("after the write")]
    walk.release.set()
    assert await asyncio.gather(*callers) == [walk.server, walk.server]
    assert known.latest == walk.server
    assert walk.started == 2  # walked again, once for both callers


async def test_after_forget_a_new_caller_starts_its_own_walk() -> None:
    known = KnownDefinitions()
    walk = ServerWalk()
    early = asyncio.create_task(known.fetch(walk))
    await until_waiting(early)
    known.forget()
    walk.server = [definition("after the write")]
    late = asyncio.create_task(known.fetch(walk))
    await until_waiting(early, late)
    assert walk.started == 2  # not joined to the walk that began before the forget
    walk.release.set()
    assert await late == await early == walk.server
    assert known.latest == walk.server


async def test_a_caller_cancelled_while_others_wait_does_not_cancel_the_walk() -> None:
    known = KnownDefinitions()
    walk = HeldWalk()
    leaving = asyncio.create_task(known.fetch(walk))
    staying = asyncio.create_task(known.fetch(walk))
    await until_waiting(leaving, staying)
    leaving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leaving
    assert not staying.done()
    walk.release.set()
    assert await staying == walk.answer
    assert walk.started == 1
    assert known.latest == walk.answer


async def test_a_walk_every_caller_left_runs_on_and_is_shared_by_the_next() -> None:
    known = KnownDefinitions()
    walk = HeldWalk()
    leaving = asyncio.create_task(known.fetch(walk))
    await until_waiting(leaving)
    leaving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leaving
    later = asyncio.create_task(known.fetch(walk))
    await until_waiting(later)
    walk.release.set()
    assert await later == walk.answer
    assert walk.started == 1


# --- the service against the sandbox ----------------------------------------------------------


@pytest.fixture
async def service(sandbox_app: Any) -> AsyncIterator[RoarkService]:
    service = sandbox_service(sandbox_app)
    try:
        yield service
    finally:
        await service.aclose()


def definition_gets(sandbox_app: Any) -> int:
    log = sandbox_app.state.sandbox.request_log
    return sum(1 for method, path in log if method == "GET" and path == DEFINITIONS)


async def test_the_service_knows_the_list_only_after_a_walk(service: RoarkService) -> None:
    assert service.known_definitions is None
    walked = await service.all_definitions()
    assert len(walked) > 50
    assert service.known_definitions == walked
    # A single definition read is no walk, and does not forget.
    await service.get_definition("loop_count")
    assert service.known_definitions == walked


async def test_two_concurrent_asks_send_one_walks_requests(
    service: RoarkService, sandbox_app: Any
) -> None:
    await service.all_definitions()
    one_walk = definition_gets(sandbox_app)
    assert one_walk >= 2  # more than one page: the walk is a sequence of requests

    service.set_project(None)  # forgets the list, so the next asks walk again
    first, second = await asyncio.gather(service.all_definitions(), service.all_definitions())
    assert first == second and len(first) > 50
    assert definition_gets(sandbox_app) == 2 * one_walk


async def test_a_walk_that_fails_is_not_kept(service: RoarkService, sandbox_app: Any) -> None:
    sandbox_app.state.sandbox.faults.add(
        Fault("status", status=500, path=DEFINITIONS, method="GET", times=1)
    )
    with pytest.raises(errors.ServerError):
        await service.all_definitions()
    assert service.known_definitions is None
    assert len(await service.all_definitions()) > 50
    assert service.known_definitions is not None


NEW_JUDGE = {
    "calculationType": "LLM_JUDGE",
    "name": "Offered a callback",
    "outputType": "BOOLEAN",
    "llmPrompt": "Did the agent offer a callback when it could not help?",
}


async def known_then(service: RoarkService) -> None:
    await service.all_definitions()
    assert service.known_definitions is not None


async def test_a_created_definition_forgets_the_list(service: RoarkService) -> None:
    await known_then(service)
    made = await service.create_definition(NEW_JUDGE)
    assert service.known_definitions is None
    walked = await service.all_definitions()
    assert made.id in {d.id for d in walked}
    assert service.known_definitions == walked


async def test_a_created_threshold_forgets_the_list(service: RoarkService) -> None:
    await known_then(service)
    check = await service.create_threshold(
        "loop_count", {"operator": "EQUALS", "value": "0", "name": "No loops at all"}
    )
    assert service.known_definitions is None
    assert check.id in {d.id for d in await service.all_definitions()}


async def test_an_updated_definition_forgets_the_list(service: RoarkService) -> None:
    await known_then(service)
    await service.update_definition("agent_verified_caller", {"llmPrompt": "Verified?"})
    assert service.known_definitions is None


async def test_refused_writes_forget_the_list_too(service: RoarkService) -> None:
    bad_scale = {**NEW_JUDGE, "outputType": "SCALE", "scaleMin": 5, "scaleMax": 1}
    await known_then(service)
    with pytest.raises(errors.RequestRejected):
        await service.create_definition(bad_scale)
    assert service.known_definitions is None

    await known_then(service)
    with pytest.raises(errors.Conflict):
        taken = {"operator": "EQUALS", "value": "0", "slug": "loop_count_check", "name": "x"}
        await service.create_threshold("loop_count", taken)
    assert service.known_definitions is None

    await known_then(service)
    with pytest.raises(errors.RequestRejected):
        await service.update_definition("agent_verified_caller", {"slug": "renamed"})
    assert service.known_definitions is None


@pytest.mark.parametrize(
    ("fault", "method", "path"),
    [
        (Fault("status", status=500), "POST", DEFINITIONS),
        (Fault("drop"), "POST", f"{DEFINITIONS}/loop_count/thresholds"),
        (Fault("truncate"), "PUT", f"{DEFINITIONS}/agent_verified_caller"),
    ],
)
async def test_a_failed_or_unclear_write_forgets_the_list(
    service: RoarkService, sandbox_app: Any, fault: Fault, method: str, path: str
) -> None:
    """A 5xx, a dropped connection or an answer that cannot be read: the write may have landed."""
    await known_then(service)
    fault.method, fault.path, fault.times = method, path, 1
    sandbox_app.state.sandbox.faults.add(fault)
    with pytest.raises(errors.ApiError):
        if path == DEFINITIONS:
            await service.create_definition(NEW_JUDGE)
        elif path.endswith("/thresholds"):
            await service.create_threshold("loop_count", {"operator": "EQUALS", "value": "0"})
        else:
            await service.update_definition("agent_verified_caller", {"llmPrompt": "Verified?"})
    assert sandbox_app.state.sandbox.faults.rules == []  # the fault was met, not skipped
    assert service.known_definitions is None


async def test_another_project_forgets_the_list(service: RoarkService) -> None:
    await known_then(service)
    service.set_project(VOICE_PROJECT_ID)
    assert service.known_definitions is None
    await known_then(service)
    service.set_project(None)
    assert service.known_definitions is None


async def test_a_walk_a_write_overtook_answers_with_the_definitions_after_it(
    service: RoarkService,
) -> None:
    """The walk may have read the definitions before the write: it is walked again, so its
    callers and the session judge with what the write made."""
    release = asyncio.Event()
    real = service._walk_definitions

    async def held() -> list[MetricDefinition]:
        await release.wait()
        return await real()

    service._walk_definitions = held  # type: ignore[method-assign]
    walking = asyncio.create_task(service.all_definitions())
    await until_waiting(walking)
    await service.update_definition("agent_verified_caller", {"llmPrompt": "Verified?"})
    release.set()
    found = await walking
    assert next(d for d in found if d.slug == "agent_verified_caller").llm_prompt == "Verified?"
    assert service.known_definitions == found
