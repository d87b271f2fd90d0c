"""The lookup screen: where a conversation is named (id or dashboard URL) and opened.

Below the input, the last lookups (`state.history`, no network) and the latest chats and
calls from the API (loaded in a worker once the screen is first shown). What is typed is checked
by `core.conversation_ref.parse_ref` before anything is sent: an id that cannot be valid gets an
inline message and no request.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from roark_tui.core.conversation_ref import parse_ref
from roark_tui.core.safe_text import one_line
from roark_tui.state import history
from roark_tui.tui.screens.base import RoarkScreen
from roark_tui.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from roark_tui.core.browse import Kind

KIND_MODES = ("auto", "chat", "call")
KIND_HINTS = {
    "auto": "auto: tried as a chat, then as a call",
    "chat": "chat",
    "call": "call",
}
LATEST_LIMIT = 10
RECENT, LATEST = "#recent-lookups", "#latest-conversations"  # the two lists


def option_id(kind: str, conv_id: str) -> str:
    return f"{kind}:{conv_id}"


def split_option_id(value: str) -> tuple[str, str]:
    kind, _, conv_id = value.partition(":")
    return kind, conv_id


WHEN_WIDTH = 10  # "59 min ago"
VERDICT_MARK_WIDTH = 4  # "✘ 12"


def conversation_row(kind: str, title: str | None, when: str, verdict: Text | None) -> Table:
    """One row of a conversation list: kind, its verdict (tui/widgets/verdicts.py), title (API
    text, made safe, cut to fit) and when; one line whatever the width, its columns at the same
    place on every row. (How long it lasted is the browser's: here the title needs the room.)"""
    row = Table.grid(padding=(0, 1), expand=True)
    row.add_column(width=4, no_wrap=True)
    row.add_column(width=VERDICT_MARK_WIDTH, no_wrap=True)
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    row.add_column(width=WHEN_WIDTH, no_wrap=True, style="dim", justify="right")
    cells = [Text(kind, style="bold" if kind == "chat" else "italic"), verdict or Text("")]
    row.add_row(*cells, Text(one_line(title or "(untitled)")), Text(when))
    return row


class LookupScreen(RoarkScreen[None]):
    """Type or paste a chat or call id (or a dashboard URL); enter opens its metrics."""

    AUTO_FOCUS = "#lookup-input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+t",
            "cycle_kind",
            "Chat/call",
            id="lookup.kind",
            tooltip="What the id is: auto (a chat, else a call), chat or call",
        ),
        Binding(
            "d",
            "definitions",
            "Definitions",
            id="lookup.definitions",
            tooltip="Browse the project's metric definitions",
        ),
        Binding(
            "u",
            "runs",
            "Runs",
            id="lookup.runs",
            tooltip="Recent simulation runs with Roark's verdict",
        ),
        Binding(
            "slash",
            "focus_input",
            "Find",
            key_display="/",
            id="lookup.find",
            tooltip="Back to the id input",
        ),
        Binding(
            "escape,down",
            "leave_input",
            "Lists",
            show=False,
            id="lookup.lists",
            tooltip="From the input to the lists below it",
        ),
        Binding(
            "b",
            "browse",
            "Browse",
            id="lookup.browse",
            tooltip="Calls (tab: chats), newest first, each with its verdict",
        ),
        Binding(
            "r",
            "reload",
            "Reload",
            id="lookup.reload",
            tooltip="Load the latest conversations again",
        ),
    ]
    HELP = (
        "Paste a chat or call id, or a Roark dashboard URL, and press enter. In auto mode an "
        "id is tried as a chat first, then as a call. ctrl+t switches between auto, chat and "
        "call. The lists below show your last lookups and the latest conversations, each with its "
        "verdict (✘ 2: two checks failed, ✔ all passed, ! one errored, … loading); arrow keys "
        "and enter open one. b browses every call (tab: chats) with filters. A line starting "
        "with : is a command, here as in the command bar (:calls, :runs, :chat <id>…)."
    )

    def __init__(self, *, covered: bool = False) -> None:
        """`covered`: the app starts on another screen above this one, so the first resume
        (which happens under it) must not fill the lists while that screen loads."""
        super().__init__()
        self.kind_mode = "auto"
        self._latest_loaded = False
        self._covered = covered
        # What each listed conversation's row says, by list and option id, so its verdict
        # can be written in when it arrives: (kind, title, when).
        self._rows: dict[tuple[str, str], tuple[str, str | None, str]] = {}
        self._verdicts: dict[str, Any] = {}  # RowVerdict by option id, faults too

    def compose(self) -> ComposeResult:
        with Vertical(id="lookup-form"):
            yield Label("Open a conversation", id="lookup-title")
            yield Input(
                placeholder="chat or call id, or a Roark dashboard URL",
                id="lookup-input",
                select_on_focus=False,
            )
            yield Static(self._kind_text(), id="lookup-message")
        with Horizontal(id="lookup-lists"):
            with Vertical(classes="lookup-column"):
                yield Label("Recent lookups", classes="section-title")
                yield OptionList(id="recent-lookups")
            with Vertical(classes="lookup-column"):
                yield Label("Latest conversations", classes="section-title")
                yield OptionList(id="latest-conversations")
        yield KeysFooter()

    def on_screen_resume(self) -> None:
        """Refresh the history each time we come back; load the API's list the first time
        the screen is really shown (not when the app starts on another screen above it).
        Both after a frame: the formatting they need imports the API models (pydantic),
        which the first frame should not wait for."""
        if self._covered:
            self._covered = False
            return
        self.call_after_refresh(self.show_history)
        self.call_after_refresh(self._load_latest_once)

    def _load_latest_once(self) -> None:
        if not self._latest_loaded:
            self._latest_loaded = True
            self.load_latest()

    # --- the input ------------------------------------------------------------------------------

    def _kind_text(self, error: str | None = None) -> Text:
        if error:
            return Text(error, style="bold")
        return Text.assemble(
            ("kind ", "dim"),
            (KIND_HINTS[self.kind_mode], "bold"),
            ("   ctrl+t changes · f1 help", "dim"),
        )

    def _message(self, error: str | None = None) -> None:
        message = self.query_one("#lookup-message", Static)
        message.set_class(error is not None, "-error")
        message.update(self._kind_text(error))

    @on(Input.Changed, "#lookup-input")
    def _typing(self) -> None:
        self._message()

    @on(Input.Submitted, "#lookup-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.lstrip().startswith(":"):  # no id starts so: a `:` command typed here
            from roark_tui.core.command_line import parse

            try:
                command = parse(event.value)
            except ValueError as exc:
                self._message(str(exc))
                return
            self._message()
            self.app.run_command(command)
            return
        try:
            told, conv_id = parse_ref(event.value)
        except ValueError as exc:
            self._message(str(exc))
            return
        self._message()
        if told is not None:
            self.app.open_conversation(told, conv_id)
        elif self.kind_mode == "auto":
            self.app.open_conversation("chat", conv_id, detect=True)
        else:
            self.app.open_conversation(self.kind_mode, conv_id)

    def action_cycle_kind(self) -> None:
        index = KIND_MODES.index(self.kind_mode)
        self.kind_mode = KIND_MODES[(index + 1) % len(KIND_MODES)]
        self._message()

    def action_focus_input(self) -> None:
        self.query_one("#lookup-input", Input).focus()

    def action_leave_input(self) -> None:
        """From the input to the first list with something in it."""
        if not isinstance(self.focused, Input):
            return
        for list_id in ("#recent-lookups", "#latest-conversations"):
            options = self.query_one(list_id, OptionList)
            if options.option_count and not options.get_option_at_index(0).disabled:
                options.focus()
                return

    def action_definitions(self) -> None:
        self.app.open_definitions()

    def action_browse(self) -> None:
        self.app.open_browser("call")

    def action_runs(self) -> None:
        self.app.open_runs()

    def action_reload(self) -> None:
        self.show_history()
        self.load_latest()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Letters belong to the input while it has focus.
        letters = ("definitions", "runs", "reload", "browse")
        return not (action in letters and isinstance(self.focused, Input))

    # --- the lists ------------------------------------------------------------------------------

    def show_history(self) -> None:
        from roark_tui.core.formatting import format_relative, now

        options = self.query_one("#recent-lookups", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        entries = history.load()
        if history.store.problem:
            self.notify(history.store.problem, severity="warning", timeout=10, markup=False)
        if not entries:
            options.add_option(Option(Text("Nothing opened yet", style="dim"), disabled=True))
            return
        moment = now()
        for entry in entries:
            opened = entry.opened
            when = format_relative(opened, moment) if opened else ""
            key = option_id(entry.kind, entry.id)
            self._rows[RECENT, key] = (entry.kind, entry.title or entry.id, when)
            options.add_option(Option(self._row(RECENT, key), id=key))
        if highlighted is not None:
            options.highlighted = min(highlighted, options.option_count - 1)
        self.load_verdicts([(e.kind, e.id) for e in entries])

    @work(exclusive=True, group="latest")
    async def load_latest(self) -> None:
        """The latest chats and calls, newest first (two requests at once)."""
        from roark_tui.api.errors import ApiError
        from roark_tui.core.formatting import format_relative, now, parse_timestamp

        options = self.query_one("#latest-conversations", OptionList)
        options.clear_options()
        options.add_option(Option(Text("Loading…", style="dim"), disabled=True))
        service = await self.app.service_ready()
        chats, calls = await asyncio.gather(
            service.list_chats(limit=LATEST_LIMIT),
            service.list_calls(limit=LATEST_LIMIT),
            return_exceptions=True,
        )
        rows: list[tuple[float, Option]] = []
        problems: list[str] = []
        moment = now()
        for kind, page in (("chat", chats), ("call", calls)):
            if isinstance(page, ApiError):
                problems.append(f"{kind}s: {page}")
                continue
            if isinstance(page, BaseException):
                raise page
            for conv in page.data:
                started = parse_timestamp(conv.started)
                when = format_relative(started, moment) if started else ""
                key = option_id(kind, conv.id)
                self._rows[LATEST, key] = (kind, conv.title or conv.id, when)
                rows.append(
                    (
                        started.timestamp() if started else 0.0,
                        Option(self._row(LATEST, key), id=key),
                    )
                )
        rows.sort(key=lambda pair: pair[0], reverse=True)
        options.clear_options()
        for problem in problems:
            options.add_option(Option(Text(one_line(problem), style="red"), disabled=True))
        options.add_options(option for _, option in rows)
        if not rows and not problems:
            options.add_option(Option(Text("No conversations yet", style="dim"), disabled=True))
        self.load_verdicts([split_option_id(option.id) for _, option in rows if option.id])

    def _row(self, list_id: str, key: str) -> Table:
        """The row of a listed conversation, with its verdict as far as it is known."""
        from roark_tui.tui.widgets.verdicts import verdict_mark

        kind, title, when = self._rows[list_id, key]
        verdict = verdict_mark(self._verdicts.get(key))
        return conversation_row(kind, title, when, verdict)

    @work(group="lookup-verdicts", exit_on_error=False)
    async def load_verdicts(self, conversations: list[tuple[str, str]]) -> None:
        """Each listed conversation's verdict, written into its row as it arrives (the
        session's VerdictLoader: a few at a time, each fetched once)."""
        await self.app.service_ready()
        loader = self.app.verdicts

        async def one_kind(kind: Kind) -> None:
            ids = [conv_id for k, conv_id in conversations if k == kind]
            async for conv_id, verdict in loader.stream(kind, ids):
                key = option_id(kind, conv_id)
                self._verdicts[key] = verdict
                for list_id in (RECENT, LATEST):
                    if (list_id, key) in self._rows:
                        with contextlib.suppress(OptionDoesNotExist):
                            self.query_one(list_id, OptionList).replace_option_prompt(
                                key, self._row(list_id, key)
                            )

        await asyncio.gather(one_kind("chat"), one_kind("call"))

    @on(OptionList.OptionSelected)
    def _open_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id:
            kind, conv_id = split_option_id(event.option_id)
            self.app.open_conversation(kind, conv_id)
