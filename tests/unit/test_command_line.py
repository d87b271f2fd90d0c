"""The `:` command line: reading commands, refusing what is not one, completing."""

from __future__ import annotations

import pytest

from roark_tui.core.command_line import Command, complete, parse


@pytest.mark.parametrize(
    ("text", "command"),
    [
        (":calls", Command("calls")),
        ("chats", Command("chats")),
        (" :DEFS ", Command("defs")),
        (":definitions", Command("defs")),
        (
            ":chat 232a693b-fd7d-4d2a-a032-7a81471a07e5",
            Command("chat", "232a693b-fd7d-4d2a-a032-7a81471a07e5"),
        ),
        (":call  https://app.roark.ai/calls/x ", Command("call", "https://app.roark.ai/calls/x")),
        (":q", Command("quit")),
    ],
)
def test_commands(text: str, command: Command) -> None:
    assert parse(text) == command


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "type a command"),
        (":cals", "did you mean calls or chats or call or chat"),
        (":zzz", r"no command 'zzz' \(known: calls"),
        (":chat", ":chat needs id or URL"),
        (":calls now", ":calls takes nothing"),
    ],
)
def test_what_is_not_a_command(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse(text)


def test_completion() -> None:
    assert complete(":c") == ["calls", "chats", "call ", "chat "]
    assert complete(":r") == ["runs"]
    assert complete("d") == ["defs", "definitions"]
    assert complete(":chat 23", arguments=["232a", "999", "23ff"]) == ["chat 232a", "chat 23ff"]
    assert complete(":calls x", arguments=["x1"]) == []
    assert complete(":zz") == []
