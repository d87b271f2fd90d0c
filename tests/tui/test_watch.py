"""The TUI's watch controller, status line and expect prompt, on a small host screen."""

from __future__ import annotations

import asyncio
from typing import Any

from pilot_support import until as until_ready
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Input

from roark_tui.api import errors
from roark_tui.api.models import MetricGroup
from roark_tui.state import watch_list
from roark_tui.tui.watch import (
    ExpectPrompt,
    WatchController,
    WatchStatus,
    WatchStopped,
    WatchUpdated,
    load_expect,
)


async def until(pilot: Any, condition: Any) -> None:
    """Pauses only: the watch worker runs until the test stops it."""
    await until_ready(pilot, condition, workers=False, poll=0.02)


def group(slug: str, n: int = 1) -> MetricGroup:
    values = [
        {"captureStatus": "SUCCESS", "context": "CALL", "value": True, "participantRole": f"r{i}"}
        for i in range(n)
    ]
    return MetricGroup.model_validate(
        {"metricDefinitionId": f"id-{slug}", "slug": slug, "name": slug, "values": values}
    )


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.gate: asyncio.Event | None = None

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        if self.gate is not None:
            await self.gate.wait()
        self.now += seconds
        await asyncio.sleep(0)


class Script:
    def __init__(self, *steps: Any) -> None:
        self.steps = steps
        self.calls = 0
        self.in_flight = 0
        self.max_in_flight = 0

    async def __call__(self) -> list[MetricGroup]:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        await asyncio.sleep(0)
        step = self.steps[min(self.calls, len(self.steps) - 1)]
        self.calls += 1
        self.in_flight -= 1
        if isinstance(step, Exception):
            raise step
        return step


class Host(Screen[None]):
    def __init__(self, fetch: Script, clock: FakeClock) -> None:
        super().__init__()
        self.controller = WatchController(self, fetch, clock=clock, sleep=clock.sleep)
        self.updates: list[WatchUpdated] = []
        self.stopped: list[WatchStopped] = []

    def compose(self) -> ComposeResult:
        yield WatchStatus(self.controller)

    def on_watch_updated(self, message: WatchUpdated) -> None:
        self.updates.append(message)
        self.query_one(WatchStatus).refresh_status()

    def on_watch_stopped(self, message: WatchStopped) -> None:
        self.stopped.append(message)
        self.query_one(WatchStatus).refresh_status()


class HostApp(App[None]):
    def __init__(self, fetch: Script, clock: FakeClock) -> None:
        super().__init__()
        self.host = Host(fetch, clock)

    def on_mount(self) -> None:
        self.push_screen(self.host)


async def test_watch_merges_marks_new_and_stops_when_settled() -> None:
    clock = FakeClock()
    a, ab = [group("a")], [group("a"), group("b", 2)]
    fetch = Script(a, ab, ab, ab)
    app = HostApp(fetch, clock)
    async with app.run_test() as pilot:
        host = app.host
        host.controller.start(a, expected=["a", "b"])
        await until(pilot, lambda: host.stopped)
        assert host.stopped[0].reason == "settled"
        assert [len(u.new_values) for u in host.updates] == [0, 2, 0, 0]
        assert [g.slug for g in host.updates[-1].groups] == ["a", "b"]
        assert fetch.max_in_flight == 1 and not host.controller.watching
        status = str(host.query_one(WatchStatus).render())
        assert status.startswith("2 metrics in · 0 pending · last update")
        assert status.endswith(" · settled")


async def test_stop_cancels_the_loop() -> None:
    clock = FakeClock()
    clock.gate = asyncio.Event()  # the loop parks in its first sleep
    fetch = Script([group("a")])
    app = HostApp(fetch, clock)
    async with app.run_test() as pilot:
        host = app.host
        host.controller.start([], expected=["z"])
        await until(pilot, lambda: host.updates)
        assert host.controller.watching
        host.controller.stop()
        await until(pilot, lambda: host.stopped)
        clock.gate.set()
        await app.workers.wait_for_complete()
        assert host.stopped[0].reason == "stopped" and fetch.calls == 1
        assert str(host.query_one(WatchStatus).render()).endswith(
            "1 pending · last update 0 s ago · stopped"
        )


async def test_an_api_error_stops_the_watch_and_says_so() -> None:
    clock = FakeClock()
    app = HostApp(Script(errors.NotFound(status=404)), clock)
    async with app.run_test() as pilot:
        app.host.controller.start([])
        await until(pilot, lambda: app.host.stopped)
        assert app.host.stopped[0].reason == "error"
        assert app.host.controller.status().endswith("stopped: Not found")


async def test_rate_limits_are_waited_out_and_shown() -> None:
    clock = FakeClock()
    fetch = Script(errors.RateLimited(status=429, retry_after=40), [group("a")])
    app = HostApp(fetch, clock)
    async with app.run_test() as pilot:
        app.host.controller.start([])
        await until(pilot, lambda: app.host.stopped)
        first = app.host.updates[0]
        assert first.error is not None and first.update.next_delay == 40


async def test_expect_prompt_prefilled_from_the_last_watch() -> None:
    watch_list.save(["a_check", "csat"])
    assert load_expect() == ("a_check", "csat")
    results: list[Any] = []
    app = HostApp(Script([]), FakeClock())
    async with app.run_test() as pilot:
        app.push_screen(ExpectPrompt(load_expect()), results.append)
        await pilot.pause()
        field = app.screen.query_one("#watch-expect", Input)
        assert field.value == "a_check, csat"
        field.value = "x, y"
        await pilot.press("enter")
        app.push_screen(ExpectPrompt(), results.append)
        await pilot.pause()
        await pilot.press("escape")
    assert results == [("x", "y"), None]


def test_load_expect_tolerates_a_missing_or_broken_file(isolated_dirs) -> None:
    assert load_expect() == ()
    path = isolated_dirs / "state" / "watch.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    assert load_expect() == ()
