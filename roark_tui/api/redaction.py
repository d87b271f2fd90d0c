"""Keeping the token out of sight and server text fit to show.

The token is held in a `Secret` whose repr never shows it; every piece of server text that may
reach a message passes `safe_line`, which also takes the token out should the server echo it.
"""

from __future__ import annotations

import re
from typing import Any

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Secret:
    """Holds the token so that no repr, traceback local or log line ever shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<token hidden>"

    __str__ = __repr__


def safe_line(value: Any, token: Secret | None, limit: int = 100) -> str | None:
    """Server text made safe to show: one line, no control characters, no token, bounded."""
    if value is None or isinstance(value, dict | list):
        return None
    text = clean(str(value), token)
    if not text:
        return None
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean(text: str, token: Secret | None) -> str:
    if token is not None:
        text = text.replace(token.reveal(), "<token hidden>")
    text = CONTROL.sub(" ", text.replace("\n", " ").replace("\t", " "))
    return " ".join(text.split())
