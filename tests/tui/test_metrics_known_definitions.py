"""The metrics screen with the definitions the session already knows, and the header that waits
for the metrics: both made observable by a service whose definitions walk and metrics request
are held on asyncio.Events the test releases, never by timing.

- Opened again in the same session, a conversation's first failure is selected with the known
  definitions while a fresh walk is still held; once the metrics are shown the screen walks
  again, and rebuilds (with the new judgement) only if the list changed.
- A conversation that comes before its metrics is shown with them; when the metrics fail, it is
  shown anyway.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import httpx
import pytest
from pilot_support import rendered, screen_text, settle, until
from textual.pilot import Pilot

from roark_tui.api.models import MetricDefinition, MetricGroup
from roark_tui.api.service import RoarkService
from roark_tui.core.metric_tree import Status
from roark_tui.sandbox import Fault
from roark_tui.sandbox.demo_ids import DEMO_TOKEN, FAILING_CHAT_ID
from roark_tui.tui.app import RoarkApp
from roark_tui.tui.screens.lookup import LookupScreen
from roark_tui.tui.screens.metrics import MetricsScreen
from roark_tui.tui.widgets.conversation_header import ConversationHeader
from roark_tui.tui.widgets.states import StatePanel

DEFINITIONS = "/v1/metric/definitions"
TITLE = "Duplicate charge on Pro plan"  # FAILING_CHAT_ID's
# FAILING_CHAT_ID's first failure with every definition known, and the one after it.
FIRST_FAILURE = "empathy_score_check"
NEXT_FAILURE = "agent_verified_caller"


class HeldService(RoarkService):
    """The sandbox's service, with gates: while `definitions_gate` (or `metrics_gate`) is set
    to an unset Event, a definitions walk (or a metrics request) waits for it before sending
    anything. `hide` drops definitions (by slug) from what a walk returns, as if they had
    changed on the server."""

    def __init__(self, sandbox_app: Any) -> None:
        super().__init__(
            base_url="http://sandbox.local",
            token=DEMO_TOKEN,
            transport=httpx.ASGITransport(app=sandbox_app),
            allow_insecure=True,
            max_retries=0,
        )
        self.definitions_gate: asyncio.Event | None = None
        self.metrics_gate: asyncio.Event | None = None
        self.walks_started = 0
        self.walks_held = 0
        self.hide: set[str] = set()

    async def _walk_definitions(self) -> list[MetricDefinition]:
        self.walks_started += 1
        gate = self.definitions_gate
        if gate is not None and not gate.is_set():
            self.walks_held += 1
            await gate.wait()
        found = await super()._walk_definitions()
        return [d for d in found if d.slug not in self.hide]

    async def conversation_metrics(
        self, kind: Literal["chat", "call"], conv_id: str, *, status: str | None = None
    ) -> list[MetricGroup]:
        gate = self.metrics_gate
        if gate is not None:
            await gate.wait()
        return await super().conversation_metrics(kind, conv_id, status=status)


def held_app(service: HeldService, start: tuple[str, str] | None = None) -> RoarkApp:
    return RoarkApp(lambda: service, start=start)


def definition_gets(sandbox_app: Any) -> int:
    log = sandbox_app.state.sandbox.request_log
    return sum(1 for method, path in log if method == "GET" and path == DEFINITIONS)


def marks(screen: MetricsScreen) -> dict[str, str]:
    return {
        node.data.row.key: str(node.label)[0]
        for node in screen.metric_tree.root.children
        if node.data is not None
    }


def selected_key(screen: MetricsScreen) -> str | None:
    ref = screen.metric_tree.selected
    return None if ref is None else ref.row.key


async def open_again(pilot: Pilot[None], conv_id: str) -> MetricsScreen:
    """From the lookup screen, open `conv_id` as a user does (typed, enter), without waiting
    for the screen's workers (one of them may be held)."""
    app = pilot.app
    assert isinstance(app.screen, LookupScreen), app.screen_stack
    lookup_input = app.screen.query_one("#lookup-input")
    lookup_input.value = conv_id  # type: ignore[attr-defined]
    lookup_input.focus()
    await pilot.press("enter")
    await until(
        pilot, lambda: isinstance(app.screen, MetricsScreen), "the metrics screen", workers=False
    )
    screen = app.screen
    assert isinstance(screen, MetricsScreen)
    return screen


async def first_visit_then_back(pilot: Pilot[None], service: HeldService) -> None:
    """The conversation opened once (its definitions walked whole), then back to the lookup."""
    app = pilot.app
    await settle(pilot)
    first = app.screen
    assert isinstance(first, MetricsScreen)
    assert selected_key(first) == FIRST_FAILURE
    assert app.known_definitions is not None  # type: ignore[attr-defined]
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(app.screen, LookupScreen)


async def test_opened_again_the_first_failure_is_selected_before_a_walk_ends(
    sandbox_app: Any,
) -> None:
    service = HeldService(sandbox_app)
    app = held_app(service, ("chat", FAILING_CHAT_ID))
    async with app.run_test(size=(120, 40)) as pilot:
        await first_visit_then_back(pilot, service)
        known = app.known_definitions
        assert known is not None
        # Meanwhile the failing check's definition goes away on the server: the next walk no
        # longer makes it a check, so its yes/no values become unknown.
        service.hide = {FIRST_FAILURE}
        service.definitions_gate = asyncio.Event()
        gets = definition_gets(sandbox_app)

        screen = await open_again(pilot, FAILING_CHAT_ID)
        await until(pilot, lambda: screen.groups is not None, "the metrics", workers=False)
        # Selected in the first build, judged with the known list: no walk has ended (any walk
        # is held and has sent nothing).
        ref = screen.metric_tree.selected
        assert ref is not None and ref.row.key == FIRST_FAILURE
        assert ref.row.check and ref.value is not None and ref.value.status is Status.FAIL
        assert marks(screen)[FIRST_FAILURE] == "✘"
        assert screen.definitions == known
        assert definition_gets(sandbox_app) == gets

        # Once the metrics are shown, the screen checks its list against a fresh walk.
        await until(pilot, lambda: service.walks_held > 0, "a fresh walk", workers=False)
        assert selected_key(screen) == FIRST_FAILURE
        service.definitions_gate.set()
        await settle(pilot)
        assert definition_gets(sandbox_app) > gets
        # The list differed: the tree is built again, judged with the new one.
        assert all(d.slug != FIRST_FAILURE for d in screen.definitions)
        assert marks(screen)[FIRST_FAILURE] == "?"
        assert selected_key(screen) == NEXT_FAILURE
        assert app.known_definitions == screen.definitions


async def test_opened_again_an_unchanged_list_is_checked_without_a_rebuild(
    sandbox_app: Any,
) -> None:
    service = HeldService(sandbox_app)
    app = held_app(service, ("chat", FAILING_CHAT_ID))
    async with app.run_test(size=(120, 40)) as pilot:
        await first_visit_then_back(pilot, service)
        service.definitions_gate = asyncio.Event()
        gets = definition_gets(sandbox_app)

        screen = await open_again(pilot, FAILING_CHAT_ID)
        await until(pilot, lambda: service.walks_held > 0, "a fresh walk", workers=False)
        assert selected_key(screen) == FIRST_FAILURE
        rebuilds: list[bool] = []
        real = screen.rebuild

        def counted(*, select_first: bool = False) -> None:
            rebuilds.append(select_first)
            real(select_first=select_first)

        screen.rebuild = counted  # type: ignore[method-assign]
        service.definitions_gate.set()
        await settle(pilot)
        assert definition_gets(sandbox_app) > gets  # the walk was made
        assert rebuilds == []  # and found nothing new: the tree stands as built
        assert selected_key(screen) == FIRST_FAILURE


def header_text(screen: MetricsScreen) -> str:
    return rendered(screen.query_one(ConversationHeader).content)


async def conversation_in_metrics_held(pilot: Pilot[None]) -> MetricsScreen:
    """The metrics screen once its conversation is in (load_header is done with it) while its
    metrics are held: the header is waiting for them."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, MetricsScreen), "the screen", workers=False)
    screen = app.screen
    assert isinstance(screen, MetricsScreen)
    await until(pilot, lambda: screen.conversation is not None, "the conversation", workers=False)
    assert screen.groups is None and screen._header_waits
    return screen


async def test_the_header_waits_for_the_metrics_then_both_show(sandbox_app: Any) -> None:
    service = HeldService(sandbox_app)
    service.metrics_gate = asyncio.Event()
    app = held_app(service, ("chat", FAILING_CHAT_ID))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await conversation_in_metrics_held(pilot)
        shown = header_text(screen)
        assert FAILING_CHAT_ID in shown and TITLE not in shown
        assert "agents" not in shown  # only the bare kind and id line
        service.metrics_gate.set()
        await until(pilot, lambda: screen.groups is not None, "the metrics", workers=False)
        # Shown together: the same step that shows the metrics shows the header.
        shown = header_text(screen)
        assert TITLE in shown and f"id {FAILING_CHAT_ID}" in shown
        assert screen.metric_tree.selected is not None
        await settle(pilot)


async def test_the_header_is_shown_when_the_metrics_fail(sandbox_app: Any) -> None:
    sandbox_app.state.sandbox.faults.add(
        Fault("status", status=500, path=f"/v1/chat/{FAILING_CHAT_ID}/metrics", method="GET")
    )
    service = HeldService(sandbox_app)
    service.metrics_gate = asyncio.Event()
    app = held_app(service, ("chat", FAILING_CHAT_ID))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await conversation_in_metrics_held(pilot)
        assert TITLE not in header_text(screen)
        service.metrics_gate.set()
        await settle(pilot)
        assert screen.groups is None and not screen.loaded  # the metrics failed: a state
        assert screen.query_one(StatePanel).display
        assert "HTTP 500" in screen_text(app)
        assert TITLE in header_text(screen)


async def test_a_fresh_start_judges_with_the_definitions_kept_from_an_earlier_run(
    sandbox_app: Any,
) -> None:
    """`roark-tui chat <id>` started again: the first failure is selected with the copy kept
    by the run before, while this run's own walk is still held; the fresh list is then kept."""
    from roark_tui.state import kept_definitions

    first = HeldService(sandbox_app)
    async with held_app(first, ("chat", FAILING_CHAT_ID)).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
    kept = kept_definitions.load()
    assert kept is not None and any(d.slug == FIRST_FAILURE for d in kept)

    service = HeldService(sandbox_app)
    service.definitions_gate = asyncio.Event()
    service.hide = {FIRST_FAILURE}  # gone on the server since the copy was kept
    app = held_app(service, ("chat", FAILING_CHAT_ID))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: service.walks_held > 0, "this run's walk", workers=False)
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        await until(
            pilot, lambda: selected_key(screen) is not None, "a selected metric", workers=False
        )
        assert selected_key(screen) == FIRST_FAILURE and marks(screen)[FIRST_FAILURE] == "✘"
        assert screen.definitions == kept

        service.definitions_gate.set()
        await settle(pilot)
        assert selected_key(screen) == NEXT_FAILURE and marks(screen)[FIRST_FAILURE] == "?"
    again = kept_definitions.load()
    assert again is not None and all(d.slug != FIRST_FAILURE for d in again)


async def test_without_a_kept_copy_a_fresh_start_waits_for_its_walk(sandbox_app: Any) -> None:
    service = HeldService(sandbox_app)
    service.definitions_gate = asyncio.Event()
    app = held_app(service, ("chat", FAILING_CHAT_ID))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await until(pilot, lambda: isinstance(app.screen, MetricsScreen), "the metrics screen")
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        await until(pilot, lambda: screen.groups is not None, "the metrics", workers=False)
        assert screen.definitions == []
        assert marks(screen)[FIRST_FAILURE] == "?"  # a yes/no metric, not known as a check
        service.definitions_gate.set()
        await settle(pilot)
        assert selected_key(screen) == FIRST_FAILURE and marks(screen)[FIRST_FAILURE] == "✘"


async def test_after_a_write_the_kept_copy_is_not_judged_with(sandbox_app: Any) -> None:
    """A definition changed in this session: the copy kept before it would show the verdict
    from before the change, so the next lookup waits for its walk, as with no copy at all."""
    service = HeldService(sandbox_app)
    app = held_app(service, ("chat", FAILING_CHAT_ID))
    async with app.run_test(size=(120, 40)) as pilot:
        await first_visit_then_back(pilot, service)
        assert await app.kept_definitions() is not None
        await service.update_definition(FIRST_FAILURE, {"name": "Agent Showed Empathy (edited)"})
        assert await app.kept_definitions() is None
        service.definitions_gate = asyncio.Event()

        screen = await open_again(pilot, FAILING_CHAT_ID)
        await until(pilot, lambda: screen.groups is not None, "the metrics", workers=False)
        await until(pilot, lambda: service.walks_held > 0, "the walk", workers=False)
        assert screen.definitions == [] and marks(screen)[FIRST_FAILURE] == "?"
        service.definitions_gate.set()
        await settle(pilot)
        assert selected_key(screen) == FIRST_FAILURE and marks(screen)[FIRST_FAILURE] == "✘"
        assert await app.kept_definitions() == screen.definitions  # kept afresh


async def test_a_conversation_frozen_with_the_heap_is_collected_once_closed(
    sandbox_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started on a conversation, the heap is frozen with its screen open: going back to the
    first screen thaws, collects and freezes again, once."""
    import gc

    thawed: list[int] = []
    real_unfreeze = gc.unfreeze
    monkeypatch.setattr(gc, "unfreeze", lambda: (thawed.append(1), real_unfreeze())[1])
    app = held_app(HeldService(sandbox_app), ("chat", FAILING_CHAT_ID))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: app._frozen_above, "the heap frozen with the conversation")
        assert thawed == []
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LookupScreen), "the lookup screen")
        assert thawed == [1] and not app._frozen_above and gc.get_freeze_count() > 0
        screen = await open_again(pilot, FAILING_CHAT_ID)
        await settle(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is not screen, "back")
        assert thawed == [1]  # a screen opened after the freeze was never frozen
