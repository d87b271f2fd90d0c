"""DraftStore: drafts survive a restart, live in the state dir, are private, and never crash."""

from __future__ import annotations

import stat

from roark_tui.state.drafts import DraftStore


def test_save_load_clear_round_trip(isolated_dirs):
    store = DraftStore("threshold")
    assert store.load() is None
    store.save({"draft": {"value": "1500"}})
    assert DraftStore("threshold").load() == {"draft": {"value": "1500"}}
    assert store.path.is_relative_to(isolated_dirs / "state")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    store.clear()
    store.clear()
    assert store.load() is None


def test_unreadable_or_odd_files_read_as_no_draft(isolated_dirs):
    store = DraftStore("../weird name")
    assert store.path.parent.name == "drafts"
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text("{not json")
    assert store.load() is None
    store.path.write_text("[1, 2]")
    assert store.load() is None
