"""What a wizard created, as the server has it, and where to go next.

One screen for both wizards: the definition in words (the same rendering as the definitions
browser, a threshold's check in a sentence included), how it is known (a read-back after an
unclear answer says so), and the ways on. A new definition also offers a threshold on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from roark_tui.api import errors, write_once
from roark_tui.api.models import MetricDefinition
from roark_tui.core.describe import ById
from roark_tui.core.safe_text import one_line
from roark_tui.tui.commands import hint_line
from roark_tui.tui.widgets.definition_detail import DefinitionDetail


class CreatedScreen(ModalScreen[str]):
    """Dismissed with the choice: "threshold", "open", "another" or "close"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "choose('threshold')", "Threshold on it", id="created.threshold"),
        Binding("o", "choose('open')", "Open in definitions", id="created.open"),
        Binding("n", "choose('another')", "Another", id="created.another"),
        Binding("escape,enter", "choose('close')", "Close", id="created.close"),
    ]
    DEFAULT_CSS = """
    CreatedScreen { align: center middle; }
    CreatedScreen > Vertical { width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $success; background: $surface; padding: 0 1; }
    CreatedScreen DefinitionDetail { height: auto; max-height: 18; padding: 0; }
    CreatedScreen #created-note { color: $text-muted; }
    """

    def __init__(
        self,
        created: MetricDefinition,
        by_id: ById,
        *,
        title: str,
        note: str = "",
        offers_threshold: bool = False,
    ) -> None:
        """`note`: how it is known, when not from a plain answer; `offers_threshold`: `t`
        opens the threshold wizard on it."""
        super().__init__()
        self.created, self.by_id = created, by_id
        self.heading, self.note = title, note
        self.offers_threshold = offers_threshold

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.heading, style="bold"), id="created-title")
            yield DefinitionDetail(id="created")
            if self.note:
                yield Static(Text(one_line(self.note, 300)), id="created-note")
            hints = [("created.threshold", "create a threshold on it")]
            hints = hints if self.offers_threshold else []
            hints += [
                ("created.open", "open in the definitions browser"),
                ("created.another", "another"),
                ("created.close", "close"),
            ]
            yield Static(hint_line(self, *hints), id="created-keys")

    def on_mount(self) -> None:
        self.query_one(DefinitionDetail).show(self.created, self.by_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters == ("threshold",):
            return self.offers_threshold
        return True

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class SentCreate(Protocol):
    """A wizard whose draft can say a create was sent (both wizards)."""

    @property
    def app(self) -> Any: ...

    _sent: dict[str, Any] | None

    def _status(self, message: str, error: bool = False) -> None: ...

    def _offer_resume(self, saved: dict[str, Any]) -> None: ...


async def find_sent_create(
    wizard: SentCreate,
    saved: dict[str, Any],
    sent: dict[str, Any],
    slug: str,
    matches: Callable[[MetricDefinition], bool],
) -> MetricDefinition | None:
    """The draft says a create was sent and the app stopped before its answer: the server
    decides. Created: it is returned, for the wizard to show, and nothing is sent. Not there:
    the draft is offered again. Unknown: the draft is offered again, and still says it was
    sent. `slug` is the one sent, shortened for the status line."""
    wizard._status(f"A create of {slug} was sent before the app stopped; looking for it…")
    try:
        found = await write_once.find_created(wizard.app.service, str(sent["slug"]), matches)
    except errors.Unconfirmed as exc:
        wizard._sent = sent  # still unknown: the draft keeps saying it was sent
        wizard._status(f"{exc}.", error=True)
        wizard._offer_resume(saved)
        return None
    if found is None:
        wizard._status(
            f"The create of {slug} sent before the app stopped did not reach the server: "
            "review the draft and create it again."
        )
        wizard._offer_resume(saved)
    return found


SENT_BEFORE = "sent before the app stopped, read back now"
