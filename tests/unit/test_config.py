"""Paths and the atomic writer (state.files); settings precedence (flag > env > file > default)."""

from __future__ import annotations

import argparse
import os
import stat
from pathlib import Path

import pytest

from roark_tui import config
from roark_tui.auth import TokenStore
from roark_tui.config import DEFAULT_BASE_URL, resolve_settings
from roark_tui.state import files
from roark_tui.state.files import atomic_write


def args(**given: object) -> argparse.Namespace:
    return argparse.Namespace(**given)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_dirs_follow_env_overrides(isolated_dirs: Path) -> None:
    assert files.config_dir() == isolated_dirs / "config"
    assert files.state_dir() == isolated_dirs / "state"


def test_dirs_default_to_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROARK_TUI_CONFIG_DIR", "  ")
    assert files.config_dir().name == "roark-tui"


def test_atomic_write_creates_private_dirs_and_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.json"
    atomic_write(target, b"one")
    assert target.read_bytes() == b"one"
    assert mode(target) == 0o600
    assert mode(target.parent) == 0o700
    assert mode(target.parent.parent) == 0o700
    atomic_write(target, b"two", mode=0o644)
    assert target.read_bytes() == b"two"
    assert mode(target) == 0o644
    assert os.listdir(target.parent) == ["file.json"]


def test_failed_atomic_write_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "file.json"
    atomic_write(target, b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["file.json"]


def test_defaults_without_anything() -> None:
    settings = resolve_settings(args())
    assert settings.base_url == DEFAULT_BASE_URL
    assert settings.token is None and settings.token_source is None
    assert settings.profile == "default"
    assert not settings.demo and not settings.insecure


def test_token_precedence_flag_env_file(monkeypatch: pytest.MonkeyPatch) -> None:
    TokenStore().save("default", token="file-token-1234")
    assert resolve_settings(args()).token_source == "file"
    assert resolve_settings(args()).token == "file-token-1234"

    monkeypatch.setenv("ROARK_API_BEARER_TOKEN", "env-token-5678")
    settings = resolve_settings(args())
    assert (settings.token, settings.token_source) == ("env-token-5678", "env")

    settings = resolve_settings(args(token="flag-token-9999"))
    assert (settings.token, settings.token_source) == ("flag-token-9999", "flag")


def test_blank_env_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    TokenStore().save("default", token="file-token-1234", base_url="http://127.0.0.1:9")
    monkeypatch.setenv("ROARK_API_BEARER_TOKEN", " ")
    monkeypatch.setenv("ROARK_BASE_URL", "")
    monkeypatch.setenv("ROARK_PROJECT_ID", "")
    settings = resolve_settings(args())
    assert settings.token_source == "file"
    assert settings.base_url == "http://127.0.0.1:9"
    assert settings.project_id is None


def test_base_url_and_project_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    TokenStore().save("work", token="t" * 20, base_url="https://stored.example", project_id="p1")
    assert resolve_settings(args(profile="work")).base_url == "https://stored.example"
    assert resolve_settings(args(profile="work")).project_id == "p1"
    monkeypatch.setenv("ROARK_BASE_URL", "https://env.example/")
    monkeypatch.setenv("ROARK_PROJECT_ID", "p2")
    assert resolve_settings(args(profile="work")).base_url == "https://env.example"
    assert resolve_settings(args(profile="work")).project_id == "p2"
    flagged = resolve_settings(args(profile="work", base_url="https://flag.example", project="p3"))
    assert (flagged.base_url, flagged.project_id) == ("https://flag.example", "p3")


def test_profiles_are_separate() -> None:
    TokenStore().save("default", token="default-token-aaaa")
    TokenStore().save("work", token="work-token-bbbb")
    assert resolve_settings(args(profile="work")).token == "work-token-bbbb"
    assert resolve_settings(args()).token == "default-token-aaaa"
    assert resolve_settings(args(profile="other")).token is None


def test_env_token_is_never_written(monkeypatch: pytest.MonkeyPatch, isolated_dirs: Path) -> None:
    monkeypatch.setenv("ROARK_API_BEARER_TOKEN", "env-secret-token-5678")
    resolve_settings(args())
    assert not (isolated_dirs / "config").exists()


def test_settings_repr_hides_token() -> None:
    settings = resolve_settings(args(token="super-secret-token-1234"))
    assert "super-secret" not in repr(settings)
    assert "1234" not in repr(settings)


def test_corrupt_credentials_become_a_note(isolated_dirs: Path) -> None:
    path = isolated_dirs / "config" / "credentials.json"
    path.parent.mkdir()
    path.write_text("{not json")
    path.chmod(0o600)  # private: the one note is about what is in it
    settings = resolve_settings(args())
    assert settings.token is None
    assert len(settings.notes) == 1 and "unreadable credentials file" in settings.notes[0]


def write_config(isolated_dirs: Path, data: bytes) -> Path:
    path = isolated_dirs / "config" / config.CONFIG_FILE
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def test_keymap_is_empty_without_a_config_file(isolated_dirs: Path) -> None:
    assert config.config_file() == isolated_dirs / "config" / "config.toml"
    assert config.load_keymap() == ({}, [])


def test_keymap_from_the_config_file(isolated_dirs: Path) -> None:
    write_config(
        isolated_dirs,
        b'title = "other settings are left alone"\n[keymap]\n"metrics.watch" = "W"\n'
        b'"metrics.refresh" = ["ctrl+r", " f5 "]\n"lookup.find" = "ctrl+f, /"\n',
    )
    keymap, notes = config.load_keymap()
    assert keymap == {
        "metrics.watch": "W",
        "metrics.refresh": "ctrl+r,f5",
        "lookup.find": "ctrl+f,/",
    }
    assert notes == []


def test_bad_keymap_entries_are_notes_and_the_rest_is_kept(isolated_dirs: Path) -> None:
    write_config(
        isolated_dirs,
        b'[keymap]\n"a" = 3\n"b" = ""\n"c" = ["x", 1]\n"d" = {e = "f"}\n"g" = [" , "]\n'
        b'"metrics.watch" = "W"\n',
    )
    keymap, notes = config.load_keymap()
    assert keymap == {"metrics.watch": "W"}
    assert notes == [
        "keymap: 'a' needs a key like \"W\" or a list of keys",
        "keymap: 'b' has no key; it keeps its default",
        "keymap: 'c' needs a key like \"W\" or a list of keys",
        "keymap: 'd' needs a key like \"W\" or a list of keys",
        "keymap: 'g' has no key; it keeps its default",
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"[keymap\n", "is not valid TOML"),
        (b"\xff\xfe[keymap]", "is not valid TOML"),
        (b"keymap = 3\n", "keymap must be a table"),
        (b"keymap = [" * 100_000, "is not valid TOML"),
    ],
)
def test_a_damaged_config_file_is_a_note_not_a_crash(
    isolated_dirs: Path, data: bytes, problem: str
) -> None:
    path = write_config(isolated_dirs, data)
    keymap, notes = config.load_keymap()
    assert keymap == {}
    assert len(notes) == 1 and str(path) in notes[0] and problem in notes[0]


def test_an_unreadable_config_file_is_a_note(isolated_dirs: Path) -> None:
    (isolated_dirs / "config" / config.CONFIG_FILE).mkdir(parents=True)
    keymap, notes = config.load_keymap()
    assert keymap == {} and len(notes) == 1 and "could not be read" in notes[0]
