"""Where roark-tui keeps its files, and which settings are in effect.

Precedence for every setting is flag > environment > stored profile > default, so a one-off
`--token` or `ROARK_API_BEARER_TOKEN` always wins and nothing from the environment is written.
This module never imports textual (it is used by the CLI before any UI exists).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

DEFAULT_BASE_URL = "https://api.roark.ai"
DEFAULT_PROFILE = "default"
TOKEN_ENV = "ROARK_API_BEARER_TOKEN"
BASE_URL_ENV = "ROARK_BASE_URL"
PROJECT_ENV = "ROARK_PROJECT_ID"
CONFIG_DIR_ENV = "ROARK_TUI_CONFIG_DIR"
STATE_DIR_ENV = "ROARK_TUI_STATE_DIR"
APP_NAME = "roark-tui"

TokenSource = Literal["flag", "env", "file"]


def _env(name: str) -> str | None:
    """An environment variable, with blank treated as unset (like the official SDK)."""
    value = os.environ.get(name, "").strip()
    return value or None


def config_dir() -> Path:
    """Directory for profiles and credentials (platformdirs user config dir)."""
    override = _env(CONFIG_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """Directory for drafts and history (platformdirs user state dir)."""
    override = _env(STATE_DIR_ENV)
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


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to reach the API. The token is kept out of repr()."""

    base_url: str = DEFAULT_BASE_URL
    token: str | None = field(default=None, repr=False)
    token_source: TokenSource | None = None
    profile: str = DEFAULT_PROFILE
    project_id: str | None = None
    demo: bool = False
    insecure: bool = False
    notes: tuple[str, ...] = ()
    """Warnings found while resolving (an unreadable credentials file, ...), for stderr."""


def resolve_settings(args: Any) -> Settings:
    """Settings from parsed CLI args (any object; missing attributes count as not given)."""
    from roark_tui.auth import TokenStore  # auth builds on this module's paths and writer

    def flag(name: str) -> Any:
        value = getattr(args, name, None)
        return value.strip() or None if isinstance(value, str) else value

    profile_name = flag("profile") or DEFAULT_PROFILE
    store = TokenStore()
    stored = store.get(profile_name)
    notes = (store.problem,) if store.problem else ()

    token: str | None = None
    source: TokenSource | None = None
    candidates: tuple[tuple[str | None, TokenSource], ...] = (
        (flag("token"), "flag"),
        (_env(TOKEN_ENV), "env"),
        (stored.token if stored else None, "file"),
    )
    for candidate, where in candidates:
        if candidate:
            token, source = candidate, where
            break

    base_url = (
        flag("base_url") or _env(BASE_URL_ENV) or (stored.base_url if stored else None)
    ) or DEFAULT_BASE_URL
    return Settings(
        base_url=base_url.rstrip("/"),
        token=token,
        token_source=source,
        profile=profile_name,
        project_id=flag("project") or _env(PROJECT_ENV) or (stored.project_id if stored else None),
        demo=bool(flag("demo")),
        insecure=bool(flag("insecure")),
        notes=notes,
    )


CONFIG_FILE = "config.toml"


def config_file() -> Path:
    """The user's settings file (TOML): today only its `[keymap]` table."""
    return config_dir() / CONFIG_FILE


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """The `[keymap]` table of the config file: binding id -> keys (`"W"`, `"ctrl+w,f5"`, or a
    list of keys), and a note for each thing that could not be used. Never raises: a missing
    file is an empty keymap, a damaged file or entry is a note and the defaults stay."""
    path = path or config_file()
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return {}, []
    except OSError as exc:
        return {}, [f"{path} could not be read ({exc.strerror or type(exc).__name__})"]
    import tomllib

    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        return {}, [f"{path} is not valid TOML ({exc}); no keys were changed"]
    table = doc.get("keymap", {})
    if not isinstance(table, dict):
        return {}, [f"{path}: keymap must be a table ([keymap]); no keys were changed"]
    keymap: dict[str, str] = {}
    notes: list[str] = []
    for binding_id, value in table.items():
        keys = [value] if isinstance(value, str) else value
        if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
            notes.append(f'keymap: {binding_id!r} needs a key like "W" or a list of keys')
            continue
        cleaned = [part.strip() for key in keys for part in key.split(",") if part.strip()]
        if not cleaned:
            notes.append(f"keymap: {binding_id!r} has no key; it keeps its default")
            continue
        keymap[binding_id] = ",".join(cleaned)
    return keymap, notes
