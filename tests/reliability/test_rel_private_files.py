"""The files that hold the token and the settings: made private when found open to others (as ssh
insists), and read only when they are regular files of a sane size, so a FIFO or /dev/zero in
their place cannot hang the app or eat its memory."""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from roark_tui.auth import CREDENTIALS_FILE, TokenStore
from roark_tui.config import config_file, resolve_settings
from roark_tui.state.files import config_dir

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "tok_private_files_1234567"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def open_credentials() -> Path:
    """A stored token in a 0644 file, in a 0777 directory (made by hand, or by another tool)."""
    TokenStore().save("default", token=TOKEN, base_url="https://api.roark.example")
    path = config_dir() / CREDENTIALS_FILE
    path.chmod(0o644)
    path.parent.chmod(0o777)
    return path


def test_credentials_open_to_others_are_made_private_and_said() -> None:
    path = open_credentials()
    settings = resolve_settings(type("Args", (), {})())
    assert settings.token == TOKEN
    assert mode(path.parent) == 0o700 and mode(path) == 0o600
    said = " ".join(settings.notes)
    assert "The config directory" in said and "(mode 0777); it is now 0700" in said
    assert "The credentials file" in said and "(mode 0644); it is now 0600" in said
    assert "consider replacing it" in said and TOKEN not in said
    assert resolve_settings(type("Args", (), {})()).notes == (), "said again once private"


def test_credentials_of_another_user_are_left_alone_but_said(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = open_credentials()
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(path).st_uid + 1)
    store = TokenStore()
    assert store.get("default") is not None
    assert mode(path) == 0o644
    assert any("belongs to another user" in note for note in store.warnings)


def test_a_fifo_or_dev_zero_where_a_file_should_be_is_refused_at_once() -> None:
    """In a child with 1 GiB of address space and a deadline: reading either whole would hang
    it or run it out of memory."""
    script = textwrap.dedent(
        f"""
        import os
        from roark_tui.auth import TokenStore
        from roark_tui.config import load_keymap
        os.makedirs(os.path.dirname({str(config_file())!r}), exist_ok=True)
        for make in (os.mkfifo, lambda path: os.symlink("/dev/zero", path)):
            for path in ({str(config_file())!r}, {str(TokenStore().path)!r}):
                make(path)
            keymap, notes = load_keymap()
            store = TokenStore()
            print(keymap, notes[0], store.load(), store.problem, flush=True)
            for path in ({str(config_file())!r}, {str(TokenStore().path)!r}):
                os.unlink(path)
        """
    )

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=limit_memory,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        assert line.startswith("{} ") and "not a regular file" in line
        assert "no keys were changed" in line and "ignoring unreadable credentials" in line
