"""Query parameters and keyset pages shared by the list endpoints: `limit`, the enumerated
parameters (sorts, statuses), and opaque `after` cursors encoding (sort value, id)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

from roark_tui.sandbox.http import Request
from roark_tui.sandbox.problems import invalid

DEFAULT_LIMIT = 20


def limit_param(request: Request, highest: int) -> int:
    """The `limit` query parameter: DEFAULT_LIMIT when absent, else 1 to `highest`."""
    raw = request.query_params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError:
        raise invalid("limit", f"limit must be an integer from 1 to {highest}") from None
    if not 1 <= value <= highest:
        raise invalid("limit", f"limit must be from 1 to {highest} (got {value})")
    return value


def enum_param(
    request: Request, name: str, allowed: tuple[str, ...] | dict[str, Any], default: str | None
) -> str | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if raw not in allowed:
        raise invalid(name, f"{name} must be one of {', '.join(allowed)} (got {raw!r})")
    return raw


def encode_cursor(sort_value: Any, item_id: str) -> str:
    raw = json.dumps({"sortValue": sort_value, "id": item_id}, separators=(",", ":"))
    return base64.b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[Any, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.b64decode(padded.replace("-", "+").replace("_", "/")))
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("id"), str)
            or ("sortValue" not in data)
        ):
            raise ValueError
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid(
            "after", "after is not a cursor this API gave out", "invalid_cursor"
        ) from None
    return data["sortValue"], data["id"]


def keyset_page(
    items: list[dict[str, Any]],
    sort_key: Callable[[dict[str, Any]], Any],
    *,
    limit: int,
    after: str | None,
    descending: bool,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of `items` ordered by (sort value, id), starting after the cursor."""
    ordered = sorted(items, key=lambda it: (sort_key(it), it["id"]), reverse=descending)
    if after:
        mark = decode_cursor(after)
        try:
            if descending:
                ordered = [it for it in ordered if (sort_key(it), it["id"]) < mark]
            else:
                ordered = [it for it in ordered if (sort_key(it), it["id"]) > mark]
        except TypeError:
            raise invalid(
                "after", "after belongs to a different sort order", "invalid_cursor"
            ) from None
    page = ordered[:limit]
    more = len(ordered) > limit
    next_cursor = encode_cursor(sort_key(page[-1]), page[-1]["id"]) if more and page else None
    return page, next_cursor
