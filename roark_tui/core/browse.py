"""Browsing conversations: which ones are listed (filters, time window) and what each one's
verdict is, shared by the `calls`/`chats` commands and the browser screen.

The API lists calls and chats page by page, sorted; it has no time filter and no verdict
filter. So a time window is the list sorted by start time, newest first, read until the first
conversation that started before the cutoff; and a verdict is one metrics request per
conversation, judged by the gate (core/verdict.py) with the definitions fetched once. Those
requests go out a few at a time (`VerdictLoader`): never a burst of hundreds, and each answer
is kept for the session.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from difflib import get_close_matches
from typing import Any, Literal

from roark_tui.api.errors import ApiError
from roark_tui.api.limits import Limits, PageWalk
from roark_tui.api.models import Call, Chat, MetricDefinition, MetricGroup, Page
from roark_tui.core.verdict import Verdict, gate

Kind = Literal["chat", "call"]
Conversation = Chat | Call
PAGE_SIZE = 100  # the API's largest page
KEPT_VERDICTS = 5_000  # verdicts kept for the session at most (the oldest go first)
CONCURRENCY = 8  # metrics requests in flight at once (as the gate and the runs command)
CALL_STATUSES = ("RINGING", "IN_PROGRESS", "ENDED")
# How each kind is sorted by start time (GET /v1/call, GET /v1/chat).
START_SORT = {"call": "startedAt", "chat": "startTimestamp"}

PageFetch = Callable[[str | None], Awaitable[Page[Any]]]
MetricsFetch = Callable[[Kind, str], Awaitable[list[MetricGroup]]]
DefinitionsFetch = Callable[[], Awaitable[list[MetricDefinition]]]


# --- filters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the list to. `status` and `search` go to the API for calls
    (chats have no such parameters: search is applied here to title and summary); `since`
    cuts the list; `failing` and `check` need each conversation's verdict."""

    since: datetime | None = None
    status: str | None = None
    search: str | None = None
    failing: bool = False
    check: str | None = None

    @property
    def needs_verdicts(self) -> bool:
        return self.failing or bool(self.check)

    def describe(self) -> list[str]:
        """The active filters in words, for a title or a summary line."""
        from roark_tui.core.formatting import format_timestamp

        parts = []
        if self.since is not None:
            local, ago = format_timestamp(self.since.isoformat())
            parts.append(f"since {local} ({ago})")
        if self.status:
            parts.append(f"status {self.status}")
        if self.search:
            parts.append(f"matching {self.search!r}")
        if self.check:
            parts.append(f"where {self.check} failed")
        elif self.failing:
            parts.append("failing only")
        return parts

    def listed(self, conv: Conversation) -> bool:
        """Whether a conversation the API listed passes the filters that need no verdict."""
        if self.search and isinstance(conv, Chat):
            needle = self.search.strip().lower()
            text = f"{conv.title or ''}\n{conv.summary or ''}".lower()
            if needle not in text:
                return False
        return True

    def kept(self, verdict: RowVerdict | None) -> bool | None:
        """Whether a row with this verdict is shown: None while that cannot be known yet."""
        if not self.needs_verdicts:
            return True
        if verdict is None:
            return None
        if self.check:
            return verdict.failed_check(self.check)
        return verdict.state == "fail"


def list_params(kind: Kind, filters: Filters) -> dict[str, Any]:
    """The list request's own filters and order for `filters` (time windows sort by start)."""
    params: dict[str, Any] = {}
    if filters.since is not None:
        params.update(sort_by=START_SORT[kind], sort_direction="desc")
    if kind == "call":
        if filters.status:
            params["status"] = filters.status
        if filters.search:
            params["search_text"] = filters.search
    return params


def list_row(conv: Conversation) -> list[str]:
    """id, start (local time), duration and title of one listed conversation, as text."""
    from roark_tui.core.formatting import format_duration, format_timestamp, parse_timestamp
    from roark_tui.core.safe_text import one_line

    begin = conv.started or conv.created_at
    ended = getattr(conv, "end_timestamp", None) or getattr(conv, "ended_at", None)
    duration = conv.duration_ms
    start, end = parse_timestamp(begin), parse_timestamp(ended)
    if duration is None and start is not None and end is not None:
        duration = (end - start).total_seconds() * 1000
    status = getattr(conv, "status", None)
    live = duration is None and status in ("RINGING", "IN_PROGRESS")
    return [
        one_line(conv.id),
        format_timestamp(begin)[0],
        status.lower().replace("_", " ") if live and status else format_duration(duration),
        one_line(conv.title or ""),
    ]


def started(conv: Conversation) -> datetime | None:
    from roark_tui.core.formatting import parse_timestamp

    return parse_timestamp(conv.started)


async def iter_listed(
    fetch_page: PageFetch,
    filters: Filters,
    *,
    limit: int | None = None,
    limits: Limits | None = None,
    after: str | None = None,
) -> AsyncIterator[tuple[list[Conversation], bool]]:
    """The conversations the API lists, page by page, filtered, each batch with whether it is
    the last; stops at the time window's cutoff (the list must be sorted by start, newest
    first: `list_params`), after `limit` conversations, or at the last page. A cursor the API
    sends twice ends the walk; more pages or items than `limits` allow (the environment's when
    None) is a ResponseError. `after`: start at the page that cursor names (a page let go of
    and listed again)."""
    walk = PageWalk("of conversations", limits or Limits.from_env())
    seen_cursors: set[str] = set()
    count = 0
    while True:
        page = await fetch_page(after)
        batch: list[Conversation] = []
        ended = False
        for conv in page.data:
            moment = started(conv)
            if filters.since is not None and moment is not None and moment < filters.since:
                ended = True
                break
            if filters.listed(conv):
                batch.append(conv)
        if limit is not None and count + len(batch) >= limit:
            batch, ended = batch[: limit - count], True
        count += len(batch)
        cursor = page.pagination.next_cursor
        last = ended or not page.pagination.has_more or not cursor or cursor in seen_cursors
        if batch or last:
            yield batch, last
        if last or cursor is None:
            return
        seen_cursors.add(cursor)
        after = walk.next_cursor(len(page.data), True, cursor)


def check_problem(name: str, definitions: Sequence[MetricDefinition]) -> str | None:
    """Why `--check NAME` can match nothing, when it cannot: no definition has that slug (a
    typo?), or that metric is not a check (a reading or a score: name its check instead)."""
    from roark_tui.core.verdict import Kind, check_kind

    if not definitions:
        return None  # nothing to tell by
    wanted = name.strip().lower()
    found = next((d for d in definitions if d.key.lower() == wanted), None)
    if found is None:
        close = get_close_matches(wanted, [d.key for d in definitions], n=3, cutoff=0.7)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return f"no metric definition has the slug {name!r}{hint}"
    if check_kind(found) is not Kind.CHECK:
        checks = [
            d.key
            for d in definitions
            if d is not found and wanted in d.key.lower() and check_kind(d) is Kind.CHECK
        ]
        hint = f"; its check is {checks[0]}" if checks else ""
        return f"{found.key} is not a check, so it never fails{hint}"
    return None


# --- verdicts ----------------------------------------------------------------------------------

VerdictState = Literal["pass", "fail", "error", "unknown", "none", "empty", "fault"]
MARKS: dict[str, tuple[str, str]] = {
    # state: (mark, style)
    "fail": ("✘", "bold red"),
    "error": ("!", "yellow"),
    "unknown": ("?", "yellow"),
    "pass": ("✔", "green"),
    "none": ("\u2013", "dim"),
    "empty": ("…", "dim"),
    "fault": ("\u00d7", "magenta"),
}


@dataclass(frozen=True)
class RowVerdict:
    """One conversation's verdict, as a row shows it: the worst check status and counts."""

    state: VerdictState
    checks: int = 0
    failed: tuple[str, ...] = ()
    errored: tuple[str, ...] = ()
    problem: str | None = None  # why the verdict could not be had (state "fault")
    unknown: tuple[str, ...] = ()  # yes/no metrics whose definition is unknown

    @property
    def failing(self) -> int:
        return len(self.failed)

    @property
    def named(self) -> tuple[str, ...]:
        """The checks that decide the verdict: those that failed, else those that errored,
        else the metrics that may be checks but whose definition is unknown."""
        return self.failed or self.errored or (self.unknown if self.state == "unknown" else ())

    def failed_check(self, name: str) -> bool:
        wanted = name.strip().lower()
        return any(slug.lower() == wanted for slug in self.failed)

    @property
    def label(self) -> str:
        """`2 failed`, `12 passed`, `1 errored`, `no checks`, `no metrics yet`, `503 error`."""
        if self.state == "fail":
            return f"{self.failing} failed"
        if self.state == "error":
            return f"{len(self.errored)} errored"
        if self.state == "pass":
            return f"{self.checks} passed"
        if self.state == "unknown":
            return f"{len(self.unknown)} unknown"
        if self.state == "none":
            return "no checks yet"
        if self.state == "empty":
            return "no metrics yet"
        return self.problem or "could not load"

    @property
    def mark(self) -> str:
        return MARKS[self.state][0]

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.state.upper(),
            "checks": self.checks,
            "failing": self.failing,
            "failed": list(self.failed),
            "errored": list(self.errored),
            "unknown": list(self.unknown),
            "problem": self.problem,
        }


LOADING_LABEL = "loading…"


def summarise(
    groups: Sequence[MetricGroup], definitions: Iterable[MetricDefinition] = ()
) -> RowVerdict:
    """The verdict of one conversation's metrics (fetched with status=all), by the gate: a
    check is a THRESHOLD or an authored yes/no metric; a yes/no metric whose definition is
    unknown makes the verdict unknown unless a check already failed or errored."""
    if not groups:
        return RowVerdict("empty")
    result = gate(groups, definitions=definitions)
    failed, errored, unknown = (
        tuple(dict.fromkeys(row.group.key for row in rows))
        for rows in (result.failed, result.errored, result.unknown)
    )
    if result.verdict is Verdict.FAIL:
        state: VerdictState = "fail"
    elif result.verdict is Verdict.ERROR:
        state = "error"
    elif unknown:
        state = "unknown"  # they may be checks that failed: not a pass
    elif result.checks:
        state = "pass"
    else:
        state = "none"
    return RowVerdict(state, result.checks, failed, errored, unknown=unknown)


def fault_verdict(exc: ApiError) -> RowVerdict:
    """The verdict of a row whose metrics request failed: says why, in a few words."""
    from roark_tui.api.errors import NetworkError, Timeout

    status = exc.status
    if status == 429:
        problem = "rate limited"
    elif isinstance(status, int):
        problem = f"HTTP {status}"
    elif isinstance(exc, Timeout):
        problem = "timed out"
    elif isinstance(exc, NetworkError):
        problem = "no connection"
    else:
        problem = "unreadable answer"
    return RowVerdict("fault", problem=problem)


@dataclass
class VerdictLoader:
    """Fetches and keeps conversations' verdicts for a session: at most `concurrency`
    metrics requests at once, one request per conversation however often it is asked for
    (a second ask waits for the first), the definitions fetched once (if they cannot be had,
    checks are told without them). At most `keep` verdicts are kept, the oldest let go first,
    so a session that pages through any number of conversations stays bounded; a verdict
    nobody waits for any more (its row let go of) is not fetched.

    `fetch_metrics(kind, id)` and `fetch_definitions()` are the service's calls; the loader
    itself does no I/O of its own, so it is tested with plain coroutines.
    """

    fetch_metrics: MetricsFetch
    fetch_definitions: DefinitionsFetch | None = None
    concurrency: int = CONCURRENCY
    keep: int = KEPT_VERDICTS
    cache: dict[tuple[str, str], RowVerdict] = field(default_factory=dict)
    _tasks: dict[tuple[str, str], asyncio.Task[RowVerdict]] = field(default_factory=dict)
    _waiting: dict[tuple[str, str], int] = field(default_factory=dict)
    _definitions: asyncio.Task[list[MetricDefinition]] | None = None
    _slots: asyncio.Semaphore | None = None

    def known(self, kind: str, conv_id: str) -> RowVerdict | None:
        return self.cache.get((kind, conv_id))

    async def verdict(self, kind: Kind, conv_id: str) -> RowVerdict:
        key = (kind, conv_id)
        if key in self.cache:
            return self.cache[key]
        task = self._tasks.get(key)
        if task is None:
            task = asyncio.ensure_future(self._load(kind, conv_id))
            self._tasks[key] = task
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            return await asyncio.shield(task)
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # nobody waits for it any more (a row let go of)
                del self._waiting[key]
                if not task.done():
                    task.cancel()

    async def _load(self, kind: Kind, conv_id: str) -> RowVerdict:
        key = (kind, conv_id)
        if self._slots is None:
            self._slots = asyncio.Semaphore(max(1, self.concurrency))
        try:
            definitions = asyncio.ensure_future(self._known_definitions())  # meanwhile
            async with self._slots:
                groups = await self.fetch_metrics(kind, conv_id)
            verdict = summarise(groups, await definitions)
            self.cache[key] = verdict
            while len(self.cache) > self.keep:
                del self.cache[next(iter(self.cache))]
            return verdict
        except ApiError as exc:
            return fault_verdict(exc)  # not cached: asking again tries again
        finally:
            self._tasks.pop(key, None)

    async def definitions(self) -> list[MetricDefinition]:
        """The definitions verdicts are judged with (fetched once; none if they failed)."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(max(1, self.concurrency))
        return await self._known_definitions()

    async def _known_definitions(self) -> list[MetricDefinition]:
        if self.fetch_definitions is None:
            return []
        self._start_definitions()
        assert self._definitions is not None
        try:
            return await asyncio.shield(self._definitions)
        except ApiError:
            return []

    def _start_definitions(self) -> None:
        """Ask for the definitions (once). Every verdict waits for them, so they must queue
        for a slot ahead of the metrics requests, not behind a page of them."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(max(1, self.concurrency))
        if self._definitions is None and self.fetch_definitions is not None:
            self._definitions = asyncio.ensure_future(self._fetch_definitions())

    async def _fetch_definitions(self) -> list[MetricDefinition]:
        assert self.fetch_definitions is not None and self._slots is not None
        async with self._slots:  # its pages count against the same bound
            return await self.fetch_definitions()

    async def stream(
        self, kind: Kind, conv_ids: Sequence[str]
    ) -> AsyncIterator[tuple[str, RowVerdict]]:
        """The verdicts of `conv_ids` in the order they arrive."""
        self._start_definitions()  # first in line for a slot
        pending = {asyncio.ensure_future(self.verdict(kind, cid)): cid for cid in conv_ids}
        try:
            while pending:
                done, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    yield pending.pop(task), task.result()
        finally:
            for task in pending:
                task.cancel()
