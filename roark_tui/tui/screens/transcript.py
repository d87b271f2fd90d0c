"""Transcript context (`T` on the metrics screen): the conversation, with the selected value's
segment or range highlighted and scrolled into view, speakers marked.

Entries are options of an OptionList (#transcript), so only what is on screen is rendered and
arrow keys move between messages. API text is shown literally. The list shows the start of a
long message (an option is measured whole, and one message can be megabytes); `v` or enter opens
the whole of it in a log view, which draws only the lines in sight.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Log, OptionList, Static
from textual.widgets.option_list import Option

from roark_tui.api.errors import ApiError
from roark_tui.api.models import Transcript, TranscriptEntry
from roark_tui.core.formatting import format_offset
from roark_tui.core.safe_text import clean, one_line
from roark_tui.core.transcript_focus import Focus, focused_entries
from roark_tui.tui.clipboard import COPY_HELP, copy_text
from roark_tui.tui.screens.base import RoarkScreen
from roark_tui.tui.widgets.footer import KeysFooter
from roark_tui.tui.widgets.states import State, StatePanel, error_state

MARK = "▌"
CONTEXT_LINES = 2
SPEAKER_STYLES = {"AGENT": "bold cyan", "CUSTOMER": "bold magenta"}
# How much of one message the list shows; the rest is a `v` away.
MESSAGE_CHARS = 2_000
MESSAGE_LINES = 30
PART_SHOWN = "{:,} characters, the start shown: v reads it all"


def speaker(entry: TranscriptEntry, transcript: Transcript) -> str:
    """The entry's role, else the type of its participant, upper case (`AGENT`)."""
    if entry.role:
        return one_line(entry.role).upper()
    for participant in transcript.participants:
        if participant.id and participant.id == entry.participant_id and participant.type:
            return one_line(participant.type).upper()
    return "SPEAKER"


def message_start(text: str) -> tuple[str, int]:
    """The start of a message as the list shows it (cleaned) and how many characters of it are
    left out. Only the start is cleaned, so a message of megabytes costs what is shown."""
    cut = text[:MESSAGE_CHARS]
    lines = cut.split("\n")
    if len(lines) > MESSAGE_LINES:
        cut = "\n".join(lines[:MESSAGE_LINES])
    return clean(cut), len(text) - len(cut)


def whole_lines(text: str, width: int) -> list[str]:
    """A message as the log view's lines: cleaned, and broken every `width` characters (the
    log does not wrap; wide characters may run a line past it, and the log scrolls)."""
    width = max(width, 10)
    return [
        line[start : start + width]
        for line in clean(text).split("\n")
        for start in range(0, max(len(line), 1), width)
    ]


def entry_prompt(entry: TranscriptEntry, who: str, focused: bool) -> Table:
    """`01:12.4  AGENT` over the message text, in a column beside a gutter; a bar in the
    gutter and bold text mark the entries the metric value is about."""
    offset = format_offset(entry.start_offset_ms)
    head = Text.assemble((f"{offset}  " if offset else "", "dim"))
    head.append(who, style=SPEAKER_STYLES.get(who, "bold"))
    if focused:
        head.append("  ◀ marked", style="bold")
    shown, hidden = message_start(entry.text)
    if hidden:
        head.append(f"  {PART_SHOWN.format(len(entry.text))}", style="dim")
    body = Text(shown or "(no text)", style="bold" if focused else "")
    if hidden:
        body.append(f"\n… {hidden:,} more characters", style="dim")
    gutter = Text("\n".join([MARK] * (2 + body.plain.count("\n"))), style="bold yellow")
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(gutter if focused else Text(""), Text.assemble(head, "\n", body))
    return grid


class TranscriptScreen(RoarkScreen[None]):
    """The transcript of a chat or call, the focused entries marked and in view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="transcript.back", tooltip="Back to the metrics"),
        Binding(
            "n",
            "next_focus",
            "Next marked",
            id="transcript.next",
            tooltip="The next entry the metric value is about",
        ),
        Binding(
            "p",
            "previous_focus",
            "Prev marked",
            id="transcript.previous",
            tooltip="The previous entry the metric value is about",
        ),
        Binding(
            "c",
            "copy_entry",
            "Copy message",
            id="transcript.copy",
            tooltip="Copy the highlighted message's text (OSC 52)",
        ),
        Binding(
            "v",
            "read_entry",
            "Whole message",
            id="transcript.read",
            tooltip="The highlighted message in full, in a view of its own",
        ),
        Binding(
            "r",
            "reload",
            "Reload",
            show=False,
            id="transcript.reload",
            tooltip="Load the transcript again",
        ),
    ]
    HELP = (
        "The conversation's transcript. Entries the selected metric value is about are marked "
        "with a bar; n and p jump between them. " + COPY_HELP
    )

    def __init__(
        self,
        kind: str,
        conv_id: str,
        focus: Focus | None = None,
        *,
        title: str | None = None,
        about: str | None = None,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.conv_id = conv_id
        self.focus_on = focus
        self.conv_title = title
        self.about = about
        self.transcript: Transcript | None = None
        self.marked: list[int] = []

    def compose(self) -> ComposeResult:
        heading = Text.assemble(
            ("transcript", "bold reverse"),
            f" {self.kind} ",
            (one_line(self.conv_title or self.conv_id, 80), "bold"),
        )
        if self.focus_on is not None:
            heading.append("\nmarked ", style="dim")
            if self.about:
                heading.append(f"{one_line(self.about)} · ")
            heading.append(self.focus_on.label)
        yield Static(heading, id="transcript-title")
        yield StatePanel(id="transcript-state")
        yield OptionList(id="transcript")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="transcript")
    async def load(self) -> None:
        panel = self.query_one("#transcript-state", StatePanel)
        options = self.query_one("#transcript", OptionList)
        panel.display, options.display = True, False
        panel.show(State(f"Loading the transcript of {self.kind}…", kind="loading"))
        service = self.app.service
        try:
            transcript = await service.transcript(self.kind, self.conv_id)  # type: ignore[arg-type]
        except ApiError as exc:
            panel.show(error_state(exc, self.kind, self.conv_id, tried=self.kind))
            return
        self.transcript = transcript
        self.show(transcript)

    def show(self, transcript: Transcript) -> None:
        panel = self.query_one("#transcript-state", StatePanel)
        options = self.query_one("#transcript", OptionList)
        entries = transcript.entries
        if not entries:
            panel.show(State(f"This {self.kind} has no transcript.", kind="empty"))
            return
        focus = self.focus_on
        self.marked = focused_entries(entries, focus) if focus is not None else []
        marked = set(self.marked)
        options.clear_options()
        options.add_options(
            Option(entry_prompt(entry, speaker(entry, transcript), i in marked), id=str(i))
            for i, entry in enumerate(entries)
        )
        panel.display, options.display = False, True
        options.focus()
        self.refresh_bindings()
        if self.marked:
            self._go_to(self.marked[0])
        elif focus is not None:
            self.notify("The metric's segment was not found in this transcript.")

    def _go_to(self, index: int) -> None:
        options = self.query_one("#transcript", OptionList)
        options.highlighted = index
        self.call_after_refresh(self._scroll_marked_into_view)

    def _scroll_marked_into_view(self) -> None:
        """The highlighted entry near the top, with a little of the one before it above."""
        options = self.query_one("#transcript", OptionList)
        options.scroll_to_highlight(top=True)
        options.scroll_relative(y=-CONTEXT_LINES, animate=False, immediate=True)

    def action_next_focus(self) -> None:
        current = self.query_one("#transcript", OptionList).highlighted
        later = [i for i in self.marked if current is None or i > current]
        if later or self.marked:
            self._go_to((later or self.marked)[0])

    def action_previous_focus(self) -> None:
        current = self.query_one("#transcript", OptionList).highlighted
        earlier = [i for i in self.marked if current is None or i < current]
        if earlier or self.marked:
            self._go_to((earlier or self.marked)[-1])

    def action_copy_entry(self) -> None:
        options = self.query_one("#transcript", OptionList)
        if self.transcript is None or options.highlighted is None:
            return
        entry = self.transcript.entries[options.highlighted]
        where = format_offset(entry.start_offset_ms) or "start"
        copy_text(self.app, entry.text, f"The message at {where}")

    def action_read_entry(self) -> None:
        """The highlighted message in full; the first when none is highlighted yet."""
        options = self.query_one("#transcript", OptionList)
        if self.transcript is None or not self.transcript.entries:
            return
        entry = self.transcript.entries[options.highlighted or 0]
        who = speaker(entry, self.transcript)
        offset = format_offset(entry.start_offset_ms)
        self.app.push_screen(MessageScreen(entry.text, f"{offset}  {who}" if offset else who))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_read_entry()

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.workers.cancel_group(self, "transcript")
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_focus", "previous_focus"):
            return bool(self.marked)
        if action in ("copy_entry", "read_entry"):
            return self.transcript is not None
        return True


class MessageScreen(RoarkScreen[None]):
    """One transcript message in full. A Log draws only the lines in view; the text is cleaned
    and cut into lines in a thread, so a message of megabytes never holds up the screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="message.back", tooltip="Back to the transcript"),
    ]
    HELP = "One message of the transcript, whole; escape goes back."

    def __init__(self, text: str, heading: str) -> None:
        super().__init__()
        self.text = text
        self.heading = heading

    def compose(self) -> ComposeResult:
        title = Text.assemble(("message", "bold reverse"), " ", (self.heading, "bold"))
        title.append(f"  {len(self.text):,} characters", style="dim")
        yield Static(title, id="message-title")
        yield Log(id="message", highlight=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        log = self.query_one("#message", Log)
        log.focus()
        self.call_after_refresh(lambda: self.fill(log.scrollable_content_region.width))

    @work(thread=True, exclusive=True, group="message")
    def fill(self, width: int) -> None:
        lines = whole_lines(self.text, width)
        self.app.call_from_thread(self._show, lines)

    def _show(self, lines: list[str]) -> None:
        if not self.is_attached:  # gone back before the lines were ready
            return
        log = self.query_one("#message", Log)
        log.write_lines(lines, scroll_end=False)
        log.scroll_home(animate=False)

    def action_back(self) -> None:
        self.workers.cancel_group(self, "message")
        self.dismiss()
