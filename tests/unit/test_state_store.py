"""The tolerant JSON store on its own: private atomic saves, the bound on reads, what a shape
function decides, and that a refused save is a note, not an error. Every kind of damage, for
every store the app keeps, is in tests/reliability/test_rel_corrupt_files.py."""

from __future__ import annotations

import errno
import stat
from pathlib import Path
from typing import Any

import pytest

from roark_tui.state import store as store_module
from roark_tui.state.store import DamagedFile, JsonStore, read_json


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def numbers(raw: Any) -> list[int] | None:
    return [n for n in raw if isinstance(n, int)] if isinstance(raw, list) else None


def test_save_is_private_and_reads_back(isolated_dirs: Path) -> None:
    kept = JsonStore("deep/er/numbers.json", what="The numbers", shape=numbers)
    assert kept.load() is None and kept.problem is None  # nothing stored is not a problem
    assert kept.save([1, "two", 3])
    assert kept.load() == [1, 3]
    assert kept.path == isolated_dirs / "state" / "deep" / "er" / "numbers.json"
    assert mode(kept.path) == 0o600
    assert mode(kept.path.parent) == mode(kept.path.parent.parent) == 0o700
    kept.clear()
    kept.clear()
    assert kept.load() is None


def test_the_bound_is_the_store_s(tmp_path: Path) -> None:
    path = tmp_path / "n.json"
    path.write_text("[1, 2, 3]")
    assert read_json(path, max_bytes=9) == [1, 2, 3]
    with pytest.raises(DamagedFile, match="larger than 8 bytes"):
        read_json(path, max_bytes=8)


def test_nothing_there_is_not_damage(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_json(tmp_path / "missing.json")
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileNotFoundError):  # a parent that is a file: still nothing stored
        read_json(tmp_path / "file" / "n.json")


def test_a_shape_that_recurses_too_deep_is_damage(isolated_dirs: Path) -> None:
    """Data within the parser's reach can still be too deep for the code reading it."""

    def walk(raw: Any) -> int:
        return 1 + walk(raw)

    kept = JsonStore("deep.json", what="The deep file", shape=walk)
    kept.path.parent.mkdir(parents=True)
    kept.path.write_text("[[[]]]")
    assert kept.load() is None
    assert kept.problem is not None and "not in the expected shape" in kept.problem
    assert not kept.path.exists()


def test_a_refused_save_is_a_note(isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_module, "atomic_write", refuse)
    kept = JsonStore("n.json", what="The numbers", shape=numbers)
    assert not kept.save([1])
    assert kept.problem == "The numbers could not be saved (No space left on device)."


def test_any_text_is_saved_even_what_utf_8_cannot_encode(isolated_dirs: Path) -> None:
    """A lone surrogate (a broken paste) is kept as an escape, not a failed save."""
    kept = JsonStore("t.json", what="The text", shape=lambda raw: raw)
    assert kept.save({"prompt": "caf\u00e9 \ud800 \U0001f600"})
    assert kept.load() == {"prompt": "caf\u00e9 \ud800 \U0001f600"}
