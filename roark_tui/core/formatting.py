"""How values, offsets, durations and timestamps read on screen and in `--print`: one place.

Also the clock every screen reads "now" from. Tests and snapshots pin it with `set_clock`, so
"3 h ago" and local times come out the same on every machine.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

from roark_tui.api.metric_values import MetricValue, Segment
from roark_tui.api.models import Unit
from roark_tui.core.safe_text import clean, one_line
from roark_tui.core.watch import format_age
from roark_tui.core.whatif import NUMERIC_TYPES, parse_boolean, parse_number
from roark_tui.core.whatif import format_number as _format_number

NO_VALUE = "—"
_DAY = 86_400
_UNSPACED_SYMBOLS = frozenset({"%", "°", "‰"})
_PREFIX_SYMBOLS = frozenset({"$", "€", "£", "¥", "₹"})
# Unit names that say what is counted, not a quantity to write after a number ("2", not
# "2 count").
_DIMENSIONLESS = frozenset({"count", "counts", "ratio", "score", "number", "none", "unitless"})
EN_DASH = "\u2013"  # between the start and end of one segment
OUT_OF_RANGE = "out of range"
# Longer than any conversation (a thousand years, in ms): a number past it is a broken field,
# said as such rather than as a row of digits.
MAX_MS = 1000 * 365.25 * _DAY * 1000


# --- the clock ---------------------------------------------------------------------------------


def _system_now() -> datetime:
    return datetime.now(UTC)


_clock: Callable[[], datetime] = _system_now
_zone: tzinfo | None = None


def now() -> datetime:
    """The current time (timezone-aware), from the clock set by `set_clock`."""
    return _clock()


def set_clock(clock: datetime | Callable[[], datetime] | None, zone: tzinfo | None = None) -> None:
    """Pin "now" (a fixed datetime or a function) and the zone local times are shown in.

    A fixed aware datetime also fixes the display zone to its own unless `zone` is given, so
    `set_clock(datetime(2025, 3, 4, 12, tzinfo=UTC))` makes every screen deterministic.
    `set_clock(None)` goes back to the system clock and zone.
    """
    global _clock, _zone
    if clock is None:
        _clock, _zone = _system_now, zone
    elif isinstance(clock, datetime):
        fixed = clock if clock.tzinfo else clock.replace(tzinfo=UTC)
        _clock, _zone = (lambda: fixed), zone or fixed.tzinfo
    else:
        _clock, _zone = clock, zone


def local_zone() -> tzinfo | None:
    """The zone local times are shown in (None: the system's)."""
    return _zone


# --- time --------------------------------------------------------------------------------------


def format_offset(ms: float | None) -> str:
    """Milliseconds into a conversation as `01:12.4` (tenths), `1:02:03.4` from an hour on."""
    if ms is None:
        return ""
    if (odd := _odd_ms(ms)) is not None:
        return odd
    sign = "-" if ms < 0 else ""
    tenths = round(abs(ms) / 100)
    seconds, tenth = divmod(tenths, 10)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    if hours:
        return f"{sign}{hours}:{minute:02d}:{second:02d}.{tenth}"
    return f"{sign}{minute:02d}:{second:02d}.{tenth}"


def format_duration(ms: float | None) -> str:
    """A length of time for people: `850 ms`, `4.2 s`, `12 s`, `4 min 12 s`, `1 h 4 min`."""
    if ms is None:
        return ""
    if (odd := _odd_ms(ms)) is not None:
        return odd
    if ms < 0:
        return "-" + format_duration(-ms)
    if ms < 1000:
        return f"{round(ms)} ms"
    if ms < 10_000:
        return f"{_format_number(round(ms / 1000, 1))} s"
    seconds = round(ms / 1000)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minute} min" if minute else f"{hours} h"
    if minutes:
        return f"{minutes} min {second} s" if second else f"{minutes} min"
    return f"{second} s"


def _odd_ms(ms: float) -> str | None:
    """What a length of time that is not one reads as: NaN and infinities (1e999) as nothing
    known, a number past any conversation's length as out of range; None for a usable one."""
    if not math.isfinite(ms):
        return NO_VALUE
    if abs(ms) > MAX_MS:
        return OUT_OF_RANGE
    return None


def parse_timestamp(iso: object) -> datetime | None:
    """An ISO 8601 timestamp as an aware datetime (naive ones are taken as UTC), else None.

    A moment that has no UTC time (`9999-12-31T23:59:59-23:59` is past year 9999 there) is
    None too: nothing could compare it, subtract it or show it."""
    if not iso or not isinstance(iso, str):
        return None
    try:
        moment = datetime.fromisoformat(iso.strip().replace("Z", "+00:00"))
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment


def format_relative(moment: datetime, reference: datetime | None = None) -> str:
    """`just now`, `4 s ago`, `3 min ago`, `3 h ago`, `2 d ago`, `in 5 min`."""
    seconds = ((reference or now()) - moment).total_seconds()
    if abs(seconds) < 1:
        return "just now"
    if seconds < 0:
        return "in " + format_age(-seconds).removesuffix(" ago")
    if seconds >= _DAY:
        return f"{int(seconds // _DAY)} d ago"
    return format_age(seconds)


def format_local(moment: datetime) -> str:
    """`2025-03-04 14:03` in the display zone; in UTC, said so, when the display zone would
    take it past year 9999 (`9999-12-31T23:59:59Z` seen from Tokyo)."""
    try:
        return moment.astimezone(_zone).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, ValueError):
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def format_timestamp(iso: str | None, reference: datetime | None = None) -> tuple[str, str]:
    """(local time, how long ago) of an API timestamp; an unreadable one comes back as is."""
    moment = parse_timestamp(iso)
    if moment is None:
        return (one_line(iso or "", 40), "")
    return (format_local(moment), format_relative(moment, reference))


# --- where in the conversation -----------------------------------------------------------------


def segment_span(segment: Segment | None) -> str:
    """`01:12.4` en dash `01:15.0` (one segment's start and end), or just the start."""
    if segment is None or segment.start_offset_ms is None:
        return ""
    start = format_offset(segment.start_offset_ms)
    if segment.end_offset_ms is None:
        return start
    return f"{start}{EN_DASH}{format_offset(segment.end_offset_ms)}"


def same_segment(a: Segment, b: Segment) -> bool:
    """Do `a` and `b` name the same utterance (a range of one segment reads as that segment)?"""
    return (a.id, a.text, a.start_offset_ms) == (b.id, b.text, b.start_offset_ms)


def range_span(from_segment: Segment | None, to_segment: Segment | None) -> str:
    """`00:40.1 → 01:02.7`: from the first segment's start to the last one's end."""
    start = from_segment.start_offset_ms if from_segment else None
    end = to_segment.end_offset_ms if to_segment else None
    if end is None and to_segment is not None:
        end = to_segment.start_offset_ms
    if start is None and end is None:
        return ""
    return f"{format_offset(start) or '?'} → {format_offset(end) or '?'}"


def context_label(value: MetricValue) -> str:
    """What part of the conversation a value is about: `Call`, `Segment <segment_span>`,
    `Range 00:40.1 → 01:02.7`. Without a context the segments present decide."""
    context = (value.context or "").upper()
    if not context:
        if value.from_segment or value.to_segment:
            context = "SEGMENT_RANGE"
        elif value.segment:
            context = "SEGMENT"
        else:
            context = "CALL"
    if context == "CALL":
        return "Call"
    if context == "SEGMENT":
        return f"Segment {segment_span(value.segment)}".rstrip()
    if context == "SEGMENT_RANGE":
        return f"Range {range_span(value.from_segment, value.to_segment)}".rstrip()
    return one_line(context.replace("_", " ").capitalize())


# --- values ------------------------------------------------------------------------------------


def unit_text(unit: Unit | None) -> str:
    """The unit as shown after a number: its symbol, else its name."""
    if unit is None:
        return ""
    return one_line(unit.symbol or unit.name or "")


def _quantity(symbol: str) -> str:
    """`symbol`, unless it only says what is counted ("2", not "2 count")."""
    return "" if symbol.casefold() in _DIMENSIONLESS else symbol


def unit_label(unit: Unit | None, output_type: str | None = None) -> str:
    """The unit worth naming beside a metric's type: `ms`, `$`, `%`. Empty for a unit that
    only names a dimensionless quantity (a COUNT in "count", a ratio) and for OFFSET, whose
    values already read as times."""
    if (output_type or "").upper() == "OFFSET":
        return ""
    return _quantity(unit_text(unit))


def format_number(number: float, unit: Unit | str | None = None) -> str:
    """`812 ms`, `45%`, `$49.99`, `12 seconds`, `0.333`: at most three decimals, with the
    unit's symbol (or name, unless it only names a dimensionless quantity)."""
    text = _format_number(float(number))
    symbol = _quantity(unit if isinstance(unit, str) else unit_text(unit))
    if not symbol:
        return text
    if symbol in _PREFIX_SYMBOLS:
        return f"-{symbol}{text[1:]}" if text.startswith("-") else f"{symbol}{text}"
    return f"{text}{symbol}" if symbol in _UNSPACED_SYMBOLS else f"{text} {symbol}"


def format_value(
    raw: Any,
    output_type: str | None = None,
    unit: Unit | None = None,
    *,
    true_label: str | None = None,
    false_label: str | None = None,
) -> str:
    """A metric value as text for its output type (docs/contract.md, Response shapes).

    BOOLEAN reads as its labels when known (else true/false), OFFSET as a time offset, numbers
    (SCALE too: the API gives no scale range) with their unit, CLASSIFICATION lists
    joined with commas. An unknown type is shown by what the value looks like.
    """
    if raw is None:
        return NO_VALUE
    kind = (output_type or "").upper()
    if kind == "BOOLEAN" or isinstance(raw, bool):
        spelled = parse_boolean(raw)
        if spelled is not None:
            label = true_label if spelled == "true" else false_label
            return one_line(label) if label else spelled
    number = parse_number(raw)
    if number is not None and (kind in NUMERIC_TYPES or not isinstance(raw, str)):
        if kind == "OFFSET":
            return format_offset(number)
        return format_number(number, unit)
    if isinstance(raw, str):
        return clean(raw)
    if isinstance(raw, Sequence):
        return ", ".join(format_value(item, output_type, unit) for item in raw)
    return clean(json.dumps(raw, ensure_ascii=False, default=str))


def capture_label(status: str | None) -> str:
    """`not applicable`, `data missing`, `error`, `success`; unknown statuses as they come."""
    return one_line((status or "SUCCESS").replace("_", " ").lower())
