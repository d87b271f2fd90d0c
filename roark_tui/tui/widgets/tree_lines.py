"""A line of a Textual Tree, drawn as Tree draws it, with its styles worked out once per draw.

Tree._render_line works out nine component styles and its guide strings again for every line
it draws; a new tree in view (each lookup) draws them all. `DrawStyles` holds them for one
draw, and `tree_line` is Tree's line with them: the same segments, cached under the same key in
Tree's own line cache (tests/tui/test_metric_tree_labels.py compares the two line for line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.style import Style
from rich.text import Text
from textual._segment_tools import line_pad
from textual.strip import Strip
from textual.widgets import Tree

Guides = tuple[str, str, str, str]


@dataclass
class DrawStyles:
    base_hidden: bool
    hover_hidden: bool
    selected_hidden: bool
    base_guide: Style
    guide_hover: Style
    guide_selected: Style
    label: Style
    highlight: Style
    cursor: Style
    highlight_line: Style
    has_focus: bool
    width: int
    pad_width: int
    _guides: dict[tuple[Style, bool], Guides] = field(default_factory=dict)

    @classmethod
    def of(cls, tree: Tree[Any]) -> DrawStyles:
        hidden = {
            name: tree.get_component_styles(f"tree--{name}").color.a == 0
            for name in ("guides", "guides-hover", "guides-selected")
        }
        base_guide = tree.get_component_rich_style("tree--guides", partial=True)
        width = tree.size.width
        return cls(
            base_hidden=hidden["guides"],
            hover_hidden=hidden["guides-hover"],
            selected_hidden=hidden["guides-selected"],
            base_guide=base_guide,
            guide_hover=base_guide
            + tree.get_component_rich_style("tree--guides-hover", partial=True),
            guide_selected=base_guide
            + tree.get_component_rich_style("tree--guides-selected", partial=True),
            label=tree.get_component_rich_style("tree--label", partial=True),
            highlight=tree.get_component_rich_style("tree--highlight", partial=True),
            cursor=tree.get_component_rich_style("tree--cursor", partial=False),
            highlight_line=tree.get_component_rich_style("tree--highlight-line"),
            has_focus=tree.has_focus,
            width=width,
            pad_width=max(tree.virtual_size.width, width),
        )

    def guides(self, tree: Tree[Any], style: Style, hidden: bool) -> Guides:
        """Space, vertical, terminator and cross, as Tree's get_guides makes them."""
        key = (style, hidden)
        found = self._guides.get(key)
        if found is None:
            if tree.show_guides and not hidden:
                lines = tree.LINES["default"]
                if style.bold:
                    lines = tree.LINES["bold"]
                elif style.underline2:
                    lines = tree.LINES["double"]
            else:
                lines = ("  ", "  ", "  ", "  ")
            depth = max(0, tree.guide_depth - 2)
            space, vertical, terminator, cross = (f"{c[0]}{c[1] * depth} " for c in lines)
            found = self._guides[key] = (space, vertical, terminator, cross)
        return found


def tree_line(tree: Tree[Any], y: int, x1: int, x2: int, base: Style, draw: DrawStyles) -> Strip:
    """Tree._render_line, reading the draw's styles from `draw`."""
    tree_lines = tree._tree_lines
    if y >= len(tree_lines):
        return Strip.blank(draw.width, base)
    line = tree_lines[y]
    path = line.path
    is_hover = tree.hover_line >= 0 and any(node._hover for node in path)
    cache_key = (
        y,
        is_hover,
        draw.width,
        tree._updates,
        tree._pseudo_class_state,
        tuple(node._updates for node in path),
    )
    strip = tree._line_cache.get(cache_key)
    if strip is None:
        hover = path[0]._hover
        selected = path[0]._selected and draw.has_focus
        line_style = (draw.highlight_line if is_hover else base) + Style(meta={"line": y})
        guides = Text(style=line_style)
        guide_style = draw.base_guide
        hidden = True
        for node in path[1:]:
            hidden = draw.base_hidden
            if hover:
                guide_style, hidden = draw.guide_hover, draw.hover_hidden
            if selected:
                guide_style, hidden = draw.guide_selected, draw.selected_hidden
            space, vertical, _, _ = draw.guides(tree, guide_style, hidden)
            if node != path[-1]:
                guides.append(space if node.is_last else vertical, style=guide_style)
            hover = hover or node._hover
            selected = (selected or node._selected) and draw.has_focus
        if len(path) > 1:
            _, _, terminator, cross = draw.guides(tree, guide_style, hidden)
            guides.append(terminator if line.last else cross, style=guide_style)
        label_style = draw.label
        if tree.hover_line == y:
            label_style += draw.highlight
        if tree.cursor_line == y:
            label_style += draw.cursor
        label = tree.render_label(path[-1], line_style, label_style).copy()
        label.stylize(Style(meta={"node": line.node._id}))
        guides.append(label)
        segments = list(guides.render(tree.app.console))
        segments = line_pad(segments, 0, draw.pad_width - guides.cell_len, line_style)
        strip = tree._line_cache[cache_key] = Strip(segments)
    return strip.crop(x1, x2)
