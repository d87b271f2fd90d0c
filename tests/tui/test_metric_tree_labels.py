"""The metric tree's labels and lines are Textual's Tree's, made with less copying."""

from __future__ import annotations

from typing import Any

from pilot_support import metrics_app, settle
from rich.style import Style
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Tree

from roark_tui.tui.screens.metrics import MetricsScreen
from roark_tui.tui.widgets.metric_tree import MetricTree
from roark_tui.tui.widgets.tree_lines import DrawStyles, tree_line

STYLES = [Style(), Style(bold=True), Style(color="red", bgcolor="blue"), Style(meta={"x": 1})]


async def tree_with_open_metrics(pilot: Pilot[None], count: int) -> MetricTree:
    """The failing chat's tree with its first `count` metrics expanded (values under them)."""
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MetricsScreen)
    tree = screen.metric_tree
    for node in tree.root.children[1 : 1 + count]:
        node.expand()
    await settle(pilot)
    return tree


async def test_labels_and_lines_are_textuals(sandbox_app: Any) -> None:
    app = metrics_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        tree = await tree_with_open_metrics(pilot, 1)  # expanded, its values, collapsed ones
        nodes = [node for node in tree._tree_nodes.values() if node is not tree.root]
        assert any(n.allow_expand and n.is_expanded for n in nodes)
        assert any(n.allow_expand and not n.is_expanded for n in nodes)
        assert any(not n.allow_expand for n in nodes)
        for node in nodes:
            for base in STYLES:
                for style in STYLES:
                    ours = tree.render_label(node, base, style)
                    theirs = Tree.render_label(tree, node, base, style)
                    assert ours.plain == theirs.plain
                    assert ours.spans == theirs.spans
                    assert ours.style == theirs.style
        crop = Region(0, 0, tree.size.width, tree.size.height)
        ours_lines = list(tree.render_lines(crop))
        tree._line_cache.clear()
        tree._styles_cache.clear()
        tree.render_label = lambda n, b, s: Tree.render_label(tree, n, b, s)  # type: ignore[method-assign]
        assert ours_lines == list(tree.render_lines(crop))


async def test_every_line_is_the_line_tree_draws(sandbox_app: Any) -> None:
    """tui/widgets/tree_lines.py against Tree._render_line itself: with the cursor on a metric
    and on a value, focused and not, a hovered line, guides shown (values under a metric)."""
    app = metrics_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        tree = await tree_with_open_metrics(pilot, 3)
        screen = app.screen
        width = tree.size.width
        for cursor, hover, focused in [(0, -1, True), (2, 3, True), (4, -1, False), (1, 1, True)]:
            tree.cursor_line, tree.hover_line = cursor, hover
            if focused:
                tree.focus()
            else:
                screen.set_focus(None)
            await settle(pilot)
            tree._pseudo_class_state = tree.get_pseudo_class_state()
            draw = DrawStyles.of(tree)
            base = tree.rich_style
            for y in range(tree.last_line + 2):
                tree._line_cache.clear()
                ours = tree_line(tree, y, 0, width, base, draw)
                tree._line_cache.clear()
                theirs = Tree._render_line(tree, y, 0, width, base)
                assert list(ours) == list(theirs), (cursor, hover, focused, y)
