"""What the gate prints: the status line on a terminal's stderr (`runs --wait` has one too),
the failing checks for --print and the JSON for stdout. Kept apart from the polling and judging
in cli/gate.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from roark_tui.api.models import MetricGroup
    from roark_tui.cli.gate import Outcome
    from roark_tui.core.watch import WatchUpdate


class StatusLine:
    """One self-overwriting line on a terminal's stderr; silent otherwise."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.enabled = stream.isatty()

    def clear(self) -> None:
        self._write("")

    def _write(self, line: str) -> None:
        if self.enabled:
            self.stream.write(f"\r\x1b[K{line}")
            self.stream.flush()


class Progress(StatusLine):
    """The gate's status line: the latest poll, and how many ids are done."""

    def __init__(self, stream: IO[str], total: int) -> None:
        super().__init__(stream)
        self.total = total
        self.done = 0

    def update(self, conv_id: str, update: WatchUpdate) -> None:
        note = f"{update.error.summary}, retrying" if update.error is not None else None
        if update.next_delay is not None:
            note = f"{note + ', ' if note else ''}next poll in {update.next_delay:.0f} s"
        line = update.state.status(update.now, note)
        if self.total > 1:
            line = f"{self.done}/{self.total} done · {conv_id[:8]}: {line}"
        self._write(line)

    def finished(self, outcome: Outcome) -> None:
        self.done += 1
        if self.total > 1:
            self._write(f"{self.done}/{self.total} done")


def render_checks(outcome: Outcome) -> str:
    """The failing and errored checks with their reasoning, for --print (before the tree)."""
    from roark_tui.core.safe_text import clean, one_line

    lines: list[str] = []
    result = outcome.result
    if result is None:
        return ""
    for mark, rows in (("FAIL", result.failed), ("ERROR", result.errored), ("?", result.unknown)):
        for row in rows:
            where = row.value.context or ""
            role = row.value.participant_role
            head = f"{mark} {row.group.key}" + (f" [{where}{' ' + role if role else ''}]")
            lines.append(one_line(head))
            lines.extend(f"    {line}" for line in clean(row.reason).splitlines() or [""])
    return "\n".join(lines)


def dumps(data: object, *, pretty: bool = False) -> str:
    """JSON for stdout (safe_text.dumps): valid JSON, with what a terminal could act on escaped."""
    from roark_tui.core.safe_text import dumps

    return dumps(data, pretty=pretty)


def metrics_json(groups: Sequence[MetricGroup], *, pretty: bool) -> str:
    return dumps({"data": [g.to_api() for g in groups]}, pretty=pretty)
