"""Copy says what it did: sent to the terminal's clipboard (OSC 52), saved to a named file that
always works, a word on tmux or GNU screen when under one, and only cleaned text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from roark_tui.tui.clipboard import SCREEN_HINT, TMUX_HINT, clipboard_path, copy_text


class FakeApp:
    def __init__(self) -> None:
        self.clipboard = ""
        self.notes: list[str] = []

    def copy_to_clipboard(self, text: str) -> None:
        self.clipboard = text

    def notify(self, message: str, **_: Any) -> None:
        self.notes.append(message)


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> FakeApp:
    monkeypatch.delenv("TMUX", raising=False)
    monkeypatch.delenv("STY", raising=False)
    return FakeApp()


def test_copy_sends_cleaned_text_saves_it_and_says_both(app: FakeApp) -> None:
    trap = "id-1\x1b[201~\recho pwned\x1b[200~\x9b2J\u202e"
    copy_text(app, trap, "The id")  # type: ignore[arg-type]
    assert app.clipboard == "id-1\necho pwned"  # a CR ends a line, never overwrites one
    assert clipboard_path().read_text() == app.clipboard
    assert app.notes == [
        f"The id: sent to the terminal's clipboard (OSC 52) and saved to {clipboard_path()}."
    ]


@pytest.mark.parametrize(("env", "hint"), [("TMUX", TMUX_HINT), ("STY", SCREEN_HINT)])
def test_under_a_multiplexer_the_message_names_its_setting(
    app: FakeApp, monkeypatch: pytest.MonkeyPatch, env: str, hint: str
) -> None:
    monkeypatch.setenv(env, "/tmp/session,1,0")
    copy_text(app, "x", "The id")  # type: ignore[arg-type]
    assert app.notes[0].endswith(hint)


def test_a_file_that_cannot_be_written_is_said_and_the_copy_still_sent(
    app: FakeApp, isolated_dirs: Path
) -> None:
    clipboard_path().parent.parent.mkdir(parents=True, exist_ok=True)
    clipboard_path().parent.write_text("a file where the state dir should be")
    copy_text(app, "x", "The id")  # type: ignore[arg-type]
    assert app.clipboard == "x"
    assert "could not be saved" in app.notes[0] and "(OSC 52)" in app.notes[0]
