"""The tolerant JSON store behind every file roark-tui keeps between runs.

Reading never raises. A file that is not one we can use (cut short, not JSON, not UTF-8, of the
wrong shape, nested too deep for the parser, larger than the store's bound, unreadable, or a
directory, FIFO or device in its place) is renamed aside with a timestamped suffix, so the user
can still get at it and the app starts empty once instead of tripping on it at every start; the
store's `problem` then says what happened, for the screen to show and the log to keep.
Writing goes through `files.atomic_write`: all or nothing, 0600 in a 0700 directory.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from roark_tui.state import locks
from roark_tui.state.files import atomic_write, state_dir

T = TypeVar("T")
log = logging.getLogger(__name__)

MAX_BYTES = 1 << 20
"""The default bound on a kept file: far above what any store writes, far below a problem."""
SET_ASIDE_SUFFIX = ".damaged-"


class DamagedFile(Exception):
    """A file is there but is not one we can read; the message says why, in a few words."""


def read_bounded(path: Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of `path`, read in one bounded go.

    Raises FileNotFoundError when nothing is there and DamagedFile for anything else that goes
    wrong; never anything more. The file is opened without blocking and checked to be a regular
    file before a byte is read, so a FIFO or a device in its place cannot hang the app.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except (FileNotFoundError, NotADirectoryError):
        raise FileNotFoundError(path) from None
    except OSError as exc:
        raise DamagedFile(f"unreadable: {exc.strerror or type(exc).__name__}") from None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise DamagedFile("a directory, not a file")
            if not stat.S_ISREG(info.st_mode):
                raise DamagedFile("not a regular file")
            if info.st_size > max_bytes:
                raise DamagedFile(f"larger than {max_bytes:,} bytes")
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise DamagedFile(f"unreadable: {exc.strerror or type(exc).__name__}") from None
    if len(data) > max_bytes:  # grew while we looked
        raise DamagedFile(f"larger than {max_bytes:,} bytes")
    return data


def read_json(path: Path, *, max_bytes: int = MAX_BYTES) -> Any:
    """The parsed content of `path` (read_bounded); DamagedFile too when it is not JSON."""
    data = read_bounded(path, max_bytes=max_bytes)
    try:
        return json.loads(data)
    except UnicodeDecodeError:
        raise DamagedFile("not UTF-8 text") from None
    except ValueError:
        raise DamagedFile("not valid JSON") from None
    except RecursionError:
        raise DamagedFile("nested too deep") from None


class JsonStore(Generic[T]):
    """One JSON file under the state dir, read through `shape`.

    `shape` turns the parsed JSON into the store's value, or returns None when the JSON is not
    of the store's shape (the file is then damaged like any other). `what` names the file for
    the user ("The lookup history"). The path is resolved at each use, so a changed state dir
    (tests, the screenshot script) is followed.
    """

    def __init__(
        self,
        relative: str,
        *,
        what: str,
        shape: Callable[[Any], T | None],
        max_bytes: int = MAX_BYTES,
        scoped: bool = False,
    ) -> None:
        """`scoped`: kept per account (state/account.py), not once for everyone."""
        self.scoped = scoped
        self.relative = relative
        self.what = what
        self.shape = shape
        self.max_bytes = max_bytes
        self.problem: str | None = None
        """What went wrong at the last load, or at a save since, in words for the user."""

    @property
    def path(self) -> Path:
        if self.scoped:
            from roark_tui.state.account import account_dir

            return account_dir() / self.relative
        return state_dir() / self.relative

    def load(self) -> T | None:
        """The stored value; None when nothing is stored or the file was damaged (`problem`)."""
        self.problem = None
        path = self.path
        try:
            raw = read_json(path, max_bytes=self.max_bytes)
        except FileNotFoundError:
            return None
        except DamagedFile as exc:
            self._set_aside(path, str(exc))
            return None
        try:
            value = self.shape(raw)
        except RecursionError:  # deep, though within the parser's reach
            value = None
        if value is None:
            self._set_aside(path, "not in the expected shape")
        return value

    def save(self, value: Any) -> bool:
        """Replace the stored value. A disk that refuses is not an error (a kept file is a
        convenience): False, and `problem` says why. A success leaves `problem` as the load
        before it left it, so a read-modify-write still reports damage found by its read."""
        data = json.dumps(value, indent=1).encode("ascii")
        try:
            atomic_write(self.path, data)
        except OSError as exc:
            self._note(f"{self.what} could not be saved ({exc.strerror or type(exc).__name__}).")
            return False
        return True

    def update(self, change: Callable[[T | None], Any]) -> bool:
        """Read, change and write back as one step: `change` gets the stored value (None when
        nothing usable is stored) and returns what to store, or None to leave the file as it
        is. Other processes and threads that update the same file wait their turn
        (state/locks.py), so none loses another's change. False when the disk refused the write
        (`problem` says why)."""
        with locks.turn(self.path):
            changed = change(self.load())
            return True if changed is None else self.save(changed)

    def clear(self) -> None:
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            self.path.unlink()

    def _set_aside(self, path: Path, reason: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = path.with_name(f"{path.name}{SET_ASIDE_SUFFIX}{stamp}")
        number = 1
        while kept.exists() or kept.is_symlink():
            number += 1
            kept = path.with_name(f"{path.name}{SET_ASIDE_SUFFIX}{stamp}-{number}")
        try:
            os.rename(path, kept)
        except OSError as exc:
            where = f"it could not be moved aside ({exc.strerror or type(exc).__name__})"
        else:
            where = f"it was set aside as {kept.name}"
        self._note(f"{self.what} was damaged ({reason}); {where}. Starting afresh.")

    def _note(self, problem: str) -> None:
        """Keep `problem` for the screen; log it at info level (the last-resort handler would
        print a warning over the screen)."""
        self.problem = problem
        log.info("%s (%s)", problem, self.path)
