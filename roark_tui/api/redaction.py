"""Keeping the token out of sight and server text fit to show.

The token is held in a `Secret` whose repr never shows it; every piece of server text that may
reach a message passes `safe_line`, which cleans it by the same rule as every other piece of
server text (`safe_text`) and takes the token out should the server echo it: in any letter case,
percent-encoded, in base64, or with control characters or an escape sequence slipped between its
characters (masked before and after cleaning, as cleaning may join the pieces of a split token).
"""

from __future__ import annotations

import base64
import re
from typing import Any

from roark_tui.api.safe_text import one_line

HIDDEN = "<token hidden>"
# Tokens shorter than this are masked only where they appear exactly: a looser match of a few
# characters would hide ordinary words.
LOOSE_MIN = 8
# What may sit between two characters of an echoed token without making it unreadable to a
# person: C0/C1 controls, their pictures (what cleaning shows them as), zero-width and bidi
# marks, the replacement character, and whole CSI sequences.
_GAP = (
    r"(?:\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    r"|[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\u2400-\u2426\ufffd])*"
)


class Secret:
    """Holds the token so that no repr, traceback local or log line ever shows it."""

    __slots__ = ("_pattern", "_value")

    def __init__(self, value: str) -> None:
        self._value = value
        self._pattern = _echo_pattern(value)

    def reveal(self) -> str:
        return self._value

    def hide_in(self, text: str) -> str:
        """`text` with every recognisable copy of the token replaced by a marker."""
        return self._pattern.sub(HIDDEN, text)

    def __repr__(self) -> str:
        return "<token hidden>"

    __str__ = __repr__


def _echo_pattern(token: str) -> re.Pattern[str]:
    if len(token) < LOOSE_MIN:
        return re.compile(re.escape(token))

    def char(c: str) -> str:
        escaped = "".join(f"%{b:02x}" for b in c.encode())
        return f"(?:{re.escape(c)}|{escaped})"

    spelled = _GAP.join(char(c) for c in token)
    forms = [f"(?i:{spelled})", *(re.escape(f) for f in _base64_forms(token))]
    return re.compile("|".join(forms))


def _base64_forms(token: str) -> set[str]:
    """The part of the token's base64 that does not depend on its neighbours, at each of the
    three alignments it may have inside a longer encoded string (an echoed Basic header, a
    cookie), in the standard and the URL-safe alphabet."""
    raw = token.encode()
    forms = set()
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw).decode()
        stable = encoded[4 if shift else 0 : 4 * ((shift + len(raw)) // 3)]
        if len(stable) >= LOOSE_MIN:
            forms |= {stable, stable.replace("+", "-").replace("/", "_")}
    return forms


def safe_line(value: Any, token: Secret | None, limit: int = 100) -> str | None:
    """Server text made safe to show: one line, no control characters, no token, bounded."""
    if value is None or isinstance(value, dict | list):
        return None
    text = clean(str(value), token)
    if not text:
        return None
    return one_line(text, limit)


def clean(text: str, token: Secret | None) -> str:
    """`text` on one line by the rule of `safe_text`, with the token taken out."""
    if token is None:
        return one_line(text)
    return token.hide_in(one_line(token.hide_in(text)))
