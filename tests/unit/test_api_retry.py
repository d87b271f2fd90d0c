"""The retry rules on their own: retryable statuses, server-named waits, backoff with jitter."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from roark_tui.api import retry


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        *[(status, True) for status in (408, 409, 429, 500, 503, 599)],
        *[(status, False) for status in (400, 401, 403, 404, 422)],
    ],
)
def test_retryable_statuses(status: int, expected: bool) -> None:
    assert retry.status_is_retryable(status) is expected


@pytest.mark.parametrize(
    ("value", "expected"), [("true", True), ("TRUE", True), ("false", False), ("maybe", None)]
)
def test_x_should_retry(value: str, expected: bool | None) -> None:
    assert retry.server_says_retry(httpx.Headers({"x-should-retry": value})) is expected


def test_no_x_should_retry_means_no_opinion() -> None:
    assert retry.server_says_retry(httpx.Headers()) is None


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after-ms": "nonsense", "retry-after": "2"}, 2.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": "0"}, None),
        ({"retry-after": "-3"}, None),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_headers(headers: dict[str, str], expected: float | None) -> None:
    assert retry.retry_after(httpx.Headers(headers)) == expected


def test_retry_after_http_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    later = format_datetime(datetime(2026, 1, 1, 12, 0, 7, tzinfo=UTC), usegmt=True)
    wait = retry.retry_after(httpx.Headers({"retry-after": later}), now=now.timestamp)
    assert wait == pytest.approx(7.0)


def test_retry_after_date_in_the_past_is_ignored() -> None:
    past = "Wed, 01 Jan 2020 00:00:00 GMT"
    assert retry.retry_after(httpx.Headers({"retry-after": past})) is None


@pytest.mark.parametrize(
    ("n", "base"), [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]
)
def test_backoff_doubles_up_to_eight_seconds(n: int, base: float) -> None:
    assert retry.backoff_delay(n, None, 1.0) == base
    assert retry.backoff_delay(n, None, 0.75) == base * 0.75


def test_server_wait_wins_only_within_sixty_seconds() -> None:
    assert retry.backoff_delay(3, 12.0, 0.8) == 12.0
    assert retry.backoff_delay(3, 60.0, 0.8) == 60.0
    assert retry.backoff_delay(0, 61.0, 1.0) == 0.5
