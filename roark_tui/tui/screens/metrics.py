"""The metrics screen: which metric failed on a conversation, what the judge said, and where.

It opens on the first failing check (else the first error) with its reasoning and segment in
view. Left, the metric value tree (#metric-tree, children built on expand); right, the detail
pane (#detail) and the segment pane (#segment); above, the conversation header. Every request
runs in a worker on `app.service`; each failure becomes a state with the keys that help, and a
failure after data was shown becomes a banner, so the user's place is never lost.
"""

from __future__ import annotations

import gc
import io
import os
import shlex
import subprocess
from typing import TYPE_CHECKING, ClassVar

from rich.console import Console
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Input, Static, Tree

from roark_tui.api import errors
from roark_tui.api.models import Call, Chat, MetricDefinition, MetricGroup
from roark_tui.core import rescore, tune
from roark_tui.core.formatting import now
from roark_tui.core.metric_tree import (
    DEFAULT_ORDER,
    GroupRow,
    Status,
    build_rows,
    filter_groups,
    next_order,
    sort_rows,
    totals,
    value_rows,
)
from roark_tui.core.safe_text import dumps, one_line
from roark_tui.core.transcript_focus import Focus, focus_of
from roark_tui.core.watch import ValueKey, merge, metric_id
from roark_tui.state import history, watch_list
from roark_tui.tui.clipboard import COPY_HELP, copy_text
from roark_tui.tui.commands import bound_keys
from roark_tui.tui.rescore import (
    RescoreConfirm,
    RescoreController,
    RescoreFinished,
    RescoreProgress,
    RescoreRequest,
    RescoreStatus,
)
from roark_tui.tui.screens.base import RoarkScreen
from roark_tui.tui.watch import (
    ExpectPrompt,
    WatchController,
    WatchStatus,
    WatchStopped,
    WatchUpdated,
    load_expect,
)
from roark_tui.tui.widgets.conversation_header import ConversationHeader
from roark_tui.tui.widgets.detail_pane import DetailPane, metric_detail, value_detail
from roark_tui.tui.widgets.dialogs import TuneChoiceScreen
from roark_tui.tui.widgets.footer import KeysFooter
from roark_tui.tui.widgets.metric_tree import MetricTree, NodeRef
from roark_tui.tui.widgets.segment_pane import SegmentPane, value_segments
from roark_tui.tui.widgets.states import (
    OTHER_KIND,
    ConversationKind,
    State,
    StatePanel,
    cancelled_state,
    empty_state,
    error_state,
    loading_state,
)

if TYPE_CHECKING:
    from roark_tui.tui.app import RoarkApp

FILTER_DELAY = 0.15
LARGE_PAYLOAD = 20_000  # values
DETAIL_DELAY = 0.04
MOVE_KEYS = frozenset(
    {"up", "down", "left", "right", "pageup", "pagedown", "home", "end", "enter", "space"}
    | {"shift+up", "shift+down", "shift+left", "shift+right"}
)
ORDER_WORDS = {"failures": "failures first", "name": "by name", "type": "by type"}


def node_json(ref: NodeRef) -> str:
    """The node as the API sent it: a metric with all its values, or one value."""
    data = ref.value.value.to_api() if ref.value is not None else ref.row.group.to_api()
    return dumps(data, pretty=True)


def node_text(ref: NodeRef, width: int) -> str:
    """Everything the panes show about a node, as plain text for a pager `width` columns wide."""
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=False)
    if ref.value is None:
        console.print(metric_detail(ref.row))
        if len(ref.row.group.values) == 1:
            console.print()
            console.print(value_segments(ref.row.group.values[0]))
    else:
        console.print(value_detail(ref.row, ref.value))
        console.print()
        console.print(value_segments(ref.value.value))
    return out.getvalue()


def open_in_pager(app: RoarkApp, text: str) -> str | None:
    """Show `text` in $PAGER (default `less`) with the app suspended; the problem, if any."""
    from textual.app import SuspendNotSupported

    command = shlex.split(os.environ.get("PAGER") or "less")
    try:
        with app.suspend():
            subprocess.run(command, input=text, text=True, check=False)
    except SuspendNotSupported:
        return "This terminal cannot hand over to a pager; y copies the JSON instead"
    except OSError as exc:
        return f"Could not run the pager {command[0]!r}: {exc.strerror or exc}"
    return None


class MetricsScreen(RoarkScreen[None]):
    """One conversation's metric values: tree, detail, segment."""

    AUTO_FOCUS = "#metric-tree"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Back",
            id="metrics.back",
            tooltip="Back to the lookup (first cancels loading, un-zooms or clears the filter)",
        ),
        # The app's help key again, here so that it comes second in the footer: at 80 columns
        # the footer cannot show every key, and this one shows the rest.
        Binding(
            "question_mark,f1",
            "app.help",
            "Help",
            key_display="?",
            id="metrics.help",
            tooltip="The keys of this screen (f1 where ? would be typed)",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            key_display="/",
            id="metrics.filter",
            tooltip="Filter by metric name, slug or value text; esc clears",
            priority=True,  # run before the next key is routed: typed-ahead text goes in
        ),
        Binding(
            "T",
            "transcript",
            "Transcript",
            key_display="T",
            id="metrics.transcript",
            tooltip="The transcript, with the selected value's segment marked and in view",
        ),
        Binding(
            "y",
            "copy_json",
            "Copy JSON",
            id="metrics.copy_json",
            tooltip="Copy the selected metric or value as JSON (OSC 52, works over SSH)",
        ),
        Binding(
            "c",
            "copy_id",
            "Copy id",
            id="metrics.copy_id",
            tooltip="Copy the selected metric's id (for a value with a segment, its segment id)",
        ),
        Binding(
            "w",
            "watch",
            "Watch",
            id="metrics.watch",
            tooltip="Watch metrics arrive while they are computed (the same key again stops)",
        ),
        Binding(
            "t",
            "threshold",
            "Threshold",
            id="metrics.threshold",
            tooltip="Tune the selected check (a new threshold from it), or create a threshold "
            "(a check) on the selected metric",
        ),
        Binding(
            "e",
            "edit_definition",
            "Edit",
            show=False,
            id="metrics.edit",
            tooltip="Edit the selected metric's definition (its prompt, name, formula)",
        ),
        Binding(
            "R",
            "rescore",
            "Re-score",
            key_display="R",
            id="metrics.rescore",
            tooltip="Score this conversation again with the metrics as defined now (billed; "
            "asks first); esc cancels",
        ),
        Binding(
            "s",
            "cycle_order",
            "Order",
            id="metrics.order",
            tooltip="Order metrics: failures first, by name, by type",
        ),
        Binding(
            "a",
            "toggle_all",
            "All",
            id="metrics.all",
            tooltip="All capture statuses (errors, not applicable) or successful values only",
        ),
        Binding(
            "f",
            "toggle_flat",
            "Flat",
            id="metrics.flat",
            tooltip="A flat list of every value, or values grouped under their metric",
        ),
        Binding(
            "o",
            "pager",
            "Pager",
            show=False,
            id="metrics.pager",
            tooltip="Open the selected metric or value's full text in $PAGER",
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            show=False,
            id="metrics.refresh",
            tooltip="Load the metrics again, keeping your place (also retries after an error)",
        ),
        Binding(
            "d",
            "definitions",
            "Definitions",
            show=False,
            id="metrics.definitions",
            tooltip="Browse the project's metric definitions",
        ),
        Binding(
            "k",
            "other_kind",
            "Other kind",
            id="metrics.other_kind",
            tooltip="Not found: try the id as a call instead of a chat (or the reverse)",
        ),
        Binding(
            "z",
            "zoom",
            "Zoom",
            id="metrics.zoom",
            show=False,
            tooltip="The focused pane (tree, detail, segment) on the whole screen, or back",
        ),
    ]
    HELP = (
        "A conversation's metrics: failing checks first, each metric's values beneath it "
        "(enter or → expands). The right side shows the selected value's reasoning and the "
        "segment of the conversation it is about. " + COPY_HELP
    )

    def __init__(
        self, kind: str, conv_id: str, *, detect: bool = False, focus_metric: str | None = None
    ) -> None:
        """`focus_metric` (a definition id or slug) is where the cursor starts instead of the
        first failure: a run report opens a call on the check the run failed it on."""
        if kind not in OTHER_KIND:
            raise ValueError(f"kind must be 'chat' or 'call', not {kind!r}")
        super().__init__()
        self.kind: ConversationKind = "chat" if kind == "chat" else "call"
        self.conv_id = conv_id
        self.detect = detect
        self.focus_metric = focus_metric
        self.tried = ""  # the kind tried first when auto-detecting
        self.order = DEFAULT_ORDER
        self.flat = False
        self.show_all = True
        self.filter_text = ""
        self.groups: list[MetricGroup] | None = None
        self.definitions: list[MetricDefinition] = []
        self.conversation: Chat | Call | None = None
        self.new_values: frozenset[ValueKey] = frozenset()
        # Not `loading`: that is Textual's reactive, which covers the screen with a spinner
        # (hiding the header, the state and its keys) and disables it.
        self.fetching = False
        self.not_found = False
        self.moved = False  # the user has moved the cursor since the screen opened
        self.recorded = False
        self.watcher = WatchController(self, self._fetch_all)
        self.rescore = RescoreController(self, lambda: self.app.service, self._fetch_all)
        self._filter_timer: Timer | None = None
        self._detail_timer: Timer | None = None
        self._rows: list[GroupRow] = []
        self._rows_source: tuple[object, object] = (None, None)
        self._retry_timer: Timer | None = None
        self._retry_left = 0
        self._keys: tuple[bool, ...] = ()

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ConversationHeader(self.kind, self.conv_id)
        yield Static(id="banner")
        with Horizontal(id="metrics-body"):
            with Vertical(id="tree-column"):
                yield Input(placeholder="filter: name, slug or value text", id="filter")
                yield MetricTree()
                yield Static(id="metrics-status")
                yield WatchStatus(self.watcher)
                yield RescoreStatus()
            with Vertical(id="detail-column"):
                yield DetailPane()
                yield SegmentPane()
        yield StatePanel()
        yield KeysFooter()

    def on_mount(self) -> None:
        self._show_state(loading_state(self.kind, self.conv_id))
        self.call_after_refresh(self._first_load)

    def _first_load(self) -> None:
        """After the first frame: the service (and its imports) may cost a moment. The
        definitions load alongside, so that they are usually in before the metrics and the
        first failure is chosen knowing every check."""
        self.load_metrics()
        self.load_header()
        self.load_definitions()

    # --- loading ------------------------------------------------------------------------------

    def _show_state(self, state: State | None) -> None:
        """A full-screen state while nothing is shown yet, else a banner above the tree."""
        has_data = self.groups is not None and bool(self.groups)
        loaded = has_data or state is None
        if self.loaded != loaded:  # two widgets shown or hidden: no screen-wide restyle
            self.query_one("#metrics-body").display = loaded
            self.query_one(StatePanel).display = not loaded
        banner = self.query_one("#banner", Static)
        if has_data and state is not None:
            banner.update(Text(state.line(), style="bold"))
            banner.display = True
        else:
            banner.display = False
        if state is not None and not has_data:
            self.query_one(StatePanel).show(state)
        self._refresh_keys()

    @property
    def loaded(self) -> bool:
        """Whether the tree and panes are in view (else the full-screen state is)."""
        return self.query_one("#metrics-body").display

    def _refresh_keys(self) -> None:
        """Tell the footer about keys that came or went (it rebuilds itself, so only then)."""
        ref = self.metric_tree.selected
        keys = (
            ref is not None and not ref.is_more,
            self.not_found,
            self.groups is not None,
            bool(self.groups),
        )
        if keys != self._keys:
            self._keys = keys
            self.refresh_bindings()

    @work(exclusive=True, group="metrics")
    async def load_metrics(self, *, announce: bool = False) -> None:
        """Fetch and show the metrics; `announce` says so when they are in (a refresh that
        changed nothing would otherwise look like a key that did nothing)."""
        self._stop_countdown()
        self.fetching = True
        self.not_found = False
        if self.groups is None:
            self._show_state(loading_state(self.kind, self.conv_id))
        else:
            self._show_state(State("Refreshing…", kind="loading"))
        status = "all" if self.show_all else "success"
        try:
            groups = await self.app.service.conversation_metrics(
                self.kind,
                self.conv_id,
                status=status,
            )
        except errors.ApiError as exc:
            self.fetching = False
            self._failed(exc)
            return
        finally:
            self.fetching = False
        if sum(len(group.values) for group in groups) >= LARGE_PAYLOAD:
            # The parse kept the collector out; its first full pass over a payload this size
            # is long enough to feel. Run it now, as part of the load, instead of letting it fall
            # on whichever key happens to allocate next (it then stays away: the next full
            # pass waits for a quarter as many new objects to survive).
            gc.collect()
        self.groups = groups
        first = not self.recorded
        self._show_state(None if groups else empty_state(self.kind, self.show_all))
        self.rebuild(select_first=first or not self.moved)
        if announce:
            self.notify(f"Reloaded: {len(groups)} metrics", timeout=2)
        if first:
            self.metric_tree.focus()
            self._record()

    def _failed(self, exc: errors.ApiError) -> None:
        if isinstance(exc, errors.NotFound) and self.detect and not self.tried:
            self.tried, self.kind = self.kind, OTHER_KIND[self.kind]
            self.notify(f"No {self.tried} with that id; trying it as a {self.kind}")
            self.query_one(ConversationHeader).show(self.kind, self.conv_id, None)
            self.load_metrics()
            self.load_header()
            return
        self.not_found = isinstance(exc, errors.NotFound) and not self.tried
        self._show_state(error_state(exc, self.kind, self.conv_id, tried=self.tried))
        if isinstance(exc, errors.RateLimited) and exc.retry_after:
            self._start_countdown(exc)

    def _start_countdown(self, exc: errors.RateLimited) -> None:
        """Show the wait ticking down, then retry by itself."""
        self._retry_left = max(1, round(exc.retry_after or 1))

        def tick() -> None:
            self._retry_left -= 1
            if self._retry_left <= 0:
                self.load_metrics()
                return
            exc.retry_after = self._retry_left
            self._show_state(error_state(exc, self.kind, self.conv_id))

        self._retry_timer = self.set_interval(1.0, tick)

    def _stop_countdown(self) -> None:
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None

    @work(exclusive=True, group="header")
    async def load_header(self) -> None:
        """The header strip; a failure here only leaves it short (the metrics say why)."""
        service = self.app.service
        header = self.query_one(ConversationHeader)
        try:
            conv = await service.conversation(self.kind, self.conv_id)
        except errors.ApiError:
            return
        self.conversation = conv
        header.show(self.kind, self.conv_id, conv)
        if self.recorded and conv.title:
            history.set_title(self.kind, self.conv_id, one_line(conv.title))

    @work(exclusive=True, group="definitions")
    async def load_definitions(self) -> None:
        """Definitions tell which metrics are checks (core.verdict), boolean labels and
        scale tops. Optional: without them (a token that may not list them) the tree stands,
        its yes/no metrics marked unknown, and a note says why."""
        try:
            definitions = await self.app.service.all_definitions()
        except errors.ApiError as exc:
            self.notify(
                f"Could not list metric definitions ({exc.summary}): yes/no metrics show ? "
                "(a check or not is unknown)",
                severity="warning",
                markup=False,
            )
            return
        self.definitions = list(definitions)
        if self.groups:
            self.rebuild(select_first=not self.moved)

    def _record(self) -> None:
        self.recorded = True
        title = self.conversation.title if self.conversation else None
        history.record(
            self.kind, self.conv_id, when=now(), title=one_line(title) if title else None
        )
        if history.store.problem:  # a damaged history was set aside, or the disk refused
            self.notify(history.store.problem, severity="warning", timeout=10, markup=False)

    async def _fetch_all(self) -> list[MetricGroup]:
        return await self.app.service.conversation_metrics(
            self.kind,
            self.conv_id,
            status="all",
        )

    # --- the tree -----------------------------------------------------------------------------

    @property
    def metric_tree(self) -> MetricTree:
        return self.query_one(MetricTree)

    def visible_rows(self) -> list[GroupRow]:
        """The rows in view: built once per payload (and definitions), then filtered and
        ordered, which is cheap, as often as the keys ask."""
        groups, definitions = self._rows_source
        if groups is not self.groups or definitions is not self.definitions:
            self._rows = build_rows(self.groups or [], definitions=self.definitions)
            self._rows_source = (self.groups, self.definitions)
        return sort_rows(filter_groups(self._rows, self.filter_text), self.order)

    def rebuild(self, *, select_first: bool = False) -> None:
        """Show the metrics again (after a load, a key, a watch poll) keeping the user's place;
        `select_first` puts the cursor on the first failure instead."""
        tree = self.metric_tree
        place = tree.place()
        rows = self.visible_rows()
        tree.show_rows(rows, flat=self.flat, new_values=self.new_values)
        if select_first:
            focused = self.focus_metric is not None and tree.select_metric(self.focus_metric)
            if not focused and not tree.select_first_failure(self.order):
                tree.restore(place)
        else:
            tree.restore(place)
        self._update_status(rows)
        self._show_selected()

    def _update_status(self, rows: list[GroupRow]) -> None:
        """Counts in the tree's title, the view's modes under it, the filter on its own line."""
        tree = self.metric_tree
        described = totals(rows).describe(passing=True)
        count = f"{len(rows)} metric{'s' if len(rows) != 1 else ''}"
        tree.border_title = f"{count} · {described}" if described else count
        modes = (
            ORDER_WORDS.get(self.order, self.order),
            "flat" if self.flat else "grouped",
            "all statuses" if self.show_all else "successful only",
        )
        tree.border_subtitle = " · ".join(modes)
        status = self.query_one("#metrics-status", Static)
        status.display = bool(self.filter_text)
        if self.filter_text:
            text = Text.assemble(("filter ", "dim"), (one_line(self.filter_text, 30), "bold"))
            if not rows:
                clear = bound_keys(self, ("metrics.back", "clears"))
                text.append("  nothing matches" + "".join(f" · {k} {w}" for k, w in clear))
            status.update(text)

    def _show_selected(self) -> None:
        ref = self.metric_tree.selected
        self.query_one(DetailPane).show(ref)
        self.query_one(SegmentPane).show(ref)
        self._refresh_keys()

    @on(Tree.NodeHighlighted, "#metric-tree")
    def _highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        """The panes follow the cursor once it rests: a held arrow key moves through the tree
        without laying out the panes for every row it passes."""
        event.stop()
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self._show_selected)

    def on_key(self, event: events.Key) -> None:
        # Moving in the tree is taking over the cursor: from then on, reloads and watch
        # updates keep the user's place instead of jumping to the first failure.
        if event.key in MOVE_KEYS and self.focused is self.metric_tree:
            self.moved = True

    def on_click(self) -> None:
        self.moved = True

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
