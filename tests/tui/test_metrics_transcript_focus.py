"""core.transcript_focus: which transcript entries a metric value is about, by entry id, by
offsets, or by text; a from → to range covers what lies between."""

from __future__ import annotations

from roark_tui.api.metric_values import MetricValue
from roark_tui.api.models import TranscriptEntry
from roark_tui.core.transcript_focus import focus_of, focused_entries

ENTRIES = [
    TranscriptEntry.model_validate(
        {"id": f"e{i}", "role": role, "text": text, "startOffsetMs": start, "endOffsetMs": end}
    )
    for i, (role, text, start, end) in enumerate(
        [
            ("CUSTOMER", "I was charged twice.", 0, 2000),
            ("AGENT", "Could you give me your order number?", 2500, 4000),
            ("CUSTOMER", "It's A-20931.", 4500, 5500),
            ("AGENT", "Thanks, I see two charges.", 6000, 8000),
        ]
    )
]


def value(**fields: object) -> MetricValue:
    return MetricValue({"captureStatus": "SUCCESS", **fields})


def test_a_segment_by_its_entry_id() -> None:
    focus = focus_of(value(segment={"id": "e2", "text": "x", "startOffsetMs": 99999}))
    assert focus is not None and focus.label.startswith("Segment")
    assert focused_entries(ENTRIES, focus) == [2]


def test_a_segment_without_id_by_its_offsets() -> None:
    focus = focus_of(value(segment={"text": "", "startOffsetMs": 2600, "endOffsetMs": 3000}))
    assert focus is not None
    assert focused_entries(ENTRIES, focus) == [1]


def test_a_range_covers_everything_between() -> None:
    focus = focus_of(
        value(
            fromSegment={"id": "e1", "text": "Could you", "startOffsetMs": 2500},
            toSegment={"id": "e3", "text": "Thanks", "endOffsetMs": 8000},
        )
    )
    assert focus is not None and focus.contiguous and focus.label.startswith("Range")
    assert focused_entries(ENTRIES, focus) == [1, 2, 3]


def test_evidence_spans_mark_only_their_entries() -> None:
    focus = focus_of(
        value(
            evidenceSpans=[
                {"fromSegment": {"text": "", "startOffsetMs": 0, "endOffsetMs": 1000}},
                {"fromSegment": {"text": "", "startOffsetMs": 6100, "endOffsetMs": 6200}},
            ]
        )
    )
    assert focus is not None and not focus.contiguous
    assert focused_entries(ENTRIES, focus) == [0, 3]
    assert focus.label == "Evidence 00:00.0 → 00:06.2"


def test_evidence_of_one_line_reads_as_that_line() -> None:
    line = {"id": "e1", "text": "Could you", "startOffsetMs": 2500, "endOffsetMs": 4000}
    focus = focus_of(value(evidenceSpans=[{"fromSegment": line, "toSegment": line}]))
    assert focus is not None and focus.label == "Evidence 00:02.5\u201300:04.0"
    assert focused_entries(ENTRIES, focus) == [1]


def test_by_text_when_nothing_else_matches() -> None:
    focus = focus_of(value(segment={"text": "it's a-20931."}))
    assert focus is not None
    assert focused_entries(ENTRIES, focus) == [2]


def test_a_whole_conversation_value_points_nowhere() -> None:
    assert focus_of(value(context="CALL", value=True)) is None
