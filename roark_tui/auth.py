"""The stored credentials: named profiles, each with a base URL and a bearer token.

One JSON file in the config dir (`credentials.json`, mode 0600 in a 0700 dir), read and replaced
through the same reader and atomic writer as every other kept file (`state`). An unreadable file
is reported (`TokenStore.problem`) and treated as empty, so a damaged file never locks the user
out: `roark-tui auth login` simply writes a fresh one. Unlike the other kept files it is never
set aside: a file that may hold a token is not copied or moved, so the token stays in one file.
As ssh does, a credentials file found open to other users, or its directory open to their
writing, is made private at each load, and said (`TokenStore.warnings`): the token may have been
read. Tokens from the environment never come through here. This module never imports textual.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from roark_tui.state.files import atomic_write, config_dir
from roark_tui.state.store import DamagedFile, read_json

CREDENTIALS_FILE = "credentials.json"
MASK = "••••"


def mask(token: str | None) -> str:
    """The token as it may be shown: its last 4 characters only; short tokens fully hidden."""
    if not token:
        return "(none)"
    if len(token) < 12:
        return MASK
    return MASK + token[-4:]


@dataclass(frozen=True)
class Profile:
    """One stored profile. The token is kept out of repr()."""

    base_url: str | None = None
    token: str | None = field(default=None, repr=False)
    project_id: str | None = None

    def to_json(self) -> dict[str, str]:
        raw = {"base_url": self.base_url, "token": self.token, "project_id": self.project_id}
        return {key: value for key, value in raw.items() if value}


class TokenStore:
    """Profiles file reader/writer. Each call reads the file afresh (it is tiny)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / CREDENTIALS_FILE
        self.problem: str | None = None
        """Why the file could not be read on the last load, or None."""
        self.warnings: list[str] = []
        """What the last load found open to other users, and what it did about it."""

    def __repr__(self) -> str:
        return f"TokenStore(path={str(self.path)!r})"

    def load(self) -> dict[str, Profile]:
        """All profiles; {} when the file is missing or unreadable (see `problem`). A file or
        directory open to other users is made private first (see `warnings`)."""
        self.problem = None
        self.warnings = [
            note
            for note in (
                _made_private(self.path.parent, directory=True),
                _made_private(self.path, directory=False),
            )
            if note
        ]
        try:
            doc = read_json(self.path)
        except FileNotFoundError:  # no file there (yet): nothing stored
            return {}
        except DamagedFile as exc:
            return self._unreadable(str(exc))
        profiles = doc.get("profiles") if isinstance(doc, dict) else None
        if not isinstance(profiles, dict):
            return self._unreadable('no "profiles" object')
        return {
            str(name): Profile(
                base_url=_text(entry.get("base_url")),
                token=_text(entry.get("token")),
                project_id=_text(entry.get("project_id")),
            )
            for name, entry in profiles.items()
            if isinstance(entry, dict)
        }

    def get(self, name: str) -> Profile | None:
        return self.load().get(name)

    def save(
        self,
        name: str,
        *,
        token: str,
        base_url: str | None = None,
        project_id: str | None = None,
    ) -> None:
        """Store `token` (and base URL / project) for profile `name`, keeping other profiles."""
        profiles = self.load()
        old = profiles.get(name) or Profile()
        profiles[name] = Profile(
            base_url=base_url or old.base_url,
            token=token,
            project_id=project_id or old.project_id,
        )
        self._write(profiles)

    def remove_token(self, name: str) -> bool:
        """Forget the token of profile `name` (its base URL stays). True if one was stored."""
        profiles = self.load()
        old = profiles.get(name)
        if old is None or not old.token:
            return False
        kept = Profile(base_url=old.base_url, project_id=old.project_id)
        if kept.to_json():
            profiles[name] = kept
        else:
            del profiles[name]
        self._write(profiles)
        return True

    def _write(self, profiles: dict[str, Profile]) -> None:
        doc = {"profiles": {name: p.to_json() for name, p in sorted(profiles.items())}}
        atomic_write(self.path, (json.dumps(doc, indent=2) + "\n").encode(), mode=0o600)
        self.problem = None

    def _unreadable(self, reason: str) -> dict[str, Profile]:
        self.problem = (
            f"ignoring unreadable credentials file {self.path} ({reason}); "
            "run `roark-tui auth login` to replace it"
        )
        return {}


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _made_private(path: Path, *, directory: bool) -> str | None:
    """ssh's rule for private files: the credentials file open to other users, or its directory
    open to their writing (they could put another file in its place), is made private (0600,
    0700) when it is ours and reported when it is not; a note either way, else None."""
    try:
        info = path.stat()
    except OSError:
        return None
    mode = stat.S_IMODE(info.st_mode)
    if directory:
        what, private, risky = "The config directory", 0o700, 0o022
        kind_ok, exposed = stat.S_ISDIR(info.st_mode), ""
    else:
        what, private, risky = "The credentials file", 0o600, 0o077
        kind_ok = stat.S_ISREG(info.st_mode)
        exposed = " (the token in it may have been read: consider replacing it)"
    if not kind_ok or not mode & risky:
        return None

    def found(verb: str) -> str:
        return f"{what} {path} {verb} open to other users (mode {mode:04o})"

    if info.st_uid != os.geteuid():
        return found("is") + f" and belongs to another user: left as it is{exposed}"
    try:
        os.chmod(path, private)
    except OSError as exc:
        return found("is") + f" and could not be made private ({exc.strerror}){exposed}"
    return found("was") + f"; it is now {private:04o}{exposed}"
