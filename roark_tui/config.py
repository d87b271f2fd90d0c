"""Which settings are in effect (where the files live is `state.files`).

Precedence for every setting is flag > environment > stored profile > default, so a one-off
`--token` or `ROARK_API_BEARER_TOKEN` always wins and nothing from the environment is written.
This module never imports textual (it is used by the CLI before any UI exists).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from roark_tui.auth import TokenStore
from roark_tui.state.files import config_dir, env_value
from roark_tui.state.store import DamagedFile, read_bounded

DEFAULT_BASE_URL = "https://api.roark.ai"
DEFAULT_PROFILE = "default"
TOKEN_ENV = "ROARK_API_BEARER_TOKEN"
BASE_URL_ENV = "ROARK_BASE_URL"
PROJECT_ENV = "ROARK_PROJECT_ID"

TokenSource = Literal["flag", "env", "file"]


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
    stored_profiles: tuple[str, ...] = ()
    """The profiles the credentials file holds, to say so when `profile` is none of them."""

    @property
    def profile_stored(self) -> bool:
        return self.profile in self.stored_profiles

    def login_command(self) -> str:
        """`roark-tui auth login`, naming the profile unless it is the default."""
        named = "" if self.profile == DEFAULT_PROFILE else f" --profile {self.profile}"
        return f"roark-tui{named} auth login"

    def refused_token_fix(self) -> str:
        """What to change when the server refuses the token: at its source, since a fix
        anywhere the precedence ranks lower would not take effect."""
        if self.token_source == "flag":
            return (
                "it came from --token, which wins over everything else: pass a valid token "
                f"there, or leave --token out to use ${TOKEN_ENV} or the stored profile"
            )
        if self.token_source == "env":
            return (
                f"it came from ${TOKEN_ENV}, which wins over the stored profile: set it to a "
                f"valid token, or unset it to use the token `{self.login_command()}` stores"
            )
        return (
            f"it came from profile {self.profile} in {TokenStore().path}: run "
            f"`{self.login_command()}` to store a valid one (or pass --token, or set "
            f"${TOKEN_ENV})"
        )


def resolve_settings(args: Any) -> Settings:
    """Settings from parsed CLI args (any object; missing attributes count as not given)."""

    def flag(name: str) -> Any:
        value = getattr(args, name, None)
        return value.strip() or None if isinstance(value, str) else value

    profile_name = flag("profile") or DEFAULT_PROFILE
    store = TokenStore()
    profiles = store.load()
    stored = profiles.get(profile_name)
    notes = (*store.warnings, *((store.problem,) if store.problem else ()))

    token: str | None = None
    source: TokenSource | None = None
    candidates: tuple[tuple[str | None, TokenSource], ...] = (
        (flag("token"), "flag"),
        (env_value(TOKEN_ENV), "env"),
        (stored.token if stored else None, "file"),
    )
    for candidate, where in candidates:
        if candidate:
            token, source = candidate, where
            break

    base_url = (
        flag("base_url") or env_value(BASE_URL_ENV) or (stored.base_url if stored else None)
    ) or DEFAULT_BASE_URL
    return Settings(
        base_url=base_url.rstrip("/"),
        token=token,
        token_source=source,
        profile=profile_name,
        project_id=flag("project")
        or env_value(PROJECT_ENV)
        or (stored.project_id if stored else None),
        demo=bool(flag("demo")),
        insecure=bool(flag("insecure")),
        notes=notes,
        stored_profiles=tuple(sorted(profiles)),
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
    try:  # bounded, and only a regular file: a FIFO or /dev/zero there cannot hang the app
        raw = read_bounded(path)
    except FileNotFoundError:
        return {}, []
    except DamagedFile as exc:
        return {}, [f"{path} could not be read ({exc}); no keys were changed"]
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
