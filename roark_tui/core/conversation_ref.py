"""What a person pastes to name a conversation, read as (kind, id) before any request is sent.

Accepted: a bare id, the same with stray spaces or quotes around it, and a Roark dashboard URL
that contains the id (`…/chats/<id>`, `…/calls/<id>?tab=metrics`, `?chatId=<id>`). The kind
is known only when the URL says it; otherwise it is None and the caller's choice stands.
"""

from __future__ import annotations

import re
from itertools import pairwise
from urllib.parse import parse_qsl, unquote, urlsplit

from roark_tui.core.safe_text import one_line

Kind = str  # "chat" | "call"

MAX_ID_LENGTH = 128
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_QUOTES = "'\"`\u2018\u2019\u201c\u201d\u00ab\u00bb<>"  # straight, curly, guillemets
_KIND_WORDS = {"chat": "chat", "chats": "chat", "call": "call", "calls": "call"}
_QUERY_KEYS = {"chatid": "chat", "callid": "call", "chat": "chat", "call": "call", "id": None}
# Path words whose following UUID names something other than a conversation.
_OTHER_THINGS = frozenset(
    {"project", "projects", "org", "orgs", "organization", "organizations", "workspace"}
    | {"workspaces", "team", "teams", "agent", "agents", "metric", "metrics", "definitions"}
    | {"policies", "jobs", "simulations"}
)


def parse_ref(text: str) -> tuple[Kind | None, str]:
    """(kind or None, id) from what was typed or pasted; ValueError says what is wrong."""
    given = (text or "").strip().strip(_QUOTES).strip()
    if not given:
        raise ValueError("Enter a chat or call id, or paste its dashboard URL")
    if "://" in given or given.startswith("www.") or "/" in given:
        return _from_url(given)
    return None, _checked(given)


def _checked(candidate: str) -> str:
    if len(candidate) > MAX_ID_LENGTH:
        raise ValueError(f"That is too long for an id ({len(candidate)} characters)")
    if not _ID.fullmatch(candidate):
        shown = one_line(candidate, 40)
        raise ValueError(
            f"'{shown}' cannot be an id: use letters, digits and - only (a UUID, usually)"
        )
    return candidate


def _from_url(url: str) -> tuple[Kind | None, str]:
    """The id in a dashboard URL: a UUID after a chat(s)/call(s) path segment, else one in the
    query, else the last UUID in the path (not a project's), else whatever follows chat(s)/
    call(s)."""
    parts = urlsplit(url if "://" in url else f"https://{url.lstrip('/')}")
    segments = [unquote(s) for s in parts.path.split("/") if s]
    after_kind = [
        (_KIND_WORDS[w.lower()], nxt) for w, nxt in pairwise(segments) if w.lower() in _KIND_WORDS
    ]
    for kind, following in after_kind:
        if _UUID.fullmatch(following):
            return kind, following
    for key, value in parse_qsl(parts.query):
        if key.lower() in _QUERY_KEYS and value.strip():
            return _QUERY_KEYS[key.lower()], _checked(value.strip())
    kinds = {_KIND_WORDS[s.lower()] for s in segments if s.lower() in _KIND_WORDS}
    for before, segment in reversed(list(zip(["", *segments], segments, strict=False))):
        if _UUID.fullmatch(segment) and before.lower() not in _OTHER_THINGS:
            return (kinds.pop() if len(kinds) == 1 else None), segment
    for kind, following in after_kind:
        if _ID.fullmatch(following) and following.lower() not in _KIND_WORDS:
            return kind, _checked(following)
    raise ValueError("No chat or call id found in that URL")
