"""`python -m benchmarks.probe <roark-tui arguments>`: the real app, with a stopwatch inside.

Builds exactly the App that `roark-tui <arguments>` runs (`roark_tui.cli.build_app`) and runs it
on the real terminal driver (the suite gives it a pseudo-terminal), with hooks that report, as
JSON lines on the pipe named by ROARK_BENCH_PROBE_FD (each with `t`, time.monotonic(), and `cpu`,
the process's CPU seconds so far):
- `fetch_start` / `fetch_end`: when the app asks its service for a conversation's metrics (or a
  run's results), and when the parsed answer is back, each with `id`, the conversation (or run)
  asked for: the lookup screen fetches the verdicts of its lists meanwhile, and only the id tells
  those from the lookup; `list_start` / `list_end` the same for a page of the calls or chats
  list;
- `frame`: after every frame written to the terminal, the metric tree's state (cursor line, line
  count, whether the cursor is on a failing check; on a run's report, whether its verdict and
  checks are shown; in the browser, the rows, the verdicts shown and the cursor's row) and how
  many workers are still busy;
- `worker`: a worker changed state, and how many are still busy.
The hooks only read state and change nothing the app does; the service is wrapped when the app
builds it, so what is imported when stays as in `roark-tui`. With ROARK_BENCH_PROFILE=<file>, a
pyinstrument profile of the main thread is written to the file (then `profile_written` is
reported): from the metrics request (with ROARK_BENCH_PROFILE_ID, the request for that id, not a
verdict's) to the first frame with the failing check selected, or, with
ROARK_BENCH_PROFILE_WINDOW=start, from start-up to the first frame, or, with =keys, from that
frame until the process gets SIGUSR1 (to profile the keys typed in between). With
ROARK_BENCH_PLAIN_OUTPUT set, the app writes through Textual's own driver instead of ours, for
the reference of the bytes-on-the-wire figures.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any

from benchmarks.ptyrun import PROBE_FD_ENV

PROFILE_ENV = "ROARK_BENCH_PROFILE"
PROFILE_ALL_ENV = "ROARK_BENCH_PROFILE_ALL"  # set: library frames too (textual, rich, ...)
WINDOW_ENV = "ROARK_BENCH_PROFILE_WINDOW"  # "lookup" (default), "start" or "keys"
PROFILE_ID_ENV = "ROARK_BENCH_PROFILE_ID"  # set: the lookup window starts at this id's request
PLAIN_OUTPUT_ENV = "ROARK_BENCH_PLAIN_OUTPUT"  # set: Textual's own driver, output not made terse
METRIC_METHODS = ("chat_metrics", "call_metrics")
RUN_METHODS = ("run_results",)
LIST_METHODS = ("list_chats", "list_calls")  # the browser's pages: list_start / list_end
FAILING = ("FAIL", "ERROR")  # core.metric_tree.Status values of a failing check or an error

Report = Callable[..., None]


def _reporter() -> Report:
    stream: IO[str] = os.fdopen(int(os.environ[PROBE_FD_ENV]), "w", buffering=1)
    lock = threading.Lock()  # thread workers report too

    def report(event: str, **data: Any) -> None:
        now = {"t": time.monotonic(), "cpu": time.process_time()}
        line = json.dumps({"event": event, **now, **data}) + "\n"
        with lock:
            stream.write(line)

    return report


def _busy(app: Any) -> int:
    return sum(1 for worker in app.workers if not worker.is_finished)


def _watch_workers(app: Any, report: Report) -> None:
    """Report `worker` (with the number still busy) whenever a worker changes state."""
    from textual.worker import Worker

    state = Worker.state
    assert isinstance(state, property) and state.fset is not None
    setter = state.fset

    def set_state(worker: Any, value: Any) -> None:
        setter(worker, value)
        report("worker", name=worker.name, state=value.name, busy=_busy(app))

    Worker.state = property(state.fget, set_state, doc=state.__doc__)  # type: ignore[method-assign]


class Profile:
    """A pyinstrument profile of the measured window, written as text to `path` (if set)."""

    def __init__(self, path: str | None, report: Report) -> None:
        self.path = path
        self.report = report
        self.profiler: Any = None

    def start(self) -> None:
        if self.path and self.profiler is None:
            from pyinstrument import Profiler

            self.profiler = Profiler(interval=0.001, async_mode="disabled")
            self.profiler.start()

    def restart(self) -> None:
        """Start afresh: the window is the last request's (a verdict's fetch of the same
        conversation may have come before, with no frame of it selected)."""
        if self.profiler is not None and self.profiler.is_running:
            self.profiler.stop()
            self.profiler = None
        self.start()

    def stop(self) -> None:
        if self.profiler is None or not self.profiler.is_running:
            return
        self.profiler.stop()
        everything = bool(os.environ.get(PROFILE_ALL_ENV))
        text = self.profiler.output_text(unicode=True, show_all=everything)
        with open(self.path or os.devnull, "w") as out:
            out.write(text)
        self.report("profile_written", path=self.path)


def _watch_fetches(app: Any, report: Report, profile: Profile | None) -> None:
    """Wrap the metric methods of the service the app builds, when it builds it."""
    factory = app._service_factory

    def listed(original: Any) -> Any:
        @functools.wraps(original)
        async def fetch(*args: Any, **kwargs: Any) -> Any:
            report("list_start")
            result = await original(*args, **kwargs)
            report("list_end", rows=len(result.data))
            return result

        return fetch

    def timed(original: Any) -> Any:
        @functools.wraps(original)
        async def fetch(*args: Any, **kwargs: Any) -> Any:
            asked = str(args[0]) if args else None  # the conversation's id, or the run's
            report("fetch_start", id=asked)
            if profile is not None and os.environ.get(PROFILE_ID_ENV, asked) == asked:
                profile.restart()
            result = await original(*args, **kwargs)
            if isinstance(result, list):
                values = sum(len(group.values) for group in result)
                report("fetch_end", id=asked, values=values)
            else:  # a run's results
                report("fetch_end", id=asked, calls=len(result.calls))
            return result

        return fetch

    def build() -> Any:
        service = factory()
        for name in METRIC_METHODS + RUN_METHODS:
            setattr(service, name, timed(getattr(service, name)))
        for name in LIST_METHODS:
            setattr(service, name, listed(getattr(service, name)))
        return service

    app._service_factory = build


def tree_state(app: Any) -> dict[str, Any]:
    """What the metric tree shows now: cursor line, line count, and whether the cursor is on a
    failing (or errored) value, the state the metrics screen opens in."""
    from textual.css.query import NoMatches

    busy = _busy(app)
    if type(app.screen).__name__ == "BrowserScreen":
        # Rows listed, verdicts shown (faults too), the cursor's row.
        table = app.screen.query_one("#browser-table")
        return {
            "screen": "BrowserScreen",
            "rows": table.row_count,
            "verdicts": len(app.screen.verdicts),
            "cursor_row": table.cursor_row,
            "busy": busy,
        }
    if type(app.screen).__name__ == "RunReportScreen":
        # The report's first useful frame: the verdict in the header, the checks worst first.
        shown = app.screen.results is not None and bool(app.screen.check_rows)
        return {"screen": "RunReportScreen", "selected": shown, "busy": busy}
    try:
        tree = app.screen.query_one("#metric-tree")
    except NoMatches:
        return {"screen": type(app.screen).__name__, "busy": busy}
    node = tree.cursor_node
    value = getattr(node.data, "value", None) if node is not None else None
    status = getattr(getattr(value, "status", None), "value", None)
    return {
        "screen": type(app.screen).__name__,
        "cursor_line": tree.cursor_line,
        "lines": tree.last_line + 1,
        "selected": status in FAILING,
        "busy": busy,
    }


def _watch_frames(app: Any, report: Report, profile: Profile, window: str) -> None:
    original = app._display

    @functools.wraps(original)
    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if renderable is not None and not app._batch_count:
            state = tree_state(app)
            report("frame", **state)
            if window == "start" or (window == "lookup" and state.get("selected")):
                profile.stop()
            elif window == "keys" and state.get("selected") and profile.profiler is None:
                profile.start()
                asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, profile.stop)

    app._display = display


def main(argv: list[str]) -> int:
    report = _reporter()
    report("start")
    profile = Profile(os.environ.get(PROFILE_ENV), report)
    window = os.environ.get(WINDOW_ENV, "lookup")
    if window == "start":
        profile.start()
    from roark_tui.cli import build_app

    app = build_app(argv)
    if os.environ.get(PLAIN_OUTPUT_ENV):  # the reference of the bytes-on-the-wire figures
        from textual.app import App

        app.driver_class = App.get_driver_class(app)
    _watch_fetches(app, report, profile if window == "lookup" else None)
    _watch_frames(app, report, profile, window)
    _watch_workers(app, report)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
