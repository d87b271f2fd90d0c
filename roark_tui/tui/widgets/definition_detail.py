"""A metric definition in words: name, handles, then what it measures (core.describe).

Everything shown comes from the API, so every string is cleaned (core.safe_text) and put into
rich Text; markup and escape sequences inside names or prompts stay inert.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from roark_tui.api.models import MetricDefinition
from roark_tui.core.describe import ById, definition_in_words
from roark_tui.core.safe_text import clean, one_line

HEADING_WIDTH = 12


def render_definition(
    definition: MetricDefinition, by_id: ById, asked: Mapping[str, Any] | None = None
) -> Group:
    """The definition as a heading and a two-column grid of (what, how); `asked` is a draft's
    create body (see core.describe)."""
    title = Text(one_line(definition.name or definition.key), style="bold")
    parts: list[Text | Table] = [title]
    ids = [f"slug {one_line(definition.key)}"]
    if definition.id:  # a draft in review has none yet
        ids.append(f"id {one_line(definition.id)}")
    if definition.version_id:  # an edit makes a new version
        ids.append(f"version {one_line(definition.version_id)[:8]}")
    parts.append(Text("   ".join(ids), style="dim"))
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(style="bold", no_wrap=True, width=HEADING_WIDTH)
    grid.add_column(ratio=1, overflow="fold")
    for heading, text in definition_in_words(definition, by_id, asked):
        if heading:
            grid.add_row(Text(heading), Text(clean(text)))
        else:  # the description: a paragraph of its own
            parts.append(Text(clean(text), style="italic"))
    parts.append(grid)
    return Group(*parts)


class DefinitionDetail(VerticalScroll, can_focus=True):
    """A scrollable pane showing one definition, or a message when there is none."""

    DEFAULT_CSS = """
    DefinitionDetail { padding: 0 1; }
    DefinitionDetail > Static { width: 100%; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="definition-text")

    def show(self, definition: MetricDefinition, by_id: ById) -> None:
        self.query_one("#definition-text", Static).update(render_definition(definition, by_id))

    def show_message(self, message: str) -> None:
        self.query_one("#definition-text", Static).update(Text(message, style="dim"))
