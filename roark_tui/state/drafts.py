"""Wizard drafts kept under the user state dir, so nothing typed is lost to a quit or a crash.

One JSON object per wizard and running roark-tui: `drafts/<name>.json`, and when another
roark-tui already has that wizard's draft, `drafts/<name>.2.json` and so on. A running
roark-tui holds a lock on the draft it took (state/locks.py) while its wizard is there, so two
of them never overwrite each other's typing; once it ends, however it ends, the draft is free
again, and the next wizard to open takes the newest free draft and offers to resume it.

A draft that is cleared (declined at the resume prompt, or sent) is not deleted but moved to
`drafts/discarded/<name>-<UTC time>.json`, kept `KEEP_DISCARDED` days: moving it back to
`drafts/<name>.json` and opening the wizard offers it again.

Any JSON object is handed on: the wizards read its fields tolerantly. Anything else is damage:
set aside, with `problem` for the wizard to say, and the wizard starts afresh.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from roark_tui.state import locks
from roark_tui.state.files import ensure_private_dir
from roark_tui.state.store import JsonStore

DISCARDED_DIR = "discarded"
KEEP_DISCARDED = 7  # days
SLOTS = 20
"""How many wizards of one kind may keep a draft at once, each in its own running roark-tui."""

_held: dict[Path, list[int]] = {}
"""The drafts this process holds: path -> [the descriptor that holds its lock, stores using it].
The last store of a draft to go lets the lock go."""
_taking = threading.Lock()


def _shape(raw: Any) -> dict[str, Any] | None:
    return raw if isinstance(raw, dict) else None


class DraftStore(JsonStore[dict[str, Any]]):
    """load/save/clear one named draft: the one this process holds."""

    def __init__(self, name: str) -> None:
        self.name = re.sub(r"[^a-z0-9_-]+", "_", name.lower()) or "draft"
        super().__init__(
            f"drafts/{self.name}.json", what="The saved draft", shape=_shape, scoped=True
        )
        self._slot: tuple[Path, Path] | None = None
        """(the first file's path when the draft was taken, the draft taken)"""
        self._let_go: Callable[[], object] | None = None
        self._shared: str | None = None

    @property
    def path(self) -> Path:
        """This process's draft file, taken on first use and kept (taken anew when the state
        dir or the account has changed since)."""
        first = self._first_slot()
        if self._slot is None or self._slot[0] != first:
            if self._let_go is not None:
                self._let_go()
                self._let_go = None
            self._slot = (first, self._take_slot(first))
        return self._slot[1]

    def load(self) -> dict[str, Any] | None:
        """The draft (see JsonStore.load); `problem` also says when another roark-tui has this
        wizard open."""
        value = super().load()
        if self._shared:
            self.problem = " ".join(filter(None, (self._shared, self.problem)))
        return value

    def clear(self) -> None:
        """Move the draft to `discarded/` (kept KEEP_DISCARDED days), and forget older ones."""
        path = self.path
        discarded = path.parent / DISCARDED_DIR
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = discarded / f"{self.name}-{stamp}.json"
        number = 1
        try:
            ensure_private_dir(discarded)
            while target.exists():
                number += 1
                target = discarded / f"{self.name}-{stamp}-{number}.json"
            os.rename(path, target)
        except FileNotFoundError:
            pass  # nothing saved
        except OSError:
            super().clear()
        _forget_old(discarded)

    def _first_slot(self) -> Path:
        return super().path

    def _take_slot(self, first: Path) -> Path:
        """The newest draft no other running roark-tui holds, else the first free file."""
        self._shared = None
        with _taking:
            free: list[Path] = []
            held_elsewhere = 0
            for number in range(1, SLOTS + 1):
                slot = first if number == 1 else first.with_name(f"{self.name}.{number}.json")
                if free and not slot.exists():
                    continue  # a file to start in is found; only drafts left behind matter
                try:
                    ours = _hold(slot)
                except OSError:  # no lock to be had (a read-only disk): the one file for all
                    for taken in free:
                        _let_go(taken, using=0)
                    return first
                if ours:
                    free.append(slot)
                else:
                    held_elsewhere += 1
            existing = [p for p in free if p.exists()]
            chosen = max(existing, key=_mtime) if existing else (free[0] if free else first)
            if chosen in _held:
                _held[chosen][1] += 1
                self._let_go = weakref.finalize(self, _let_go, chosen)
            for slot in free:
                _let_go(slot, using=0)
        if held_elsewhere:
            self._shared = (
                f"Another roark-tui has this wizard open; this one keeps its own draft "
                f"({chosen.name}) and leaves the other's alone."
                if chosen in _held
                else f"{held_elsewhere} other roark-tui's have this wizard open; this one "
                f"shares {chosen.name} with them (the last to save wins)."
            )
        return chosen


def _hold(slot: Path) -> bool:
    """Whether this process holds (or now takes) the lock of draft `slot`."""
    if slot in _held:
        return True
    fd = locks.try_lock(slot)
    if fd is None:
        return False
    _held[slot] = [fd, 0]
    return True


def _let_go(slot: Path, using: int = 1) -> None:
    """One store of `slot` is gone (`using=0`: none took it); the last lets the lock go."""
    with contextlib.suppress(KeyError):
        held = _held[slot]
        held[1] -= using
        if held[1] <= 0:
            del _held[slot]
            os.close(held[0])


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _forget_old(discarded: Path) -> None:
    cutoff = time.time() - KEEP_DISCARDED * 86400
    with contextlib.suppress(OSError):
        for old in discarded.glob("*.json"):
            if _mtime(old) < cutoff:
                with contextlib.suppress(OSError):
                    old.unlink()
