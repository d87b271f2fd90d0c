"""Which transcript entries a metric value is about, for the transcript view's highlight.

A value points into its conversation with a segment, a from → to range, or evidence spans.
A segment may carry the id of the transcript entry it was cut from; when it does not, its
offsets are matched against the entries' offsets, and failing both, its text against theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from roark_tui.api.metric_values import MetricValue, Segment
from roark_tui.api.models import TranscriptEntry
from roark_tui.core.formatting import range_span, same_segment, segment_span

Span = tuple[float, float]


@dataclass(frozen=True)
class Focus:
    """Where in a conversation a value points: its segments' offsets (ms), entry ids and texts.
    `contiguous`: everything between the first and last segment is meant (a from → to range)."""

    label: str
    spans: tuple[Span, ...] = ()
    ids: frozenset[str] = frozenset()
    texts: tuple[str, ...] = ()
    contiguous: bool = False


def _segments(value: MetricValue) -> list[Segment]:
    if value.segment is not None:
        return [value.segment]
    ranged = [s for s in (value.from_segment, value.to_segment) if s is not None]
    if ranged:
        return ranged
    spans = value.evidence_spans
    return [s for span in spans for s in (span.from_segment, span.to_segment) if s is not None]


def _span(segment: Segment) -> Span | None:
    start, end = segment.start_offset_ms, segment.end_offset_ms
    if start is None:
        return None
    return (start, end if end is not None and end >= start else start)


def focus_of(value: MetricValue) -> Focus | None:
    """The part of the transcript `value` is about; None for a whole-conversation value with
    no segment or evidence."""
    segments = _segments(value)
    if not segments:
        return None
    is_range = value.segment is None and (value.from_segment or value.to_segment) is not None
    if value.segment is not None:
        label = f"Segment {segment_span(value.segment)}".rstrip()
    elif is_range:
        label = f"Range {range_span(value.from_segment, value.to_segment)}".rstrip()
    elif all(same_segment(s, segments[0]) for s in segments):
        label = f"Evidence {segment_span(segments[0])}".rstrip()
    else:
        label = f"Evidence {range_span(segments[0], segments[-1])}".rstrip()
    return Focus(
        label=label,
        spans=tuple(span for s in segments if (span := _span(s)) is not None),
        ids=frozenset(s.id for s in segments if s.id),
        texts=tuple(s.text.strip() for s in segments if s.text.strip()),
        contiguous=is_range,
    )


def entry_id(entry: TranscriptEntry) -> str | None:
    """An entry's id (not in the documented schema; the API may send one)."""
    found = (entry.model_extra or {}).get("id")
    return found if isinstance(found, str) and found else None


def _overlaps(entry: TranscriptEntry, span: Span) -> bool:
    if entry.start_offset_ms is None:
        return False
    start = entry.start_offset_ms
    end = entry.end_offset_ms if entry.end_offset_ms is not None else start
    if span[0] == span[1]:  # a point in time: the entry it falls in
        return start <= span[0] <= end
    return start < span[1] and end > span[0]


def focused_entries(entries: Sequence[TranscriptEntry], focus: Focus) -> list[int]:
    """Positions of the entries `focus` covers, in order: matched by id, else by offsets,
    else by text. A contiguous focus covers every entry between its first and last match."""
    found = [i for i, e in enumerate(entries) if focus.ids and entry_id(e) in focus.ids]
    if not found:
        found = [
            i for i, e in enumerate(entries) if any(_overlaps(e, span) for span in focus.spans)
        ]
    if not found and focus.texts:
        wanted = [t.casefold() for t in focus.texts]
        found = [
            i
            for i, e in enumerate(entries)
            if (text := e.text.strip().casefold()) and any(w in text or text in w for w in wanted)
        ]
    if focus.contiguous and len(found) > 1:
        return list(range(found[0], found[-1] + 1))
    return found
