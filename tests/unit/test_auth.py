"""The token store: file modes, atomic replacement, profiles, corruption, masking."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from roark_tui.auth import TokenStore, mask
from roark_tui.state import files


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_save_creates_0600_file_in_0700_dir(isolated_dirs: Path) -> None:
    store = TokenStore()
    store.save("default", token="abcdefghijklmnop", base_url="https://api.roark.ai")
    assert store.path == isolated_dirs / "config" / "credentials.json"
    assert mode(store.path) == 0o600
    assert mode(store.path.parent) == 0o700
    doc = json.loads(store.path.read_text())
    assert doc == {
        "profiles": {"default": {"base_url": "https://api.roark.ai", "token": "abcdefghijklmnop"}}
    }
    assert os.listdir(store.path.parent) == ["credentials.json"]


def test_save_keeps_other_profiles_and_old_base_url() -> None:
    store = TokenStore()
    store.save("default", token="one-token-1111", base_url="https://a.example")
    store.save("work", token="two-token-2222")
    store.save("default", token="new-token-3333")
    profiles = store.load()
    assert profiles["default"].token == "new-token-3333"
    assert profiles["default"].base_url == "https://a.example"
    assert profiles["work"].token == "two-token-2222"


def test_remove_token_keeps_base_url() -> None:
    store = TokenStore()
    store.save("default", token="one-token-1111", base_url="https://a.example")
    store.save("bare", token="two-token-2222")
    assert store.remove_token("default")
    assert store.get("default") is not None
    assert store.get("default").token is None
    assert store.get("default").base_url == "https://a.example"
    assert store.remove_token("bare")
    assert store.get("bare") is None
    assert not store.remove_token("bare")
    assert not store.remove_token("never")


def test_failed_write_leaves_old_file(monkeypatch: pytest.MonkeyPatch) -> None:
    store = TokenStore()
    store.save("default", token="old-token-1111")

    def broken_fsync(fd: int) -> None:
        raise OSError("I/O error")

    with monkeypatch.context() as patched, pytest.raises(OSError):
        patched.setattr(files.os, "fsync", broken_fsync)
        store.save("default", token="new-token-2222")
    assert TokenStore().get("default").token == "old-token-1111"
    assert os.listdir(store.path.parent) == ["credentials.json"]


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[]", b'{"profiles": []}', b"\xff\xfe", b""],
)
def test_corrupt_file_is_reported_and_treated_as_empty(content: bytes) -> None:
    store = TokenStore()
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(content)
    assert store.load() == {}
    assert store.problem is not None
    assert str(store.path) in store.problem and "auth login" in store.problem
    store.save("default", token="fresh-token-1234")  # login repairs it
    assert TokenStore().get("default").token == "fresh-token-1234"
    assert store.problem is None


def test_odd_entries_are_tolerated() -> None:
    store = TokenStore()
    store.path.parent.mkdir(parents=True)
    store.path.write_text(
        json.dumps({"profiles": {"a": "nope", "b": {"token": 5, "base_url": " https://x "}}})
    )
    profiles = store.load()
    assert list(profiles) == ["b"]
    assert profiles["b"].token is None and profiles["b"].base_url == "https://x"
    assert store.problem is None


def test_missing_file_is_not_a_problem() -> None:
    store = TokenStore()
    assert store.load() == {}
    assert store.problem is None


def test_repr_never_shows_token() -> None:
    store = TokenStore()
    store.save("default", token="super-secret-token-9876")
    assert "super-secret" not in repr(store)
    assert "super-secret" not in repr(store.load())


@pytest.mark.parametrize(
    ("token", "shown"),
    [
        ("rk_live_abcdefghijklmnop", "••••mnop"),
        ("sandbox-token", "••••oken"),
        ("short", "••••"),
        ("elevenchars", "••••"),
        ("", "(none)"),
        (None, "(none)"),
    ],
)
def test_mask(token: str | None, shown: str) -> None:
    assert mask(token) == shown
