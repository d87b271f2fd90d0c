"""Keys act in the order they were typed, even when several arrive in one read.

Textual (8.2) inserts a typed character in the focused text field at once (its `_on_key`), but a
bound key (backspace, arrows, enter, tab, ...) bubbles up to the app before its action runs.
When a burst such as `backspace X` reaches the app in one read (a laggy SSH link, a fast
typist), X is inserted first and the backspace then deletes it: both keys are lost. Nothing is
dropped by the parser; the keys are reordered on their way through the widgets (upstream
Textualize/textual#6605; docs/key-order.md has the reproduction and the proposed fix).

The work-around: while a text field has focus, a key it does not type itself is handled from
that field's own message queue, behind every character already sent to it, and the keys that
arrive meanwhile wait until it is done (its action may move the focus: `tab`, `enter`, `down`),
then go on to whatever has the focus by then.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from textual import events
from textual.app import App
from textual.widget import Widget
from textual.widgets import Input


def is_text_field(widget: Widget | None) -> bool:
    """An Input or a TextArea (the latter only if loaded: none can have focus before)."""
    if isinstance(widget, Input):
        return True
    text_area = sys.modules.get("textual.widgets._text_area")
    return text_area is not None and isinstance(widget, text_area.TextArea)


ALIVE_CHECK = 0.5  # seconds between looks at a field that holds a key in flight


class KeyOrder:
    """The app's keys, kept in order around text fields (one per app, see `RoarkApp.on_event`)."""

    def __init__(self, app: App[Any], dispatch: Callable[[events.Key], Awaitable[None]]):
        """`dispatch`: how the app handles a key when nothing is waiting (Textual's own way)."""
        self._app = app
        self._dispatch = dispatch
        self._waiting: deque[events.Key] = deque()
        self._in_flight: events.Key | None = None

    async def key(self, event: events.Key) -> None:
        """A key from the terminal: handled now, or after the key still in flight."""
        if self._in_flight is not None:
            self._waiting.append(event)
            return
        await self._route(event)

    async def _route(self, event: events.Key) -> None:
        focused = self._app.focused
        if (
            focused is None
            or not is_text_field(focused)
            or focused.check_consume_key(event.key, event.character)
        ):
            await self._dispatch(event)  # typed: into the field's queue, in order
            return
        self._in_flight = event
        if not focused.call_later(self._bound_key, focused, event):  # the field is closing
            self._in_flight = None
            await self._dispatch(event)
            return
        self._app.set_timer(ALIVE_CHECK, partial(self._check_alive, focused, event))

    async def _check_alive(self, field: Widget, event: events.Key) -> None:
        """A field removed with the key still in its queue never handles it: the app does, and
        the keys behind it go on (they must not wait for ever)."""
        if self._in_flight is not event:
            return
        if field.is_attached:
            self._app.set_timer(ALIVE_CHECK, partial(self._check_alive, field, event))
            return
        self._in_flight = None
        await self._dispatch(event)
        await self._release(event)

    async def _bound_key(self, field: Widget, event: events.Key) -> None:
        """In the field's queue, after the characters before it: the key's binding, as the app
        would find it (priority bindings first, then the focus chain); a key bound nowhere goes
        to the field and bubbles as usual."""
        app = self._app
        try:
            restart_blink = getattr(field, "_restart_blink", None)
            if callable(restart_blink):
                restart_blink()  # the cursor stays visible while it moves, as Textual does
            if not (
                await app._check_bindings(event.key, priority=True)
                or await app._check_bindings(event.key)
            ):
                field._forward_event(event)
        finally:
            app.call_later(self._release, event)

    async def _release(self, event: events.Key) -> None:
        """`event` is done: the keys that waited go on, in order, until one of them is in
        flight in turn."""
        if self._in_flight is event:
            self._in_flight = None
        while self._waiting and self._in_flight is None:
            await self._route(self._waiting.popleft())
