"""Where roark-tui keeps its files, and the one writer that replaces them.

`config` (settings), `auth` (credentials) and the stores of this package all build on this
module, and it imports nothing of ours, so none of them has to import another to find a path.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

APP_NAME = "roark-tui"
CONFIG_DIR_ENV = "ROARK_TUI_CONFIG_DIR"
STATE_DIR_ENV = "ROARK_TUI_STATE_DIR"


def env_value(name: str) -> str | None:
    """An environment variable, with blank treated as unset (like the official SDK)."""
    value = os.environ.get(name, "").strip()
    return value or None


def config_dir() -> Path:
    """Directory for profiles and credentials (platformdirs user config dir)."""
    override = env_value(CONFIG_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """Directory for drafts, history and the other stores (platformdirs user state dir)."""
    override = env_value(STATE_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def ensure_private_dir(path: Path) -> None:
    """Create `path` (and missing parents) so that the directories we create are 0700."""
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    for created in missing:  # mkdir's mode is filtered by the umask; be explicit
        with contextlib.suppress(OSError):
            created.chmod(0o700)


def atomic_write(path: Path | str, data: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `data` all at once: readers see the old file or the new, never half.

    The temp file lives in the same directory (so the rename is atomic), gets `mode` before any
    byte is written, and is fsynced before `os.replace`. On failure the old file is untouched and
    the temp file is removed.
    """
    path = Path(path)
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.chmod(tmp, mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable where the platform allows it (POSIX)."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
