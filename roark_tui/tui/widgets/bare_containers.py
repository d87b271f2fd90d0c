"""Containers that draw their background once per frame, not once per line.

Textual draws the whole region of every widget in view, a container's included, even where
its children cover all of it; each line of it is a style worked out and a strip made, then
thrown away. The lines of a container without border or padding are all the same blank line:
these draw one and repeat it. With a border or padding they draw as any container does.
"""

from __future__ import annotations

from textual.containers import Horizontal, Vertical
from textual.geometry import Region, Spacing
from textual.strip import Strip
from textual.widget import Widget

NO_GUTTER = Spacing(0, 0, 0, 0)


class _OneLineDrawn(Widget):
    def render_lines(self, crop: Region) -> list[Strip]:
        if crop.height <= 1 or self.styles.gutter != NO_GUTTER:
            return super().render_lines(crop)
        return super().render_lines(Region(crop.x, crop.y, crop.width, 1)) * crop.height


class BareHorizontal(Horizontal, _OneLineDrawn):  # Horizontal first: its CSS is inherited
    pass


class BareVertical(Vertical, _OneLineDrawn):
    pass
