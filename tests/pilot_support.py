"""Helpers shared by the Pilot tests (tests/tui) and the snapshot tests (tests/snapshots): the
app a user starts, on the in-process sandbox, and waits on conditions rather than on time.
Importable by every test (tests/conftest.py puts this folder on sys.path)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from rich.console import Console
from textual.pilot import Pilot

from roark_tui.api.service import RoarkService
from roark_tui.sandbox.demo_ids import DEMO_TOKEN, FAILING_CHAT_ID
from roark_tui.tui.app import RoarkApp

# The snapshots' "now": two days after most demo conversations (their dates are fixed).
SNAPSHOT_NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def sandbox_service(sandbox_app: Any, *, max_retries: int = 0) -> RoarkService:
    """A RoarkService on `sandbox_app` (httpx.ASGITransport, DEMO_TOKEN); no retries unless
    asked, so a fault a test injects is seen at once."""
    return RoarkService(
        base_url="http://sandbox.local",
        token=DEMO_TOKEN,
        transport=httpx.ASGITransport(app=sandbox_app),
        allow_insecure=True,
        max_retries=max_retries,
    )


def make_app(
    sandbox_app: Any,
    start: tuple[str, str] | None = None,
    *,
    start_conversation: tuple[str, str] | None = None,
) -> RoarkApp:
    """The app on `sandbox_app`, opening on `start` (None: the lookup screen)."""
    return RoarkApp(
        lambda: sandbox_service(sandbox_app), start=start, start_conversation=start_conversation
    )


def metrics_app(sandbox_app: Any, kind: str = "chat", conv_id: str = FAILING_CHAT_ID) -> RoarkApp:
    """The app as `roark-tui chat|call <id>` starts it: on that conversation's metrics."""
    return make_app(sandbox_app, (kind, conv_id))


# How long a condition may take on a loaded machine before a test gives up on it. Waits end as
# soon as their condition holds, so a generous limit costs nothing when all is well.
WAIT_LIMIT = 30.0


async def settle(pilot: Pilot[Any], *, timeout: float = WAIT_LIMIT) -> None:
    """Until the app is quiet: no worker running over two rounds of processing what is queued
    (a screen may start its workers after its first frame, and workers start more workers)."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 2:
        if time.monotonic() > deadline:
            raise AssertionError("the app did not settle: a worker keeps running")
        await app.workers.wait_for_complete()
        await pilot.pause()
        quiet = 0 if any(not w.is_finished for w in app.workers) else quiet + 1


async def until(
    pilot: Pilot[Any],
    ready: Callable[[], bool],
    what: str = "the condition",
    *,
    timeout: float = WAIT_LIMIT,
    workers: bool = True,
    poll: float | None = None,
) -> None:
    """Let the app run until `ready()` holds. `workers=False` does not wait for workers: for a
    screen whose worker never finishes by itself (a watch loop). `poll` (seconds) lets time
    pass between looks, for a condition that a timer or another thread makes true."""
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        await pilot.pause(poll)
        if workers:
            await pilot.app.workers.wait_for_complete()


def rendered(renderable: Any, width: int = 200) -> str:
    """A Rich renderable (a Static's content) as plain text."""
    console = Console(width=width, color_system=None)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


def screen_text(app: Any) -> str:
    """The screen as the terminal shows it: what is covered (by a dialog, an overlay) is not
    there."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


class SteppedClock:
    """A sandbox clock (SandboxConfig.clock) that the screen's own waits move: give `sleep` to
    a controller and its job runs at once. Clear `hold` to keep it where it is."""

    def __init__(self) -> None:
        import asyncio

        self.now = 100.0
        self.hold = asyncio.Event()
        self.hold.set()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        import asyncio

        await self.hold.wait()
        self.now += seconds
        await asyncio.sleep(0)
