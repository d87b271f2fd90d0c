"""The mark of the focused field on the forms (both wizards, the definition editor).

Textual shows the focus of a compact field as a slightly different background shade, which is
easy to miss and gone under NO_COLOR. Here every one-line form field keeps one column at its
left edge: blank while it is not focused, a bar in the accent colour while it is; and the label
of the row holding the focus is reversed. A bar and reversed text read the same without colour.
The row is marked as the screen's focus moves (`follow_focus`): Textual does not restyle a
row's label when the row's `:focus-within` changes.
"""

from __future__ import annotations

from typing import Any

from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

ROWS = frozenset({"form-row", "row", "edit-field"})
FOCUSED_ROW = "-focused-row"
FIELDS = (
    ".form-row > Input, .form-row > Select, .form-row > MetricPicker, .form-row > ToggleList, "
    ".row > Input, .row > Select, Input.focus-mark"
)
FOCUSED = (
    ".form-row > Input:focus, .form-row > Select:focus-within, "
    ".form-row > MetricPicker:focus-within, .form-row > ToggleList:focus, .row > Input:focus, "
    ".row > Select:focus-within, Input.focus-mark:focus"
)
FOCUS_CSS = f"""
{FIELDS} {{ border-left: blank !important; }}
{FOCUSED} {{ border-left: thick $accent !important; }}
.{FOCUSED_ROW} > Label {{ text-style: bold reverse; }}
"""


def mark_focused_row(root: DOMNode, focused: Widget | None) -> None:
    """Mark the form row (under `root`) that holds `focused`, and no other."""
    row: DOMNode | None = focused
    while row is not None and row is not root and not (ROWS & set(row.classes)):
        row = row.parent
    for other in root.query(f".{FOCUSED_ROW}"):
        if other is not row:
            other.remove_class(FOCUSED_ROW)
    if row is not None and row is not root:
        row.add_class(FOCUSED_ROW)


def follow_focus(screen: Screen[Any]) -> None:
    """Keep the focused row of `screen` marked from now on (call it on mount)."""
    screen.watch(screen, "focused", lambda widget: mark_focused_row(screen, widget))
