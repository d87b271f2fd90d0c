"""Lookups, drafts, recent packages and the watch list are kept per account (base URL, profile,
project), so the demo's lookups never show under a real account."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from roark_tui.cli import build_app
from roark_tui.sandbox.demo_ids import BOOKING_CHAT_ID, FAILING_CHAT_ID
from roark_tui.state import account, drafts, history, recent_packages, watch_list

WHEN = datetime(2026, 12, 1, tzinfo=UTC)
REAL = {"base_url": "https://api.roark.ai", "profile": "default", "project_id": None}


def test_each_account_keeps_its_own_lookups_drafts_and_packages() -> None:
    demo = account.key(
        base_url="http://sandbox.local", profile="default", project_id=None, demo=True
    )
    account.use(demo)
    history.record("chat", FAILING_CHAT_ID, when=WHEN, title="demo chat")
    drafts.DraftStore("threshold").save({"source": "loop_count"})
    recent_packages.store.save({"packages": ["pkg-demo"]})

    account.use(account.key(**REAL))
    assert history.load() == [] and drafts.DraftStore("threshold").load() is None
    history.record("chat", BOOKING_CHAT_ID, when=WHEN)

    other_project = account.key(**{**REAL, "project_id": "p-2"})
    account.use(other_project)
    assert history.load() == []

    account.use(demo)
    assert [e.id for e in history.load()] == [FAILING_CHAT_ID]
    assert drafts.DraftStore("threshold").load() == {"source": "loop_count"}


def test_keys_are_distinct_readable_directory_names() -> None:
    keys = {
        account.key(**REAL),
        account.key(**{**REAL, "profile": "work"}),
        account.key(**{**REAL, "project_id": "5d1f0b8e-2c47"}),
        account.key(**{**REAL, "base_url": "https://staging.example.com/../x"}),
        account.key(**REAL, demo=True),
    }
    assert len(keys) == 5
    assert all("/" not in k and ".." not in Path(k).parts for k in keys)
    assert account.key(**REAL).startswith("api.roark.ai_default_default_")


def test_the_cli_names_the_account_and_its_files_live_under_it(isolated_dirs: Path) -> None:
    build_app(["--demo"])
    assert account.current() == "demo"
    demo_dir = isolated_dirs / "state" / "accounts" / "demo"
    assert history.history_path() == demo_dir / "history.json"
    assert watch_list.store.path == demo_dir / "watch.json"


def test_the_watch_list_of_one_account_is_not_offered_in_another() -> None:
    account.use(account.key(**REAL))
    watch_list.save(["refund_check"])
    account.use(account.key(**{**REAL, "project_id": "p-2"}))
    assert watch_list.load() == []
    watch_list.save(["csat_check"])
    account.use(account.key(**REAL))
    assert watch_list.load() == ["refund_check"]
