"""Recently used analysis package ids: newest first, each once, a few kept, junk ignored."""

from __future__ import annotations

from roark_tui.state import recent_packages

IDS = [f"{i}0000000-0000-4000-8000-000000000000" for i in range(7)]


def test_newest_first_each_once_and_bounded(isolated_dirs):
    assert recent_packages.load() == []
    for package in IDS:
        recent_packages.remember(package)
    assert recent_packages.load() == IDS[::-1][: recent_packages.LIMIT]
    assert recent_packages.remember(f" {IDS[4].upper()} ")[0] == IDS[4].upper()
    assert [p.lower() for p in recent_packages.load()].count(IDS[4]) == 1
    assert recent_packages.remember("  ") == recent_packages.load()
    assert recent_packages.path().is_relative_to(isolated_dirs / "state")


def test_unreadable_or_odd_files_read_as_empty(isolated_dirs):
    path = recent_packages.path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    assert recent_packages.load() == []
    path.write_text('{"a": 1}')
    assert recent_packages.load() == []
    path.write_text(f'["{IDS[0]}", 5, "", null]')
    assert recent_packages.load() == [IDS[0]]
