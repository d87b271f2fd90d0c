"""The strip above the metrics (#conversation-header): which conversation this is.

Title, id, start time, duration, agents, customers and properties from get chat / get call;
until they arrive (or if they cannot be read) the kind and id alone. API text literal.
"""

from __future__ import annotations

import json

from rich.text import Text
from textual.widgets import Static

from roark_tui.api.models import Call, Chat
from roark_tui.core.formatting import format_duration, format_timestamp, now
from roark_tui.core.safe_text import one_line

TITLE_WIDTH = 80
VALUE_WIDTH = 40


def _agents(conv: Chat | Call) -> str:
    names = [one_line(a.name or a.id or "", VALUE_WIDTH) for a in conv.agents]
    return ", ".join(n for n in names if n)


def _customers(conv: Chat | Call) -> str:
    names = [one_line(c.label or c.phone_number_e164 or "", VALUE_WIDTH) for c in conv.customers]
    return ", ".join(n for n in names if n)


def _properties(conv: Chat | Call) -> str:
    pairs = []
    for key, value in conv.properties.items():
        shown = value if isinstance(value, str) else json.dumps(value, default=str)
        pairs.append(f"{one_line(key, VALUE_WIDTH)}={one_line(shown, VALUE_WIDTH)}")
    return "  ".join(pairs)


def header_text(
    kind: str, conv_id: str, conv: Chat | Call | None, note: Text | None = None
) -> Text:
    """Kind and title; the note (second, so that a narrow screen's two lines keep it); id,
    start, duration; agents, customers, properties."""
    title = one_line(conv.title, TITLE_WIDTH) if conv is not None and conv.title else ""
    text = Text.assemble((kind, "bold reverse"), " ", (title or one_line(conv_id), "bold"))
    if note is not None:
        text.append("\n")
        text.append_text(note)
    details: list[tuple[str, str]] = [("id", one_line(conv_id))] if title else []
    if conv is not None:
        local, ago = format_timestamp(conv.started, now())
        if local:
            details.append(("started", f"{local} ({ago})" if ago else local))
        if conv.duration_ms is not None:
            details.append(("lasted", format_duration(conv.duration_ms)))
    people = [("agents", _agents(conv)), ("customers", _customers(conv))] if conv else []
    for line in (details, people):
        shown = [(name, value) for name, value in line if value]
        if shown:
            text.append("\n")
            for index, (name, value) in enumerate(shown):
                text.append(("  " if index else "") + f"{name} ", style="dim")
                text.append(value)
    properties = _properties(conv) if conv is not None else ""
    if properties:
        text.append("\nproperties ", style="dim")
        text.append(properties)
    return text


class ConversationHeader(Static):
    """Kind, title and facts of the open conversation, and a note about it (metrics still
    coming in) that stays until it is changed."""

    def __init__(self, kind: str, conv_id: str, *, id: str = "conversation-header") -> None:
        super().__init__(header_text(kind, conv_id, None), id=id)
        self._shown: tuple[str, str, Chat | Call | None] = (kind, conv_id, None)
        self.note: Text | None = None

    def show(self, kind: str, conv_id: str, conv: Chat | Call | None) -> None:
        self._shown = (kind, conv_id, conv)
        self.update(header_text(kind, conv_id, conv, self.note))

    def show_note(self, note: Text | None) -> None:
        if note != self.note:
            self.note = note
            self.show(*self._shown)
