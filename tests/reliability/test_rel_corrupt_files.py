"""A damaged file on disk never stops roark-tui: the credentials, a wizard draft, the lookup
history and the watch's expect list each read as "nothing saved" (with a clear warning where
the user has something to do), and the next save replaces the damaged file.

The damage: half-written JSON, JSON of the wrong shape, bytes that are not UTF-8, an empty
file, a directory where the file should be, and nesting deep enough to exhaust the JSON
parser's recursion.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roark_tui import history
from roark_tui.auth import CREDENTIALS_FILE, TokenStore
from roark_tui.cli import main
from roark_tui.cli.common import EXIT_AUTH
from roark_tui.config import config_dir, state_dir
from roark_tui.tui.drafts import DraftStore
from roark_tui.tui.watch import EXPECT_FILE, load_expect, save_expect

DAMAGE: dict[str, bytes | None] = {
    "truncated": b'{"profiles": {"default": {"token": "tok_',
    "wrong_shape": b'{"profiles": [1, 2, 3], "draft": "x", "lookups": 7, "expect": 5}',
    "not_utf8": b"\xff\xfe\x00{\x80\x81",
    "empty": b"",
    "deep_nesting": b"[" * 200_000,
    "directory": None,  # a directory where the file should be
}


def damage(path: Path, how: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    content = DAMAGE[how]
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)


@pytest.mark.parametrize("how", DAMAGE)
def test_auth_status_with_damaged_credentials_says_so_and_does_not_crash(
    how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    damage(config_dir() / CREDENTIALS_FILE, how)
    code = main(["auth", "status"])
    err = capsys.readouterr().err
    assert code == EXIT_AUTH  # no token anywhere: the usual "log in" answer, not a traceback
    assert "Traceback" not in err
    assert "no token: run `roark-tui auth login`" in err
    if how != "empty":
        assert "ignoring unreadable credentials file" in err


@pytest.mark.parametrize("how", [h for h in DAMAGE if h != "directory"])
def test_login_replaces_damaged_credentials(how: str) -> None:
    store = TokenStore()
    damage(store.path, how)
    assert store.load() == {}
    store.save("default", token="tok_fresh_start_1234", base_url="http://127.0.0.1:1")
    assert store.get("default").token == "tok_fresh_start_1234"
    assert store.problem is None


@pytest.mark.parametrize("how", DAMAGE)
def test_damaged_draft_reads_as_no_draft(how: str) -> None:
    """A JSON object is handed on (the wizards read its fields tolerantly, tested with the
    wizards); anything else is no draft."""
    store = DraftStore("threshold")
    damage(store.path, how)
    loaded = store.load()
    assert loaded is None or (how == "wrong_shape" and isinstance(loaded, dict))
    if how != "directory":
        store.save({"draft": {"value": "1500"}})
        assert store.load() == {"draft": {"value": "1500"}}


@pytest.mark.parametrize("how", DAMAGE)
def test_damaged_history_and_expect_list_read_as_empty(how: str) -> None:
    damage(history.history_path(), how)
    damage(state_dir() / EXPECT_FILE, how)
    assert history.load() == []
    assert load_expect() == ()
    if how != "directory":
        save_expect(["resolved_check"])
        assert load_expect() == ("resolved_check",)
