"""The segment pane (#segment): where in the conversation the selected value points.

The segment's text with its start and end offsets, or the from → to range with both ends' text,
each evidence span with its reason, and for property verdicts a table of property, expected,
observed and verdict. API text is shown literally (rich `Text` of `safe_text.clean`).
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from roark_tui.api.metric_values import EvidenceSpan, MetricValue, PropertyVerdict, Segment
from roark_tui.core.formatting import NO_VALUE, range_span, same_segment, segment_span
from roark_tui.core.metric_tree import evidence_value
from roark_tui.core.safe_text import clean, one_line
from roark_tui.tui.widgets.detail_pane import heading
from roark_tui.tui.widgets.metric_tree import NodeRef
from roark_tui.tui.widgets.rendered_pane import RenderedPane

VERDICT_STYLES = {"MATCH": "green", "MISMATCH": "bold red", "TRANSCRIPTION_ERROR": "yellow"}
PLACEHOLDER = "Select a value to see the part of the conversation it is about."


def quoted(segment: Segment) -> Text:
    return Text(clean(segment.text) or "(no text)", style="italic" if segment.text else "dim")


def segment_block(title: str, segment: Segment) -> list[RenderableType]:
    span = segment_span(segment)
    return [heading(f"{title} {span}".strip()), quoted(segment)]


def range_block(title: str, start: Segment | None, end: Segment | None) -> list[RenderableType]:
    """From → to with both ends' text; a range of one segment reads as that segment."""
    if start is not None and (end is None or same_segment(start, end)):
        return segment_block(title, start)
    parts: list[RenderableType] = [heading(f"{title} {range_span(start, end)}".strip())]
    if start is not None:
        parts += [Text.assemble(("from ", "dim"), quoted(start))]
    if end is not None:
        parts += [Text.assemble(("to   ", "dim"), quoted(end))]
    return parts


def evidence_block(number: int, span: EvidenceSpan) -> list[RenderableType]:
    parts = range_block(f"Evidence {number}", span.from_segment, span.to_segment)
    if span.reason:
        parts.append(Text.assemble(("why  ", "dim"), clean(span.reason)))
    return parts


def shown(raw: Any) -> str:
    """An expected/observed property value as one line of literal text."""
    if raw is None:
        return NO_VALUE
    if isinstance(raw, str):
        return one_line(raw)
    return one_line(json.dumps(raw, ensure_ascii=False, default=str))


def verdicts_table(verdicts: list[PropertyVerdict]) -> Table:
    table = Table(expand=True, box=None, padding=(0, 1), show_edge=False)
    table.add_column("property", style="bold", overflow="fold")
    table.add_column("expected", overflow="fold")
    table.add_column("observed", overflow="fold")
    table.add_column("verdict", no_wrap=True)
    for verdict in verdicts:
        word = one_line(verdict.verdict) or NO_VALUE
        table.add_row(
            Text(one_line(verdict.property_name)),
            Text(shown(verdict.expected_value)),
            Text(shown(verdict.observed_value)),
            Text(word, style=VERDICT_STYLES.get(word.upper(), "")),
        )
    return table


def value_segments(value: MetricValue) -> RenderableType:
    parts: list[RenderableType] = []
    if value.segment is not None:
        parts += segment_block("Segment", value.segment)
    if value.from_segment is not None or value.to_segment is not None:
        parts += range_block("Range", value.from_segment, value.to_segment)
    for number, span in enumerate(value.evidence_spans, 1):
        if parts:
            parts.append(Text())
        parts += evidence_block(number, span)
    if value.property_verdicts:
        if parts:
            parts.append(Text())
        parts += [heading("Properties"), verdicts_table(value.property_verdicts)]
        for verdict in value.property_verdicts:
            if verdict.reasoning:
                parts.append(
                    Text.assemble(
                        (f"{one_line(verdict.property_name)}: ", "dim"), clean(verdict.reasoning)
                    )
                )
    if not parts:
        return Text("This value is about the whole conversation (no segment).", style="dim")
    return Group(*parts)


class SegmentPane(RenderedPane):
    """Shows the segment, range, evidence and property verdicts of one value."""

    def __init__(self, *, id: str = "segment") -> None:
        super().__init__(Text(PLACEHOLDER, style="dim"), id=id)
        self.border_title = "Segment"

    def show(self, ref: NodeRef | None) -> None:
        if ref is None or ref.is_more:
            self.show_content(Text(PLACEHOLDER, style="dim"))
        elif ref.value is not None:
            self.show_content(value_segments(ref.value.value))
        elif (value := evidence_value(ref.row)) is not None:
            self.show_content(value_segments(value))
        else:
            self.show_content(Text(PLACEHOLDER, style="dim"))
