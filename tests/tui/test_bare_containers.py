"""The bare containers draw exactly what Textual's own draw, one line made and repeated."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from roark_tui.tui.widgets.bare_containers import BareHorizontal, BareVertical

CSS = """
#plain, #bare { height: 10; width: 30; background: $boost; }
.padded { padding: 1 2; border: round red; }
"""


class Pair(App[None]):
    CSS = CSS

    def __init__(self, plain: type[Widget], bare: type[Widget], classes: str) -> None:
        super().__init__()
        self.kinds = (plain, bare)
        self.box_classes = classes

    def compose(self) -> ComposeResult:
        plain, bare = self.kinds
        with plain(id="plain", classes=self.box_classes):
            yield Static("left")
        with bare(id="bare", classes=self.box_classes):
            yield Static("left")


@pytest.mark.parametrize(
    ("plain", "bare"), [(Vertical, BareVertical), (Horizontal, BareHorizontal)]
)
@pytest.mark.parametrize("classes", ["", "padded"])
async def test_bare_lines_are_the_plain_lines(
    plain: type[Widget], bare: type[Widget], classes: str
) -> None:
    app = Pair(plain, bare, classes)
    async with app.run_test(size=(80, 24)):
        one, other = app.query_one("#plain"), app.query_one("#bare")
        assert one.size == other.size and one.size.height > 1
        crop = Region(0, 0, one.size.width, one.size.height)
        assert [s.text for s in other.render_lines(crop)] == [
            s.text for s in one.render_lines(crop)
        ]
        assert list(other.render_lines(crop)) == list(one.render_lines(crop))
        part = Region(3, 2, 10, 4)
        assert list(other.render_lines(part)) == list(one.render_lines(part))
