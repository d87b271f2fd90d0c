"""`roark-tui thresholds new`: what the command line accepts before any screen opens."""

from __future__ import annotations

import pytest

from roark_tui.cli import build_app, main
from roark_tui.cli.common import EXIT_AUTH, EXIT_USAGE
from roark_tui.sandbox.demo_ids import FAILING_CALL_ID


def test_an_action_is_needed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["thresholds"]) == EXIT_USAGE
    assert "choose an action: new" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--chat", "not an id!"], "cannot be an id"),
        (["--chat", f"https://app.roark.ai/calls/{FAILING_CALL_ID}"], "that URL is a call"),
        (["--call", " "], "Enter a chat or call id"),
    ],
)
def test_a_bad_conversation_is_a_usage_error(
    args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--demo", "thresholds", "new", *args]) == EXIT_USAGE
    assert said in capsys.readouterr().err


def test_chat_and_call_are_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "thresholds", "new", "--chat", "a", "--call", "b"]) == EXIT_USAGE
    assert "not allowed with argument" in capsys.readouterr().err


def test_no_token_exits_before_the_ui(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["thresholds", "new", "--source", "response_time"]) == EXIT_AUTH
    assert "no token" in capsys.readouterr().err


def test_the_app_opens_on_the_wizard() -> None:
    app = build_app(
        ["--demo", "thresholds", "new", "--source", " loop_count ", "--call", FAILING_CALL_ID]
    )
    assert app.start == ("threshold-wizard", "loop_count")
