"""The metric tree's labels and lines are Textual's Tree's, made with less copying."""

from __future__ import annotations

from typing import Any

from pilot_support import metrics_app, settle
from rich.style import Style
from textual.geometry import Region
from textual.widgets import Tree

from roark_tui.tui.screens.metrics import MetricsScreen

STYLES = [Style(), Style(bold=True), Style(color="red", bgcolor="blue"), Style(meta={"x": 1})]


async def test_labels_and_lines_are_textuals(sandbox_app: Any) -> None:
    app = metrics_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        tree = screen.metric_tree
        tree.root.children[1].expand()  # an expanded metric, its values, a collapsed one
        await settle(pilot)
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
