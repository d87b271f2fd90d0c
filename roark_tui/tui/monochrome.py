"""NO_COLOR without losing what colour carried: greys that keep text apart from its background.

Textual honours NO_COLOR by turning every colour into the grey of its brightness. A mark drawn
in red (a failing check's ✘) becomes a grey barely lighter than the dark panel behind it: the
one thing the user came for disappears. `ReadableMonochrome` greys the same way, then moves a
foreground that was a real colour (it meant something: fail, error, pass) and sits too close to
its background's grey to the far end (light on dark, dark on light). Greys, such as a quiet
border or muted text, stay as Textual makes them, so focus and emphasis read as before.
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import Monochrome, monochrome_style

MIN_CONTRAST = 0.3  # brightness (0..1) between a foreground grey and its background's
MIN_CHROMA = 64  # max - min of r, g, b: below it a colour is a grey (a border, muted text)
LIGHT = Color(224, 224, 224)
DARK = Color(32, 32, 32)


@lru_cache(4096)
def readable_style(style: Style, background: Color) -> Style:
    """`style` in greys, its foreground at least MIN_CONTRAST from its background."""
    grey = monochrome_style(style)
    colour = style.color.triplet if style.color is not None else None
    if colour is None or max(colour) - min(colour) < MIN_CHROMA:
        return grey  # the terminal's own foreground, or a grey that meant no colour
    fg = grey.color.triplet if grey.color is not None else None
    if fg is None:
        return grey
    back = grey.bgcolor.triplet if grey.bgcolor is not None else None
    under = Color(*back) if back is not None else background.monochrome
    if abs(Color(*fg).brightness - under.brightness) >= MIN_CONTRAST:
        return grey
    far = LIGHT if under.brightness < 0.5 else DARK
    return grey + Style(color=far.rich_color)


class ReadableMonochrome(Monochrome):
    """Textual's Monochrome, with every foreground kept readable on its background."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, readable_style(style, background) if style else style, None)
            for text, style, _ in segments
        ]
