"""--since: durations and dates read strictly, with messages that show what is accepted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from roark_tui.core.since import parse_since

NOW = datetime(2026, 12, 6, 12, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("2h", timedelta(hours=2)),
        ("30m", timedelta(minutes=30)),
        ("45min", timedelta(minutes=45)),
        ("90s", timedelta(seconds=90)),
        ("3d", timedelta(days=3)),
        ("1w", timedelta(weeks=1)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        (" 2H ", timedelta(hours=2)),
        ("1d 12h", timedelta(days=1, hours=12)),
    ],
)
def test_durations_count_back_from_now(text: str, back: timedelta) -> None:
    assert parse_since(text, NOW) == NOW - back


def test_dates_are_midnight_in_the_zone() -> None:
    zone = timezone(timedelta(hours=1))
    assert parse_since("2026-12-01", NOW, zone) == datetime(2026, 12, 1, tzinfo=zone)
    assert parse_since("2026-12-01T08:00", NOW, UTC) == datetime(2026, 12, 1, 8, tzinfo=UTC)
    assert parse_since("2026-12-01T08:00Z", NOW, zone) == datetime(2026, 12, 1, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "needs a duration"),
        ("2", "is neither"),
        ("2 hours ago", "is neither"),
        ("yesterday", "is neither"),
        ("-2h", "is neither"),
        ("0h", "empty window"),
        ("2h;rm", "is neither"),
        ("2026-13-01", "is neither"),
        ("2027-01-01", "in the future"),
        ("99999999d", "before the year 1"),
    ],
)
def test_anything_else_is_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_since(text, NOW, UTC)
    assert "30m" in str(caught.value) or message in ("in the future", "before the year 1")
