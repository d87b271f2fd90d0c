"""`--since`: the start of a time window, read strictly.

The API has no time filter: a window is the list sorted by start time, newest first, read until
the first conversation older than the cutoff. So the cutoff must be right, and a typo must not
silently become "everything": anything that is not a duration or a date is refused with a
sentence that shows what is accepted.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo

UNITS = {
    "s": 1,
    "sec": 1,
    "m": 60,
    "min": 60,
    "h": 3600,
    "d": 86_400,
    "w": 604_800,
}
_PART = re.compile(r"(\d+)\s*(sec|min|s|m|h|d|w)")
_DURATION = re.compile(r"(?:\d+\s*(?:sec|min|s|m|h|d|w)\s*)+")
HELP = "a duration (30m, 2h, 3d, 1w, 1h30m) or a date (2026-12-01, 2026-12-01T08:00)"


def parse_since(text: str, now: datetime, zone: tzinfo | None = None) -> datetime:
    """The cutoff `text` names, as an aware datetime.

    A duration counts back from `now`; a date is its midnight and a date-time without a zone
    is read in `zone` (None: the system's); a zone given in the text wins. Raises ValueError
    with a readable message for anything else, a zero duration, or a moment after `now`.
    """
    raw = (text or "").strip().lower()
    if not raw:
        raise ValueError(f"--since needs {HELP}")
    if _DURATION.fullmatch(raw):
        seconds = sum(int(n) * UNITS[unit] for n, unit in _PART.findall(raw))
        if seconds <= 0:
            raise ValueError(f"--since {text!r} is an empty window; give {HELP}")
        try:
            return now - timedelta(seconds=seconds)
        except OverflowError:
            raise ValueError(f"--since {text!r} reaches before the year 1") from None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"--since takes {HELP}; {text.strip()!r} is neither") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone) if zone else moment.astimezone()
    if moment > now:
        raise ValueError(f"--since {text.strip()} is in the future")
    return moment


def describe_since(cutoff: datetime, now: datetime) -> str:
    """`since 2 h ago` and the like, for titles and summaries."""
    from roark_tui.core.formatting import format_relative

    return f"since {format_relative(cutoff, now)}"
