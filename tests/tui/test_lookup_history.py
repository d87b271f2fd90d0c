"""roark_tui.state.history, the lookup screen's memory: newest first, one entry per conversation,
at most 20, titles kept, and a damaged or unwritable file never in the way."""

from __future__ import annotations

import errno
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from roark_tui.state import history, store

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_newest_first_one_entry_per_conversation_title_kept() -> None:
    history.record("chat", "a", when=T0, title="Billing")
    history.record("call", "b", when=T0 + timedelta(minutes=1))
    history.record("chat", "a", when=T0 + timedelta(minutes=2))  # title not known this time
    entries = history.load()
    assert [(e.kind, e.id) for e in entries] == [("chat", "a"), ("call", "b")]
    assert entries[0].title == "Billing"
    assert entries[0].opened == T0 + timedelta(minutes=2)
    history.set_title("call", "b", "Transfer")
    assert [e.title for e in history.load()] == ["Billing", "Transfer"]


def test_at_most_twenty_and_private(isolated_dirs: Path) -> None:
    for n in range(25):
        history.record("chat", f"id-{n}", when=T0 + timedelta(seconds=n))
    entries = history.load()
    assert len(entries) == history.HISTORY_LIMIT == 20
    assert entries[0].id == "id-24" and entries[-1].id == "id-5"
    assert history.history_path().stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b"[]", b'{"lookups": 3}', b'{"lookups": [{"kind": "sms", "id": "x"}, 7]}'],
)
def test_a_damaged_file_reads_as_empty_and_is_replaced(content: bytes) -> None:
    path = history.history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    assert history.load() == []
    history.record("chat", "a", when=T0, title="ok")
    assert json.loads(path.read_bytes())["lookups"][0]["id"] == "a"


def test_an_unwritable_state_dir_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(store, "atomic_write", refuse)
    entries = history.record("chat", "a", when=T0)
    assert [e.id for e in entries] == ["a"]
    assert history.store.problem == "The lookup history could not be saved (Read-only file system)."
    assert history.load() == []


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        history.record("sms", "a", when=T0)
