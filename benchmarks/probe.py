"""`python -m benchmarks.probe <roark-tui arguments>`: the real app, with a stopwatch inside.

Builds exactly the App that `roark-tui <arguments>` runs (`roark_tui.cli.build_app`) and runs it
on the real terminal driver (the suite gives it a pseudo-terminal), with two hooks that report,
as JSON lines on the pipe named by ROARK_BENCH_PROBE_FD:
- `fetch`: when the app asks the service for a conversation's metrics, and when the answer (parsed)
  is back;
- `frame`: after every frame written to the terminal, the metric tree's state (cursor line, line
  count, and whether the selection is a failing check shown in the detail pane).
The hooks only read state; they change nothing the app does.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections.abc import Callable
from typing import IO, Any

from benchmarks.ptyrun import PROBE_FD_ENV

METRIC_METHODS = ("chat_metrics", "call_metrics")


def _reporter() -> Callable[..., None]:
    stream: IO[str] = os.fdopen(int(os.environ[PROBE_FD_ENV]), "w", buffering=1)

    def report(event: str, **data: Any) -> None:
        stream.write(json.dumps({"event": event, "t": time.monotonic(), **data}) + "\n")

    return report


def _watch_fetches(report: Callable[..., None]) -> None:
    from roark_tui.api.service import RoarkService

    for name in METRIC_METHODS:
        original = getattr(RoarkService, name)

        @functools.wraps(original)
        async def timed(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            report("fetch_start")
            result = await __original(self, *args, **kwargs)
            report("fetch_end", values=sum(len(group.values) for group in result))
            return result

        setattr(RoarkService, name, timed)


def tree_state(app: Any) -> dict[str, Any]:
    """What the metric tree shows now: cursor line, line count, and whether the cursor is on a
    failing value whose detail is on screen (the "first failing check selected" state)."""
    from textual.css.query import NoMatches

    try:
        tree = app.screen.query_one("#metric-tree")
    except NoMatches:
        return {"screen": type(app.screen).__name__}
    node = tree.cursor_node
    return {
        "screen": type(app.screen).__name__,
        "cursor_line": tree.cursor_line,
        "lines": tree.last_line + 1,
        "selected": node is not None and _is_failing_value(node.data),
    }


def _is_failing_value(data: Any) -> bool:
    from roark_tui.api.models import MetricValue
    from roark_tui.core.verdict import is_check, is_true

    value = getattr(data, "value", data)
    group = getattr(data, "group", None) or getattr(data, "metric", None)
    if not isinstance(value, MetricValue):
        return False
    if value.capture_status == "ERROR":
        return True
    return group is not None and is_check(group) and not is_true(value.value)


def _watch_frames(app: Any, report: Callable[..., None]) -> None:
    original = app._display

    @functools.wraps(original)
    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if renderable is not None and not app._batch_count:
            report("frame", **tree_state(app))

    app._display = display


def main(argv: list[str]) -> int:
    report = _reporter()
    report("start")
    _watch_fetches(report)
    from roark_tui.cli import build_app

    app = build_app(argv)
    _watch_frames(app, report)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
