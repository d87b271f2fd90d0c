"""The rules every request follows, for the async and the blocking client alike: the client's
options once the base URL is found safe for the token, SDK-like timeouts, and what each try's
outcome means (the answer, a wait and another try, or which ApiError)."""

from __future__ import annotations

import logging
import random
import ssl
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import httpx

from roark_tui import __version__
from roark_tui.api import errors, plain_http, retry
from roark_tui.api.error_body import read_error_body
from roark_tui.api.limits import ENV_REQUEST_SECONDS, ENV_RESPONSE_MB, MB, Limits
from roark_tui.api.redaction import Secret, clean

DEFAULT_BASE_URL = "https://api.roark.ai"
DEFAULT_TIMEOUT = httpx.Timeout(60, connect=5.0)
USER_AGENT = f"roark-tui/{__version__}"

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")  # retried after any failure; others only if unsent

ClientT = TypeVar("ClientT", httpx.AsyncClient, httpx.Client)

log = logging.getLogger(__name__)


class ServiceBase(Generic[ClientT]):
    """What the async and the blocking client share, so both follow the same rules: the
    settings, the client's options once the transport is found safe for the token, what each
    try's outcome means (the answer, a wait and another try, or which ApiError), and the
    requests both send.

    The httpx client is created on the first request (so building a service costs nothing
    before the app's first frame) and reused until the service is closed.
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        token: str | None = None,
        project_id: str | None = None,
        transport: httpx.AsyncBaseTransport | httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        allow_insecure: bool = False,
        sleep: Callable[[float], Any] | None = None,
        limits: Limits | None = None,
        refused_token_fix: str | None = None,
    ) -> None:
        """`transport` and `sleep` (the wait between tries) are of the client's kind: async for
        RoarkService, blocking for BlockingRoarkService; None is httpx's own transport and
        asyncio.sleep or time.sleep. `limits` None reads them from the environment on first
        use (api/limits.py). `refused_token_fix`: what a refused token's error tells the user
        to change (where the token came from), see AuthError."""
        self._base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self._token = Secret(token) if token else None
        self._project_id = project_id.strip() if project_id and project_id.strip() else None
        self._transport = transport
        self._timeout = timeout
        self._max_retries = max(0, max_retries)
        self._allow_insecure = allow_insecure
        self._sleep = sleep
        self._limits = limits
        self._refused_token_fix = refused_token_fix
        self._client: ClientT | None = None
        self._client_lock = threading.Lock()

    def __repr__(self) -> str:
        token = "set" if self._token else "none"
        return (
            f"{type(self).__name__}(base_url={self._base_url!r}, "
            f"project_id={self._project_id!r}, token={token})"
        )

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def project_id(self) -> str | None:
        return self._project_id

    @property
    def limits(self) -> Limits:
        """How far a request or a list walk goes (api/limits.py)."""
        if self._limits is None:
            self._limits = Limits.from_env()
        return self._limits

    def set_project(self, project_id: str | None) -> None:
        """Name another project (X-Roark-Project-Id) on every request from now on; None
        leaves the credential's own default."""
        cleaned = project_id.strip() if project_id and project_id.strip() else None
        with self._client_lock:
            self._project_id = cleaned
            if self._client is not None:
                if cleaned:
                    self._client.headers["X-Roark-Project-Id"] = cleaned
                else:
                    self._client.headers.pop("X-Roark-Project-Id", None)

    # --- the client ----------------------------------------------------------------------------

    def _new_client(self, **options: Any) -> ClientT:
        raise NotImplementedError

    def _client_for_requests(self) -> ClientT:
        """The one client of this service, built on first use; safe from any thread."""
        with self._client_lock:
            if self._client is None:
                self._check_transport_security()
                if self._transport is None:  # httpx's own transport, which is httpcore's
                    _import_httpcore_without_http2()
                headers = httpx.Headers({"User-Agent": USER_AGENT, "Accept": "application/json"})
                if self._token is not None:
                    headers["Authorization"] = f"Bearer {self._token.reveal()}"
                if self._project_id:
                    headers["X-Roark-Project-Id"] = self._project_id
                self._client = self._new_client(
                    base_url=self._base_url,
                    headers=headers,
                    timeout=self._timeout,
                    transport=self._transport,
                    verify=_tls_for(self._base_url),
                    follow_redirects=False,
                    limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
                    mounts=plain_http.direct_routes(httpx.URL(self._base_url)),
                )
            return self._client

    def _check_transport_security(self) -> None:
        """Refuse, before anything is sent, what would expose the token."""
        try:
            url = httpx.URL(self._base_url)
        except httpx.InvalidURL as exc:
            raise errors.ApiError(f"The base URL {self._base_url!r} is not a valid URL") from exc
        problem = plain_http.base_url_problem(url)
        if problem is not None:
            raise errors.InsecureTransport(problem)
        if self._token is None:
            return
        if not _header_safe(self._token.reveal()):
            raise errors.AuthError(
                "The token contains spaces or characters that cannot be sent in a header",
                fix=self._refused_token_fix,
            )
        problem = plain_http.clear_text_problem(url, allow_insecure=self._allow_insecure)
        if problem is not None:
            raise errors.InsecureTransport(problem)

    # --- bounds of one request -----------------------------------------------------------------

    def _body(self, response: httpx.Response, method: str, path: str) -> Body:
        """The reader of a streamed response's body, within the response limit."""
        return Body(response, self.limits.response_bytes, method, path)

    def _deadline_error(self, method: str, path: str) -> errors.Timeout:
        host = httpx.URL(self._base_url).netloc.decode("ascii", "replace")
        limit = self.limits.request_seconds
        return errors.Timeout(
            f"{host} did not finish answering within {limit:g} s ({ENV_REQUEST_SECONDS} "
            "changes the limit)",
            method=method,
            path=path,
        )

    # --- one try's outcome ---------------------------------------------------------------------

    def _next_try(
        self,
        method: str,
        path: str,
        outcome: httpx.Response | httpx.TransportError,
        retries: int,
    ) -> httpx.Response | float:
        """What the rules make of a try (`retries` made before it): the response when it is the
        answer (2xx), the seconds to wait before the next try, or the matching ApiError raised.
        Safe requests are tried again after any passing failure, others only when they were
        surely never sent."""
        safe = method in SAFE_METHODS
        can_retry = retries < self._max_retries
        if isinstance(outcome, httpx.TransportError):
            error, reached_server, retryable = self._transport_error(outcome, method, path)
            if retryable and (safe or not reached_server) and can_retry:
                return self._retry_wait(retries, None, method, path, type(outcome).__name__)
            raise error from None
        if outcome.is_success:
            return outcome
        if safe and can_retry and _should_retry(outcome) and not outcome.is_redirect:
            wait = retry.retry_after(outcome.headers)
            return self._retry_wait(retries, wait, method, path, f"HTTP {outcome.status_code}")
        raise self._error_from_response(outcome, method, path)

    def _transport_error(
        self, exc: httpx.TransportError, method: str, path: str
    ) -> tuple[errors.ApiError, bool, bool]:
        """(error to raise, may the request have reached the server, is another try sensible)."""
        host = httpx.URL(self._base_url).netloc.decode("ascii", "replace")
        never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
        reason = clean(str(exc), self._token) or type(exc).__name__
        if isinstance(exc, httpx.ConnectTimeout):
            limit = self._timeout.connect
            detail = f"Could not connect to {host}" + (f" within {limit:g} s" if limit else "")
            return errors.Timeout(detail, method=method, path=path), False, True
        if isinstance(exc, httpx.TimeoutException):
            limit = self._timeout.read
            detail = f"{host} did not answer" + (f" within {limit:g} s" if limit else " in time")
            return errors.Timeout(detail, method=method, path=path), not never_sent, True
        if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
            error = errors.NetworkError(
                f"Could not reach {host}: {reason}", method=method, path=path
            )
            return error, not never_sent, True
        error = errors.NetworkError(f"Could not talk to {host}: {reason}", method=method, path=path)
        return error, True, False

    def _retry_wait(
        self, retries: int, server_wait: float | None, method: str, path: str, why: str
    ) -> float:
        delay = retry.backoff_delay(retries, server_wait, 1 - 0.25 * random.random())
        log.info(
            "%s %s failed (%s); retry %d of %d in %.2f s",
            method,
            path,
            why,
            retries + 1,
            self._max_retries,
            delay,
        )
        return delay

    def _error_from_response(
        self, response: httpx.Response, method: str, path: str
    ) -> errors.ApiError:
        status = response.status_code
        if response.is_redirect:
            where = clean(response.headers.get("location", ""), self._token)
            return errors.ApiError(
                f"The server answered with a redirect (HTTP {status}) to {where or 'elsewhere'}; "
                "not followed, so the token stays with this base URL",
                status=status,
                method=method,
                path=path,
            )
        body = read_error_body(response.content, self._token)
        cls = errors.error_for_status(status)
        kwargs: dict[str, Any] = {
            "status": status,
            "type": body.type,
            "code": body.code,
            "message": body.message,
            "field": body.field,
            "method": method,
            "path": path,
        }
        if cls is errors.RateLimited:
            kwargs["retry_after"] = retry.retry_after(response.headers)
        if cls is errors.AuthError:
            kwargs["fix"] = self._refused_token_fix
        detail = None
        if cls is errors.ApiError:
            detail = f"The Roark API refused {method} {path}"
        from roark_tui.api.project_hint import MISSING_PROJECT, is_missing_project

        if is_missing_project(status, body.code, body.field, body.message):
            detail = MISSING_PROJECT
        if body.snippet:
            detail = f"{detail or cls.summary} — the server said {body.snippet!r}"
        elif body.unreadable:
            detail = f"{detail or cls.summary}, with a body that is not a Roark error"
        return cls(detail, **kwargs)


class Body:
    """A streamed response's body, read chunk by chunk (decompressed) up to `cap` bytes.

    Counted as received and as decompressed (a few MB of gzip can stand for GBs), and refused
    at once when Content-Length announces more: past the cap is a ResponseError."""

    def __init__(self, response: httpx.Response, cap: int, method: str, path: str) -> None:
        self.response = response
        self.cap = cap
        self.method = method
        self.path = path
        self.chunks: list[bytes] = []
        self.received = 0
        announced = response.headers.get("content-length", "")
        self._check(int(announced) if announced.isdigit() else 0)

    def add(self, chunk: bytes) -> None:
        self.chunks.append(chunk)
        self.received += len(chunk)
        self._check(max(self.received, self.response.num_bytes_downloaded))

    def whole(self) -> httpx.Response:
        """The response with the body read, as the rules and the parsers read it."""
        skip = (b"content-encoding", b"content-length", b"transfer-encoding")
        response = self.response
        # The raw bytes: a header a server sent outside ASCII (a Location holding bidi marks)
        # is kept as sent, for the error's wording to clean, rather than failing to re-encode.
        headers = [(k, v) for k, v in response.headers.raw if k.lower() not in skip]
        content = b"".join(self.chunks)
        return httpx.Response(
            response.status_code, headers=headers, content=content, request=response.request
        )

    def _check(self, size: int) -> None:
        if size > self.cap:
            raise errors.ResponseError(
                f"The answer to {self.method} {self.path} is larger than the "
                f"{_megabytes(self.cap)} MB limit on a response ({ENV_RESPONSE_MB} raises it)",
                method=self.method,
                path=self.path,
            )


def _megabytes(size: int) -> str:
    """`256`, `1,000`, `0.01`: a size in MB as a person would set it."""
    return f"{size / MB:,.2f}".rstrip("0").rstrip(".")


def _tls_for(base_url: str) -> ssl.SSLContext | bool:
    """The client's TLS setting: the trust store (certifi) for https. An http base URL never
    does TLS (redirects are not followed and every request is a path under the base URL), so it
    gets a context that verifies against no trust anchors at all: free to build, where loading
    the trust store is not, and any TLS connection through it would fail closed."""
    if httpx.URL(base_url).scheme == "http":
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return True


def _import_httpcore_without_http2() -> None:
    """Import httpcore (the transport under httpx) as if h2 were not installed.

    httpcore imports its HTTP/2 support whenever h2 is installed, and h2 comes with hypercorn,
    the sandbox's server: a visible share of `auth status`'s start, for a protocol the clients
    never ask for (no `http2=True`). A blocked import is what httpcore already handles when h2
    is missing; h2 is unblocked at once, so hypercorn still imports it."""
    if "httpcore" in sys.modules or "h2" in sys.modules:
        return
    sys.modules["h2"] = None  # type: ignore[assignment]  # None blocks it; typeshed: modules only
    try:
        import httpcore  # noqa: F401
    finally:
        del sys.modules["h2"]


def _header_safe(token: str) -> bool:
    return token.isascii() and token.isprintable() and not any(c.isspace() for c in token)


def _should_retry(response: httpx.Response) -> bool:
    verdict = retry.server_says_retry(response.headers)
    if verdict is not None:
        return verdict
    return retry.status_is_retryable(response.status_code)
