"""formatting: offsets, durations, labels, values per output type, timestamps and the clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from roark_tui.api.metric_values import MetricValue, Segment
from roark_tui.api.models import Unit
from roark_tui.core import formatting as fmt

FIXED = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
def fixed_clock() -> Iterator[None]:
    fmt.set_clock(FIXED)
    yield
    fmt.set_clock(None)


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (None, ""),
        (0, "00:00.0"),
        (72_400, "01:12.4"),
        (72_449, "01:12.4"),
        (72_451, "01:12.5"),
        (59_960, "01:00.0"),
        (3_599_900, "59:59.9"),
        (3_600_000, "1:00:00.0"),
        (3_723_400, "1:02:03.4"),
        (-1_200, "-00:01.2"),
    ],
)
def test_format_offset(ms: float | None, text: str) -> None:
    assert fmt.format_offset(ms) == text


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (None, ""),
        (0, "0 ms"),
        (850, "850 ms"),
        (4_200, "4.2 s"),
        (4_000, "4 s"),
        (12_300, "12 s"),
        (60_000, "1 min"),
        (252_000, "4 min 12 s"),
        (3_600_000, "1 h"),
        (3_840_000, "1 h 4 min"),
        (-850, "-850 ms"),
    ],
)
def test_format_duration(ms: float | None, text: str) -> None:
    assert fmt.format_duration(ms) == text


def seg(start: float | None, end: float | None = None, text: str = "") -> Segment:
    return Segment(id="s", text=text, start_offset_ms=start, end_offset_ms=end)


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (MetricValue(context="CALL"), "Call"),
        (
            MetricValue(context="SEGMENT", segment=seg(72_400, 75_000)),
            "Segment 01:12.4\u201301:15.0",
        ),
        (MetricValue(context="SEGMENT", segment=seg(72_400)), "Segment 01:12.4"),
        (MetricValue(context="SEGMENT"), "Segment"),
        (
            MetricValue(
                context="SEGMENT_RANGE",
                from_segment=seg(40_100, 41_000),
                to_segment=seg(60_000, 62_700),
            ),
            "Range 00:40.1 → 01:02.7",
        ),
        (MetricValue(context="SEGMENT_RANGE", from_segment=seg(40_100)), "Range 00:40.1 → ?"),
        (MetricValue(context="SEGMENT_RANGE"), "Range"),
        (MetricValue(segment=seg(1_000, 2_000)), "Segment 00:01.0\u201300:02.0"),
        (MetricValue(), "Call"),
        (MetricValue(context="TURN_\x1b[31mX"), "Turn x"),
    ],
)
def test_context_label(value: MetricValue, label: str) -> None:
    assert fmt.context_label(value) == label


MS = Unit(name="milliseconds", symbol="ms")
PERCENT = Unit(name="percent", symbol="%")


@pytest.mark.parametrize(
    ("raw", "kind", "unit", "extra", "text"),
    [
        (None, "NUMERIC", None, {}, "—"),
        (812, "NUMERIC", MS, {}, "812 ms"),
        (812.0, "NUMERIC", Unit(name="seconds"), {}, "812 seconds"),
        (0.12345, "NUMERIC", None, {}, "0.123"),
        (45, "NUMERIC", PERCENT, {}, "45%"),
        (49.99, "NUMERIC", Unit(name="US dollars", symbol="$"), {}, "$49.99"),
        (-5, "NUMERIC", Unit(symbol="€"), {}, "-€5"),
        (2, "COUNT", Unit(name="count"), {}, "2"),
        (0.4, "NUMERIC", Unit(name="Ratio"), {}, "0.4"),
        ("812", "NUMERIC", MS, {}, "812 ms"),
        (3, "COUNT", None, {}, "3"),
        (True, "BOOLEAN", None, {}, "true"),
        (False, "BOOLEAN", None, {}, "false"),
        ("TRUE", "BOOLEAN", None, {}, "true"),
        (True, "BOOLEAN", None, {"true_label": "Resolved", "false_label": "Open"}, "Resolved"),
        (False, "BOOLEAN", None, {"true_label": "Resolved", "false_label": "Open"}, "Open"),
        (True, None, None, {}, "true"),
        (72_400, "OFFSET", None, {}, "01:12.4"),
        (4, "SCALE", None, {}, "4"),
        (4.5, "SCALE", None, {}, "4.5"),
        ("billing", "CLASSIFICATION", None, {}, "billing"),
        (["billing", "refund"], "CLASSIFICATION", None, {}, "billing, refund"),
        ("42", "TEXT", None, {}, "42"),
        ("line\x1b[2Jone", "TEXT", None, {}, "lineone"),
        ({"a": 1}, "UNKNOWN", None, {}, '{"a": 1}'),
        (7, "NEWTYPE", None, {}, "7"),
        ("maybe", "BOOLEAN", None, {}, "maybe"),
    ],
)
def test_format_value(
    raw: Any, kind: str | None, unit: Unit | None, extra: dict, text: str
) -> None:
    assert fmt.format_value(raw, kind, unit, **extra) == text


@pytest.mark.parametrize(
    ("unit", "text"),
    [(None, ""), (MS, "ms"), (Unit(name="seconds"), "seconds"), (Unit(), ""), ("x", None)],
)
def test_unit_text(unit: Any, text: str | None) -> None:
    if text is None:
        assert fmt.format_number(2, unit) == "2 x"
    else:
        assert fmt.unit_text(unit) == text


@pytest.mark.parametrize(
    ("iso", "local", "ago"),
    [
        ("2025-03-04T09:00:00Z", "2025-03-04 09:00", "3 h ago"),
        ("2025-03-04T11:59:56.123Z", "2025-03-04 11:59", "3 s ago"),
        ("2025-03-04T12:00:00+00:00", "2025-03-04 12:00", "just now"),
        ("2025-03-04T12:05:00Z", "2025-03-04 12:05", "in 5 min"),
        ("2025-03-01T12:00:00Z", "2025-03-01 12:00", "3 d ago"),
        ("2025-03-04T13:00:00+02:00", "2025-03-04 11:00", "1 h ago"),
        ("2025-03-04T10:30:00", "2025-03-04 10:30", "1 h ago"),
        ("yesterday-ish", "yesterday-ish", ""),
        (None, "", ""),
    ],
)
def test_format_timestamp(fixed_clock: None, iso: str | None, local: str, ago: str) -> None:
    assert fmt.format_timestamp(iso) == (local, ago)


def test_set_clock_zone_and_reset() -> None:
    plus2 = timezone(timedelta(hours=2))
    try:
        fmt.set_clock(FIXED, zone=plus2)
        assert fmt.now() == FIXED
        assert fmt.format_timestamp("2025-03-04T10:00:00Z") == ("2025-03-04 12:00", "2 h ago")
        fmt.set_clock(lambda: FIXED + timedelta(days=1))
        assert fmt.format_timestamp("2025-03-04T12:00:00Z")[1] == "1 d ago"
        assert fmt.local_zone() is None
    finally:
        fmt.set_clock(None)
    assert abs((fmt.now() - datetime.now(UTC)).total_seconds()) < 5


def test_a_naive_fixed_clock_is_taken_as_utc() -> None:
    try:
        fmt.set_clock(datetime(2025, 1, 1, 0, 0))
        assert fmt.now().tzinfo is UTC
    finally:
        fmt.set_clock(None)


def test_explicit_reference_beats_the_clock() -> None:
    reference = datetime(2030, 1, 1, tzinfo=UTC)
    assert fmt.format_timestamp("2029-12-31T23:00:00Z", reference)[1] == "1 h ago"


@pytest.mark.parametrize(
    ("status", "label"),
    [("NOT_APPLICABLE", "not applicable"), ("DATA_MISSING", "data missing"), (None, "success")],
)
def test_capture_label(status: str | None, label: str) -> None:
    assert fmt.capture_label(status) == label


@pytest.mark.parametrize("ms", [float("nan"), float("inf"), float("-inf"), 1e300, -1e20, 1e17])
def test_offsets_and_durations_of_any_number_read_honestly(ms: float) -> None:
    expected = fmt.NO_VALUE if ms != ms or abs(ms) == float("inf") else fmt.OUT_OF_RANGE
    assert fmt.format_offset(ms) == expected
    assert fmt.format_duration(ms) == expected


def test_dates_past_year_9999_do_not_crash(fixed_clock: None) -> None:
    # No UTC time at all: shown as sent, and parsed as nothing.
    assert fmt.parse_timestamp("9999-12-31T23:59:59-23:59") is None
    assert fmt.format_timestamp("9999-12-31T23:59:59-23:59") == ("9999-12-31T23:59:59-23:59", "")
    assert fmt.parse_timestamp("0001-01-01T00:00:00+23:59") is None
    assert fmt.parse_timestamp(5) is None  # type: ignore[arg-type]
    # A UTC time the display zone would take past 9999: said in UTC.
    tokyo = timezone(timedelta(hours=9))
    fmt.set_clock(FIXED, zone=tokyo)
    local, ago = fmt.format_timestamp("9999-12-31T23:59:59Z")
    assert local == "9999-12-31 23:59 UTC" and ago.startswith("in ")
    assert fmt.format_timestamp("2025-03-04T03:00:00Z")[0] == "2025-03-04 12:00"
