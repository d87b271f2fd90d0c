"""The `:` command bar: one line at the bottom of any screen, as in k9s.

Type a command (core/command_line.py): the rest of the first match shows greyed in the input,
tab (or →) takes it, the line below lists what matches and what each does, enter runs it, esc
leaves. A line that cannot be read says why under the input and stays, so it can be fixed.
`:chat ` and `:call ` complete the ids of earlier lookups of that kind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from roark_tui.core.command_line import COMMANDS, Command, CommandSpec, complete, parse


class CommandSuggester(Suggester):
    """The first completion of what is typed (the input shows its rest greyed)."""

    def __init__(self, commands: Sequence[CommandSpec], ids: Callable[[str], list[str]]):
        super().__init__(use_cache=False, case_sensitive=True)
        self.commands = commands
        self.ids = ids

    def completions(self, value: str) -> list[str]:
        word = value.lstrip().removeprefix(":").partition(" ")[0]
        return complete(value, self.commands, self.ids(word))

    async def get_suggestion(self, value: str) -> str | None:
        found = self.completions(value)
        return found[0] if found and found[0] != value else None


class CommandBar(ModalScreen[Command | None]):
    """Reads one command; dismisses with it (None on esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", show=False, id="command_bar.close"),
        Binding(
            "tab",
            "take_completion",
            "Complete",
            show=False,
            priority=True,
            id="command_bar.complete",
        ),
    ]
    DEFAULT_CSS = """
    CommandBar { align: left bottom; background: $background 30%; }
    CommandBar #command-box { height: auto; dock: bottom; background: $panel; padding: 0 1; }
    CommandBar #command-input { border: none; height: 1; padding: 0; }
    CommandBar #command-hint { height: auto; max-height: 8; color: $text-muted; }
    CommandBar #command-hint.-error { color: $text-error; }
    """

    def __init__(
        self,
        commands: Sequence[CommandSpec] = COMMANDS,
        ids: Callable[[str], list[str]] = lambda kind: [],
    ) -> None:
        super().__init__()
        self.commands = commands
        self.suggester = CommandSuggester(commands, ids)

    def compose(self) -> ComposeResult:
        with Vertical(id="command-box"):
            yield Static(id="command-hint")
            yield Input(
                placeholder="command: " + ", ".join(s.name for s in self.commands),
                id="command-input",
                suggester=self.suggester,
                compact=True,
            )

    def on_mount(self) -> None:
        self._hint("")
        self.query_one(Input).focus()

    @on(Input.Changed, "#command-input")
    def _changed(self, event: Input.Changed) -> None:
        self._hint(event.value)

    def _hint(self, value: str, error: str | None = None) -> None:
        hint = self.query_one("#command-hint", Static)
        hint.set_class(error is not None, "-error")
        if error is not None:
            hint.update(Text(error))
            return
        word = value.strip().removeprefix(":").split(" ")[0].lower()
        lines = Text()
        for spec in self.commands:
            if not spec.name.startswith(word) and not any(a.startswith(word) for a in spec.aliases):
                continue
            usage = f":{spec.name}" + (f" <{spec.argument}>" if spec.argument else "")
            if lines:
                lines.append("\n")
            lines.append(f"{usage:<22}", style="bold")
            lines.append(spec.help)
        hint.update(lines or Text(f"no command starts with {word!r}"))

    def action_take_completion(self) -> None:
        box = self.query_one(Input)
        found = self.suggester.completions(box.value)
        if found:
            box.value = found[0]
            box.cursor_position = len(box.value)

    @on(Input.Submitted, "#command-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            command = parse(event.value, self.commands)
        except ValueError as exc:
            self._hint(event.value, error=str(exc))
            return
        self.dismiss(command)
