"""One hierarchy for everything that can go wrong talking to the API.

Each error carries a short human sentence (`str(err)`) plus what the server said (`type`, `code`,
`message`, the offending `field`). None of them ever holds the bearer token.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A request failed. `status` is None when no HTTP answer was read."""

    summary = "The Roark API request failed"

    def __init__(
        self,
        detail: str | None = None,
        *,
        status: int | None = None,
        type: str | None = None,
        code: str | None = None,
        message: str | None = None,
        field: str | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        self.detail = detail
        self.status = status
        self.type = type
        self.code = code
        self.message = message
        self.field = field
        self.method = method
        self.path = path
        super().__init__(self.sentence())

    def sentence(self) -> str:
        """The one line a person reads: what happened, then what the server said."""
        head = self.detail or self.summary
        said = self.message
        if said and said not in head:
            head = f"{head}: {said}"
        tags = [t for t in (self.status and f"HTTP {self.status}", self.type, self.code) if t]
        return f"{head} ({', '.join(str(t) for t in tags)})" if tags else head


class AuthError(ApiError):
    """The token was refused. `fix` says what to change where the token actually came from
    (the service is told by whoever built it): a stored token is not the fix for a bad
    `--token`."""

    summary = "The token was refused"
    fix = "run `roark-tui auth login` to store a valid token"

    def __init__(self, *args: Any, fix: str | None = None, **kw: Any) -> None:
        if fix:
            self.fix = fix
        super().__init__(*args, **kw)

    def sentence(self) -> str:
        return f"{super().sentence()}; {self.fix}"


class PermissionDenied(ApiError):
    summary = "The token lacks permission for this"


class NotFound(ApiError):
    summary = "Not found"


class Conflict(ApiError):
    summary = "Conflict with the current state"


class RequestRejected(ApiError):
    """400 or 422: the server named what is wrong with the request, often a `field`."""

    summary = "The request was rejected"


class RateLimited(ApiError):
    summary = "Rate limited"

    def __init__(self, *args: Any, retry_after: float | None = None, **kw: Any) -> None:
        self.retry_after = retry_after
        super().__init__(*args, **kw)

    def sentence(self) -> str:
        base = super().sentence()
        if self.retry_after is not None:
            return f"{base}; retry in {self.retry_after:g} s"
        return base


class ServerError(ApiError):
    summary = "The Roark API had a server error"


class NetworkError(ApiError):
    summary = "Could not reach the Roark API"


class Timeout(ApiError):
    summary = "The Roark API did not answer in time"


class ResponseError(ApiError):
    """The server answered 2xx but with a body we cannot read (truncated, wrong shape)."""

    summary = "The Roark API sent a response that could not be read"


class InsecureTransport(ApiError):
    """Refused to send the token over plain http to a non-loopback host."""

    summary = "Refusing to send the token over plain http to a host other than loopback"


def error_for_status(status: int) -> type[ApiError]:
    """The error class for an HTTP status code."""
    if status == 401:
        return AuthError
    if status == 402:
        return PaymentRequired
    if status == 403:
        return PermissionDenied
    if status == 404:
        return NotFound
    if status == 409:
        return Conflict
    if status in (400, 422):
        return RequestRejected
    if status == 429:
        return RateLimited
    if status >= 500:
        return ServerError
    return ApiError


class PaymentRequired(ApiError):
    """402: the organization is out of credits for a billed action (a collection job)."""

    summary = "Out of credits: Roark refused a billed action"


class Unconfirmed(ApiError):
    """A write got no clear answer and reading it back could not tell whether it took effect;
    it was not sent again."""

    summary = "Unknown whether the change was made"
