"""Whose files these are: lookups, drafts and recent packages are kept per account.

An account is a base URL, a profile and a project (the demo is one account of its own), so the
demo's lookups never show under a real account and one project's drafts never under another's.
`use` names the account in effect (the CLI, once its settings are resolved; the app, when the
project is switched); the stores made with `scoped=True` then live in `accounts/<key>/` under the
state dir. Before any account is named (tests that build an app by hand), they live at the top.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from roark_tui.state.files import state_dir

ACCOUNTS_DIR = "accounts"
_current: str | None = None


def key(*, base_url: str, profile: str, project_id: str | None, demo: bool = False) -> str:
    """A directory name for the account: readable (`api.roark.ai_default_5d1f0b8e`), and
    made unique by a short hash of the whole triple."""
    if demo:
        return "demo" if not project_id else f"demo_{_hash(project_id)}"
    host = urlsplit(base_url).netloc or base_url
    words = [host, profile, (project_id or "default")[:8]]
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", "_".join(words))[:60]
    return f"{readable}_{_hash(base_url, profile, project_id or '')}"


def use_settings(settings: Any, project_id: str | None = None) -> None:
    """Keep the files of the account `settings` (config.Settings) name, in `project_id` when
    one is given (a project switch)."""
    use(
        key(
            base_url=settings.base_url,
            profile=settings.profile,
            project_id=project_id or settings.project_id,
            demo=settings.demo,
        )
    )


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:8]


def use(account: str | None) -> None:
    """Keep the files of `account` (a `key`) from now on; None: the state dir's top."""
    global _current
    _current = account


def current() -> str | None:
    return _current


def account_dir() -> Path:
    """Where the scoped stores of the account in effect live."""
    base = state_dir()
    return base / ACCOUNTS_DIR / _current if _current else base
