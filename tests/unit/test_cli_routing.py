"""Parsing imports only the command module the command line names (start-up speed), so the
routing table must agree with what the modules register."""

from __future__ import annotations

import argparse

import pytest

from roark_tui.cli import COMMAND_HOMES, _command_modules, _needed_modules, build_parser


def _registered_by(module_name: str) -> set[str]:
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers()
    (module,) = _command_modules((module_name,))
    module.register(subparsers)
    return set(subparsers.choices)


def test_every_command_word_lives_where_the_table_says() -> None:
    homes = set(COMMAND_HOMES.values())
    found = {word: home for home in homes for word in _registered_by(home)}
    assert found == COMMAND_HOMES


@pytest.mark.parametrize(
    ("argv", "needed"),
    [
        (["--demo"], ()),
        ([], ()),
        (["--version"], ()),
        (["--demo", "chat", "x", "--json"], ("conversation_cmd",)),
        (["--token", "auth", "--demo"], ()),  # "auth" is the token here
        (["--token=t", "auth", "status"], ("auth_cmd",)),
        (["--base", "http://h", "definitions"], ("definitions_cmd",)),  # an abbreviation
        (["--help"], None),
        (["--demo", "-h"], None),
        (["nonsense"], None),
        (["--pro", "x", "chat"], None),  # ambiguous: argparse reports it, with every command
    ],
)
def test_only_the_named_command_is_imported(
    argv: list[str], needed: tuple[str, ...] | None
) -> None:
    everything = tuple(_needed_modules(None))
    assert tuple(_needed_modules(argv)) == (everything if needed is None else needed)


def test_a_partial_parser_parses_like_the_whole_one() -> None:
    argv = ["--demo", "chat", "abc", "--json"]
    partial = vars(build_parser(argv).parse_args(argv))
    whole = vars(build_parser().parse_args(argv))
    # The handler is a fresh closure per parser: compare what it is, not its identity.
    assert partial.pop("handler").__qualname__ == whole.pop("handler").__qualname__
    assert partial == whole


def test_an_unknown_command_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser(["nonsense"]).parse_args(["nonsense"])
    message = capsys.readouterr().err
    for word in COMMAND_HOMES:
        assert word in message
