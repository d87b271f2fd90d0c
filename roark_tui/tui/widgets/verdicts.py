"""A conversation's verdict as a list shows it: mark, words, and the check that decides it."""

from __future__ import annotations

from rich.text import Text

from roark_tui.core.browse import LOADING_LABEL, MARKS, RowVerdict
from roark_tui.core.safe_text import one_line

VERDICT_WIDTH = 22
MIN_SLUG = 10  # a check's slug cut shorter than this says nothing


def verdict_cell(verdict: RowVerdict | None, width: int = VERDICT_WIDTH) -> Text:
    """The verdict column: mark, label and the first failing check's slug when there is room."""
    if verdict is None:
        return Text(LOADING_LABEL, style="dim italic")
    mark, style = MARKS[verdict.state]
    text = Text.assemble((mark + " ", style), (verdict.label, style))
    if verdict.named and width - len(text) > MIN_SLUG:
        text.append(" " + one_line(verdict.named[0]), style="dim")
    text.truncate(width, overflow="ellipsis")
    return text


def verdict_mark(verdict: RowVerdict | None) -> Text:
    """The verdict in a few cells, for narrow lists: `✘ 3` (failed checks), `! 1` (errored),
    `✔`, or the state's mark; `…` while it is loading."""
    if verdict is None:
        return Text("…", style="dim italic")
    mark, style = MARKS[verdict.state]
    count = {"fail": verdict.failing, "error": len(verdict.errored)}.get(verdict.state)
    return Text(f"{mark} {count}" if count else mark, style=style)
