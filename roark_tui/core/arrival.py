"""Whether a conversation's metrics may still be coming in, read from one look at it.

Roark scores a conversation after it ends, metric by metric, and its metrics endpoint has no
"pending" row: with `status=all` a metric not computed yet is simply absent, while one computed
without a value comes as NOT_APPLICABLE, DATA_MISSING or ERROR (docs/contract.md). So a screen
that shows three metrics cannot tell from them alone that seventeen more are on their way; the
signs it has are the conversation's own status and end, the metrics the user said to expect
(the watch list), and whether any check has arrived in a project that defines checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from roark_tui.api.models import Call, Chat, MetricDefinition
from roark_tui.core.formatting import format_relative, parse_timestamp
from roark_tui.core.metric_tree import GroupRow
from roark_tui.core.verdict import Kind, check_kind

# Metrics usually arrive within minutes of the end; after this long a missing one is not late.
RECENT = timedelta(minutes=15)
LIVE_STATUSES = frozenset({"RINGING", "IN_PROGRESS"})


def ended_at(conv: Chat | Call) -> datetime | None:
    return parse_timestamp(conv.end_timestamp if isinstance(conv, Chat) else conv.ended_at)


def still_arriving(
    conv: Chat | Call | None,
    rows: Sequence[GroupRow],
    definitions: Sequence[MetricDefinition],
    pending: Sequence[str],
    at: datetime,
    *,
    all_statuses: bool,
) -> str | None:
    """Why more metrics may be coming, in words, or None when nothing says so.

    `pending` are the expected metrics with no row yet. The "no check yet" sign needs
    `all_statuses` (with status=success an errored check is hidden, not missing) and the
    definitions (without them no metric is known to be a check)."""
    if isinstance(conv, Call) and (conv.status or "").upper() in LIVE_STATUSES:
        return "The call is still in progress: Roark scores it once it ends"
    if pending:
        shown = ", ".join(pending[:3]) + (", …" if len(pending) > 3 else "")
        count = len(pending)
        return f"{count} expected metric{'s' if count != 1 else ''} not in yet ({shown})"
    end = ended_at(conv) if conv is not None else None
    if end is not None and timedelta(0) <= at - end < RECENT:
        return f"Ended {format_relative(end, at)}: metrics may still be computing"
    project_checks = any(check_kind(d) is Kind.CHECK for d in definitions)
    if all_statuses and project_checks and not any(row.check for row in rows):
        count = len(rows)
        return f"No checks yet, {count} metric{'s' if count != 1 else ''} in: more may be computing"
    return None
