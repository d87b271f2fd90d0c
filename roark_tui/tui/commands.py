"""Command palette: every key of the current screen is also a command.

The commands are read from the screen's live bindings (the same source as the footer and `?`
help), so a key and its palette entry can never disagree.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from functools import partial
from typing import Any

from rich.text import Text
from textual.binding import ActiveBinding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen


def key_label(active: ActiveBinding, screen: Screen[object]) -> str:
    """How a binding's key is shown to people (`?`, `ctrl+q`, `T`)."""
    binding = active.binding
    return binding.key_display or screen.app.get_key_display(binding)


def bound_keys(screen: Screen[Any], *hints: tuple[str, str]) -> list[tuple[str, str]]:
    """(key, words) for each (binding id, words): the key shown as the footer shows it, the
    user's keymap applied, so a hint written on a screen never names a key that does nothing."""
    keys: dict[str, str] = {}
    for active in screen.active_bindings.values():
        if active.binding.id:
            keys.setdefault(active.binding.id, key_label(active, screen))
    return [(keys[binding_id], words) for binding_id, words in hints if binding_id in keys]


def hint_line(screen: Screen[Any], *hints: tuple[str, str]) -> Text:
    """`y yes · n no`, dim, from (binding id, words) pairs (see bound_keys)."""
    pairs = bound_keys(screen, *hints)
    return Text(" · ".join(f"{key} {words}" for key, words in pairs), style="dim")


def binding_owner(active: ActiveBinding, screen: Screen[object]) -> int:
    """0 for the screen's own keys, 1 for the app's, 2 for the focused widget's (cursor keys
    and the like)."""
    if active.node is screen:
        return 0
    return 1 if active.node is screen.app else 2


def screen_bindings(screen: Screen[object], *, widgets: bool = True) -> Iterator[ActiveBinding]:
    """The screen's usable bindings that have a description, each action once: the screen's
    own first, then the app's, then (with `widgets`) the focused widget's."""
    seen: set[tuple[int, str]] = set()
    bindings = sorted(screen.active_bindings.values(), key=lambda b: binding_owner(b, screen))
    for active in bindings:
        if not widgets and binding_owner(active, screen) == 2:
            continue
        binding = active.binding
        if not binding.description or binding.system or not active.enabled:
            continue
        key = (id(active.node), binding.action)
        if key in seen:
            continue
        seen.add(key)
        yield active


class BindingCommands(Provider):
    """The current screen's keys (and the app's) as palette commands: `Copy id  (c)`."""

    def _commands(self) -> Iterator[tuple[str, str, ActiveBinding]]:
        screen = self.screen
        for active in screen_bindings(screen, widgets=False):
            binding = active.binding
            title = f"{binding.description}  ({key_label(active, screen)})"
            help_text = binding.tooltip or f"Same as pressing {key_label(active, screen)}"
            yield title, help_text, active

    def _run(self, active: ActiveBinding) -> Callable[[], Awaitable[bool]]:
        return partial(self.app.run_action, active.binding.action, active.node)

    async def discover(self) -> Hits:
        for title, help_text, active in self._commands():
            yield DiscoveryHit(title, self._run(active), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, active in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._run(active), help=help_text)
