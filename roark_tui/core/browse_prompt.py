"""The browser's filter prompts: what each asks for, and the filters its answer makes."""

from __future__ import annotations

from dataclasses import replace

from roark_tui.core.browse import Filters

PROMPTS = {
    "search": "search: words of the title or summary (calls: and transcript); enter applies",
    "check": "check: the slug of a check that failed (e.g. loop_count_check); enter applies",
    "since": "since: 30m, 2h, 3d, 1w or a date (2026-12-01); empty: any time; enter applies",
}


def prompt_value(mode: str, filters: Filters) -> str:
    """What the prompt opens with: the search or the check in force (a window starts empty)."""
    return {"search": filters.search, "check": filters.check}.get(mode) or ""


def answered(mode: str | None, text: str | None, filters: Filters) -> Filters:
    """The filters with the prompt's answer in (None clears it). A time window that cannot be
    read raises ValueError saying why."""
    if mode == "since":
        from roark_tui.core.formatting import local_zone, now
        from roark_tui.core.since import parse_since

        since = parse_since(text, now(), local_zone()) if text else None
        return replace(filters, since=since)
    if mode == "check":
        return replace(filters, check=text, failing=filters.failing)
    return replace(filters, search=text)
