"""Kept files under concurrent writers and second thoughts: no lookup lost to another process
or thread writing the history at the same moment, one draft per running roark-tui, and a draft
declined at the resume prompt kept, for a while, where it can be brought back."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from roark_tui.state import history, recent_packages
from roark_tui.state.drafts import DISCARDED_DIR, KEEP_DISCARDED, DraftStore

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 12, 6, tzinfo=UTC)
RECORDER = """
import sys
from datetime import UTC, datetime
from roark_tui.state import history
sys.stdin.readline()  # all start together
for n in range(5):
    history.record("chat", f"{sys.argv[1]}-{n}", when=datetime.now(UTC))
"""
DRAFTER = """
import sys
from roark_tui.state.drafts import DraftStore
store = DraftStore("threshold")
store.save({"draft": {"source": "child"}})
print(store.path, flush=True)
sys.stdin.readline()
store.save({"draft": {"source": "child, later"}})
"""


def child(code: str, *args: str) -> subprocess.Popen[bytes]:
    """A Python process running `code` with this test's state dir, its stdin and stdout piped."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-c", code, *args]
    return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)


def test_lookups_recorded_at_once_by_threads_and_processes_are_all_kept() -> None:
    start = threading.Barrier(10)

    def record(n: int) -> None:
        start.wait()
        history.record("call", f"thread-{n}", when=T0)

    threads = [threading.Thread(target=record, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {e.id for e in history.load()} == {f"thread-{n}" for n in range(10)}

    children = [child(RECORDER, f"proc{p}") for p in range(2)]
    for recorder in children:
        assert recorder.stdin is not None
        recorder.stdin.write(b"go\n")
        recorder.stdin.flush()
    assert all(recorder.wait(timeout=60) == 0 for recorder in children)
    kept = {e.id for e in history.load()}
    assert kept == {f"proc{p}-{n}" for p in range(2) for n in range(5)} | {
        f"thread-{n}" for n in range(10)
    }, f"{20 - len(kept)} of 20 lookups lost"


def test_packages_remembered_at_once_are_all_kept() -> None:
    start = threading.Barrier(recent_packages.LIMIT)

    def remember(n: int) -> None:
        start.wait()
        recent_packages.remember(f"pkg-{n}")

    threads = [threading.Thread(target=remember, args=(n,)) for n in range(recent_packages.LIMIT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(recent_packages.load()) == [f"pkg-{n}" for n in range(recent_packages.LIMIT)]


def test_two_running_roark_tuis_keep_a_draft_each() -> None:
    other = child(DRAFTER)
    assert other.stdin is not None and other.stdout is not None
    theirs = Path(other.stdout.readline().decode().strip())
    mine = DraftStore("threshold")
    assert mine.load() is None, "the other roark-tui's draft was offered while it is open"
    assert mine.problem is not None and "Another roark-tui has this wizard open" in mine.problem
    mine.save({"draft": {"source": "parent"}})
    assert mine.path != theirs
    time.sleep(0.01)  # the child's next save is the newest, whatever the clock's resolution
    other.stdin.write(b"go\n")
    other.stdin.close()
    assert other.wait(timeout=60) == 0
    assert json.loads(theirs.read_text())["draft"]["source"] == "child, later"
    assert json.loads(mine.path.read_text())["draft"]["source"] == "parent"
    # The child has ended: its draft is free, and the newest, so the next wizard offers it;
    # this process's own draft stays where it is.
    del mine
    gc.collect()
    assert DraftStore("threshold").load() == {"draft": {"source": "child, later"}}


def test_a_declined_draft_is_kept_for_a_while_and_can_be_brought_back() -> None:
    store = DraftStore("definition")
    store.save({"draft": {"name": "Caller verified"}})
    discarded = store.path.parent / DISCARDED_DIR
    discarded.mkdir(mode=0o700)
    old = discarded / "definition-20200101T000000Z.json"
    old.write_text("{}")
    week_ago = time.time() - KEEP_DISCARDED * 86400 - 60
    os.utime(old, (week_ago, week_ago))

    store.clear()  # `n` or esc at the resume prompt

    assert store.load() is None
    (kept,) = discarded.glob("definition-*.json")  # the old one is forgotten
    assert json.loads(kept.read_text()) == {"draft": {"name": "Caller verified"}}
    assert kept.stat().st_mode & 0o077 == 0
    kept.rename(store.path)  # how to get it back (README, Reliability)
    assert DraftStore("definition").load() == {"draft": {"name": "Caller verified"}}
