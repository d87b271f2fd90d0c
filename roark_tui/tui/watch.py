"""Watching a conversation's metrics on screen: `w` on the metrics screen.

`WatchController` runs core.watch's polling loop in a worker of the screen that owns it (one
request in flight at most; starting again replaces the old loop) and posts `WatchUpdated` after
every poll and `WatchStopped` at the end. The screen merges `WatchUpdated.groups` into its tree
(keeping the user's place) and marks `new_values`. `WatchStatus` shows the status line, and
`ExpectPrompt` asks which metrics must arrive, prefilled from the last watch.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, Static
from textual.worker import Worker

from roark_tui.api.errors import ApiError
from roark_tui.api.models import MetricGroup
from roark_tui.core.watch import ValueKey, WatchState, WatchUpdate, parse_expect, run_watch
from roark_tui.state import watch_list
from roark_tui.tui.commands import hint_line

Fetch = Callable[[], Awaitable[Sequence[MetricGroup]]]
StopReason = Literal["settled", "stopped", "timed out", "error"]


def load_expect() -> tuple[str, ...]:
    """The --expect list of the last watch (empty when none was saved or it was damaged)."""
    return parse_expect(watch_list.load())


class WatchUpdated(Message):
    """A poll came back: the merged metrics and what is new since the previous poll."""

    def __init__(self, update: WatchUpdate) -> None:
        super().__init__()
        self.update = update
        self.groups: list[MetricGroup] = list(update.state.groups)
        self.new_values: frozenset[ValueKey] = (
            update.result.new_values if update.result else frozenset()
        )
        self.error: ApiError | None = update.error


class WatchStopped(Message):
    def __init__(self, reason: StopReason, error: ApiError | None = None) -> None:
        super().__init__()
        self.reason = reason
        self.error = error


class WatchController:
    """Owns one watch loop for `screen`. The clock and sleep are injectable for tests."""

    def __init__(
        self,
        screen: Screen[Any],
        fetch: Fetch,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.screen = screen
        self.fetch = fetch
        self.clock = clock
        self.sleep = sleep
        self.state: WatchState | None = None
        self.worker: Worker[None] | None = None
        self.last_note: str | None = None

    @property
    def watching(self) -> bool:
        return self.worker is not None and not self.worker.is_finished

    def start(self, groups: Sequence[MetricGroup], expected: Sequence[str] = ()) -> None:
        """Start watching from the rows already on screen (they do not count as new)."""
        self.stop(post=False)
        self.state = WatchState(groups=list(groups), expected=tuple(expected))
        self.state.last_update = self.clock()
        self.last_note = "watching"
        self.worker = self.screen.run_worker(
            self._loop(self.state), name="watch", group="watch", exclusive=True
        )

    def stop(self, *, post: bool = True) -> None:
        if self.watching and self.worker is not None:
            self.worker.cancel()
            self.last_note = "stopped"
            if post:
                self.screen.post_message(WatchStopped("stopped"))
        self.worker = None

    def status(self) -> str:
        """The status line for now (the age ticks between polls)."""
        if self.state is None:
            return ""
        return self.state.status(self.clock(), self.last_note)

    async def _loop(self, state: WatchState) -> None:
        def updated(update: WatchUpdate) -> None:
            if update.error is not None:
                self.last_note = f"{update.error.summary}, retrying"
            elif update.next_delay is not None:
                self.last_note = "watching"
            self.screen.post_message(WatchUpdated(update))

        try:
            outcome = await run_watch(
                self.fetch, state=state, clock=self.clock, sleep=self.sleep, on_update=updated
            )
        except ApiError as exc:
            self.last_note = f"stopped: {exc.summary}"
            self.screen.post_message(WatchStopped("error", exc))
            return
        self.last_note = "settled" if outcome.settled else "timed out"  # short: one line
        self.screen.post_message(WatchStopped("settled" if outcome.settled else "timed out"))


class WatchStatus(Static):
    """The one-line watch status under the tree: `14 metrics in · 3 pending · ...`."""

    DEFAULT_CSS = """
    WatchStatus { height: 1; padding: 0 1; background: $boost; }
    WatchStatus.-hidden { display: none; }
    """

    def __init__(self, controller: WatchController, *, id: str | None = "watch-status") -> None:
        super().__init__("", id=id, classes="-hidden")
        self.controller = controller
        self._line = ""

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh_status)

    def refresh_status(self) -> None:
        """Redraw only when the line changed: an update lays out the whole screen, and this
        ticks every second, watching or not, often in the middle of a key."""
        line = self.controller.status()
        if line == self._line:
            return
        self._line = line
        self.set_class(not line, "-hidden")
        self.update(Text(line))


class ExpectPrompt(ModalScreen[tuple[str, ...] | None]):
    """Which metrics must arrive? Blank means unknown (the stop rule alone ends the watch)."""

    DEFAULT_CSS = """
    ExpectPrompt { align: center middle; }
    ExpectPrompt > Vertical {
        width: 70; max-width: 100%; height: auto; padding: 1 2;
        border: round $accent; background: $surface;
    }
    ExpectPrompt Label { width: 100%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="metrics.watch_cancel")
    ]

    def __init__(self, prefill: Sequence[str] = ()) -> None:
        super().__init__()
        self.prefill = ", ".join(prefill)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Watch: metrics that must arrive (slugs, comma-separated; blank: any)")
            yield Input(self.prefill, placeholder="e.g. greeting_check, csat", id="watch-expect")
            yield Label(
                Text.assemble(
                    ("enter starts watching · ", "dim"),
                    hint_line(self, ("metrics.watch_cancel", "cancels")),
                ),
                classes="hint",
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(parse_expect(event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)
