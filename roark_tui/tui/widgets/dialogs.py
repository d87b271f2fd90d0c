"""Modal dialogs shared by the wizards: a yes/no question and the exact request before sending.

Moved here from the threshold wizard so the definition wizard uses the same screens.
All text is rich Text, so names and values from the API stay inert.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from roark_tui.core.safe_text import readable_json
from roark_tui.tui.commands import hint_line


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 60; max-width: 90%; height: auto; border: thick $warning;
        background: $surface; padding: 1 2; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question))
            yield Static(hint_line(self, ("confirm.yes", "yes"), ("confirm.no", "no")))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ReviewScreen(ModalScreen[bool]):
    """The exact request before it is sent. Creating takes its own key: the key that opened
    the review (ctrl+s), or enter, pressed again in a hurry, does not send anything."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "answer(True)", "Create", id="review.create"),
        Binding("escape", "answer(False)", "Back to the form", id="review.back"),
    ]
    DEFAULT_CSS = """
    ReviewScreen { align: center middle; }
    ReviewScreen > Vertical { width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    ReviewScreen #review-body { height: auto; max-height: 20; overflow-y: auto; }
    """

    def __init__(self, path: str, body: dict[str, Any], sentence: str) -> None:
        super().__init__()
        self.path, self.body, self.sentence = path, body, sentence

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Review: this exact request will be sent", style="bold"))
            yield Static(Text(self.sentence, style="italic"))
            yield Static(Text(f"POST {self.path}"), id="review-path")
            yield Static(Text(readable_json(self.body)), id="review-body")
            yield Static(
                hint_line(self, ("review.create", "create"), ("review.back", "back to the form"))
            )

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class TuneChoiceScreen(ModalScreen[str | None]):
    """`t` on an authored yes/no check: edit its definition, or put a threshold on it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "choose('edit')", "Edit it", id="tune_choice.edit"),
        Binding("t", "choose('threshold')", "A threshold on it", id="tune_choice.threshold"),
        Binding("escape", "choose(None)", "Cancel", id="tune_choice.cancel"),
    ]
    DEFAULT_CSS = """
    TuneChoiceScreen { align: center middle; }
    TuneChoiceScreen > Vertical { width: 70; max-width: 100%; height: auto;
        border: thick $primary; background: $surface; padding: 1 2; }
    """

    def __init__(self, name: str, kind: str) -> None:
        super().__init__()
        self.metric_name, self.kind = name, kind

    def compose(self) -> ComposeResult:
        text = Text()
        text.append(f"Tune {self.metric_name}\n", style="bold")
        text.append(
            f"A yes/no check you authored ({self.kind}): change how it is judged, or put a "
            "threshold on it (a check of its own that can be tuned by value)."
        )
        with Vertical():
            yield Static(text)
            yield Static(Text("e edit it · t a threshold on it · esc cancel", style="dim"))

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)
