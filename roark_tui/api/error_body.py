"""What an error response says, read tolerantly: a Roark error body, a wrapped one, or the HTML
page of a proxy in front of the API. Every piece of it is made safe to show (redaction)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from roark_tui.api.parsing import UnreadableJson, read_json
from roark_tui.api.redaction import Secret, safe_line


class ErrorBody:
    """What an error response says, read tolerantly from JSON or from an HTML page."""

    __slots__ = ("code", "field", "message", "snippet", "type", "unreadable")

    def __init__(self) -> None:
        self.type: str | None = None
        self.code: str | None = None
        self.message: str | None = None
        self.field: str | None = None
        self.snippet: str | None = None
        self.unreadable = False


FIELD_KEYS = ("parameter", "field", "param")
_IDENT = r"[a-z][A-Za-z0-9_]*(?:\[\d+\])?(?:\.[A-Za-z0-9_]+(?:\[\d+\])?)*"
# A field named only inside the message: "scaleMin must be < scaleMax", "field `slug` is taken".
FIELD_IN_MESSAGE = (
    re.compile(rf"^\s*({_IDENT})\s*(?::|is |are |must |should |cannot |may |not )"),
    re.compile(rf"\b(?:field|parameter|property)\s+[`'\"]?({_IDENT})"),
)
TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
SNIPPET_LEN = 100
MESSAGE_LEN = 500


def read_error_body(content: bytes, token: Secret | None) -> ErrorBody:
    body = ErrorBody()
    text = content.decode("utf-8", errors="replace").strip()
    if not text:
        return body
    try:
        data = read_json(text)
    except UnreadableJson as exc:  # not JSON (shown as a snippet), or nested past reading
        if exc.too_deep:
            body.unreadable = True
            return body
        data = None
    if isinstance(data, dict):
        if isinstance(data.get("error"), dict):  # a wrapped {"error": {...}} body, tolerated
            data = {**data, **data["error"]}
        body.type = safe_line(data.get("type") or data.get("error_type"), token)
        body.code = safe_line(data.get("code") or data.get("error_code"), token)
        message = data.get("message") or (
            data.get("error") if isinstance(data.get("error"), str) else None
        )
        body.message = safe_line(message, token, MESSAGE_LEN)
        body.field = field_of(data, body.message, token)
        if not (body.type or body.code or body.message):
            body.unreadable = True
        return body
    body.unreadable = True
    title = TITLE.search(text)
    plain = unescape(title.group(1) if title else TAG.sub(" ", text))
    body.snippet = safe_line(plain, token, SNIPPET_LEN)
    return body


def field_of(data: dict[str, Any], message: str | None, token: Secret | None) -> str | None:
    details = data.get("details")
    candidates: list[Any] = [data.get(k) for k in FIELD_KEYS]
    if isinstance(details, dict):
        candidates += [details.get(k) for k in (*FIELD_KEYS, "path")]
    elif isinstance(details, list) and details and isinstance(details[0], dict):
        candidates += [details[0].get(k) for k in (*FIELD_KEYS, "path")]
    for value in candidates:
        if isinstance(value, list) and value:
            value = ".".join(str(p) for p in value)
        if isinstance(value, str) and value.strip():
            return safe_line(value, token, 100)
    if message:
        for pattern in FIELD_IN_MESSAGE:
            match = pattern.search(message)
            if match:
                return match.group(1)
    return None
