"""A damaged file on disk never stops roark-tui.

Every file the app keeps between runs (the credentials, the two wizards' drafts, the lookup
history, the recent analysis packages, the watch's list of metrics) meets every kind of damage:
cut short, JSON of the wrong type or shape, not UTF-8, binary, empty, nested deep enough to
exhaust the JSON parser (open and closed), larger than the store's bound, unreadable, and a
directory or a FIFO where the file should be. Each store reads as "nothing saved", says so in
`problem`, sets the damaged file aside (renamed with a timestamped suffix, its bytes intact) so
the next start is clean, and the next save writes a good file. The credentials are reported the
same way but never copied or moved: the token stays in its one file. The screens that read a
store at start show the note and carry on (a deeply nested `recent_packages.json` used to crash
the definition wizard as it opened).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pilot_support import until

from roark_tui.auth import CREDENTIALS_FILE, TokenStore
from roark_tui.cli import build_app, main
from roark_tui.cli.common import EXIT_AUTH
from roark_tui.sandbox.demo_ids import FAILING_CHAT_ID
from roark_tui.state import history, recent_packages, store, watch_list
from roark_tui.state.drafts import DraftStore
from roark_tui.state.files import config_dir
from roark_tui.state.store import MAX_BYTES, SET_ASIDE_SUFFIX, JsonStore
from roark_tui.tui.screens.definition_wizard import DefinitionWizardScreen
from roark_tui.tui.screens.lookup import LookupScreen
from roark_tui.tui.screens.metrics import MetricsScreen
from roark_tui.tui.watch import load_expect

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PAD = b"x" * (MAX_BYTES + 1)
DAMAGE: dict[str, bytes | None] = {
    "truncated": b'{"profiles": {"default": {"token": "tok_',
    "wrong_type": b'"just a string"',
    "wrong_shape": b'{"profiles": [1, 2, 3], "draft": "x", "lookups": 7, "expect": 5}',
    "not_utf8": b"\xff\xfe\x00{\x80\x81",
    "binary": bytes(range(256)) * 64,
    "empty": b"",
    "deep_open": b"[" * 200_000,
    "deep_closed": b"[" * 100_000 + b"]" * 100_000,
    "huge": b'{"profiles": {}, "lookups": [], "expect": [], "pad": "' + PAD + b'"}',
    "unreadable": b'{"lookups": [], "expect": []}',  # readable JSON the OS refuses to hand over
    "directory": None,
    "fifo": None,
}


def damage(path: Path, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    content = DAMAGE[how]
    if how == "directory":
        path.mkdir()
        (path / "inside").write_text("kept")
    elif how == "fifo":
        os.mkfifo(path)
    else:
        assert content is not None
        path.write_bytes(content)
    if how == "unreadable":  # a mode of 000 does not stop root: refuse the next open instead
        real_open = os.open
        refused: list[Path] = []

        def refusing_open(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if Path(file) == path and not refused:
                refused.append(path)
                raise PermissionError(errno.EACCES, "Permission denied", str(file))
            return real_open(file, flags, *args, **kwargs)

        monkeypatch.setattr(store.os, "open", refusing_open)


@dataclass(frozen=True)
class Kept:
    """One store: its JsonStore, how to read it as the app does, and a save to read back."""

    store: Callable[[], JsonStore[Any]]
    load: Callable[[], Any]
    empty: Any
    save: Callable[[], object]
    saved: Any

    def handed_on(self, how: str) -> bool:
        """A draft is any JSON object (the wizards read its fields tolerantly)."""
        return how == "wrong_shape" and isinstance(self.store(), DraftStore)


def draft(name: str) -> Kept:
    drafts = DraftStore(name)  # its path follows the state dir of the test
    return Kept(
        store=lambda: drafts,
        load=drafts.load,
        empty=None,
        save=lambda: drafts.save({"draft": {"value": "1500"}}),
        saved={"draft": {"value": "1500"}},
    )


STORES = {
    "history": Kept(
        store=lambda: history.store,
        load=lambda: [(e.kind, e.id) for e in history.load()],
        empty=[],
        save=lambda: history.record("chat", "a", when=T0),
        saved=[("chat", "a")],
    ),
    "threshold_draft": draft("threshold"),
    "definition_draft": draft("definition"),
    "recent_packages": Kept(
        store=lambda: recent_packages.store,
        load=recent_packages.load,
        empty=[],
        save=lambda: recent_packages.remember("pkg-1"),
        saved=["pkg-1"],
    ),
    "watch_list": Kept(
        store=lambda: watch_list.store,
        load=load_expect,
        empty=(),
        save=lambda: watch_list.save(["resolved_check"]),
        saved=("resolved_check",),
    ),
}


def set_aside(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}{SET_ASIDE_SUFFIX}*"))


@pytest.mark.parametrize("how", DAMAGE)
@pytest.mark.parametrize("name", STORES)
def test_a_damaged_store_reads_empty_is_set_aside_and_saves_again(
    name: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = STORES[name]
    path = kept.store().path
    damage(path, how, monkeypatch)

    loaded = kept.load()

    if kept.handed_on(how):
        assert isinstance(loaded, dict) and kept.store().problem is None
        return
    assert loaded == kept.empty
    problem = kept.store().problem
    assert problem is not None and "damaged" in problem
    assert "Starting afresh" in problem
    aside = set_aside(path)
    assert len(aside) == 1 and aside[0].name in problem, problem
    assert not path.exists() and not path.is_symlink()
    if how == "directory":
        assert (aside[0] / "inside").read_text() == "kept"
    elif how == "huge":
        assert "larger than" in problem
    elif DAMAGE[how] is not None and how != "unreadable":
        assert aside[0].read_bytes() == DAMAGE[how], "the damaged bytes were not kept intact"

    assert kept.load() == kept.empty and kept.store().problem is None  # once, not every start
    kept.save()
    assert kept.load() == kept.saved
    assert kept.store().problem is None


def test_a_second_damage_in_the_same_second_keeps_both_copies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = history.store.path
    for how in ("truncated", "not_utf8"):
        damage(path, how, monkeypatch)
        assert history.load() == []
    assert sorted(p.read_bytes() for p in set_aside(path)) == sorted(
        [DAMAGE["truncated"], DAMAGE["not_utf8"]]
    )


@pytest.mark.parametrize("how", DAMAGE)
def test_auth_status_with_damaged_credentials_says_so_and_does_not_crash(
    how: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = config_dir() / CREDENTIALS_FILE
    damage(path, how, monkeypatch)
    code = main(["auth", "status"])
    err = capsys.readouterr().err
    assert code == EXIT_AUTH  # no token anywhere: the usual "log in" answer, not a traceback
    assert "Traceback" not in err
    assert "no token: run `roark-tui auth login`" in err
    assert "ignoring unreadable credentials file" in err
    assert set_aside(path) == [], "a file that may hold a token was copied"


@pytest.mark.parametrize("how", [h for h in DAMAGE if h not in ("directory", "fifo")])
def test_login_replaces_damaged_credentials(how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = TokenStore()
    damage(store.path, how, monkeypatch)
    assert store.load() == {}
    assert store.problem is not None
    store.save("default", token="tok_fresh_start_1234", base_url="http://127.0.0.1:1")
    assert store.get("default").token == "tok_fresh_start_1234"
    assert store.problem is None


def notes(app: Any) -> str:
    return " ".join(str(n.message) for n in app._notifications)


@pytest.mark.parametrize("how", ["deep_open", "deep_closed", "huge", "directory", "wrong_type"])
async def test_the_definition_wizard_opens_over_damaged_recent_packages(
    how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    damage(recent_packages.path(), how, monkeypatch)
    app = build_app(["--demo", "definitions", "new"])
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DefinitionWizardScreen), "the wizard")
        await until(pilot, lambda: "recent analysis packages was damaged" in notes(app))
        assert app.is_running and app._exception is None
    assert recent_packages.load() == [] and set_aside(recent_packages.path())


@pytest.mark.parametrize("how", ["deep_closed", "not_utf8", "fifo"])
async def test_the_lookup_screen_opens_over_a_damaged_history(
    how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    damage(history.history_path(), how, monkeypatch)
    app = build_app(["--demo"])
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LookupScreen), "the lookup screen")
        await until(pilot, lambda: "The lookup history was damaged" in notes(app))
        assert app.is_running and app._exception is None


async def test_opening_a_conversation_over_a_damaged_history_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`roark-tui chat <id>` starts on the metrics screen, whose first act is to record the
    lookup: the damage that read finds is shown there, and the new history holds the lookup."""
    damage(history.history_path(), "deep_open", monkeypatch)
    app = build_app(["--demo", "chat", FAILING_CHAT_ID])
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MetricsScreen), "the metrics screen")
        await until(pilot, lambda: "The lookup history was damaged" in notes(app))
        assert app.is_running and app._exception is None
    assert [(e.kind, e.id) for e in history.load()] == [("chat", FAILING_CHAT_ID)]
