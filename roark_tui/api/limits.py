"""How far the client goes for one answer: the bytes of a response, the seconds of a request,
the pages and items of a list.

Whatever answers at the base URL may be broken or hostile: a body that never ends, a gzip bomb,
a server that drips a byte a second, a list whose next cursor is always new. Each limit turns
one of those into one sentence instead of a hang or a machine out of memory. The defaults are
far above what Roark sends (a conversation of 100k values is about 60 MB of JSON); each can be
changed by an environment variable (docs in the README's Reliability section). Free of httpx, so
core's list walks share it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from roark_tui.api import errors

MB = 1024 * 1024
ENV_RESPONSE_MB = "ROARK_MAX_RESPONSE_MB"
ENV_REQUEST_SECONDS = "ROARK_REQUEST_DEADLINE"
ENV_PAGES = "ROARK_MAX_PAGES"
ENV_ITEMS = "ROARK_MAX_ITEMS"


@dataclass(frozen=True)
class Limits:
    """`response_bytes`: of one response body, as received and once decompressed.
    `request_seconds`: one request from first try to last byte, retries and their waits
    included. `pages` and `items`: of one walk through a paged list."""

    response_bytes: int = 256 * MB
    request_seconds: float = 120.0
    pages: int = 1000
    items: int = 100_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, with what the environment sets instead; a value that is not a positive
        number is an error saying which variable."""
        env = os.environ if environ is None else environ
        found = cls()
        response_mb = _positive(env, ENV_RESPONSE_MB)
        seconds = _positive(env, ENV_REQUEST_SECONDS)
        pages = _positive(env, ENV_PAGES)
        items = _positive(env, ENV_ITEMS)
        return cls(
            response_bytes=found.response_bytes if response_mb is None else int(response_mb * MB),
            request_seconds=found.request_seconds if seconds is None else seconds,
            pages=found.pages if pages is None else int(pages),
            items=found.items if items is None else int(items),
        )


def _positive(env: Mapping[str, str], name: str) -> float | None:
    text = env.get(name, "").strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = 0.0
    if not number > 0 or number == float("inf"):
        raise errors.ApiError(f"{name} must be a positive number, not {text[:40]!r}")
    return number


class PageWalk:
    """The bookkeeping of one walk through a paged list: the cursor to ask for next, or None
    at the end; a cursor sent twice, or more pages or items than `limits` allow, is a
    ResponseError naming the list, so a list that never ends cannot loop for ever."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.pages = 0
        self.items = 0
        self._seen: set[str] = set()

    def next_cursor(self, count: int, has_more: bool, cursor: str | None) -> str | None:
        """After a page of `count` items: the cursor of the next page, or None when done."""
        self.pages += 1
        self.items += count
        if not has_more or not cursor:
            return None
        if cursor in self._seen:
            self._fail("sent the same page cursor twice, so the list never ends")
        if self.pages >= self.limits.pages or self.items >= self.limits.items:
            self._fail(
                f"still had more after {self.pages:,} pages and {self.items:,} items, past the "
                f"limit of {self.limits.pages:,} pages or {self.limits.items:,} items "
                f"({ENV_PAGES} and {ENV_ITEMS} change it)"
            )
        self._seen.add(cursor)
        return cursor

    def _fail(self, what: str) -> None:
        raise errors.ResponseError(
            f"The Roark API's list {self.path} {what}", method="GET", path=self.path
        )
