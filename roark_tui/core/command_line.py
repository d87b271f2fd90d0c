"""The `:` command line (as in k9s): which commands there are, reading one, completing one.

A command is a word, sometimes with an argument: `:calls`, `:chats`, `:runs`, `:defs`,
`:chat <id>`, `:call <id>`. The words and what they take are data here; what each one does
is the app's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CommandSpec:
    name: str
    help: str
    argument: str | None = None  # what the argument is, when the command takes one
    aliases: tuple[str, ...] = ()


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("calls", "browse calls with their verdicts"),
    CommandSpec("chats", "browse chats with their verdicts"),
    CommandSpec("runs", "browse simulation runs"),
    CommandSpec("defs", "browse metric definitions", aliases=("definitions",)),
    CommandSpec("call", "open a call's metrics", argument="id or URL"),
    CommandSpec("chat", "open a chat's metrics", argument="id or URL"),
    CommandSpec("project", "work in another project of this credential", aliases=("projects",)),
    CommandSpec("lookup", "back to the lookup screen", aliases=("home",)),
    CommandSpec("quit", "leave roark-tui", aliases=("q",)),
)


@dataclass(frozen=True)
class Command:
    name: str
    argument: str | None = None


def find(name: str, commands: Sequence[CommandSpec] = COMMANDS) -> CommandSpec | None:
    wanted = name.lower()
    for spec in commands:
        if wanted == spec.name or wanted in spec.aliases:
            return spec
    return None


def parse(text: str, commands: Sequence[CommandSpec] = COMMANDS) -> Command:
    """The command `text` names (a leading `:` is allowed); ValueError with what to type
    instead for an unknown word, a missing argument or one too many."""
    words = text.strip().removeprefix(":").split(maxsplit=1)
    if not words:
        raise ValueError("type a command: " + ", ".join(s.name for s in commands))
    spec = find(words[0], commands)
    if spec is None:
        close = [s.name for s in commands if s.name.startswith(words[0][:1].lower())]
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise ValueError(f"no command {words[0]!r}{hint} (known: {names(commands)})")
    argument = words[1].strip() if len(words) > 1 else None
    if spec.argument and not argument:
        raise ValueError(f":{spec.name} needs {spec.argument}: :{spec.name} <{spec.argument}>")
    if argument and not spec.argument:
        raise ValueError(f":{spec.name} takes nothing after it")
    return Command(spec.name, argument)


def names(commands: Sequence[CommandSpec] = COMMANDS) -> str:
    return ", ".join(s.name for s in commands)


def complete(
    text: str, commands: Sequence[CommandSpec] = COMMANDS, arguments: Iterable[str] = ()
) -> list[str]:
    """Whole command lines that `text` could become: command names while the first word is
    typed, then `arguments` (ids, say) that start with what follows the word."""
    typed = text.lstrip().removeprefix(":")
    word, space, rest = typed.partition(" ")
    if not space:
        prefix = word.lower()
        found = [(s.name, s) for s in commands if s.name.startswith(prefix)]
        found += [(a, s) for s in commands for a in s.aliases if prefix and a.startswith(prefix)]
        found.sort(key=lambda pair: pair[0] != prefix)  # the word itself first
        return [name + (" " if spec.argument else "") for name, spec in found]
    spec = find(word, commands)
    if spec is None or not spec.argument:
        return []
    start = rest.strip()
    return [f"{spec.name} {value}" for value in arguments if value.startswith(start)]
