"""The metric value tree (#metric-tree): one node per metric, its values created on expand.

It only displays `core.metric_tree` rows. Children are added when a node is expanded, at most
CHUNK at a time (a "more" node adds the next chunk), so a metric with 100k values opens and
moves as fast as one with 10. The user's place (cursor, expanded metrics, scroll) can be taken
and put back around a rebuild, so refresh, re-ordering and watch updates never lose it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Span, Text
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets._tree import TOGGLE_STYLE
from textual.widgets.tree import TreeNode

from roark_tui.core.metric_tree import (
    STATUS_MARKS,
    GroupRow,
    Status,
    ValueRow,
    first_failure,
    value_rows,
    value_status,
)
from roark_tui.core.watch import ValueKey, metric_id, value_key
from roark_tui.tui.widgets.tree_lines import DrawStyles, tree_line

CHUNK = 100
NEW_MARK = "● new"
STATUS_STYLES = {
    Status.FAIL: "bold red",
    Status.ERROR: "bold yellow",
    Status.PASS: "green",
    Status.UNKNOWN: "cyan",
    Status.NA: "dim",
    Status.NEUTRAL: "dim",
}


@dataclass(frozen=True)
class NodeRef:
    """What a node shows: a metric, one of its values, or the "more" node after a chunk."""

    row: GroupRow
    value: ValueRow | None = None
    more_from: int | None = None  # position in the parent's list where the next chunk starts

    @property
    def is_more(self) -> bool:
        return self.more_from is not None

    @property
    def metric(self) -> str:
        return metric_id(self.row.group)

    @property
    def value_key(self) -> ValueKey | None:
        return value_key(self.row.group, self.value.value) if self.value is not None else None


@dataclass
class Place:
    """Where the user is: the node under the cursor, the expanded metrics, the scroll."""

    metric: str | None = None
    value: ValueKey | None = None
    expanded: set[str] = field(default_factory=set)
    scroll_y: float = 0.0


def mark(status: Status) -> Text:
    return Text(STATUS_MARKS[status], style=STATUS_STYLES[status])


def _label(*parts: tuple[str, str]) -> Text:
    """A label from (text, style) parts of cleaned one-line text: one Text with its spans,
    where Text.assemble and append copy and strip every part again, for every row."""
    plain: list[str] = []
    spans: list[Span] = []
    at = 0
    for text, style in parts:
        if style:
            spans.append(Span(at, at + len(text), style))
        plain.append(text)
        at += len(text)
    return Text("".join(plain), spans=spans)


def group_label(row: GroupRow, *, new: bool = False) -> Text:
    """`✘ Greeting check  BOOLEAN  ✘ false  1 failing`."""
    status = row.status
    parts = [(STATUS_MARKS[status], STATUS_STYLES[status]), (" ", ""), (row.name, "bold")]
    kind = " ".join(p for p in (row.output_type, row.unit and f"({row.unit})") if p)
    if kind:
        parts.append((f"  {kind}", "dim"))
    parts.append((f"  {row.summary}", ""))
    rollup = row.rollup.describe()
    if rollup and row.rollup.values > 1:
        parts.append((f"  {rollup}", STATUS_STYLES[status]))
    if new:
        parts.append((f"  {NEW_MARK}", "bold"))
    return _label(*parts)


def value_label(value: ValueRow, *, metric: GroupRow | None = None, new: bool = False) -> Text:
    """`✘ Segment 01:12.4-01:15.0  agent  ✘ false`; in the flat list the metric name first."""
    status = value.status
    parts = [(STATUS_MARKS[status], STATUS_STYLES[status]), (" ", "")]
    if metric is not None:
        parts += [(metric.name, "bold"), (" · ", "")]
    parts.append((value.label, ""))
    if value.role:
        parts.append((f"  {value.role}", "dim"))
    parts.append((f"  {value.text}", ""))
    if new:
        parts.append((f"  {NEW_MARK}", "bold"))
    return _label(*parts)


class MetricTree(Tree[NodeRef]):
    """Metrics and their values; grouped (values under their metric) or flat (every value)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "open_node", "Expand", show=False, id="metrics.expand"),
        Binding("left", "close_node", "Collapse", show=False, id="metrics.collapse"),
    ]

    # Nodes are being added in bulk (see _invalidate); class defaults, as Tree's own __init__
    # already adds the root.
    _adding = False
    _stale = False

    def __init__(self, *, id: str = "metric-tree") -> None:
        super().__init__("metrics", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False
        self.center_scroll = True
        self.rows: list[GroupRow] = []
        self.flat = False
        self.new_values: frozenset[ValueKey] = frozenset()
        self._filled: set[int] = set()  # ids of nodes whose first chunk has been added
        self._line_style = Style()
        self._draw: DrawStyles | None = None

    # --- drawing ------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """Work out the tree's styles once per draw (tui/widgets/tree_lines.py): Textual's Tree
        does it for every line, and each time walks every ancestor's styles."""
        self._line_style = self.rich_style
        self._draw = DrawStyles.of(self)
        try:
            return super().render_lines(crop)
        finally:
            self._draw = None  # a line drawn on its own works its styles out afresh

    def render_label(self, node: TreeNode[NodeRef], base_style: Style, style: Style) -> Text:
        """Tree's label, the same spans in the same order (its expand icon, the label's own,
        then `style` over the label), made without its two copies of the label per line."""
        label = node._label
        if node._allow_expand:
            prefix = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            prefix_style = base_style + TOGGLE_STYLE
        else:
            prefix, prefix_style = "", base_style
        at, end = len(prefix), len(prefix) + len(label)
        spans = [Span(0, at, prefix_style)] if prefix and prefix_style else []
        if label.style and end > at:
            spans.append(Span(at, end, label.style))
        spans.extend(Span(at + span.start, at + span.end, span.style) for span in label.spans)
        if style and end > at:
            spans.append(Span(at, end, style))
        return Text(prefix + label.plain, spans=spans)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        draw = self._draw or DrawStyles.of(self)
        return tree_line(self, y + scroll_y, scroll_x, scroll_x + width, self._line_style, draw)

    # --- building ---------------------------------------------------------------------------

    def _invalidate(self) -> None:
        """Once per bulk of nodes, not once per node: Textual's Tree clears its line caches
        and asks for a layout every time a node is added."""
        if self._adding:
            self._stale = True
            return
        super()._invalidate()

    @contextmanager
    def _bulk(self) -> Iterator[None]:
        self._adding = True
        try:
            yield
        finally:
            self._adding = False
            if self._stale:
                self._stale = False
                super()._invalidate()

    def show_rows(
        self, rows: list[GroupRow], *, flat: bool, new_values: frozenset[ValueKey] = frozenset()
    ) -> None:
        """Replace the tree with `rows` (already ordered and filtered) in one mode."""
        self.rows = rows
        self.flat = flat
        self.new_values = new_values
        self._filled.clear()
        self.clear()
        if flat:
            self._add_flat(self.root, 0)
            return
        with self._bulk():
            for row in rows:
                has_values = bool(row.shown_indexes)
                label = group_label(row, new=bool(new_values) and self._has_new(row))
                self.root.add(label, NodeRef(row), allow_expand=has_values)

    def _has_new(self, row: GroupRow) -> bool:
        group = row.group
        return any(value_key(group, group.values[i]) in self.new_values for i in row.shown_indexes)

    def _flat_items(self, start: int) -> list[tuple[GroupRow, ValueRow]]:
        """Up to CHUNK flat items from position `start`, building value rows only for the
        metrics that reach into that window."""
        items: list[tuple[GroupRow, ValueRow]] = []
        position = 0
        for row in self.rows:
            count = len(row.shown_indexes)
            if position + count <= start:
                position += count
                continue
            skip = max(0, start - position)
            wanted = CHUNK - len(items)
            window = replace(row, value_indexes=tuple(row.shown_indexes[skip : skip + wanted]))
            items.extend((row, value) for value in value_rows(window))
            if len(items) == CHUNK:
                return items
            position += count
        return items

    def _flat_total(self) -> int:
        return sum(len(row.shown_indexes) for row in self.rows)

    def _add_flat(self, parent: TreeNode[NodeRef], start: int) -> None:
        with self._bulk():
            for row, value in self._flat_items(start):
                new = value_key(row.group, value.value) in self.new_values
                parent.add_leaf(value_label(value, metric=row, new=new), NodeRef(row, value))
            self._add_more(parent, None, start + CHUNK, self._flat_total())

    def _add_values(self, node: TreeNode[NodeRef], start: int) -> None:
        ref = node.data
        assert ref is not None
        row = ref.row
        shown = row.shown_indexes
        window = replace(row, value_indexes=tuple(shown[start : start + CHUNK]))
        with self._bulk():
            for value in value_rows(window):  # rows for this chunk only
                new = value_key(row.group, value.value) in self.new_values
                node.add_leaf(value_label(value, new=new), NodeRef(row, value))
            self._add_more(node, row, start + CHUNK, len(shown))

    def _add_more(
        self, parent: TreeNode[NodeRef], row: GroupRow | None, start: int, total: int
    ) -> None:
        if start >= total:
            return
        remaining = total - start
        text = Text(f"… {remaining:,} more (enter shows {min(CHUNK, remaining):,})", "italic")
        anchor = row or (self.rows[0] if self.rows else None)
        if anchor is not None:
            parent.add_leaf(text, NodeRef(anchor, more_from=start))

    def fill(self, node: TreeNode[NodeRef]) -> None:
        """Create a metric node's first chunk of children (once)."""
        if node.id in self._filled or node.data is None or node.data.value is not None:
            return
        self._filled.add(node.id)
        self._add_values(node, 0)

    def show_more(self, node: TreeNode[NodeRef]) -> TreeNode[NodeRef] | None:
        """Replace a "more" node with the next chunk; returns the first node added."""
        ref = node.data
        if ref is None or ref.more_from is None:
            return None
        parent = node.parent or self.root
        before = len(parent.children)
        node.remove()
        if parent is self.root and self.flat:
            self._add_flat(parent, ref.more_from)
        else:
            self._add_values(parent, ref.more_from)
        children = parent.children
        return children[before - 1] if len(children) >= before else None

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeRef]) -> None:
        self.fill(event.node)

    def expand_node(self, node: TreeNode[NodeRef]) -> None:
        self.fill(node)
        node.expand()

    # --- keys -------------------------------------------------------------------------------

    def action_open_node(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and not node.is_expanded:
            self.expand_node(node)
        elif node.is_expanded and node.children:
            self.move_cursor(node.children[0])

    def action_close_node(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def action_select_cursor(self) -> None:
        node = self.cursor_node
        if node is not None and node.data is not None and node.data.is_more:
            first = self.show_more(node)
            if first is not None:
                self.move_cursor(first)
            return
        if node is not None and node.allow_expand:
            if node.is_expanded:
                node.collapse()
            else:
                self.expand_node(node)
            return
        super().action_select_cursor()

    # --- where the user is --------------------------------------------------------------------

    @property
    def selected(self) -> NodeRef | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def place(self) -> Place:
        ref = self.selected
        expanded = {
            child.data.metric
            for child in self.root.children
            if child.is_expanded and child.data is not None
        }
        return Place(
            metric=ref.metric if ref is not None else None,
            value=ref.value_key if ref is not None else None,
            expanded=expanded,
            scroll_y=self.scroll_y,
        )

    def restore(self, place: Place) -> bool:
        """Re-expand the metrics that were open and put the cursor back; False when the node
        it was on is gone (filtered out), in which case the cursor is on the first node."""
        by_metric: dict[str, TreeNode[NodeRef]] = {}
        for child in self.root.children:
            if child.data is not None and not child.data.is_more:
                by_metric.setdefault(child.data.metric, child)
        if not self.flat:
            for metric in place.expanded:
                if metric in by_metric:
                    self.expand_node(by_metric[metric])
        target = self._find(place, by_metric)
        self.scroll_to(y=place.scroll_y, animate=False, immediate=True)
        if target is None:
            self.cursor_line = 0 if self.root.children else -1
            return False
        self.move_cursor(target, animate=False)
        return True

    def _find(
        self, place: Place, by_metric: dict[str, TreeNode[NodeRef]]
    ) -> TreeNode[NodeRef] | None:
        if place.metric is None:
            return None
        if self.flat:
            for child in self.root.children:
                ref = child.data
                if (
                    ref is not None
                    and ref.metric == place.metric
                    and (place.value is None or ref.value_key == place.value)
                ):
                    return child
            return None
        parent = by_metric.get(place.metric)
        if parent is None or place.value is None:
            return parent
        if not parent.is_expanded:  # the cursor was on a value in the flat list: open its metric
            self.expand_node(parent)
        for child in parent.children:
            if child.data is not None and child.data.value_key == place.value:
                return child
        return parent

    def select_first_failure(self, order: str) -> bool:
        """Put the cursor on the first failing check value (else the first error); False when
        there is none, and the cursor goes to the first node."""
        found = first_failure(self.rows, order)
        if found is None:
            self.cursor_line = 0 if self.root.children else -1
            return False
        return self._select_at(*found)

    def select_metric(self, wanted: str) -> bool:
        """Put the cursor on a metric (by definition id or slug): on its first failing value,
        else its first value; False when no row in view is that metric."""
        for position, row in enumerate(self.rows):
            if wanted not in (row.group.metric_definition_id, row.group.key):
                continue
            values = row.group.values
            failing = (
                shown
                for shown, index in enumerate(row.shown_indexes)
                if value_status(values[index], row.kind) is Status.FAIL
            )
            return self._select_at(position, next(failing, 0))
        return False

    def _select_at(self, position: int, shown: int) -> bool:
        if self.flat:
            offset = sum(len(r.shown_indexes) for r in self.rows[:position]) + shown
            node = self._nth_flat(offset)
        else:
            parent = self.root.children[position]
            self.expand_node(parent)
            node = self._nth_child(parent, shown)
        if node is None:
            return False
        self.move_cursor(node, animate=False)
        return True

    def _nth_child(self, parent: TreeNode[NodeRef], n: int) -> TreeNode[NodeRef] | None:
        while n >= len(parent.children) - 1:
            last = parent.children[-1] if parent.children else None
            if last is None or last.data is None or not last.data.is_more:
                break
            self.show_more(last)
        return parent.children[n] if n < len(parent.children) else None

    def _nth_flat(self, n: int) -> TreeNode[NodeRef] | None:
        return self._nth_child(self.root, n)

    def scroll_to_line(self, line: int, animate: bool = True) -> None:
        """Always without animation: an animated scroll (end, home, page keys) redraws the
        whole tree on every frame for a moment, and a key typed meanwhile waits behind them."""
        super().scroll_to_line(line, animate=False)

    def on_resize(self) -> None:
        """A tree made smaller (the terminal resized, a pane zoomed, the filter shown) keeps
        its cursor in view: the detail pane describes that row, and a row the panes describe
        must be seen. Once laid out at the new size, so the scroll reads the new height."""
        if self.cursor_node is not None:
            self.call_after_refresh(self.scroll_to_line, self.cursor_line)

    def get_label_width(self, node: TreeNode[NodeRef]) -> int:
        """Tree's width of a line, without rendering its label: the tree measures every line
        each time a node opens or closes."""
        icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        label = node.label  # always a Text once set (Tree.process_label), typed str | Text
        width = label.cell_len if isinstance(label, Text) else cell_len(label)
        return width + (cell_len(icon) if node.allow_expand else 0)

    def move_cursor(self, node: TreeNode[NodeRef] | None, animate: bool = False) -> None:
        """As Tree's, but nodes added since the last render get their line first, and the
        node is scrolled into view again once the tree has its size (first load)."""
        self._tree_lines  # noqa: B018 - (re)builds the lines, which sets each node's line
        super().move_cursor(node, animate=animate)
        if node is not None:
            self.call_after_refresh(self.scroll_to_node, node, animate=False)
