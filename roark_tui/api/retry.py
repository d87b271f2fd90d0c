"""When and how long to wait before repeating a request, the way Roark's official SDK does.

Kept apart from the service so the rules can be read (and tested) on their own: which answers
are worth another try, what the server's `retry-after-ms` / `retry-after` / `x-should-retry`
headers mean, and the exponential backoff with jitter used when the server names no wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

MAX_SERVER_WAIT = 60.0  # a server-named wait longer than this is ignored (SDK behaviour)
INITIAL_DELAY = 0.5
MAX_DELAY = 8.0


def status_is_retryable(status: int) -> bool:
    """408 timeout, 409 lock conflict, 429 rate limit and every 5xx may succeed on a new try."""
    return status in (408, 409, 429) or status >= 500


def server_says_retry(headers: Mapping[str, str]) -> bool | None:
    """The server's own verdict from `x-should-retry: true|false`, else None."""
    value = headers.get("x-should-retry", "").strip().lower()
    if value == "true":
        return True
    if value == "false":
        return False
    return None


def retry_after(headers: Mapping[str, str], now: Callable[[], float] = time.time) -> float | None:
    """Seconds the server asks us to wait: `retry-after-ms`, else `retry-after` as seconds or an
    HTTP date. None when absent, unreadable or not positive."""
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            wait = float(raw_ms) / 1000
        except ValueError:
            wait = None
        if wait is not None and wait > 0:
            return wait
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        wait = float(raw)
    except ValueError:
        wait = _seconds_until_http_date(raw, now)
    return wait if wait is not None and wait > 0 else None


def _seconds_until_http_date(raw: str, now: Callable[[], float]) -> float | None:
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return when.timestamp() - now()


def backoff_delay(retries_made: int, server_wait: float | None, jitter: float) -> float:
    """The wait before the next try: the server's wait when 0 < wait <= 60 s, otherwise
    min(0.5 * 2^n, 8) s scaled by `jitter` (a factor in [0.75, 1])."""
    if server_wait is not None and 0 < server_wait <= MAX_SERVER_WAIT:
        return server_wait
    return min(INITIAL_DELAY * 2.0**retries_made, MAX_DELAY) * jitter
