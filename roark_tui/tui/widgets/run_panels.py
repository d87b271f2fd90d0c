"""The run report's text tabs: the debrief (summary and recommendations), the breakdowns by agent
and persona, and the sweep attribution, each rendered from the results alone (None: not loaded).
Everything from the API is rendered as Text."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from roark_tui.api.run_results import RunResults
from roark_tui.core import runs
from roark_tui.core.safe_text import clean, one_line


def debrief_text(results: RunResults | None) -> Text:
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


def breakdowns_view(results: RunResults | None) -> Group:
    breakdowns = results.breakdowns if results is not None else None
    parts: list[Table | Text] = []
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
    return Group(*parts)


def sweep_view(results: RunResults | None) -> Text | Group:
    sweep = results.sweep_attribution if results is not None else None
    if sweep is None:
        why = (
            "This run swept no property."
            if results and results.settled
            else ("The sweep attribution comes when the run ends.")
        )
        return Text(why, style="dim")
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
    return Group(values, Text(""), checks, Text(""), caveats)
