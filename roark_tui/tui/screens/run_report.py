"""A simulation run's report: Roark's verdict and why, then the calls, checks, debrief,
breakdowns and sweep attribution, one tab each.

The calls tab comes first with the cursor on the first failed call, so the failing check's
reasoning is one enter away: enter opens the call's metrics (the existing screen) on the check
the run failed it on, and esc comes back to the same row. Enter on a check or a debrief theme
lists the calls it concerns. A run in progress is followed (core/run_watch.py) until it settles;
its verdict comes only then. Everything from the API is rendered as Text.
"""

from __future__ import annotations

import gc
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Label, Static, TabbedContent, TabPane

from roark_tui.api import errors
from roark_tui.api.runs import RunResults
from roark_tui.core import runs
from roark_tui.core.run_watch import RunPoll, follow_run
from roark_tui.core.safe_text import clean, one_line
from roark_tui.tui.widgets.footer import KeysFooter

CALLS_AT_ONCE = 60  # more than a screen of rows
NEAR_END = 10  # rows from the last one at which the next ones are added
LARGE_RUN = 200  # calls
MARKS = {False: ("FAIL", "bold red"), True: ("ok", "green"), None: ("··", "dim")}
CALL_COLUMNS = (
    ("", "mark", 4),
    ("Failed checks", "failing", 30),
    ("Agent", "agent", 18),
    ("Persona", "persona", 20),
    ("Status", "status", 10),
    ("Call", "call", 10),
)
CHECK_COLUMNS = (
    ("", "mark", 4),
    ("Check", "name", 28),
    ("Pass rate", "rate", 9),
    ("Minimum", "min", 8),
    ("vs baseline", "delta", 11),
    ("Graded", "graded", 7),
)
THEME_COLUMNS = (("Severity", "severity", 8), ("Theme", "title", 46), ("Calls", "calls", 5))


def _cell(text: str | None, width: int, style: str = "") -> Text:
    return Text(one_line(text or "", width), style=style, no_wrap=True, overflow="ellipsis")


def _mark(passed: bool | None) -> Text:
    word, style = MARKS[passed]
    return Text(word, style=style)


def _import_metrics_screen() -> None:
    import roark_tui.tui.screens.metrics  # noqa: F401


class RunPrompt(ModalScreen[str | None]):
    """Which run to compare with? Blank: the plan's previous run."""

    DEFAULT_CSS = """
    RunPrompt { align: center middle; }
    RunPrompt > Vertical { width: 70; max-width: 100%; height: auto; padding: 1 2;
        border: round $accent; background: $surface; }
    RunPrompt #run-prompt-error { color: $text-error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="run_prompt.cancel")
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Compare with run (id or URL; blank: the previous run of the plan)")
            yield Input(placeholder="run id or URL", id="run-prompt")
            yield Static(id="run-prompt-error")
            yield Label("enter compares · esc cancels")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.dismiss("")
            return
        try:
            self.dismiss(runs.parse_run_ref(event.value))
        except ValueError as exc:
            self.query_one("#run-prompt-error", Static).update(Text(str(exc)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class RunReportScreen(Screen[None]):
    """One run's report."""

    AUTO_FOCUS = "#run-calls"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter,o",
            "open",
            "Open",
            key_display="enter",
            tooltip="A call: its metrics on the failing check · a check or theme: its calls",
            id="run.open",
        ),
        Binding("1", "tab('calls')", "Calls", id="run.calls"),
        Binding("2", "tab('checks')", "Checks", id="run.checks"),
        Binding("3", "tab('debrief')", "Debrief", id="run.debrief"),
        Binding("4", "tab('breakdowns')", "Breakdowns", show=False, id="run.breakdowns"),
        Binding("5", "tab('sweep')", "Sweep", show=False, id="run.sweep"),
        Binding(
            "m",
            "compare",
            "Compare",
            tooltip="Compare with another run (or the previous run of the plan)",
            id="run.compare",
        ),
        Binding("r", "reload", "Reload", id="run.reload"),
        Binding("escape", "back", "Back", id="run.back"),
    ]
    HELP = (
        "A simulation run's report: Roark's verdict and why it failed, then one tab each for "
        "the calls (failed first, with the checks each failed), the checks (worst first: pass "
        "rate against its minimum, change against the baseline run), the debrief's themes and "
        "recommendations, breakdowns by agent and persona, and the sweep attribution. enter on "
        "a call opens its metrics on the failing check (esc comes back); enter on a check or a "
        "theme lists its calls (esc shows them all again). m compares with another run. A run "
        "in progress is followed until it settles: the verdict comes only at the end."
    )
    DEFAULT_CSS = """
    RunReportScreen { layout: vertical; }
    RunReportScreen #run-header { height: auto; max-height: 7; padding: 0 1; background: $boost; }
    RunReportScreen #run-filter { height: auto; padding: 0 1; display: none; color: $accent; }
    RunReportScreen TabbedContent { height: 1fr; }
    RunReportScreen TabPane { padding: 0; height: 1fr; }
    RunReportScreen DataTable { height: 1fr; }
    RunReportScreen #run-debrief-pane { height: 1fr; }
    RunReportScreen #run-themes { height: auto; max-height: 8; }
    """

    def __init__(self, job_id: str, *, compare_to: str | None = None) -> None:
        super().__init__()
        self.job_id = job_id
        self.compare_to = compare_to
        self.results: RunResults | None = None
        self.error: str | None = None
        self.following = False
        self.follow_note = ""
        self.call_rows: list[runs.CallRow] = []
        self.shown_calls: list[runs.CallRow] = []
        self.check_rows: list[runs.CheckRow] = []
        self.call_filter: tuple[str, set[str]] | None = None  # (what, call ids or check id)
        self.filter_check: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Loading run {self.job_id}…"), id="run-header")
        yield Static(id="run-filter")
        with TabbedContent(id="run-tabs", initial="calls"):
            with TabPane("Calls", id="calls"):
                yield self._table("run-calls", CALL_COLUMNS)
            with TabPane("Checks", id="checks"):
                yield self._table("run-checks", CHECK_COLUMNS)
            with TabPane("Debrief", id="debrief"), VerticalScroll(id="run-debrief-pane"):
                yield self._table("run-themes", THEME_COLUMNS)
                yield Static(id="run-debrief")
            with TabPane("Breakdowns", id="breakdowns"), VerticalScroll():
                yield Static(id="run-breakdowns")
            with TabPane("Sweep", id="sweep"), VerticalScroll():
                yield Static(id="run-sweep")
        yield KeysFooter()

    @staticmethod
    def _table(table_id: str, columns: tuple[tuple[str, str, int], ...]) -> DataTable[Text]:
        table: DataTable[Text] = DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
        for label, key, width in columns:
            table.add_column(label, key=key, width=width)
        return table

    def on_mount(self) -> None:
        self.title = "Simulation run"
        self.load()
        # The metrics screen a call opens into is imported while the report is read, so
        # enter on a call does not pay for it.
        self.run_worker(_import_metrics_screen, thread=True, group="warm", exit_on_error=False)

    # --- loading -----------------------------------------------------------------------------

    @work(group="run", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        """The results; a run in progress is then followed until it settles."""
        self.error = None
        try:
            service = await self.app.service_ready()  # type: ignore[attr-defined]
            results = await service.run_results(self.job_id, compare_to=self.compare_to)
            self.show(results)
            if len(results.calls) >= LARGE_RUN:
                # The parse kept the collector out; its first full pass over a run this size
                # takes a tenth of a second. Run it after this frame rather than on whichever
                # key allocates next (opening a call, say).
                self.call_after_refresh(gc.collect)
        except errors.ApiError as exc:
            self.error = str(exc)
            self._show_header()
            return
        if self.results is not None and not self.results.settled:
            await self._follow(service)

    async def _follow(self, service: object) -> None:
        async def fetch() -> RunResults:
            return await service.run_results(  # type: ignore[attr-defined]
                self.job_id, compare_to=self.compare_to
            )

        self.following = True
        try:
            followed = await follow_run(fetch, on_update=self._polled)
        except errors.ApiError as exc:
            self.error = f"{exc} (following stopped; r tries again)"
            self._show_header()
            return
        finally:
            self.following = False
        self.show(followed.results)
        self.notify(f"The run settled: {runs.outcome(followed.results).value}", timeout=4)

    def _polled(self, poll: RunPoll) -> None:
        if poll.error is not None:
            self.follow_note = f"{poll.error.summary}, retrying"
        elif poll.next_delay is not None:
            self.follow_note = f"next poll in {poll.next_delay:.0f} s"
        if poll.results is not None and poll.results.settled is False:
            self.show(poll.results)
        else:
            self._show_header()

    def show(self, results: RunResults) -> None:
        """Lay out the results, keeping each table's cursor where it was."""
        self.results = results
        self.check_rows = runs.check_rows(results)
        self.call_rows = runs.call_rows(results, self.check_rows)
        self._show_header()
        self._fill_calls()
        self._fill_checks()
        self._fill_debrief()
        self._fill_breakdowns()
        self._fill_sweep()

    # --- the header --------------------------------------------------------------------------

    def _show_header(self) -> None:
        header = self.query_one("#run-header", Static)
        results = self.results
        if results is None:
            line = f"Could not load run {self.job_id}: {self.error} · r retries"
            header.update(Text(line if self.error else f"Loading run {self.job_id}…"))
            return
        info = results.run
        number = runs.run_label(info.run_number if info else None, self.job_id)
        plan = clean((info.simulation_run_plan_name if info else None) or "")
        result = runs.outcome(results)
        style = {
            runs.RunOutcome.PASSED: "bold green",
            runs.RunOutcome.FAILED: "bold red",
            runs.RunOutcome.RUNNING: "bold cyan",
        }.get(result, "bold yellow")
        text = Text.assemble((number, "bold"), "  ", (one_line(plan, 40), ""), "  ")
        text.append(runs.status_words(results.status), style="dim")
        text.append("\n")
        text.append(runs.headline(results), style=style)
        for reason in runs.reasons(results):
            text.append("\n  · " + one_line(reason, 200))
        comparison = results.comparison
        if comparison is not None and comparison.baseline_run is not None:
            base = comparison.baseline_run
            baseline = runs.run_label(base.run_number, base.simulation_run_plan_job_id)
            delta = runs.delta_text(comparison.score_delta)
            source = "chosen run" if comparison.baseline_source == "REQUESTED" else "previous run"
            text.append(f"\nvs {baseline} ({source})", style="dim")
            if delta:
                text.append(
                    f": score {delta}",
                    style="red" if (comparison.score_delta or 0) < 0 else "green",
                )
        if self.following:
            text.append(f"\nFollowing the run · {self.follow_note}", style="cyan")
        if self.error is not None:
            text.append(f"\n{self.error}", style="red")
        header.update(text)

    # --- calls -------------------------------------------------------------------------------

    def _fill_calls(self) -> None:
        table = self.query_one("#run-calls", DataTable)
        place = table.cursor_row
        rows = self.call_rows
        if self.call_filter is not None:
            _, wanted = self.call_filter
            if self.filter_check is not None:
                rows = runs.calls_failing(rows, self.filter_check)
            else:
                rows = [r for r in rows if r.call.call_id in wanted]
        self.shown_calls = rows
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("calls").label = f"Calls {len(self.call_rows)}"
        tabs.get_tab("checks").label = f"Checks {len(self.check_rows)}"
        table.clear()
        # The rows in view (and the cursor's) now, more as the cursor nears the end: a run of
        # 1,000 calls costs what a screen of them does, on every fill and every repaint.
        self._add_call_rows(table, max(CALLS_AT_ONCE, place + 1))
        if rows:
            table.move_cursor(row=min(place, len(rows) - 1), animate=False)
        filter_line = self.query_one("#run-filter", Static)
        filter_line.display = self.call_filter is not None
        if self.call_filter is not None:
            what = self.call_filter[0]
            filter_line.update(Text(f"{len(rows)} calls · {what} · esc shows every call"))

    def _add_call_rows(self, table: DataTable[Text], count: int) -> None:
        """The next `count` calls of `shown_calls` into the table."""
        start = table.row_count
        for index, row in enumerate(self.shown_calls[start : start + count], start=start):
            call = row.call
            mark = {"FAIL": False, "PASS": True}.get(row.verdict)
            table.add_row(
                _mark(mark) if row.verdict != "NOT COUNTED" else Text("skip", style="dim"),
                _cell(", ".join(row.failing), 30, "red")
                if row.failing or mark is True
                else _cell("not graded", 30, "dim"),
                _cell(call.agent_name, 18),
                _cell(call.persona_name, 20),
                _cell(runs.status_words(call.status), 10, "dim"),
                _cell(call.call_id or "not placed", 10, "dim"),
                key=str(index),
            )

    @on(DataTable.RowHighlighted, "#run-calls")
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if event.cursor_row >= table.row_count - NEAR_END and table.row_count < len(
            self.shown_calls
        ):
            self._add_call_rows(table, CALLS_AT_ONCE)

    def _open_call(self) -> None:
        table = self.query_one("#run-calls", DataTable)
        if not self.shown_calls or table.cursor_row >= len(self.shown_calls):
            return
        row = self.shown_calls[table.cursor_row]
        if not row.call.call_id:
            self.notify("This simulation never placed a call: there is nothing to open.")
            return
        focus = self.filter_check or (row.failing_ids[0] if row.failing_ids else None)
        self.app.open_conversation("call", row.call.call_id, focus_metric=focus)  # type: ignore[attr-defined]

    # --- checks ------------------------------------------------------------------------------

    def _fill_checks(self) -> None:
        table = self.query_one("#run-checks", DataTable)
        place = table.cursor_row
        table.clear()
        for index, row in enumerate(self.check_rows):
            delta = runs.delta_text(row.delta)
            graded = "" if row.evaluated is None else f"{row.passed_calls or 0}/{row.evaluated}"
            table.add_row(
                _mark(row.passed),
                _cell(row.name, 28),
                _cell(runs.pct(row.pass_rate), 9, "bold" if row.passed is False else ""),
                _cell(runs.pct(row.min_pass_rate), 8, "dim"),
                _cell(delta, 11, "red" if (row.delta or 0) < 0 else "green"),
                _cell(graded, 7, "dim"),
                key=str(index),
            )
        if self.check_rows:
            table.move_cursor(row=min(place, len(self.check_rows) - 1), animate=False)

    def _open_check(self) -> None:
        table = self.query_one("#run-checks", DataTable)
        if not self.check_rows or table.cursor_row >= len(self.check_rows):
            return
        row = self.check_rows[table.cursor_row]
        self.filter_check = row.metric_definition_id
        self.call_filter = (f"failed {one_line(row.name, 40)}", set())
        self._show_filtered_calls()

    def _show_filtered_calls(self) -> None:
        self._fill_calls()
        self.query_one("#run-calls", DataTable).move_cursor(row=0, animate=False)
        self.action_tab("calls")

    # --- debrief -----------------------------------------------------------------------------

    def _themes(self) -> list[object]:
        debrief = self.results.debrief if self.results is not None else None
        if debrief is None or not debrief.ready or debrief.report is None:
            return []
        return list(debrief.report.themes)

    def _fill_debrief(self) -> None:
        table = self.query_one("#run-themes", DataTable)
        table.clear()
        themes = self._themes()
        table.display = bool(themes)
        for index, theme in enumerate(themes):
            table.add_row(
                _cell(theme.severity, 8, "bold red" if theme.severity == "HIGH" else ""),  # type: ignore[attr-defined]
                _cell(theme.title or theme.slug, 46),  # type: ignore[attr-defined]
                _cell(str(len(theme.call_ids)), 5),  # type: ignore[attr-defined]
                key=str(index),
            )
        self.query_one("#run-debrief", Static).update(self._debrief_text())

    def _debrief_text(self) -> Text:
        results = self.results
        debrief = results.debrief if results is not None else None
        if results is not None and not results.settled:
            return Text("The debrief is written after the run settles.", style="dim")
        if debrief is None:
            return Text("No debrief for this run (it had no graded calls).", style="dim")
        if not debrief.ready or debrief.report is None:
            status = debrief.status or "UNKNOWN"
            text = Text(f"Debrief {status}", style="bold")
            if status in ("PENDING", "GENERATING"):
                text.append(": it is being written (usually a few minutes); r checks again.")
            elif debrief.error_message:
                text.append(": " + one_line(debrief.error_message, 200))
            return text
        report = debrief.report
        text = Text()
        if report.verdict_summary:
            text.append(clean(report.verdict_summary) + "\n", style="bold")
        for paragraph in report.executive_summary.paragraphs if report.executive_summary else []:
            text.append("\n" + clean(paragraph) + "\n")
        if report.recommendations:
            text.append("\nRecommendations\n", style="bold underline")
        for rec in sorted(report.recommendations, key=lambda r: r.order or 0):
            head = f"{rec.order or '·'}. {clean(rec.title or '')}"
            text.append("\n" + head, style="bold")
            if rec.severity or rec.channel:
                text.append(
                    f"  [{' · '.join(x for x in (rec.severity, rec.channel) if x)}]", style="dim"
                )
            if rec.body:
                text.append("\n   " + clean(rec.body))
            if rec.current_text:
                text.append("\n   - " + clean(rec.current_text), style="red")
            if rec.suggested_text:
                text.append("\n   + " + clean(rec.suggested_text), style="green")
            text.append("\n")
        return text

    def _open_theme(self) -> None:
        table = self.query_one("#run-themes", DataTable)
        themes = self._themes()
        if not themes or table.cursor_row >= len(themes):
            return
        theme = themes[table.cursor_row]
        self.filter_check = None
        title = one_line(theme.title or theme.slug or "theme", 40)  # type: ignore[attr-defined]
        self.call_filter = (f"theme: {title}", set(theme.call_ids))  # type: ignore[attr-defined]
        self._show_filtered_calls()

    # --- breakdowns and sweep ----------------------------------------------------------------

    def _fill_breakdowns(self) -> None:
        results = self.results
        breakdowns = results.breakdowns if results is not None else None
        parts: list[object] = []
        for title, rows in (
            ("By agent", breakdowns.by_agent if breakdowns else []),
            ("By persona", breakdowns.by_persona if breakdowns else []),
        ):
            table = Table(title=title, title_justify="left", expand=True, box=None)
            table.add_column("", ratio=1)
            for column, width in (
                ("Calls", 6),
                ("Passed", 7),
                ("Call pass rate", 15),
                ("Score", 6),
            ):
                table.add_column(column, justify="right", width=width)
            for row in rows:
                table.add_row(
                    Text(one_line(row.label or row.key or "?", 40)),
                    str(row.calls if row.calls is not None else "—"),
                    f"{row.passed_calls or 0}/{row.evaluated_calls or 0}",
                    runs.pct(row.call_pass_rate),
                    "—" if row.score is None else f"{row.score:.1f}",
                )
            if not rows:
                table.add_row(Text("nothing yet", style="dim"), "", "", "", "")
            parts.append(table)
            parts.append(Text(""))
        self.query_one("#run-breakdowns", Static).update(Group(*parts))  # type: ignore[arg-type]

    def _fill_sweep(self) -> None:
        results = self.results
        sweep = results.sweep_attribution if results is not None else None
        target = self.query_one("#run-sweep", Static)
        if sweep is None:
            why = (
                "This run swept no property."
                if results and results.settled
                else ("The sweep attribution comes when the run ends.")
            )
            target.update(Text(why, style="dim"))
            return
        values = Table(title="Values", title_justify="left", expand=True, box=None)
        for column in ("Value", "Counted", "Score", ""):
            values.add_column(column)
        for value in sweep.values:
            notes = [
                n
                for n, on_ in (
                    ("baseline", value.is_baseline),
                    ("too few calls to compare", value.testable is False),
                )
                if on_
            ]
            values.add_row(
                Text(one_line(value.label or value.value or "?", 30)),
                str(value.counted if value.counted is not None else "—"),
                "—" if value.score is None else f"{value.score:.1f}",
                Text(", ".join(notes), style="dim"),
            )
        checks = Table(title="Checks", title_justify="left", expand=True, box=None)
        for column in ("Check", "Attribution", "Failure rate", "Worse values"):
            checks.add_column(column)
        for check in sweep.checks:
            worse = ", ".join(one_line(w.label or w.value or "?", 20) for w in check.worse_values)
            checks.add_row(
                Text(one_line(check.metric_name or "?", 30)),
                Text(
                    runs.status_words(check.attribution),
                    style="bold" if check.attribution == "PROPERTY_ATTRIBUTABLE" else "",
                ),
                runs.pct(check.failure_rate),
                Text(worse or "—"),
            )
        caveats = Text("\n".join("· " + clean(c) for c in sweep.caveats), style="dim")
        target.update(Group(values, Text(""), checks, Text(""), caveats))

    # --- keys --------------------------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = tab
        focus = {"calls": "#run-calls", "checks": "#run-checks", "debrief": "#run-themes"}
        target = focus.get(tab)
        if target is not None and self.query_one(target).display:
            self.query_one(target).focus()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        active = self.query_one(TabbedContent).active
        if active == "calls":
            self._open_call()
        elif active == "checks":
            self._open_check()
        elif active == "debrief":
            self._open_theme()

    def action_compare(self) -> None:
        def chosen(job_id: str | None) -> None:
            if job_id is None:
                return
            self.compare_to = job_id or None
            self.load()

        self.app.push_screen(RunPrompt(), chosen)

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        if self.call_filter is not None:
            self.call_filter, self.filter_check = None, None
            self._fill_calls()
            return
        self.workers.cancel_group(self, "run")
        self.dismiss()
