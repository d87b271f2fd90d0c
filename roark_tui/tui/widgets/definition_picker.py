"""Pick a metric definition by typing part of its name or slug.

A search box with the matches listed under it while it has focus; enter takes the highlighted
(first) match, ↓ moves into the list. The definitions come from the screen (a list it keeps
filling while pages arrive): this widget never touches the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from roark_tui.api.models import MetricDefinition
from roark_tui.core.definition_search import matches
from roark_tui.core.safe_text import one_line

MAX_MATCHES = 30


def label_of(definition: MetricDefinition) -> str:
    return one_line(definition.name or definition.key, 60)


class PickerInput(Input):
    """The search box; ↓ goes into the matches."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "matches", "Matches", show=False, id="definition_wizard.matches")
    ]

    def action_matches(self) -> None:
        box = self.parent.query_one(OptionList) if self.parent else None
        if box is not None and box.display and box.option_count:
            box.focus()


class MetricPicker(Vertical):
    """Search and pick one metric; posts `Picked` with the definition (None when cleared)."""

    DEFAULT_CSS = """
    MetricPicker { height: auto; width: 1fr; }
    MetricPicker > OptionList { height: auto; max-height: 7; }
    """

    class Picked(Message):
        def __init__(self, picker: MetricPicker, definition: MetricDefinition | None) -> None:
            super().__init__()
            self.picker = picker
            self.definition = definition

        @property
        def control(self) -> MetricPicker:
            return self.picker

    def __init__(
        self,
        definitions: Sequence[MetricDefinition],
        chosen: str = "",
        *,
        placeholder: str = "type to search metrics",
        keep_text: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.definitions = definitions
        self.chosen_id = chosen
        self.placeholder = placeholder
        self.keep_text = keep_text  # False: the box empties after a pick (add-to-list pickers)

    def compose(self) -> ComposeResult:
        found = self._definition(self.chosen_id)
        text = label_of(found) if found is not None else self.chosen_id
        yield PickerInput(text, placeholder=self.placeholder, compact=True)
        box = OptionList(compact=True)
        box.display = False
        yield box

    def _definition(self, definition_id: str) -> MetricDefinition | None:
        return next((d for d in self.definitions if d.id == definition_id), None)

    def focus(self, scroll_visible: bool = True) -> MetricPicker:
        self.query_one(PickerInput).focus(scroll_visible)
        return self

    @property
    def search(self) -> str:
        return self.query_one(PickerInput).value

    def refresh_definitions(self) -> None:
        """More definitions arrived: name the chosen one, refresh the open list."""
        box_input = self.query_one(PickerInput)
        found = self._definition(self.chosen_id)
        if found is not None and box_input.value == self.chosen_id:
            box_input.value = label_of(found)
        self._show_matches()

    def _show_matches(self) -> None:
        box = self.query_one(OptionList)
        box_input = self.query_one(PickerInput)
        if self.app.focused is box:
            return
        chosen = self._definition(self.chosen_id)
        if not box_input.has_focus or (chosen and box_input.value == label_of(chosen)):
            box.display = False
            return
        found = matches(self.definitions, box_input.value)[:MAX_MATCHES]
        box.set_options(
            Option(
                Text.assemble((label_of(d), "bold"), f"  {one_line(d.key, 40)} · {d.type or '?'}"),
                id=d.id,
            )
            for d in found
        )
        box.display = bool(found)
        if found:
            box.highlighted = 0

    def pick(self, definition: MetricDefinition | None) -> None:
        """Choose `definition` (None clears) and tell the screen."""
        self.chosen_id = definition.id if definition else ""
        box_input = self.query_one(PickerInput)
        if definition is not None:
            with box_input.prevent(Input.Changed):
                box_input.value = label_of(definition) if self.keep_text else ""
        self.query_one(OptionList).display = False
        self.post_message(self.Picked(self, definition))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        chosen = self._definition(self.chosen_id)
        if self.chosen_id and not (chosen and event.value == label_of(chosen)):
            self.pick(None)
        self._show_matches()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        box = self.query_one(OptionList)
        if box.display and box.option_count:
            option = box.get_option_at_index(box.highlighted or 0)
            self._pick_id(option.id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick_id(event.option.id)
        self.query_one(PickerInput).focus()

    def _pick_id(self, definition_id: str | None) -> None:
        definition = self._definition(definition_id or "")
        if definition is not None:
            self.pick(definition)

    def on_descendant_focus(self) -> None:
        self._show_matches()

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._hide_unless_focused)

    def _hide_unless_focused(self) -> None:
        """After a refresh the picker may be gone (its trigger row removed): then nothing to
        hide, hence `query`, not `query_one`."""
        focused = self.app.focused
        if focused is None or focused.parent is not self:
            for matches in self.query(OptionList):
                matches.display = False
