"""Lists, tables and trees: j/k move as ↓/↑ (as in less, k9s and lazygit), and a list that gets
the focus with nothing highlighted highlights its first row, so the first ↓ moves and Enter
takes the row a hint names ("Enter takes X, ↓ lists 3").

The keys are the app's, not priority: a text field types j and k, and a screen that binds them
keeps them. They act on whatever has the focus and has Textual's cursor actions.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import OptionList

from roark_tui.tui.key_order import is_text_field

LIST_BINDINGS = [
    Binding(
        "j",
        "list_cursor('down')",
        "Down",
        show=False,
        id="list.down",
        tooltip="Down in a list, table or tree (as ↓)",
    ),
    Binding(
        "k",
        "list_cursor('up')",
        "Up",
        show=False,
        id="list.up",
        tooltip="Up in a list, table or tree (as ↑)",
    ),
]


def cursor_action(widget: Widget | None, direction: str) -> str | None:
    """The name of `widget`'s action that moves its cursor `direction`, if it has one and is
    not a text field (a TextArea has one, and types j)."""
    name = f"action_cursor_{direction}"
    if widget is None or is_text_field(widget) or not callable(getattr(widget, name, None)):
        return None
    return name


def highlight_first(widget: Widget) -> None:
    """A list that comes into focus with nothing highlighted: its first row (enabled one)."""
    if isinstance(widget, OptionList) and widget.highlighted is None and widget.option_count:
        widget.action_first()
