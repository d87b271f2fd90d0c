"""The simulation runs list: run number, plan, status, start, duration, Roark's verdict, score.

The list endpoint names a run by id and status only, so each row's number, plan name, verdict
and score come from that run's results, fetched a few at a time once its row is in the table.
The next page is fetched when the cursor nears the end; runs still in progress are polled until
they settle. Names come from the API and are rendered as Text only.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Static

from roark_tui.api import errors
from roark_tui.api.runs import RunListItem, RunResults
from roark_tui.core import runs
from roark_tui.core.formatting import format_timestamp
from roark_tui.core.safe_text import one_line
from roark_tui.tui.widgets.footer import KeysFooter

# The verdict first: at 80 columns the later ones scroll sideways.
COLUMNS = (
    ("Run", "run", 6),
    ("Verdict", "verdict", 13),
    ("Score", "score", 5),
    ("Plan", "plan", 22),
    ("Status", "status", 19),
    ("Started", "started", 11),
    ("Duration", "duration", 11),
)
PAGE_SIZE = 20
NEAR_END = 5  # rows from the end at which the next page is fetched
RESULTS_AT_ONCE = 4
REFRESH_SECONDS = 5.0
STATUS_FILTERS = (None, "RUNNING_SIMULATIONS", "COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED")
VERDICT_STYLES = {
    runs.RunOutcome.PASSED: "bold green",
    runs.RunOutcome.FAILED: "bold red",
    runs.RunOutcome.NOT_COMPLETED: "bold yellow",
    runs.RunOutcome.NO_VERDICT: "yellow",
    runs.RunOutcome.RUNNING: "cyan",
}


def cell(text: str | None, width: int, style: str = "") -> Text:
    return Text(one_line(text or "", width), style=style, no_wrap=True, overflow="ellipsis")


def row_cells(item: RunListItem, results: RunResults | None) -> list[Text]:
    """One row: what the list says, completed by the run's results once they are in."""
    info = results.run if results is not None else None
    status = (info.status if info else None) or item.status
    verdict = runs.outcome(results) if results is not None else None
    score = results.verdict.score if results and results.verdict else None
    started = format_timestamp(item.started_at or item.created_at)[0]
    verdict_style = VERDICT_STYLES.get(verdict, "dim") if verdict else "dim"
    values = (
        (runs.run_label(info.run_number if info else None, item.job_id), ""),
        (verdict.value if verdict else "…", verdict_style),
        ("" if score is None else f"{score:.1f}", ""),
        ((info.simulation_run_plan_name if info else None) or item.simulation_run_plan_id, ""),
        (runs.status_words(status), "" if runs.is_settled(status) else "cyan"),
        (started[5:] if len(started) >= 16 else started, "dim"),
        (runs.duration_text(info.duration_ms if info else None), "dim"),
    )
    return [
        cell(text, width, style)
        for (text, style), (_, _, width) in zip(values, COLUMNS, strict=True)
    ]


class RunsScreen(Screen[None]):
    """Recent simulation runs; enter opens a run's report."""

    AUTO_FOCUS = "#runs-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter,o",
            "open",
            "Open",
            key_display="enter",
            tooltip="Open the run's report",
            id="runs.open",
        ),
        Binding(
            "s",
            "cycle_status",
            "Status",
            tooltip="Show only runs in one status (cycles: all, running, completed, failed, "
            "timed out, cancelled)",
            id="runs.status",
        ),
        Binding(
            "p",
            "plan",
            "Plan",
            tooltip="Show only runs of the highlighted run's plan (again: every plan)",
            id="runs.plan",
        ),
        Binding("r", "reload", "Reload", id="runs.reload"),
        Binding("escape", "back", "Back", id="runs.back"),
    ]
    HELP = (
        "Recent simulation runs, newest first, with Roark's verdict on each. The verdict and "
        "score fill in as each run's results arrive; a run still in progress refreshes on its "
        "own until it settles. More runs load as the cursor nears the end. enter opens the "
        "highlighted run's report; s filters by status, p by the highlighted run's plan."
    )
    DEFAULT_CSS = """
    RunsScreen { layout: vertical; }
    RunsScreen #runs-status { height: auto; max-height: 2; padding: 0 1; background: $boost; }
    RunsScreen #runs-status.-error { color: $text-error; }
    RunsScreen #runs-table { height: 1fr; }
    """

    def __init__(
        self, *, status: str | None = None, plan: str | None = None, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__()
        self.status_filter = status or None
        self.plan_filter: tuple[str, str] | None = (plan, plan) if plan else None  # (id, name)
        self.page_size = page_size
        self.items: dict[str, RunListItem] = {}
        self.results: dict[str, RunResults] = {}
        self.next_cursor: str | None = None
        self.exhausted = False
        self.fetching = False
        self.error: str | None = None
        self._replace = False  # the next page starts the list over (a reload or a filter)
        self._refresh_timer: Timer | None = None
        self._slots = asyncio.Semaphore(RESULTS_AT_ONCE)

    def compose(self) -> ComposeResult:
        yield Static(id="runs-status")
        table: DataTable[Text] = DataTable(id="runs-table", cursor_type="row", zebra_stripes=True)
        for label, key, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Simulation runs"
        self.reload()
        self._refresh_timer = self.set_interval(REFRESH_SECONDS, self._refresh_running)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#runs-table", DataTable)

    # --- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """The list from its first page again; the rows in view stay until that page is in,
        so a reload that fails loses nothing."""
        self.workers.cancel_group(self, "runs-page")
        self.workers.cancel_group(self, "runs-results")
        self.next_cursor, self.exhausted, self.error = None, False, None
        self.fetching = False
        self._replace = True
        self.load_page()

    @work(group="runs-page", exit_on_error=False)
    async def load_page(self) -> None:
        """The next page of runs; its rows appear at once, their verdicts as they come."""
        if self.exhausted or self.fetching:
            return
        self.fetching = True
        self._show_status()
        try:
            page = await (await self.app.service_ready()).list_runs(  # type: ignore[attr-defined]
                limit=self.page_size,
                after=self.next_cursor,
                status=self.status_filter,
                plan_id=self.plan_filter[0] if self.plan_filter else None,
            )
        except errors.ApiError as exc:
            self.error = str(exc)
            return
        finally:
            self.fetching = False
            self._show_status()
        if self._replace:
            self._replace = False
            self.items.clear()
            self.table.clear()
        self.next_cursor = page.next_cursor
        self.exhausted = page.next_cursor is None
        for item in page.data:
            if not item.job_id or item.job_id in self.items:
                continue
            self.items[item.job_id] = item
            self.table.add_row(*row_cells(item, self.results.get(item.job_id)), key=item.job_id)
            if item.job_id not in self.results:
                self.load_results(item.job_id)
        self._show_status()

    @work(group="runs-results", exit_on_error=False)
    async def load_results(self, job_id: str) -> None:
        async with self._slots:
            try:
                service = await self.app.service_ready()  # type: ignore[attr-defined]
                results = await service.run_results(job_id)
            except errors.ApiError:
                return  # the row keeps what the list said; the report shows the error
        self.results[job_id] = results
        self._update_row(job_id)

    def _update_row(self, job_id: str) -> None:
        item = self.items.get(job_id)
        if item is None:
            return
        try:
            row = self.table.get_row_index(job_id)
        except Exception:
            return
        for column, value in enumerate(row_cells(item, self.results.get(job_id))):
            self.table.update_cell_at(Coordinate(row, column), value)

    def _refresh_running(self) -> None:
        """Poll the runs still in progress (their status and, once settled, verdict)."""
        for job_id, item in self.items.items():
            results = self.results.get(job_id)
            status = results.status if results is not None else item.status
            if results is not None and not runs.is_settled(status):
                self.load_results(job_id)

    def _show_status(self) -> None:
        status = self.query_one("#runs-status", Static)
        status.set_class(self.error is not None, "-error")
        filters = []
        if self.status_filter:
            filters.append(f"status {runs.status_words(self.status_filter)}")
        if self.plan_filter:
            filters.append(f"plan {self.plan_filter[1]}")
        count = f"{len(self.items)} run{'s' if len(self.items) != 1 else ''}"
        more = " · loading…" if self.fetching else ("" if self.exhausted else " · more below")
        line = count + more + (" · " + " · ".join(filters) if filters else "")
        if self.error is not None:
            kept = f" · showing the {count} loaded before" if self.items else ""
            line = f"Could not list the runs: {self.error}{kept} · r retries"
        elif not self.items and self.exhausted:
            line = "No runs" + (" match " + ", ".join(filters) if filters else " yet")
        status.update(Text(one_line(line, 200)))

    # --- keys --------------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#runs-table")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.table.row_count - NEAR_END and not self.exhausted:
            self.load_page()

    @on(DataTable.RowSelected, "#runs-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def _highlighted_id(self) -> str | None:
        table = self.table
        if table.row_count == 0:
            return None
        key, _ = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0))
        return key.value

    def action_open(self) -> None:
        job_id = self._highlighted_id()
        if job_id is not None:
            self.app.open_run(job_id)  # type: ignore[attr-defined]

    def action_cycle_status(self) -> None:
        known = self.status_filter in STATUS_FILTERS
        position = STATUS_FILTERS.index(self.status_filter) if known else -1
        self.status_filter = STATUS_FILTERS[(position + 1) % len(STATUS_FILTERS)]
        shown = runs.status_words(self.status_filter) if self.status_filter else "all"
        self.notify(f"Status: {shown}", timeout=2)
        self.reload()

    def action_plan(self) -> None:
        if self.plan_filter is not None:
            self.plan_filter = None
        else:
            job_id = self._highlighted_id()
            item = self.items.get(job_id or "")
            if item is None or not item.simulation_run_plan_id:
                return
            results = self.results.get(item.job_id)
            name = results.run.simulation_run_plan_name if results and results.run else None
            plan_id = item.simulation_run_plan_id
            self.plan_filter = (plan_id, one_line(name or plan_id, 40))
        self.reload()

    def action_reload(self) -> None:
        self.results.clear()
        self.reload()

    def action_back(self) -> None:
        self.dismiss()
