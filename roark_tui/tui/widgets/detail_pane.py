"""The detail pane (#detail): everything about the selected metric or value.

For a metric: description, slug, id, type, scope, unit, its roll-up and the reasoning of the
value that gives it its mark (core.metric_tree.deciding_value). For a value: the value
with its unit, capture status, confidence as a bar, when it was computed (local time and how long
ago), the judge's reasoning (wrapped; the pane scrolls), the error message and policy ids.
All API text goes through `safe_text.clean` into rich `Text`, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from roark_tui.core.formatting import format_timestamp, now
from roark_tui.core.metric_tree import GroupRow, Status, ValueRow, deciding_value
from roark_tui.core.safe_text import clean, one_line
from roark_tui.core.verdict import UNKNOWN_REASON, Kind
from roark_tui.tui.widgets.metric_tree import NodeRef, mark
from roark_tui.tui.widgets.rendered_pane import RenderedPane

BAR_CELLS = 10
CHECK_WORDS = {
    Status.PASS: "check passed",
    Status.FAIL: "check failed",
    Status.UNKNOWN: UNKNOWN_REASON,
}
CHECK_NOTES = {Kind.CHECK: "  (check)", Kind.UNKNOWN: f"  ({UNKNOWN_REASON})"}
READING_NOTE = "  (a reading, not a check: no pass or fail)"


def confidence_bar(confidence: float) -> Text:
    """`████████░░ 0.82` (clamped to 0..1; the number is kept as given)."""
    share = min(1.0, max(0.0, confidence))
    filled = round(share * BAR_CELLS)
    return Text.assemble(
        ("█" * filled, "bold"), ("░" * (BAR_CELLS - filled), "dim"), f" {confidence:.2f}"
    )


def fields_table(rows: Sequence[tuple[str, Text | str]]) -> Table:
    """Name and value pairs, names dim; empty values are left out."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(overflow="fold")
    for name, value in rows:
        if value:
            table.add_row(name, value if isinstance(value, Text) else Text(value))
    return table


def no_reasoning() -> Text:
    return Text("No reasoning given for this value.", style="dim")


def heading(text: str) -> Text:
    return Text(text, style="bold underline")


def metric_detail(row: GroupRow) -> RenderableType:
    group = row.group
    unit = group.unit
    names = (unit and unit.name, unit and unit.symbol and f"({unit.symbol})")
    unit_text = " ".join(p for p in names if p)
    title = Text.assemble(mark(row.status), " ", (row.name, "bold"))
    # Why a metric failed or errored is what triage wants first (at 80x24 the pane shows a
    # dozen lines); the reasoning of a passing one can wait under the description.
    deciding = deciding_value(row)
    urgent = deciding is not None and deciding.status in (Status.FAIL, Status.ERROR)
    parts: list[RenderableType] = [title]
    if deciding is not None and urgent:
        parts += [*_deciding_parts(row, deciding), Text()]
    parts.append(
        fields_table(
            [
                ("slug", one_line(group.slug or group.metric_id or "")),
                ("id", one_line(group.metric_definition_id)),
                ("type", row.output_type + _check_note(row)),
                ("scope", one_line(group.scope or "")),
                ("unit", one_line(unit_text)),
                ("values", _rollup_text(row)),
            ]
        )
    )
    if group.description:
        parts += [Text(), heading("Description"), Text(clean(group.description))]
    if deciding is not None and not urgent:
        parts += _deciding_parts(row, deciding)
    return Group(*parts)


def _deciding_parts(row: GroupRow, deciding: ValueRow) -> list[RenderableType]:
    """What the judge said of the value that gives the metric its mark, so a collapsed metric
    answers "why" without being opened."""
    value = deciding.value
    about = f" · {deciding.label}" if len(row.group.values) > 1 else ""
    words = {Status.FAIL: "Why it failed", Status.ERROR: "Why it errored"}
    parts: list[RenderableType] = [Text(), heading(words.get(deciding.status, "Reasoning") + about)]
    if len(row.group.values) > 1:
        parts.append(Text.assemble(mark(deciding.status), " ", (deciding.text, "bold")))
    if value.error_message:
        parts.append(Text(clean(value.error_message), style="bold"))
    if value.value_reasoning:
        parts.append(Text(clean(value.value_reasoning)))
    elif not value.error_message:
        parts.append(no_reasoning())
    return parts


def _check_note(row: GroupRow) -> str:
    """Why a metric has a ✔/✘ or not; a yes/no reading says it is one (its true is not a pass)."""
    if row.kind is Kind.OBSERVATION:
        return READING_NOTE if row.output_type.upper() == "BOOLEAN" else ""
    return CHECK_NOTES[row.kind]


def _rollup_text(row: GroupRow) -> str:
    rollup = row.rollup
    described = rollup.describe()
    count = f"{rollup.values} value{'s' if rollup.values != 1 else ''}"
    passed = f"{rollup.passed} passing" if row.check and rollup.passed else ""
    return " · ".join(p for p in (count, passed, described) if p)


def value_detail(row: GroupRow, value_row: ValueRow) -> RenderableType:
    """Title, the value in one line, then what matters most in triage (the error and the
    judge's reasoning) before the rest of the facts."""
    value = value_row.value
    title = Text.assemble(mark(value_row.status), " ", (row.name, "bold"), " · ", value_row.label)
    summary = Text.assemble((value_row.text, "bold"))
    verdict = CHECK_WORDS.get(value_row.status)
    if verdict is not None:
        summary.append("  ")
        summary.append_text(mark(value_row.status))
        summary.append(f" {verdict}")
    if value.confidence is not None:
        summary.append("\nconfidence ", style="dim")
        summary.append_text(confidence_bar(value.confidence))
    parts: list[RenderableType] = [title, summary]
    if value.error_message:
        parts += [Text(), heading("Error"), Text(clean(value.error_message), style="bold")]
    if value.value_reasoning:
        parts += [Text(), heading("Reasoning"), Text(clean(value.value_reasoning))]
    elif not value.error_message:
        parts += [Text(), no_reasoning()]
    computed = ""
    if value.computed_at:
        local, ago = format_timestamp(value.computed_at, now())
        computed = f"{local} ({ago})" if ago else local
    facts = [
        ("status", one_line(value.capture_status)),
        ("role", value_row.role),
        ("context", one_line(value.context or "")),
        ("computed", computed),
        ("policies", one_line(", ".join(value.policy_ids))),
    ]
    if any(fact for _, fact in facts):
        parts += [Text(), fields_table(facts)]
    return Group(*parts)


class DetailPane(RenderedPane):
    """Shows one node; scrolls when the reasoning is long."""

    def __init__(self, *, id: str = "detail") -> None:
        super().__init__(Text("Select a metric or a value.", style="dim"), id=id)
        self.border_title = "Detail"

    def show(self, ref: NodeRef | None) -> None:
        if ref is None or ref.is_more:
            self.show_content(Text("Select a metric or a value.", style="dim"))
        elif ref.value is None:
            self.show_content(metric_detail(ref.row))
        else:
            self.show_content(value_detail(ref.row, ref.value))
