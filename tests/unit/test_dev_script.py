"""`./dev demo` and the README's Quick start: a new user can run the README's examples."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake_checkout(tmp_path: Path) -> Path:
    """A copy of ./dev beside a .venv that is already installed, whose roark-tui prints its
    arguments one a line (nothing is installed or run for real)."""
    shutil.copy(ROOT / "dev", tmp_path / "dev")
    for name in ("pyproject.toml", "constraints.txt"):
        (tmp_path / name).write_text(f"# {name}\n")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name, body in (("python", "exit 0"), ("roark-tui", 'printf "%s\\n" "$@"')):
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    both = (tmp_path / "pyproject.toml").read_bytes() + (tmp_path / "constraints.txt").read_bytes()
    (tmp_path / ".venv" / ".installed-runtime").write_text(hashlib.sha256(both).hexdigest() + "\n")
    return tmp_path


def demo_args(checkout: Path, *args: str) -> list[str]:
    done = subprocess.run(
        [str(checkout / "dev"), "demo", *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return done.stdout.splitlines()


def test_dev_demo_takes_the_examples_arguments(fake_checkout: Path) -> None:
    chat = ["chat", "232a693b-fd7d-4d2a-a032-7a81471a07e5"]
    assert demo_args(fake_checkout, *chat) == ["--demo", *chat]
    pasted = demo_args(fake_checkout, "roark-tui", "--demo", *chat)  # an example pasted whole
    assert pasted[0] == "--demo" and pasted[-2:] == chat and "roark-tui" not in pasted


def test_the_quick_start_keeps_two_commands_and_says_how_to_get_roark_tui() -> None:
    readme = (ROOT / "README.md").read_text()
    start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", start, re.S)
    assert block is not None
    assert [line.split()[:2] for line in block.group(1).splitlines()] == [
        ["./dev", "demo"],
        ["./dev", "test"],
    ]
    assert ". .venv/bin/activate" in start and "./dev demo chat " in start
