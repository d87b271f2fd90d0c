"""Advisory locks beside kept files, so two roark-tui processes (or two threads of one) that
change the same file take turns instead of overwriting each other.

A lock is `flock` on a small file next to the one it guards (`.history.json.lock`), which is
never replaced, so the lock outlives every atomic rewrite of the file itself; the kernel drops
it when its holder ends, however it ends, so a crash never leaves a stale lock. Each call opens
the lock file afresh, and flock treats separate opens as separate holders: threads of one
process exclude each other too. Where flock is missing (Windows), locking is a no-op.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from roark_tui.state.files import ensure_private_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

WAIT = 5.0
"""How long a writer waits for its turn: far above any read-modify-write of a kept file, and a
bound, so a process stopped while holding a lock (ctrl+z) cannot hang another."""
POLL = 0.005


def lock_path(path: Path) -> Path:
    """The lock file that guards `path`."""
    return path.with_name(f".{path.name}.lock")


def try_lock(path: Path) -> int | None:
    """Take the lock guarding `path` without waiting: the open descriptor that holds it (close
    it to let go), or None when another holder has it."""
    lock = lock_path(path)
    ensure_private_dir(lock.parent)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    if fcntl is None:
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def turn(path: Path, *, wait: float = WAIT) -> Iterator[None]:
    """Hold the lock guarding `path` for the block, waiting up to `wait` seconds for it. When
    it cannot be had (a holder stuck, a disk that refuses the lock file) the block runs anyway
    and the fact is logged: a kept file is a convenience, never a reason to hang."""
    fd: int | None = None
    deadline = time.monotonic() + wait
    try:
        while (fd := try_lock(path)) is None and time.monotonic() < deadline:
            time.sleep(POLL)
        if fd is None:
            log.info("no lock for %s within %.0f s; writing without it", path, wait)
    except OSError as exc:
        log.info("no lock for %s (%s); writing without it", path, exc.strerror or exc)
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)
