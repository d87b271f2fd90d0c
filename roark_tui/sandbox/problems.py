"""Errors as the API sends them: a flat JSON body `{type, code, message, parameter}`.

The API's errors are flat objects with `type`, `code` and `message`; `parameter` names
the offending field of a 400 (our choice of key; the real one is not documented). `type` follows the
API's taxonomy (validation, authentication, forbidden, not_found, conflict, rate_limit,
internal).
"""

from __future__ import annotations

import json
from typing import Any

from roark_tui.sandbox.http import Response

TYPES = {
    400: "validation",
    401: "authentication",
    402: "payment_required",
    403: "forbidden",
    404: "not_found",
    405: "validation",
    409: "conflict",
    422: "validation",
    429: "rate_limit",
}
CODES = {
    400: "invalid_request",
    401: "unauthorized",
    402: "insufficient_credits",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "unprocessable_entity",
    429: "too_many_requests",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}
MESSAGES = {
    401: "Missing or invalid API key",
    402: "Not enough credits: add credits to the organization to run metric collection",
    403: "This API key is not allowed to do that",
    404: "Not found",
    429: "Rate limit exceeded",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service temporarily unavailable",
    504: "Gateway timeout",
}


class Problem(Exception):
    """An API error answer, raised anywhere in a handler and rendered by the app."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        *,
        parameter: str | None = None,
        code: str | None = None,
        type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status = status
        self.message = message or MESSAGES.get(status, "Request failed")
        self.parameter = parameter
        self.code = code or CODES.get(status, "error")
        self.type = type or TYPES.get(status, "internal" if status >= 500 else "error")
        self.headers = headers or {}
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.type, "code": self.code, "message": self.message}
        if self.parameter is not None:
            body["parameter"] = self.parameter
        return body

    def response(self) -> Response:
        return Response(
            json.dumps(self.body(), ensure_ascii=False).encode(), self.status, headers=self.headers
        )


def invalid(parameter: str | None, message: str, code: str = "invalid_parameter") -> Problem:
    """A 400 naming the field at fault."""
    return Problem(400, message, parameter=parameter, code=code)


def not_found(what: str, value: str, parameter: str) -> Problem:
    return Problem(404, f"No {what} {value!r} in this project", parameter=parameter)
