"""`?`: the keys of the screen underneath, read from its live bindings (never a hand-kept list).

A screen may describe itself in a `HELP` class attribute (plain text); it is shown first.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from roark_tui.tui.commands import binding_owner, hint_line, key_label, screen_bindings

SECTIONS = {0: "This screen", 1: "Everywhere", 2: "In the focused widget"}

# What each screen is called in help's title, where it does not say (its `title`, when set,
# is more exact: "Tune Caller verified", "Chats"). A test checks every screen is here.
SCREEN_NAMES = {
    "LookupScreen": "Open a conversation",
    "MetricsScreen": "A conversation's metrics",
    "TranscriptScreen": "The transcript",
    "MessageScreen": "One message, whole",
    "BrowserScreen": "Conversations",
    "DefinitionsScreen": "Metric definitions",
    "DefinitionWizardScreen": "New metric definition",
    "DefinitionEditScreen": "Edit a definition",
    "EditReviewScreen": "Review the edit",
    "ThresholdWizardScreen": "New threshold",
    "CreatedScreen": "Created",
    "RunsScreen": "Simulation runs",
    "RunReportScreen": "Simulation run",
    "RunPrompt": "Open a run",
    "ExpectPrompt": "Watch",
    "RescoreConfirm": "Re-score",
    "ProjectPicker": "Projects",
    "CommandBar": "The command line",
    "ConfirmScreen": "Confirm",
    "ReviewScreen": "Review",
    "TuneChoiceScreen": "Tune a check",
    "HelpScreen": "Help",
}


def screen_name(screen: Screen[object]) -> str:
    """A human name for `screen`: its own title, else its name here, else its class's words."""
    own = screen.title
    if own and own != screen.app.title:
        return own
    name = type(screen).__name__
    if name in SCREEN_NAMES:
        return SCREEN_NAMES[name]
    words = "".join(f" {c}" if c.isupper() and i else c for i, c in enumerate(name))
    return words.removesuffix(" Screen").capitalize()


KEY_WIDTH = 9


def bindings_table(screen: Screen[object]) -> Group:
    """Key, name and what it does, for every described binding active on `screen`, in
    sections: the screen's own, the app's, the focused widget's."""
    sections: dict[int, Table] = {}
    for active in screen_bindings(screen):
        owner = binding_owner(active, screen)
        table = sections.get(owner)
        if table is None:
            table = sections[owner] = Table.grid(padding=(0, 2))
            table.add_column(style="bold", no_wrap=True, min_width=KEY_WIDTH)
            table.add_column(no_wrap=True)
            table.add_column(style="dim")
        binding = active.binding
        table.add_row(
            Text(key_label(active, screen)), Text(binding.description), Text(binding.tooltip)
        )
    parts: list[RenderableType] = []
    for owner, table in sections.items():
        if parts:
            parts.append(Text())
        parts += [Text(SECTIONS[owner], style="bold underline"), table]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """The keys of one screen, and what the screen is for."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", key_display="esc", id="help.close"),
    ]

    def __init__(self, title: str, about: str, table: Group) -> None:
        super().__init__()
        self.title_text = title
        self.about = about
        self.table = table

    @classmethod
    def for_screen(cls, screen: Screen[object]) -> HelpScreen:
        about = getattr(screen, "HELP", None) or ""
        title = f"{screen_name(screen)}: keys"
        return cls(title, about if isinstance(about, str) else "", bindings_table(screen))

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Label(self.title_text, classes="section-title")
            with VerticalScroll(id="help-body"):
                if self.about:
                    yield Static(Text(self.about), id="help-about")
                yield Static(self.table, id="help-keys")
            yield Label(hint_line(self, ("help.close", "closes")), classes="hint")
