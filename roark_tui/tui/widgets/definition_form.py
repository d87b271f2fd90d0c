"""Building blocks of the definition wizard's forms.

A widget editing a draft field has the field's key as its id, dots written as dashes
(`scaleLabels.0.label` -> `#scaleLabels-0-label`); its error line is `#error-<id>`. A row of
fields (a scale label, a trigger) has one error line, `#error-scaleLabels-0`, that collects the
row's errors. The wizard screen reads every change through these ids, so the widgets here only
lay fields out and never hold state of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from roark_tui.api.models import OPERATORS, PARTICIPANT_ROLES
from roark_tui.core.whatif import OPERATOR_SYMBOLS, OPERATOR_WORDS

LABEL_WIDTH = 14
# How fields inside a row are named in that row's error line.
ROW_FIELD_LABELS = {
    "rangeMin": "From",
    "rangeMax": "To",
    "label": "Label",
    "displayOrder": "Order",
    "description": "Description",
    "colorHex": "Colour",
    "sourceMetricDefinitionId": "Metric",
    "sourceVariantId": "Variant",
    "operator": "Operator",
    "thresholdValue": "Value",
    "sourceParticipantRole": "Role",
    "windowBefore": "Before",
    "windowAfter": "After",
}
FORM_CSS = """
.form-row { height: auto; }
.form-row > Label { width: 14; padding: 0 1 0 0; color: $text-muted; }
.form-row > Input, .form-row > Select, .form-row > TextArea { width: 1fr; }
.form-row > .narrow { width: 10; }
.form-row > .medium { width: 18; }
.form-row > Button { min-width: 3; margin: 0 0 0 1; }
.form-help { padding: 0 0 0 14; color: $text-muted; height: auto; }
.form-error { padding: 0 0 0 14; color: $text-error; height: auto; }
.form-section { padding: 1 0 0 0; text-style: bold; color: $text-accent; height: auto; }
.form-add { margin: 0 0 0 14; }
"""


def field_id(key: str) -> str:
    """The widget id of field `key`."""
    return key.replace(".", "-")


def key_of(widget_id: str | None) -> str:
    """The field key a widget id names (the inverse of `field_id`)."""
    return (widget_id or "").replace("-", ".")


def error_line(key: str) -> Static:
    """The (initially hidden) error line of field or row `key`."""
    line = Static(id=f"error-{field_id(key)}", classes="form-error")
    line.display = False
    return line


def help_line(text: str, widget_id: str | None = None) -> Static:
    return Static(Text(text), id=widget_id, classes="form-help")


def section(title: str, widget_id: str | None = None) -> Static:
    return Static(Text(title), id=widget_id, classes="form-section")


def row(label: str, *widgets: Widget, row_id: str | None = None) -> Horizontal:
    """A labelled line of the form."""
    return Horizontal(Label(label), *widgets, classes="form-row", id=row_id)


def text_input(key: str, value: str, placeholder: str = "", classes: str = "") -> Input:
    return Input(value, placeholder=placeholder, id=field_id(key), compact=True, classes=classes)


def select(
    key: str,
    options: Iterable[tuple[str | Text, str]],
    value: str,
    *,
    prompt: str = "pick one",
    allow_blank: bool = True,
    classes: str = "",
) -> Select[str]:
    """A compact Select on field `key`; a value it does not offer shows as blank."""
    options = list(options)
    known = {v for _, v in options}
    chosen: Any = value if value in known else Select.NULL
    if chosen is Select.NULL and not allow_blank:
        chosen = options[0][1]
    return Select(
        options,
        prompt=prompt,
        value=chosen,
        allow_blank=allow_blank,
        id=field_id(key),
        compact=True,
        classes=classes,
    )


class ToggleList(OptionList):
    """Several choices, each shown `[x]` or `[ ]` (readable without colour); space or enter
    toggles the highlighted one and posts `Changed` with the chosen values in list order."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select", "Toggle", show=False, id="definition_wizard.toggle")
    ]
    DEFAULT_CSS = "ToggleList { height: auto; }"

    class Changed(Message):
        def __init__(self, toggles: ToggleList, values: list[str]) -> None:
            super().__init__()
            self.toggles = toggles
            self.values = values

        @property
        def control(self) -> ToggleList:
            return self.toggles

    def __init__(
        self, choices: Sequence[tuple[str, str]], chosen: Iterable[str], *, id: str
    ) -> None:
        super().__init__(id=id, compact=True)
        self.choices = list(choices)
        self.chosen = set(chosen)

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        highlighted = self.highlighted
        self.set_options(
            Option(Text(("[x] " if value in self.chosen else "[ ] ") + label), id=value)
            for label, value in self.choices
        )
        self.highlighted = highlighted if highlighted is not None else 0

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        value = event.option.id or ""
        self.chosen ^= {value}
        self._show()
        self.post_message(self.Changed(self, [v for _, v in self.choices if v in self.chosen]))


def operator_options(operators: Sequence[str] = OPERATORS) -> list[tuple[str, str]]:
    """`≥  at least`: each operator as its symbol and in words."""
    return [(f"{OPERATOR_SYMBOLS[o]}  {OPERATOR_WORDS[o]}", o) for o in operators]


def offer(select: Select[str], options: list[tuple[str, str]], current: str) -> None:
    """Make `options` the choices of `select` (when they are new), keeping `current` chosen
    while it is still one of them."""
    values = tuple(v for _, v in options)
    if tuple(v for _, v in select._options if v is not Select.NULL) == values:
        return
    select.set_options(options)
    if current in values:
        select.value = current


def role_options() -> list[tuple[str, str]]:
    return [(role, role) for role in PARTICIPANT_ROLES]


def remove_button(list_key: str, index: int) -> Button:
    return Button("✕", id=f"remove-{field_id(list_key)}-{index}", compact=True, variant="error")


def add_button(list_key: str, label: str) -> Button:
    return Button(label, id=f"add-{field_id(list_key)}", compact=True, classes="form-add")


def show_text(static: Static, text: Text | str, *, layout: bool = True) -> None:
    """Update `static` only when what it shows changes: the wizard refreshes its hints on each
    keystroke, and an update costs a repaint (and with `layout`, a layout pass: leave it off
    for one-line hints whose size cannot change)."""
    if static.content != text:
        static.update(text, layout=layout)


def row_error_text(errors: Sequence[tuple[str, str]]) -> Text:
    """A row's errors on one line: `Label: Enter the label.  To: Enter a number.`"""
    text = Text()
    for i, (name, message) in enumerate(errors):
        if i:
            text.append("  ")
        label = ROW_FIELD_LABELS.get(name)
        text.append(f"{label}: {message}" if label else message)
    return text
