"""The conversation browser: calls or chats, newest first, each with its verdict.

The list is read a page at a time (core/browse.iter_listed), the next page when the cursor
nears the end. At most WINDOW_PAGES pages are held: past that the top page is let go of, and
listed again (from its API cursor) when the cursor comes back up to it. Each page's verdicts
are then fetched a few at a time by the app's session-wide VerdictLoader and written into
their rows as they arrive: only the verdict cell changes, so the cursor and the scroll stay
where the user put them. A row whose verdict is still coming says
so; a row whose metrics request failed says why, and only that row. With "failing only" (or a
check named), rows whose verdict clears them are taken out, the cursor staying on its row.

Keys: enter opens the metrics screen (on the first failing check); esc there comes back to the
same row. f failing only, / search, c a check, w the time window, s a call status, r reload.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static
from textual.worker import Worker

from roark_tui.core.browse import (
    CALL_STATUSES,
    PAGE_SIZE,
    Conversation,
    Filters,
    Kind,
    RowVerdict,
    iter_listed,
    list_params,
)
from roark_tui.core.browse_prompt import PROMPTS, answered, prompt_value
from roark_tui.tui.screens.base import RoarkScreen
from roark_tui.tui.widgets.browser_status import status_line
from roark_tui.tui.widgets.conversation_table import ConversationTable
from roark_tui.tui.widgets.footer import KeysFooter

NEAR_END = 15  # rows from the end at which the next page is asked for
# Pages of rows kept at once: paging further lets go of the top page (its API cursor is kept,
# a few bytes), and going back up to it lists it again, so memory stays bounded however far the
# user pages.
WINDOW_PAGES = 10
STATUS_EVERY = 0.1  # seconds between status line counts
VERDICTS_EVERY = 0.2  # seconds between writes of the verdicts that arrived


class BrowserScreen(RoarkScreen[None]):
    """Calls or chats with their verdicts; enter opens one."""

    AUTO_FOCUS = "#browser-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open",
            "Open",
            id="browser.open",
            tooltip="Its metrics, on the first failing check",
        ),
        Binding(
            "f",
            "toggle_failing",
            "Failing",
            id="browser.failing",
            tooltip="Only those with a failing check, or all",
        ),
        Binding(
            "slash",
            "prompt('search')",
            "Search",
            key_display="/",
            id="browser.search",
            tooltip="Only those whose text matches",
        ),
        Binding(
            "c",
            "prompt('check')",
            "Check",
            id="browser.check",
            tooltip="Only those where a named check failed",
        ),
        Binding(
            "w",
            "prompt('since')",
            "Window",
            id="browser.since",
            tooltip="Only those started since a time (2h, 3d, 2026-12-01)",
        ),
        Binding(
            "s",
            "cycle_status",
            "Status",
            show=False,
            id="browser.status",
            tooltip="Calls only: ended, in progress, ringing, or any",
        ),
        Binding(
            "r",
            "reload",
            "Reload",
            show=False,
            id="browser.reload",
            tooltip="List again (verdicts already in are kept)",
        ),
        Binding(
            "tab",
            "switch_kind",
            "Calls/chats",
            id="browser.kind",
            tooltip="From calls to chats and back, with the same filters",
        ),
        Binding("escape", "back", "Back", id="browser.back"),
    ]
    HELP = (
        "Calls or chats, newest first, each with its verdict: ✘ a check failed (how many, and "
        "the first), ! a check errored, ✔ every check passed, \u2013 no checks, … no metrics yet, "
        "? the metrics did not load. Verdicts arrive a few at a time while you move; the next "
        "page loads as you near the end. enter opens the metrics on the first failing check; "
        "esc there comes back here. f shows only failing ones, c only those where a named check "
        "failed, / searches, w sets a time window, s (calls) a status, r lists again."
    )
    DEFAULT_CSS = """
    BrowserScreen { layout: vertical; }
    BrowserScreen #browser-status { height: 1; padding: 0 1; background: $boost; }
    BrowserScreen #browser-status.-error { color: $text-error; }
    BrowserScreen #browser-prompt { margin: 0 1; display: none; }
    BrowserScreen #browser-prompt.-open { display: block; }
    BrowserScreen #browser-table { height: 1fr; }
    """

    def __init__(self, kind: Kind, filters: Filters | None = None) -> None:
        super().__init__()
        self.kind: Kind = kind
        self.filters = filters or Filters()
        self.conversations: dict[str, Conversation] = {}
        self.hidden: set[str] = set()
        self.verdicts: dict[str, RowVerdict] = {}  # as shown (faults too, which are not kept)
        self._arrived: dict[str, RowVerdict] = {}  # not yet written into their rows
        self._asking: dict[str, Worker[None]] = {}  # by a page's first id: its verdicts coming
        self._verdicts_timer: Timer | None = None
        self.fetching = False
        self.exhausted = False
        self._status_due = False
        self.problem: str | None = None
        self.prompt_mode: str | None = None
        self._pages: AsyncIterator[tuple[list[Conversation], bool]] | None = None
        # The pages held, top to bottom: the API cursor each was listed from, and its ids.
        self._held: list[tuple[str | None, list[str]]] = []
        self._let_go: list[str | None] = []  # cursors of the pages let go of above, in order
        self._resume: str | None = None  # where the next page is listed from, once restarted
        self._listed_from: str | None = None  # the cursor of the API page read last

    @property
    def above(self) -> int:
        """How many pages were let go of above the rows held."""
        return len(self._let_go)

    def compose(self) -> ComposeResult:
        yield Static(id="browser-status")
        yield Input(id="browser-prompt", compact=True)
        yield ConversationTable(id="browser-table", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = f"{self.kind.capitalize()}s"
        self._fit_columns()
        self.reload()

    # --- listing -----------------------------------------------------------------------------

    def reload(self) -> None:
        """List from the top with the current filters (verdicts already in are reused)."""
        self.workers.cancel_group(self, "browser-page")
        self.workers.cancel_group(self, "browser-verdicts")
        self.conversations.clear()
        self.hidden.clear()
        self.verdicts.clear()
        self._arrived.clear()
        self._asking.clear()
        table = self.query_one(ConversationTable)
        table.longest_title = 0
        table.clear()
        self.exhausted, self.problem = False, None
        self._pages = None
        self._held.clear()
        self._let_go.clear()
        self._resume = None
        self.load_more()

    def _lister(self, service: Any) -> Any:
        """The page fetch of iter_listed for this kind and these filters; it notes the cursor
        of each API page it reads."""
        lister = service.list_calls if self.kind == "call" else service.list_chats
        params = list_params(self.kind, self.filters)

        async def page(after: str | None) -> Any:
            self._listed_from = after
            return await lister(limit=PAGE_SIZE, after=after, **params)

        return page

    @work(group="browser-page", exclusive=True, exit_on_error=False)
    async def load_more(self) -> None:
        """The next page of the list (as many API pages as it takes to find rows)."""
        from roark_tui.api.errors import ApiError

        if self.exhausted:
            return
        self.fetching = True
        self._show_status()
        try:
            if self._pages is None:
                page = self._lister(await self.app.service_ready())
                self._pages = iter_listed(page, self.filters, after=self._resume)
            try:
                batch, self.exhausted = await anext(self._pages)
            except StopAsyncIteration:
                self.exhausted, batch = True, []
        except ApiError as exc:
            self.problem = str(exc)
            self.exhausted = True
            batch = []
        finally:
            self.fetching = False
        if batch:
            self._held.append((self._listed_from, [conv.id for conv in batch]))
        self._add(batch)
        if len(self._held) > WINDOW_PAGES:
            self._let_go_of_top()
        self._show_status()
        if batch:  # the rows first: their verdicts are asked for once they are on screen
            self.call_after_refresh(self._ask_verdicts, [conv.id for conv in batch])
        self._maybe_load_more()

    def _ask_verdicts(self, ids: list[str]) -> None:
        if ids and ids[0] in self.conversations:  # still held
            self._asking[ids[0]] = self.load_verdicts(ids)

    def _forget(self, ids: list[str]) -> None:
        """Let go of a page: its rows' data, and its verdicts still to come."""
        asking = self._asking.pop(ids[0], None) if ids else None
        if asking is not None:
            asking.cancel()
        for conv_id in ids:
            self.conversations.pop(conv_id, None)
            self.verdicts.pop(conv_id, None)
            self._arrived.pop(conv_id, None)
            self.hidden.discard(conv_id)

    def _let_go_of_top(self) -> None:
        """Drop the top page's rows, the cursor and the view staying on the same rows."""
        cursor, ids = self._held.pop(0)
        self._let_go.append(cursor)
        self.query_one(ConversationTable).drop_top(ids)
        self._forget(ids)

    @work(group="browser-page", exclusive=True, exit_on_error=False)
    async def load_above(self) -> None:
        """List again the page let go of just above the rows held, and show it on top; the
        bottom page is let go of in turn (listed again when paging down reaches it)."""
        from roark_tui.api.errors import ApiError

        cursor = self._let_go[-1]
        self.fetching = True
        self._show_status()
        try:
            pages = iter_listed(
                self._lister(await self.app.service_ready()), self.filters, after=cursor
            )
            batch, _ = await anext(pages)
        except (ApiError, StopAsyncIteration) as exc:
            self.problem = str(exc) if isinstance(exc, ApiError) else None
            batch = []
        finally:
            self.fetching = False
        if not batch:
            self._show_status()
            return
        self._let_go.pop()
        self._held.insert(0, (cursor, [conv.id for conv in batch]))
        if len(self._held) > WINDOW_PAGES:
            bottom, ids = self._held.pop()
            self._forget(ids)
            self._resume, self._pages, self.exhausted = bottom, None, False
        self._refill(batch)
        self._show_status()
        self.call_after_refresh(self._ask_verdicts, [conv.id for conv in batch])

    def _refill(self, batch: list[Conversation]) -> None:
        """Rows again for the pages held (a table cannot insert on top), the cursor on the same
        row, that row at the same place on screen."""
        held = [self.conversations.get(conv_id) for _, ids in self._held for conv_id in ids]
        for conv in batch:
            self.conversations[conv.id] = conv
        table = self.query_one(ConversationTable)
        with table.keeping_place():
            table.clear()
            self._add([conv for conv in [*batch, *held] if conv is not None])

    def _add(self, batch: list[Conversation]) -> None:
        table = self.query_one(ConversationTable)
        loader = self.app.verdicts
        if table.grew_titles(batch):  # widths first: the new rows are made at them
            self._fit_columns()
        for conv in batch:
            if conv.id in table.rows:
                continue
            verdict = loader.known(self.kind, conv.id)
            if verdict is not None:
                self.verdicts[conv.id] = verdict
            if self.filters.kept(verdict) is False:
                self.hidden.add(conv.id)
                self.conversations[conv.id] = conv
                continue
            self.conversations[conv.id] = conv
            table.add_row(*table.cells(conv, self.verdicts.get(conv.id)), key=conv.id)

    @work(group="browser-verdicts", exit_on_error=False)
    async def load_verdicts(self, conv_ids: list[str]) -> None:
        await self.app.service_ready()
        async for conv_id, verdict in self.app.verdicts.stream(self.kind, conv_ids):
            self._arrived[conv_id] = verdict
            if self._verdicts_timer is None:
                self._verdicts_timer = self.set_timer(VERDICTS_EVERY, self._show_arrived)
        self._show_arrived()
        self._maybe_load_more()

    def _show_arrived(self) -> None:
        """Write the verdicts that arrived since the last time into their rows, together: a
        changed cell makes the table draw every row in view again, so a dozen verdicts cost
        one redraw, not twelve, and keys stay quick while they stream in."""
        if self._verdicts_timer is not None:
            self._verdicts_timer.stop()
            self._verdicts_timer = None
        arrived, self._arrived = self._arrived, {}
        for conv_id, verdict in arrived.items():
            self._show_verdict(conv_id, verdict)
        self._show_status()

    def _show_verdict(self, conv_id: str, verdict: RowVerdict) -> None:
        table = self.query_one(ConversationTable)
        if conv_id not in table.rows:
            return
        self.verdicts[conv_id] = verdict
        if self.filters.kept(verdict) is False and verdict.state != "fault":
            table.remove_keeping_cursor(conv_id)
            self.hidden.add(conv_id)
            self._maybe_load_more()
        else:
            table.show_verdict(conv_id, verdict)

    # --- the status line ---------------------------------------------------------------------

    def _show_status(self) -> None:
        """Update the status line soon: at most one count a tenth of a second however fast
        verdicts arrive (counting walks every row)."""
        if not self._status_due:
            self._status_due = True
            self.set_timer(STATUS_EVERY, self._count)

    def _count(self) -> None:
        self._status_due = False
        status = self.query_one("#browser-status", Static)
        ids = [cid for cid in self.conversations if cid not in self.hidden]
        line = status_line(
            self.kind,
            self.filters,
            [self.verdicts.get(cid) for cid in ids],
            shown=self.query_one(DataTable).row_count,
            newer_above=self.above * PAGE_SIZE,
            exhausted=self.exhausted,
            fetching=self.fetching,
            problem=self.problem,
        )
        status.set_class(self.problem is not None, "-error")
        status.update(line, layout=False)  # one line, always: no layout of the whole screen

    # --- paging and width --------------------------------------------------------------------

    @on(DataTable.RowHighlighted)
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row == 0 and self._let_go and not self.fetching:
            self.load_above()
            return
        self._maybe_load_more()

    def _maybe_load_more(self) -> None:
        table = self.query_one(DataTable)
        if self.fetching or self.exhausted:
            return
        if table.row_count - table.cursor_row <= NEAR_END:
            self.load_more()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        table = self.query_one(ConversationTable)
        table.fit(self.size.width or 80, self.conversations, self.verdicts)

    # --- actions -----------------------------------------------------------------------------

    def selected(self) -> Conversation | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.ordered_rows[table.cursor_row].key.value
        return self.conversations.get(str(key))

    def action_open(self) -> None:
        conv = self.selected()
        if conv is not None:
            verdict = self.verdicts.get(conv.id)
            first = verdict.failed[0] if verdict is not None and verdict.failed else None
            self.app.open_conversation(self.kind, conv.id, focus_metric=first)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_toggle_failing(self) -> None:
        failing = not (self.filters.failing or self.filters.check)
        self._refilter(replace(self.filters, failing=failing, check=None))

    def action_cycle_status(self) -> None:
        if self.kind != "call":
            self.notify("Chats have no status: s works on calls", timeout=3)
            return
        order = (None, *CALL_STATUSES)
        status = order[(order.index(self.filters.status) + 1) % len(order)]
        self._refilter(replace(self.filters, status=status))

    def action_reload(self) -> None:
        self.reload()

    def action_switch_kind(self) -> None:
        self.kind = "chat" if self.kind == "call" else "call"
        self.title = f"{self.kind.capitalize()}s"
        status = self.filters.status if self.kind == "call" else None
        self._refilter(replace(self.filters, status=status))

    def action_prompt(self, mode: str) -> None:
        prompt = self.query_one("#browser-prompt", Input)
        self.prompt_mode = mode
        prompt.placeholder = PROMPTS[mode]
        prompt.value = prompt_value(mode, self.filters)
        prompt.add_class("-open")
        prompt.focus()

    def _close_prompt(self) -> None:
        prompt = self.query_one("#browser-prompt", Input)
        prompt.remove_class("-open")
        self.prompt_mode = None
        self.query_one(DataTable).focus()

    @on(Input.Submitted, "#browser-prompt")
    def _prompt_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip() or None
        mode = self.prompt_mode
        try:
            filters = answered(mode, text, self.filters)
        except ValueError as exc:
            self.notify(str(exc), severity="error", timeout=6)
            return
        if mode == "check" and text:
            self.warn_about_check(text)
        self._close_prompt()
        self._refilter(filters)

    @work(group="browser-check", exclusive=True, exit_on_error=False)
    async def warn_about_check(self, name: str) -> None:
        """Say so when the check named can match nothing (a typo, or not a check)."""
        from roark_tui.core.browse import check_problem

        await self.app.service_ready()
        problem = check_problem(name, await self.app.verdicts.definitions())
        if problem:
            self.notify(problem, severity="warning", timeout=8, markup=False)

    def _refilter(self, filters: Filters) -> None:
        self.filters = filters
        self.reload()

    def action_back(self) -> None:
        if self.prompt_mode is not None:
            self._close_prompt()
            return
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the prompt is open, letters belong to it.
        return self.prompt_mode is None or action == "back"
