"""The metric definitions this session last listed whole.

Telling a check from an observation takes the definitions, and listing them is a walk of pages
one after another: over a slow link that walk, not the conversation's metrics, is what a lookup
waits for. So the service keeps the last complete list; a screen judges at once with it and
checks it against a fresh walk in the background. Screens that ask while a walk is under way
share it instead of starting their own. A write to any definition, or another project, forgets
the list: until the next walk there is nothing known to judge with, and a walk the write
overtook is walked again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

    from roark_tui.api.models import MetricDefinition

Walk = Callable[[], Awaitable[list["MetricDefinition"]]]


class KnownDefinitions:
    def __init__(self) -> None:
        self._known: tuple[MetricDefinition, ...] | None = None
        self._walk: asyncio.Future[list[MetricDefinition]] | None = None
        # Bumped by forget(): a walk begun before it may have read the old definitions, so
        # its answer is neither kept nor given to anyone (fetch walks again).
        self._generation = 0

    @property
    def latest(self) -> list[MetricDefinition] | None:
        """The last complete list, or None (never listed, or forgotten since)."""
        return None if self._known is None else list(self._known)

    def forget(self) -> None:
        self._known = None
        self._walk = None
        self._generation += 1

    async def fetch(self, walk: Walk) -> list[MetricDefinition]:
        """A fresh list from `walk`, shared with any caller already waiting for one. A walk
        that a write overtook (forget() while it ran) may hold the old definitions: it is
        walked again, so no caller judges with what came before the write."""
        import asyncio  # here: the blocking client imports the service module, never a loop

        while True:
            generation = self._generation
            task = self._walk
            if task is None:
                task = asyncio.ensure_future(walk())
                task.add_done_callback(self._walk_ended)
                self._walk = task
            found = await asyncio.shield(task)
            if generation == self._generation:
                self._known = tuple(found)
                return list(found)

    def _walk_ended(self, task: asyncio.Future[list[MetricDefinition]]) -> None:
        if self._walk is task:
            self._walk = None
        if not task.cancelled():
            task.exception()  # read here, so a walk every caller left is not reported unread
