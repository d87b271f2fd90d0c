"""The metrics screen's state, layout, loading and tree, under the keys (screens/metrics.py).

Left, the metric value tree (#metric-tree, children built on expand); right, the detail pane
(#detail) and the segment pane (#segment); above, the conversation header. Every request runs
in a worker on `app.service`; each failure becomes a state with the keys that help, and a
failure after data was shown becomes a banner, so the user's place is never lost.
"""

from __future__ import annotations

import gc

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import Input, Static, Tree

from roark_tui.api import errors
from roark_tui.api.models import Call, Chat, MetricDefinition, MetricGroup
from roark_tui.core.arrival import still_arriving
from roark_tui.core.formatting import now
from roark_tui.core.metric_tree import (
    DEFAULT_ORDER,
    GroupRow,
    build_rows,
    filter_groups,
    sort_rows,
    totals,
)
from roark_tui.core.safe_text import one_line
from roark_tui.core.watch import ValueKey
from roark_tui.state import history
from roark_tui.tui.commands import bound_keys
from roark_tui.tui.rescore import RescoreController, RescoreStatus
from roark_tui.tui.screens.base import RoarkScreen
from roark_tui.tui.screens.metrics_keys import MOVE_KEYS
from roark_tui.tui.watch import WatchController, WatchStatus
from roark_tui.tui.widgets.bare_containers import BareHorizontal, BareVertical
from roark_tui.tui.widgets.conversation_header import ConversationHeader
from roark_tui.tui.widgets.detail_pane import DetailPane
from roark_tui.tui.widgets.footer import KeysFooter
from roark_tui.tui.widgets.metric_tree import MetricTree, NodeRef
from roark_tui.tui.widgets.segment_pane import SegmentPane
from roark_tui.tui.widgets.states import (
    OTHER_KIND,
    ConversationKind,
    State,
    StatePanel,
    empty_state,
    error_state,
    loading_state,
)

LARGE_PAYLOAD = 20_000  # values
DETAIL_DELAY = 0.04
ORDER_WORDS = {"failures": "failures first", "name": "by name", "type": "by type"}


class MetricsView(RoarkScreen[None]):
    """One conversation's metric values shown and kept up to date; the keys are the subclass's."""

    AUTO_FOCUS = "#metric-tree"

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
        self.reopen: set[str] = set()  # metrics open before the flat list (action_toggle_flat)
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
        self.shown = False  # the metrics have been shown once (the cursor then went to a failure)
        self.recorded = False  # the lookup is in the history
        self.watcher = WatchController(self, self._fetch_all)
        self.rescore = RescoreController(self, lambda: self.app.service, self._fetch_all)
        self._filter_timer: Timer | None = None
        self._detail_timer: Timer | None = None
        self._rows: list[GroupRow] = []
        self._rows_source: tuple[object, object] = (None, None)
        self._retry_timer: Timer | None = None
        self._retry_left = 0
        self._keys: tuple[bool, ...] = ()
        self._check_definitions = False  # judging with the session's known ones: check them
        self._header_waits = False  # the conversation came before its metrics (load_header)

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ConversationHeader(self.kind, self.conv_id)
        yield Static(id="banner")
        with BareHorizontal(id="metrics-body"):
            with BareVertical(id="tree-column"):
                yield Input(placeholder="filter: name, slug or value text", id="filter")
                yield MetricTree()
                yield Static(id="metrics-status")
                yield WatchStatus(self.watcher)
                yield RescoreStatus()
            with BareVertical(id="detail-column"):
                yield DetailPane()
                yield SegmentPane()
        yield StatePanel()
        yield KeysFooter()

    def on_mount(self) -> None:
        self._show_state(loading_state(self.kind, self.conv_id))
        self.call_after_refresh(self._first_load)

    def _first_load(self) -> None:
        """After the first frame: the service (and its imports) may cost a moment. The first
        failure is chosen knowing every check: with the definitions this session last listed
        (checked against a fresh list once the metrics are shown), else with a list loaded
        alongside the metrics, judging meanwhile with the copy kept from an earlier run."""
        known = self.app.known_definitions
        self.load_metrics()
        self.load_header()
        if known is None:
            self.load_definitions(kept=True)
        else:
            self.definitions = known
            self._check_definitions = True

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
            if self._header_waits:
                self._show_header()
        if sum(len(group.values) for group in groups) >= LARGE_PAYLOAD:
            # The parse kept the collector out; its first full pass over a payload this size
            # is long enough to feel. Run it now, as part of the load, instead of letting it fall
            # on whichever key happens to allocate next (it then stays away: the next full
            # pass waits for a quarter as many new objects to survive).
            gc.collect()
        self.groups = groups
        first = not self.shown
        self._show_state(None if groups else empty_state(self.kind, self.show_all))
        self.rebuild(select_first=first or not self.moved)
        if self._check_definitions:  # in the background, once the answer is drawn
            self._check_definitions = False
            self.call_after_refresh(self.load_definitions)
        if announce:
            self.notify(f"Reloaded: {len(groups)} metrics", timeout=2)
        if first:
            self.shown = True
            self.metric_tree.focus()
            self.call_after_refresh(self._record)  # a write to disk: once the answer is drawn

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
        try:
            conv = await self.app.service.conversation(self.kind, self.conv_id)
        except errors.ApiError:
            return
        self.conversation = conv
        if self.fetching and self.groups is None:
            # The header grows by a line or two: shown with the metrics, the screen is laid
            # out and drawn once, and the tree does not jump after it has been seen.
            self._header_waits = True
            return
        self._show_header()

    def _show_header(self) -> None:
        self._header_waits = False
        conv = self.conversation
        self.query_one(ConversationHeader).show(self.kind, self.conv_id, conv)
        self.show_arrival()
        if self.recorded and conv is not None and conv.title:
            history.set_title(self.kind, self.conv_id, one_line(conv.title))

    @work(exclusive=True, group="definitions")
    async def load_definitions(self, *, kept: bool = False) -> None:
        """Definitions tell which metrics are checks (core.verdict), boolean labels and
        scale tops. `kept`: until the fresh list is in, judge with the copy kept from an
        earlier run (state/kept_definitions.py). Optional: without any (a token that may not
        list them) the tree stands, its yes/no metrics marked unknown, and a note says why."""
        if kept:
            copy = await self.app.kept_definitions()
            if copy and not self.definitions:
                self._judge_with(copy)
        try:
            definitions = await self.app.service.all_definitions()
        except errors.ApiError as exc:
            meanwhile = (
                "judged with the list known before"
                if self.definitions
                else "yes/no metrics show ? (a check or not is unknown)"
            )
            self.notify(
                f"Could not list metric definitions ({exc.summary}): {meanwhile}",
                severity="warning",
                markup=False,
            )
            return
        self.app.keep_definitions(definitions)
        if definitions != self.definitions:
            self._judge_with(definitions)

    def _judge_with(self, definitions: list[MetricDefinition]) -> None:
        self.definitions = definitions
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

    def all_rows(self) -> list[GroupRow]:
        """Every metric as a row: built once per payload (and definitions)."""
        groups, definitions = self._rows_source
        if groups is not self.groups or definitions is not self.definitions:
            self._rows = build_rows(self.groups or [], definitions=self.definitions)
            self._rows_source = (self.groups, self.definitions)
        return self._rows

    def visible_rows(self) -> list[GroupRow]:
        """The rows in view: filtered and ordered, which is cheap, as often as the keys ask."""
        return sort_rows(filter_groups(self.all_rows(), self.filter_text), self.order)

    def rebuild(self, *, select_first: bool = False) -> None:
        """Show the metrics again (after a load, a key, a watch poll) keeping the user's place;
        `select_first` puts the cursor on the first failure instead."""
        tree = self.metric_tree
        place = tree.place()
        if not self.flat and self.reopen:
            place.expanded |= self.reopen
            self.reopen = set()
        rows = self.visible_rows()
        tree.show_rows(rows, flat=self.flat, new_values=self.new_values)
        if select_first:
            focused = self.focus_metric is not None and tree.select_metric(self.focus_metric)
            if not focused and not tree.select_first_failure(self.order):
                tree.restore(place)
        else:
            tree.restore(place)
        self._update_status(rows)
        self.show_arrival()
        self._show_selected()

    def show_arrival(self) -> None:
        """Say on the header when more metrics may be coming, and which key watches them."""
        header = self.query_one(ConversationHeader)
        if self.groups is None:
            header.show_note(None)
            return
        watching = self.watcher.watching and self.watcher.state is not None
        reason = still_arriving(
            self.conversation,
            self.all_rows(),
            self.definitions,
            self.watcher.state.pending if watching and self.watcher.state else (),
            now(),
            all_statuses=self.show_all,
        )
        if reason is None:
            header.show_note(None)
            return
        note = Text.assemble((reason, "bold"))
        if watching:
            note.append("  · watching", style="dim")
        else:
            offer = bound_keys(self, ("metrics.watch", "watch for more"))
            note.append("".join(f"  · {key} {words}" for key, words in offer), style="dim")
        header.show_note(note)

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
