"""The run report's tables: their columns and the cells of a call, check or debrief theme row.

A cell is one line of Text cut to its column, so a name or status from the API can neither
wrap a row nor be read as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from roark_tui.api.run_debrief import Theme
from roark_tui.core import runs
from roark_tui.core.safe_text import one_line

Columns = tuple[tuple[str, str, int], ...]

MARKS = {False: ("FAIL", "bold red"), True: ("ok", "green"), None: ("··", "dim")}
CALL_COLUMNS: Columns = (
    ("", "mark", 4),
    ("Failed checks", "failing", 30),
    ("Agent", "agent", 18),
    ("Persona", "persona", 20),
    ("Status", "status", 10),
    ("Call", "call", 10),
)
CHECK_COLUMNS: Columns = (
    ("", "mark", 4),
    ("Check", "name", 28),
    ("Pass rate", "rate", 9),
    ("Minimum", "min", 8),
    ("vs baseline", "delta", 11),
    ("Graded", "graded", 7),
)
THEME_COLUMNS: Columns = (
    ("Severity", "severity", 8),
    ("Theme", "title", 46),
    ("Calls", "calls", 5),
)


def report_table(table_id: str, columns: Columns) -> DataTable[Text]:
    table: DataTable[Text] = DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
    for label, key, width in columns:
        table.add_column(label, key=key, width=width)
    return table


def cell(text: str | None, width: int, style: str = "") -> Text:
    return Text(one_line(text or "", width), style=style, no_wrap=True, overflow="ellipsis")


def mark(passed: bool | None) -> Text:
    word, style = MARKS[passed]
    return Text(word, style=style)


def call_cells(row: runs.CallRow) -> tuple[Text, ...]:
    call = row.call
    passed = {"FAIL": False, "PASS": True}.get(row.verdict)
    return (
        mark(passed) if row.verdict != "NOT COUNTED" else Text("skip", style="dim"),
        cell(", ".join(row.failing), 30, "red")
        if row.failing or passed is True
        else cell("not graded", 30, "dim"),
        cell(call.agent_name, 18),
        cell(call.persona_name, 20),
        cell(runs.status_words(call.status), 10, "dim"),
        cell(call.call_id or "not placed", 10, "dim"),
    )


def check_cells(row: runs.CheckRow) -> tuple[Text, ...]:
    delta = runs.delta_text(row.delta)
    graded = "" if row.evaluated is None else f"{row.passed_calls or 0}/{row.evaluated}"
    return (
        mark(row.passed),
        cell(row.name, 28),
        cell(runs.pct(row.pass_rate), 9, "bold" if row.passed is False else ""),
        cell(runs.pct(row.min_pass_rate), 8, "dim"),
        cell(delta, 11, "red" if (row.delta or 0) < 0 else "green"),
        cell(graded, 7, "dim"),
    )


def theme_cells(theme: Theme) -> tuple[Text, ...]:
    return (
        cell(theme.severity, 8, "bold red" if theme.severity == "HIGH" else ""),
        cell(theme.title or theme.slug, 46),
        cell(str(len(theme.call_ids)), 5),
    )
