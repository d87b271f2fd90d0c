"""The metrics screen: which metric failed on a conversation, what the judge said, and where.

It opens on the first failing check (else the first error) with its reasoning and segment in
view. This module holds what the keys do; what is shown and how it loads is in
screens/metrics_view.py, the bindings in screens/metrics_keys.py.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.binding import BindingType
from textual.css.query import NoMatches
from textual.widgets import Input

from roark_tui.api import errors
from roark_tui.api.models import MetricDefinition, MetricGroup
from roark_tui.core import rescore, tune
from roark_tui.core.metric_tree import Status, next_order, value_rows
from roark_tui.core.safe_text import one_line
from roark_tui.core.transcript_focus import Focus, focus_of
from roark_tui.core.watch import merge, metric_id
from roark_tui.state import watch_list
from roark_tui.tui.clipboard import COPY_HELP, copy_text
from roark_tui.tui.rescore import (
    RescoreConfirm,
    RescoreFinished,
    RescoreProgress,
    RescoreRequest,
    RescoreStatus,
)
from roark_tui.tui.screens.metrics_export import node_json, node_text, open_in_pager
from roark_tui.tui.screens.metrics_keys import METRICS_BINDINGS
from roark_tui.tui.screens.metrics_view import ORDER_WORDS, MetricsView
from roark_tui.tui.watch import (
    ExpectPrompt,
    WatchStatus,
    WatchStopped,
    WatchUpdated,
    load_expect,
)
from roark_tui.tui.widgets.conversation_header import ConversationHeader
from roark_tui.tui.widgets.dialogs import TuneChoiceScreen
from roark_tui.tui.widgets.metric_tree import NodeRef
from roark_tui.tui.widgets.states import OTHER_KIND, cancelled_state

FILTER_DELAY = 0.15


class MetricsScreen(MetricsView):
    """One conversation's metric values: tree, detail, segment."""

    BINDINGS: ClassVar[list[BindingType]] = METRICS_BINDINGS
    HELP = (
        "A conversation's metrics: failing checks first, each metric's values beneath it "
        "(enter or → expands). The right side shows the selected value's reasoning and the "
        "segment of the conversation it is about. " + COPY_HELP
    )

    # --- keys ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        try:
            selected = self.metric_tree.selected if self.is_mounted else None
        except NoMatches:  # asked while the screen is taken down (esc): its widgets are gone
            return None
        node_actions = (
            "copy_json",
            "copy_id",
            "pager",
            "transcript",
            "threshold",
            "edit_definition",
        )
        if action in node_actions:
            return selected is not None and not selected.is_more
        if action == "other_kind":
            return self.not_found
        if action in ("cycle_order", "toggle_flat", "filter"):
            return bool(self.groups)
        if action in ("watch", "toggle_all", "rescore"):  # once the conversation is known
            return self.groups is not None
        return True

    def action_zoom(self) -> None:
        """At 80x24 the tree shows a few rows: the focused pane can have the whole screen."""
        if self.maximized is not None:
            self.minimize()
        elif self.focused is not None:
            self.maximize(self.focused)

    def action_back(self) -> None:
        if self.maximized is not None:
            self.minimize()
            return
        if self.rescore.running and not self.rescore.cancelling:
            self.rescore.cancel()  # esc again stops following it and leaves
            return
        self.rescore.stop()
        if self.fetching:
            self.workers.cancel_group(self, "metrics")
            self.fetching = False
            self._show_state(cancelled_state())
            return
        filter_input = self.query_one("#filter", Input)
        if filter_input.display or self.filter_text:
            self._clear_filter()
            return
        self.watcher.stop(post=False)
        self._stop_countdown()
        self.dismiss()

    def action_refresh(self) -> None:
        self.load_metrics(announce=True)
        if self.conversation is None:
            self.load_header()

    def action_cycle_order(self) -> None:
        self.order = next_order(self.order)
        self.rebuild()
        self.notify(f"Order: {ORDER_WORDS.get(self.order, self.order)}", timeout=2)

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.notify(
            "Showing all capture statuses" if self.show_all else "Showing successful values only",
            timeout=2,
        )
        self.load_metrics()

    def action_toggle_flat(self) -> None:
        """The flat list has no metrics to open: the ones open before it are opened again when
        the grouped tree comes back."""
        if not self.flat:
            self.reopen = self.metric_tree.place().expanded
        self.flat = not self.flat
        self.rebuild()

    def action_filter(self) -> None:
        """Show and focus the filter input, at once: the keys typed right after `/` (one
        burst over a slow SSH link) must land in it, not in the tree."""
        filter_input = self.query_one("#filter", Input)
        filter_input.display = True
        self.set_focus(filter_input)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self._apply_filter)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._apply_filter()
        self.metric_tree.focus()

    def _apply_filter(self) -> None:
        text = self.query_one("#filter", Input).value
        if text != self.filter_text:
            self.filter_text = text
            self.rebuild(select_first=True)

    def _clear_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if self._filter_timer is not None:
            self._filter_timer.stop()
        filter_input.value = ""
        filter_input.display = False
        if self.filter_text:
            self.filter_text = ""
            self.rebuild()
        self.metric_tree.focus()

    def action_copy_json(self) -> None:
        ref = self.metric_tree.selected
        if ref is None or ref.is_more:
            return
        text = node_json(ref)
        what = f"value ({ref.value.label})" if ref.value is not None else "metric"
        copy_text(self.app, text, f"The JSON of {ref.row.name} {what}, {len(text):,} characters")

    def action_copy_id(self) -> None:
        ref = self.metric_tree.selected
        if ref is None or ref.is_more:
            return
        segment = ref.value.value.segment if ref.value is not None else None
        if segment is not None and segment.id:
            copied, what = segment.id, "segment id"
        else:
            copied, what = ref.row.group.metric_definition_id or ref.row.key, "metric id"
        copied = one_line(copied)  # an id is one line: pasted, it never ends a command
        copy_text(self.app, copied, f"The {what} of {ref.row.name}, {copied}")

    def action_pager(self) -> None:
        ref = self.metric_tree.selected
        if ref is None or ref.is_more:
            return
        # the pager takes over this terminal: lay the text out at its width
        problem = open_in_pager(self.app, node_text(ref, self.app.size.width))
        if problem:
            self.notify(problem, severity="warning", markup=False)

    def transcript_focus(self, ref: NodeRef) -> Focus | None:
        """Where the node points: the value's segment, or for a metric its first value that
        points somewhere (failing ones first)."""
        if ref.value is not None:
            return focus_of(ref.value.value)
        values = sorted(value_rows(ref.row), key=lambda v: v.status is not Status.FAIL)
        return next((f for v in values if (f := focus_of(v.value)) is not None), None)

    def action_transcript(self) -> None:
        from roark_tui.tui.screens.transcript import TranscriptScreen

        ref = self.metric_tree.selected
        focus = self.transcript_focus(ref) if ref is not None else None
        title = self.conversation.title if self.conversation else None
        about = ref.row.name if ref is not None and focus is not None else None
        self.app.push_screen(
            TranscriptScreen(self.kind, self.conv_id, focus, title=title, about=about)
        )

    def action_threshold(self) -> None:
        """On a threshold check: tune it (a new threshold from its settings); on an authored
        yes/no check: edit it or put a threshold on it; else a threshold on the metric."""
        ref = self.metric_tree.selected
        if ref is None:
            return
        conversation = (self.kind, self.conv_id)
        definition = self.definition_of(ref.row.group)
        how = tune.tuning_of(definition)
        if how == "threshold" and definition is not None and definition.threshold is not None:
            spec = definition.threshold
            source = next(
                (d for d in self.definitions if d.id == spec.source_metric_definition_id), None
            )
            self.app.open_threshold_wizard(
                source=source.key if source is not None else None,
                conversation=conversation,
                tuning=definition,
            )
            return
        if how == "authored" and definition is not None:

            def chosen(choice: str | None) -> None:
                if choice == "edit":
                    self.app.open_definition_editor(definition)
                elif choice == "threshold":
                    self.app.open_threshold_wizard(source=definition.key, conversation=conversation)

            kind = (definition.calculation_type or "").replace("_", " ").lower()
            self.app.push_screen(TuneChoiceScreen(one_line(definition.name), kind), chosen)
            return
        self.app.open_threshold_wizard(source=ref.row.key, conversation=conversation)

    def action_edit_definition(self) -> None:
        ref = self.metric_tree.selected
        if ref is None:
            return
        definition = self.definition_of(ref.row.group)
        if definition is None:
            self.notify("The definitions are not loaded yet (or this one is unknown)", timeout=3)
            return
        self.app.open_definition_editor(definition)

    def definition_updated(self, updated: MetricDefinition) -> None:
        """A definition was edited: the tree reads it (name, labels) from the new version."""
        self.definitions = [updated if d.id == updated.id else d for d in self.definitions]
        if self.groups:
            self.rebuild()

    def definition_of(self, group: MetricGroup) -> MetricDefinition | None:
        key = metric_id(group)
        return next((d for d in self.definitions if key in (d.id, d.key)), None)

    def action_definitions(self) -> None:
        self.app.open_definitions()

    def action_other_kind(self) -> None:
        if not self.not_found:
            return
        self.kind = OTHER_KIND[self.kind]
        self.tried = ""
        self.conversation = None
        self.query_one(ConversationHeader).show(self.kind, self.conv_id, None)
        self.load_metrics()
        self.load_header()

    # --- watch --------------------------------------------------------------------------------

    def action_watch(self) -> None:
        if self.watcher.watching:
            self.watcher.stop()
            return

        def start(expected: tuple[str, ...] | None) -> None:
            if expected is None:
                return
            watch_list.save(expected)
            if not self.show_all:
                self.show_all = True
            self.watcher.start(self.groups or [], expected)
            self.query_one(WatchStatus).refresh_status()
            self.show_arrival()

        expected = load_expect()
        if watch_list.store.problem:
            self.notify(watch_list.store.problem, severity="warning", timeout=10, markup=False)
        self.app.push_screen(ExpectPrompt(expected), start)

    def on_watch_updated(self, message: WatchUpdated) -> None:
        if message.error is not None:
            return
        if message.new_values:
            self.new_values = message.new_values
        had_data = bool(self.groups)
        self.groups = message.groups
        if self.groups and not had_data:
            self._show_state(None)
        self.rebuild(select_first=not self.moved)

    def on_watch_stopped(self, message: WatchStopped) -> None:
        self.query_one(WatchStatus).refresh_status()
        self.show_arrival()
        words = {
            "settled": "Watch stopped: nothing pending and nothing new",
            "stopped": "Stopped watching",
            "timed out": "Watch timed out",
        }
        if message.reason == "error" and message.error is not None:
            self.notify(f"Watch stopped: {message.error}", severity="error", markup=False)
        else:
            self.notify(words.get(message.reason, "Watch stopped"))

    # --- re-score -----------------------------------------------------------------------------

    def action_rescore(self) -> None:
        if self.rescore.running:
            self.notify("A re-score is running: esc cancels it", timeout=3)
            return
        self._offer_rescore()

    @work(exclusive=True, group="rescore-offer")
    async def _offer_rescore(self) -> None:
        """Read the definitions again (a threshold made a moment ago is among them), then
        ask which metrics to score."""
        status = self.query_one(RescoreStatus)
        status.show("Looking up what changed…")
        try:
            definitions = await self.app.service.all_definitions()
        except errors.ApiError as exc:
            status.show(f"Could not list the metric definitions: {one_line(str(exc))}", error=True)
            return
        self.definitions = list(definitions)
        groups = self.groups or []
        changed = rescore.changed_metrics(groups, definitions, self.app.edited_metrics)
        ref = self.metric_tree.selected
        selected = metric_id(ref.row.group) if ref is not None and not ref.is_more else None
        targets = rescore.default_targets(selected, definitions, changed)
        status.display = False
        if not targets and not changed:
            self.notify("Nothing to re-score: select a metric first", timeout=3)
            return
        title = self.conversation.title if self.conversation else None
        about = f"{self.kind} {self.conv_id}" + (f" · {one_line(title, 50)}" if title else "")

        def chosen(metric_ids: list[str] | None) -> None:
            if metric_ids:
                self.show_all = True
                self.rescore.start(
                    RescoreRequest(
                        self.kind,
                        self.conv_id,
                        metric_ids,
                        list(groups),
                        self.definitions,
                    )
                )

        self.app.push_screen(RescoreConfirm(about, targets, changed), chosen)

    def on_rescore_progress(self, message: RescoreProgress) -> None:
        self.query_one(RescoreStatus).show(message.text)

    def on_rescore_finished(self, message: RescoreFinished) -> None:
        status = self.query_one(RescoreStatus)
        if message.error is not None or message.groups is None:
            status.show(message.error or "Re-score failed", error=True)
            return
        self.groups = merge(self.groups or [], message.groups).groups
        # marked new: the values the re-score changed (all were recomputed)
        self.new_values = frozenset(c.key for c in message.changes if c.key and not c.same)
        self.rebuild()
        moved = sum(1 for change in message.changes if not change.same)
        summary = f"{message.summary} · {moved} value{'s' if moved != 1 else ''} changed"
        status.show(summary, changes=message.changes)
