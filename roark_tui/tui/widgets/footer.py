"""The footer: the keys that work here, the most important first, each in full.

Textual's Footer lays every key out in a row and cuts the row at the edge (`… s Order a All
f F▏`). This one fits the keys to the width: help comes first and always stays, then the
screen's keys in the order the screen declares them, the app's quit last; what does not fit is
left out whole (help lists it). In a text field a key it would type is not offered (it types
instead): help shows its other key there (f1, not ?).

It is also rebuilt only when what it shows changes: Textual's recomposes (a dozen widgets,
each restyled) on every bindings signal, every focus change and every `refresh_bindings`; on a
screen where loading, selecting and focusing each refresh the bindings, that is most of the
cost of opening it. The first keys are composed at once, not after a refresh: the footer
belongs to the screen's first frame.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.keys import _character_to_key, key_to_character
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from roark_tui.tui.key_order import is_text_field

HELP_ACTIONS = frozenset({"help", "app.help"})
LAST_ACTIONS = ("quit", "app.quit")  # everyone's key, and help names it: the first to go
PALETTE_WIDTH = 14  # `▏^p palette ` docked on the right

Key = tuple[Binding, bool, str]  # a binding, whether it is enabled now, its tooltip
Shown = tuple[tuple[str, str, str, bool], ...]  # (key, shown as, description, enabled)


# The characters of the keys Textual names (`slash`, `question_mark`), which its own
# key_to_character misses for some.
CHARACTERS = {_character_to_key(chr(code)): chr(code) for code in range(32, 127)}


def typed_by(widget: Widget | None, binding: Binding, key: str | None = None) -> bool:
    """Whether `widget`, a text field with focus, would type `key` (the binding's own by
    default) rather than let the binding act (a priority binding acts first anyway)."""
    if binding.priority or widget is None or not is_text_field(widget):
        return False
    key = key or binding.key
    return widget.check_consume_key(key, CHARACTERS.get(key) or key_to_character(key))


def footer_keys(screen: Screen[object]) -> list[Key]:
    """The keys a footer on `screen` offers, most important first: help, then the screen's
    own in the order it declares them, quit last. One key per action: the first that works
    where the focus is."""
    focused = screen.focused
    by_action: dict[str, Key] = {}
    typed: set[str] = set()
    for _node, binding, enabled, tooltip in screen.active_bindings.values():
        if not binding.show or binding.action in by_action:
            continue
        if typed_by(focused, binding):
            typed.add(binding.action)
            continue
        shown_as = binding.key_display
        if binding.action in typed or (shown_as and typed_by(focused, binding, shown_as)):
            binding = replace(binding, key_display=None)  # f1, not the ? it stands in for
        by_action[binding.action] = (binding, enabled, tooltip)

    def rank(item: tuple[int, str]) -> int:
        index, action = item
        if action in HELP_ACTIONS:
            return -1
        return len(by_action) + index if action in LAST_ACTIONS else index

    order = sorted(enumerate(by_action), key=rank)
    return [by_action[action] for _index, action in order]


def key_width(shown_as: str, description: str) -> int:
    """Cells a FooterKey takes: ` key ` then `description `."""
    return cell_len(shown_as) + 2 + cell_len(description) + 1


def fitted(keys: list[Key], display: dict[str, str], width: int) -> Iterator[Key]:
    """The first keys that fit in `width` cells, each whole; help always."""
    room = width - PALETTE_WIDTH
    for index, key in enumerate(keys):
        binding = key[0]
        room -= key_width(display[binding.key], binding.description)
        if room < 0 and index:
            return
        yield key


class KeysFooter(Footer):
    """A Footer that fits its keys to its width and skips rebuilds that change nothing."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Shown | None = None
        self._pending = False

    def _fitted(self) -> list[tuple[Binding, str, bool, str]]:
        """The keys to show now: (binding, shown as, enabled, tooltip)."""
        screen = self.screen
        keys = footer_keys(screen)
        display = {key[0].key: self.app.get_key_display(key[0]) for key in keys}
        width = self.size.width or screen.size.width or self.app.size.width
        return [
            (binding, display[binding.key], enabled, tooltip or binding.tooltip)
            for binding, enabled, tooltip in fitted(keys, display, width)
        ]

    @staticmethod
    def _what(keys: list[tuple[Binding, str, bool, str]]) -> Shown:
        return tuple((b.key, shown_as, b.description, on) for b, shown_as, on, _ in keys)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        keys = self._fitted()
        self._shown = self._what(keys)
        for binding, shown_as, enabled, tooltip in keys:
            yield FooterKey(
                binding.key,
                shown_as,
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and palette:
            _node, binding, enabled, _tooltip = palette
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
            )

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._pending or not self.is_attached or screen is not self.screen:
            return
        if self._shown is None and self.app.app_focus:
            self._bindings_ready = True
            self.refresh(recompose=True)
            return
        self._pending = True
        self.call_after_refresh(self._rebuild_if_changed)

    def on_resize(self) -> None:
        if self._shown is not None and not self._pending:
            self._pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    def _rebuild_if_changed(self) -> None:
        self._pending = False
        if not self.is_attached or not self.app.app_focus:
            return
        if self._what(self._fitted()) != self._shown:
            super().bindings_changed(self.screen)
