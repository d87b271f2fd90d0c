"""The run report's "compare with which run?" dialog: a run id or URL, or blank for the plan's
previous run; a reference that is neither is refused in place, not sent."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from roark_tui.core import runs


class RunPrompt(ModalScreen[str | None]):
    """Which run to compare with? Blank: the plan's previous run."""

    DEFAULT_CSS = """
    RunPrompt { align: center middle; }
    RunPrompt > Vertical { width: 70; max-width: 100%; height: auto; padding: 1 2;
        border: round $accent; background: $surface; }
    RunPrompt #run-prompt-error { color: $text-error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="run_prompt.cancel")
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Compare with run (id or URL; blank: the previous run of the plan)")
            yield Input(placeholder="run id or URL", id="run-prompt")
            yield Static(id="run-prompt-error")
            yield Label("enter compares · esc cancels")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.dismiss("")
            return
        try:
            self.dismiss(runs.parse_run_ref(event.value))
        except ValueError as exc:
            self.query_one("#run-prompt-error", Static).update(Text(str(exc)))

    def action_cancel(self) -> None:
        self.dismiss(None)
