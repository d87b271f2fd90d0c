"""The browser's table of conversations: its columns fitted to the screen's width, a row's
cells at those widths, and rows taken out or let go of with the cursor and the view staying on
the rows the user was looking at. Titles come from the API: rendered as Text, one line, cut to
the title column, which takes all the width the other columns leave."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from roark_tui.core.browse import Conversation, RowVerdict, list_row
from roark_tui.core.safe_text import one_line
from roark_tui.tui.widgets.verdicts import VERDICT_WIDTH, verdict_cell

MAX_VERDICT = 44  # room for the mark, the count and a long check slug
STARTED_WIDTH = 16  # 2026-11-20 17:57; 11 without the year below NARROW columns
DURATION_WIDTH = 11  # "in progress"
NARROW = 100
MIN_TITLE = 20


def title_cell(conv: Conversation, width: int) -> Text:
    return Text(one_line(conv.title or conv.id, width), no_wrap=True, overflow="ellipsis")


class ConversationTable(DataTable[Text]):
    """Rows of conversations: home and end go to the first and the last row (a plain table
    scrolls sideways with them)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "first_row", "First", show=False, id="browser.first"),
        Binding("end", "last_row", "Last", show=False, id="browser.last"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.title_width = 40
        self.verdict_width = VERDICT_WIDTH
        self.started_width = STARTED_WIDTH
        self.longest_title = 0
        self.add_column("Verdict", key="verdict", width=VERDICT_WIDTH)
        self.add_column("Started", key="started", width=STARTED_WIDTH)
        self.add_column("Length", key="duration", width=DURATION_WIDTH)
        self.add_column("Title", key="title", width=self.title_width)

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=max(self.row_count - 1, 0))

    def cursor_key(self) -> str | None:
        if not self.row_count:
            return None
        return str(self.ordered_rows[self.cursor_row].key.value)

    def grew_titles(self, batch: Iterable[Conversation]) -> bool:
        """Note the longest title of a batch; True when the columns should be fitted again."""
        longest = max((len(one_line(c.title or c.id)) for c in batch), default=0)
        if longest <= self.longest_title:
            return False
        self.longest_title = longest
        return True

    def fit(
        self,
        width: int,
        conversations: Mapping[str, Conversation],
        verdicts: Mapping[str, RowVerdict],
    ) -> None:
        """Widths for the screen's width: the title as wide as the longest title loaded
        needs (at least MIN_TITLE), the verdict what is left up to MAX_VERDICT (so it can name
        the failing check in full), then the title takes any rest. Below NARROW columns the
        start time drops its year."""
        started_width = STARTED_WIDTH if width >= NARROW else STARTED_WIDTH - 5
        others = started_width + DURATION_WIDTH + 2 * 4 + 2  # cell padding, scrollbar
        title_need = max(MIN_TITLE, min(self.longest_title, width))
        verdict_width = max(VERDICT_WIDTH, min(MAX_VERDICT, width - others - title_need))
        if width < NARROW:
            verdict_width = VERDICT_WIDTH - 6
        title_width = max(MIN_TITLE, width - others - verdict_width)
        layout = (verdict_width, started_width, title_width)
        if layout == (self.verdict_width, self.started_width, self.title_width):
            return
        self.verdict_width, self.started_width, self.title_width = layout
        for column, column_width in zip(("verdict", "started", "title"), layout, strict=True):
            self.columns[column].width = column_width  # type: ignore[index]
        for key in list(self.rows):
            conv = conversations.get(str(key.value))
            if conv is not None:
                verdict, started, _, title = self.cells(conv, verdicts.get(conv.id))
                self.update_cell(key, "verdict", verdict)
                self.update_cell(key, "started", started)
                self.update_cell(key, "title", title)
        self.refresh()

    def cells(self, conv: Conversation, verdict: RowVerdict | None) -> list[Text]:
        """verdict, started, duration and title cells of a row, at the current widths."""
        _, started, duration, _ = list_row(conv)
        if self.started_width < STARTED_WIDTH:
            started = started[5:]  # the year goes first
        return [
            verdict_cell(verdict, self.verdict_width),
            Text(started, style="dim"),
            Text(duration, style="dim", justify="right"),
            title_cell(conv, self.title_width),
        ]

    def show_verdict(self, conv_id: str, verdict: RowVerdict) -> None:
        self.update_cell(conv_id, "verdict", verdict_cell(verdict, self.verdict_width))

    def remove_keeping_cursor(self, conv_id: str) -> None:
        """Take a row out, the cursor staying on the row it was on (or the next one)."""
        keys = [row.key.value for row in self.ordered_rows]
        current = keys[self.cursor_row] if keys and self.cursor_row < len(keys) else None
        self.remove_row(conv_id)
        if current is not None and self.row_count:
            target = current if current != conv_id else None
            if target is None:
                index = min(keys.index(conv_id), self.row_count - 1)
            else:
                index = self.get_row_index(target)
            self.move_cursor(row=index, animate=False, scroll=False)

    @contextmanager
    def keeping_place(self) -> Iterator[None]:
        """Rows made again inside (a table cannot insert on top): afterwards the cursor is on
        the same row, that row at the same place on screen."""
        current = self.cursor_key()
        offset = self.cursor_row - self.scroll_y
        yield
        if current is not None and current in self.rows:
            row = self.get_row_index(current)
            self.move_cursor(row=row, animate=False, scroll=False)
            self.scroll_to(y=max(0, row - offset), animate=False, immediate=True)

    def drop_top(self, ids: Iterable[str]) -> None:
        """Drop rows at the top, the cursor and the view staying on the same rows."""
        current = self.cursor_key()
        gone = [conv_id for conv_id in ids if conv_id in self.rows]
        for conv_id in gone:
            self.remove_row(conv_id)
        if current is not None and current in self.rows:
            self.move_cursor(row=self.get_row_index(current), animate=False, scroll=False)
        self.scroll_to(y=max(0.0, self.scroll_y - len(gone)), animate=False, immediate=True)
