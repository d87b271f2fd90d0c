"""Re-scoring a conversation on screen: `R` on the metrics screen.

`RescoreConfirm` asks before the billed action, naming the metrics and the conversation (`a`
switches between the metrics under the cursor and every changed one). `RescoreController`
starts the collection job once (api/write_once.py), follows it in a worker of the screen, posts
`RescoreProgress` as it moves and `RescoreFinished` with the conversation's metrics read again
and the values that changed. `cancel` asks Roark to stop the job (esc); the values it already
produced still come in. `RescoreStatus` is the line under the tree.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Static
from textual.worker import Worker

from roark_tui.api import errors, write_once
from roark_tui.api.models import CollectionJob, MetricDefinition, MetricGroup
from roark_tui.core import rescore
from roark_tui.core.safe_text import one_line

if TYPE_CHECKING:
    from roark_tui.api.service import RoarkService

CHANGES_SHOWN = 6


class RescoreConfirm(ModalScreen[list[str] | None]):
    """Ask before a billed action: which metrics, on which conversation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "confirm", "Re-score", id="rescore.confirm"),
        Binding("a", "switch", "All changed / these", id="rescore.switch"),
        Binding("escape,n", "cancel", "Cancel", id="rescore.cancel"),
    ]
    DEFAULT_CSS = """
    RescoreConfirm { align: center middle; }
    RescoreConfirm > Vertical { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1; }
    RescoreConfirm #rescore-metrics { height: auto; max-height: 12; overflow-y: auto; }
    """

    def __init__(
        self,
        conversation: str,
        targets: Sequence[MetricDefinition],
        changed: Sequence[MetricDefinition],
    ) -> None:
        super().__init__()
        self.conversation = conversation
        self.targets = list(targets)
        self.changed = list(changed)
        self.all_changed = not self.targets and bool(self.changed)

    @property
    def chosen(self) -> list[MetricDefinition]:
        return self.changed if self.all_changed else self.targets

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Re-score this conversation?", style="bold"))
            yield Static(Text(self.conversation), id="rescore-conversation")
            yield Static(id="rescore-metrics")
            yield Static(
                Text(
                    "Roark runs a metric collection job and bills each metric it scores on "
                    "this conversation.",
                    style="italic",
                )
            )
            yield Static(id="rescore-keys")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        chosen = self.chosen
        lines = Text()
        if self.all_changed:
            what = "every changed metric"
        elif len(chosen) > 1:
            what = "the selected metric and the new thresholds on its source"
        else:
            what = "the selected metric"
        lines.append(f"{len(chosen)} metric{'s' if len(chosen) != 1 else ''} ({what}):\n")
        for definition in chosen:
            lines.append(f"  • {one_line(definition.name or definition.key, 60)}")
            lines.append(f"  {one_line(definition.key, 40)}\n", style="dim")
        if not chosen:
            lines.append("  (none)\n")
        self.query_one("#rescore-metrics", Static).update(lines)
        other = (
            f"a the selected metric ({len(self.targets)})"
            if self.all_changed
            else f"a every changed metric ({len(self.changed)})"
        )
        keys = f"enter re-score · {other} · esc cancel"
        self.query_one("#rescore-keys", Static).update(Text(keys, style="dim"))

    def action_switch(self) -> None:
        self.all_changed = not self.all_changed
        self._show()

    def action_confirm(self) -> None:
        if self.chosen:
            self.dismiss([d.id for d in self.chosen])

    def action_cancel(self) -> None:
        self.dismiss(None)


class RescoreProgress(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class RescoreFinished(Message):
    """The job ended (or could not start): the metrics read again, what changed, and why
    it failed when it did."""

    def __init__(
        self,
        groups: list[MetricGroup] | None,
        changes: list[rescore.Change],
        summary: str,
        error: str | None = None,
    ) -> None:
        super().__init__()
        self.groups = groups
        self.changes = changes
        self.summary = summary
        self.error = error


@dataclass(frozen=True)
class RescoreRequest:
    """What to score (the metrics, on one conversation) and the reading it replaces."""

    kind: Literal["chat", "call"]
    conv_id: str
    metric_ids: Sequence[str]
    before: Sequence[MetricGroup]
    definitions: Sequence[MetricDefinition]


class RescoreController:
    """One re-score at a time for `screen`; `sleep` is injectable for tests."""

    def __init__(
        self,
        screen: Screen[Any],
        service: Callable[[], RoarkService],
        fetch: Callable[[], Awaitable[list[MetricGroup]]],
        *,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.screen = screen
        self.service = service
        self.fetch = fetch
        self.sleep = sleep
        self.worker: Worker[None] | None = None
        self.job: CollectionJob | None = None
        self.cancelling = False

    @property
    def running(self) -> bool:
        return self.worker is not None and not self.worker.is_finished

    def start(self, request: RescoreRequest) -> None:
        self.job = None
        self.cancelling = False
        self.worker = self.screen.run_worker(
            self._run(request), name="rescore", group="rescore", exclusive=True
        )

    def cancel(self) -> None:
        """Ask Roark to stop the job (once; on the app, so that leaving the screen does not
        drop the request); the follow loop sees it end."""
        if not self.running or self.cancelling:
            return
        self.cancelling = True
        self._progress("Cancelling the re-score…")
        if self.job is not None:
            self.screen.app.run_worker(self._cancel(self.job.id), group="rescore-cancel")

    def stop(self) -> None:
        """Stop following the job (leaving the screen); Roark's side is left as it is."""
        if self.worker is not None and not self.worker.is_finished:
            self.worker.cancel()
        self.worker = None

    async def _cancel(self, job_id: str) -> None:
        try:
            await write_once.cancel_collection_job(self.service(), job_id)
        except errors.ApiError as exc:
            said = f"Could not cancel the re-score: {one_line(str(exc), 160)}"
            self.screen.app.notify(said, severity="warning", markup=False)

    def _progress(self, text: str) -> None:
        self.screen.post_message(RescoreProgress(text))

    async def _run(self, request: RescoreRequest) -> None:
        service = self.service()
        metric_ids = list(request.metric_ids)
        self._progress("Starting the re-score…")
        try:
            written = await write_once.start_collection_job(
                service, request.kind, [request.conv_id], metric_ids
            )
        except errors.ApiError as exc:
            self.screen.post_message(RescoreFinished(None, [], "", rescore.explain(exc)))
            return
        self.job = written.value
        if self.cancelling:  # esc came while the job was being created
            self.screen.app.run_worker(self._cancel(self.job.id), group="rescore-cancel")

        def moved(job: CollectionJob) -> None:
            self.job = job
            hint = "" if job.finished or self.cancelling else " · esc cancels"
            self._progress(rescore.progress(job) + hint)

        try:
            job = await rescore.follow_job(
                service.get_collection_job, written.value, on_progress=moved, sleep=self.sleep
            )
        except errors.ApiError as exc:
            self.screen.post_message(RescoreFinished(None, [], "", rescore.explain(exc)))
            return
        try:
            after = await self.fetch()
        except errors.ApiError as exc:
            said = f"{rescore.progress(job)}, but the metrics could not be read again: {exc}"
            self.screen.post_message(RescoreFinished(None, [], "", one_line(said, 200)))
            return
        found = rescore.changes(request.before, after, metric_ids, request.definitions)
        summary = rescore.progress(job)
        if written.note:
            summary += f" ({written.note})"
        if not job.finished:
            summary += " · still running at Roark: r reloads later"
        elif job.error_message and job.status.upper() != "FAILED":
            summary += f" · {one_line(job.error_message, 100)}"
        self.screen.post_message(RescoreFinished(after, found, summary))


class RescoreStatus(Static):
    """The re-score's line under the tree: progress, then what changed."""

    DEFAULT_CSS = """
    RescoreStatus { height: auto; max-height: 8; display: none; padding: 0 1; }
    """

    def show(
        self, text: str, *, changes: Sequence[rescore.Change] = (), error: bool = False
    ) -> None:
        body = Text(text, style="bold red" if error else "bold")
        for change in changes[:CHANGES_SHOWN]:
            body.append("\n  " + change.line())
        if len(changes) > CHANGES_SHOWN:
            body.append(f"\n  … and {len(changes) - CHANGES_SHOWN} more")
        self.update(body)
        self.display = True
