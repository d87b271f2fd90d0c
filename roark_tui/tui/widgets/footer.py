"""Textual's Footer, rebuilt only when the keys it shows actually change.

Textual's Footer recomposes (a dozen widgets, each restyled) on every bindings signal: every
focus change and every `refresh_bindings`. On a screen where loading, selecting and focusing
each refresh the bindings, that is most of the cost of opening it. This one compares what it
would show with what it shows, and rebuilds at most once per refresh. The first keys are
composed at once, not after a refresh: the footer belongs to the screen's first frame.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[tuple[str, str, bool], ...]


def shown_keys(screen: Screen[object]) -> Shown:
    """The (key, description, enabled) triples a footer on `screen` displays."""
    return tuple(
        (binding.key, binding.description, enabled)
        for _node, binding, enabled, _tooltip in screen.active_bindings.values()
        if binding.show
    )


class KeysFooter(Footer):
    """A Footer that skips rebuilds which would show the same keys."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Shown | None = None
        self._pending = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._pending or not self.is_attached or screen is not self.screen:
            return
        if self._shown is None and self.app.app_focus:
            self._shown = shown_keys(screen)
            self._bindings_ready = True
            self.refresh(recompose=True)
            return
        self._pending = True
        self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        keys = shown_keys(self.screen)
        if keys == self._shown or not self.app.app_focus:
            return
        self._shown = keys
        super().bindings_changed(self.screen)
