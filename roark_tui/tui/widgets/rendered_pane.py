"""A scrolling pane that shows one Rich renderable, rendered to lines once per content and size.

The detail and segment panes were a Static in a VerticalScroll. Each update then measured the
content (rendering it), laid out the screen, drew it (rendering it again) and, as the Static's
size had changed, laid out and drew the screen a second time. Here the lines are rendered when
the content or the pane's size changes, the pane's own size never depends on them, and an update
is one layout (the new scrollable height) and one draw of lines already made.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.style import Style
from textual.events import Resize
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class RenderedPane(ScrollView, can_focus=True):
    """Shows `content`, wrapped to the pane's width; scrolls vertically when it is longer."""

    DEFAULT_CSS = """
    RenderedPane { overflow-x: hidden; overflow-y: auto; }
    """

    def __init__(self, content: RenderableType, *, id: str) -> None:
        super().__init__(id=id)
        self.content = content
        self._lines: list[Strip] = []
        self._rendered_for: tuple[int, int] | None = None  # (width, height) of the lines
        self._line_style = Style()

    def show_content(self, content: RenderableType) -> None:
        """Show `content` from its top."""
        self.content = content
        self._rendered_for = None
        self._render_content()
        self.scroll_home(animate=False)

    def on_resize(self, event: Resize) -> None:
        self._render_content()

    def notify_style_update(self) -> None:
        """The lines carry the pane's colours: render them again when those change (theme)."""
        super().notify_style_update()
        self._rendered_for = None
        self._render_content()

    def _render_content(self) -> None:
        """Render the lines at the width they will have: the pane's content width, less the
        scrollbar's when they are more than its height."""
        width, height = self.size  # inside border and padding, scrollbar included
        if width <= 0 or self._rendered_for == (width, height):
            return
        self._rendered_for = (width, height)
        lines = self._render_at(width)
        scrollbar = self.styles.scrollbar_size_vertical
        if len(lines) > height and width > scrollbar:
            width -= scrollbar
            lines = self._render_at(width)
        self._lines = lines
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def _render_at(self, width: int) -> list[Strip]:
        console = self.app.console
        options = console.options.update_width(width)
        lines = console.render_lines(self.content, options, style=self.rich_style)
        return [Strip(line, width) for line in lines]

    def render_lines(self, crop: Region) -> list[Strip]:
        """The pane's style once per draw, not per line (each works it out from every
        ancestor)."""
        self._line_style = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        if index < len(self._lines):
            return self._lines[index].crop_extend(0, width, self._line_style)
        return Strip.blank(width, self._line_style)
