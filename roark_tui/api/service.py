"""The client of the Roark API: typed methods over a single pooled httpx client.

Everything that talks to Roark goes through `RoarkService` (async, the app and most commands) or
its blocking twin `BlockingRoarkService` (api/blocking.py, commands that ask one question and
exit). Both are a `ServiceBase`, so transport rules live in one place: SDK-like timeouts and
retries (safe requests only), the token kept out of every repr, message and log line, and every
failure turned into one of the `errors` classes with a sentence a person can read. Responses are
parsed straight from the bytes into the tolerant models of `models`.
"""

from __future__ import annotations

import gc
import importlib
import ipaddress
import json
import logging
import random
import re
import ssl
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from html import unescape
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar
from urllib.parse import quote

import httpx
from pydantic_core import ValidationError  # what pydantic raises (pydantic.ValidationError)

from roark_tui import __version__
from roark_tui.api import errors, retry

if TYPE_CHECKING:  # imported where they are parsed: `get_json` (--json) never builds a model
    from pydantic import BaseModel

    from roark_tui.api.account import Me, MeAnswer
    from roark_tui.api.models import (
        Call,
        Chat,
        CollectionJob,
        Health,
        MetricDefinition,
        MetricGroup,
        Page,
        Transcript,
    )

DEFAULT_BASE_URL = "https://api.roark.ai"
DEFAULT_TIMEOUT = httpx.Timeout(60, connect=5.0)
USER_AGENT = f"roark-tui/{__version__}"
# Imported by httpcore on the first request under asyncio, unless `prepare` did it before.
FIRST_REQUEST_IMPORTS = ("anyio._backends._asyncio", "anyio.streams.tls")
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")  # retried after any failure; others only if unsent

M = TypeVar("M", bound="BaseModel")
ClientT = TypeVar("ClientT", httpx.AsyncClient, httpx.Client)

log = logging.getLogger(__name__)


class _Secret:
    """Holds the token so that no repr, traceback local or log line ever shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<token hidden>"

    __str__ = __repr__


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
    ) -> None:
        """`transport` and `sleep` (the wait between tries) are of the client's kind: async for
        RoarkService, blocking for BlockingRoarkService; None is httpx's own transport and
        asyncio.sleep or time.sleep."""
        self._base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self._token = _Secret(token) if token else None
        self._project_id = project_id.strip() if project_id and project_id.strip() else None
        self._transport = transport
        self._timeout = timeout
        self._max_retries = max(0, max_retries)
        self._allow_insecure = allow_insecure
        self._sleep = sleep
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
                )
            return self._client

    def _check_transport_security(self) -> None:
        """Refuse, before anything is sent, what would expose the token."""
        try:
            url = httpx.URL(self._base_url)
        except httpx.InvalidURL as exc:
            raise errors.ApiError(f"The base URL {self._base_url!r} is not a valid URL") from exc
        if url.scheme not in ("http", "https") or not url.host:
            raise errors.ApiError(
                f"The base URL {self._base_url!r} must start with https:// and name a host"
            )
        if self._token is None:
            return
        if not _header_safe(self._token.reveal()):
            raise errors.AuthError(
                "The token contains spaces or characters that cannot be sent in a header"
            )
        if url.scheme == "http" and not self._allow_insecure and not _is_loopback(url.host):
            raise errors.InsecureTransport(
                f"Refusing to send the token over plain http to {url.host} "
                "(use https, or --insecure if you really mean it)"
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
        reason = _clean(str(exc), self._token) or type(exc).__name__
        where = {"method": method, "path": path}
        if isinstance(exc, httpx.ConnectTimeout):
            limit = self._timeout.connect
            detail = f"Could not connect to {host}" + (f" within {limit:g} s" if limit else "")
            return errors.Timeout(detail, **where), False, True
        if isinstance(exc, httpx.TimeoutException):
            limit = self._timeout.read
            detail = f"{host} did not answer" + (f" within {limit:g} s" if limit else " in time")
            return errors.Timeout(detail, **where), not never_sent, True
        if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
            error = errors.NetworkError(f"Could not reach {host}: {reason}", **where)
            return error, not never_sent, True
        return errors.NetworkError(f"Could not talk to {host}: {reason}", **where), True, False

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
            where = _clean(response.headers.get("location", ""), self._token)
            return errors.ApiError(
                f"The server answered with a redirect (HTTP {status}) to {where or 'elsewhere'}; "
                "not followed, so the token stays with this base URL",
                status=status,
                method=method,
                path=path,
            )
        body = _error_body(response.content, self._token)
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
        detail = None
        if cls is errors.ApiError:
            detail = f"The Roark API refused {method} {path}"
        if body.snippet:
            detail = f"{detail or cls.summary} — the server said {body.snippet!r}"
        elif body.unreadable:
            detail = f"{detail or cls.summary}, with a body that is not a Roark error"
        return cls(detail, **kwargs)


class RoarkService(ServiceBase[httpx.AsyncClient]):
    """Typed async access to the Roark endpoints roark-tui uses; one instance for the app's
    life."""

    # --- lifecycle ---------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the pooled connections; safe to call twice."""
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    async def __aenter__(self) -> RoarkService:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # --- conversations -------------------------------------------------------------------------

    async def chat_metrics(
        self, chat_id: str, *, status: str = "all", flatten: bool = False
    ) -> list[MetricGroup]:
        """GET /v1/chat/{id}/metrics, always as groups (the flat shape is regrouped)."""
        from roark_tui.api.models import MetricsResponse

        path = f"/v1/chat/{_segment(chat_id, 'chat id')}/metrics"
        return (await self._get(MetricsResponse, path, _metrics_params(status, flatten))).data

    async def call_metrics(
        self, call_id: str, *, status: str = "all", flatten: bool = False
    ) -> list[MetricGroup]:
        """GET /v1/call/{callId}/metrics, always as groups (the flat shape is regrouped)."""
        from roark_tui.api.models import MetricsResponse

        path = f"/v1/call/{_segment(call_id, 'call id')}/metrics"
        return (await self._get(MetricsResponse, path, _metrics_params(status, flatten))).data

    async def conversation_metrics(
        self, kind: Literal["chat", "call"], conv_id: str, *, status: str = "all"
    ) -> list[MetricGroup]:
        """Metrics of a chat or a call, for screens that handle both."""
        if kind == "chat":
            return await self.chat_metrics(conv_id, status=status)
        if kind == "call":
            return await self.call_metrics(conv_id, status=status)
        raise ValueError(f"kind must be 'chat' or 'call', not {kind!r}")

    async def get_chat(self, chat_id: str) -> Chat:
        from roark_tui.api.models import Chat, Envelope

        path = f"/v1/chat/{_segment(chat_id, 'chat id')}"
        return (await self._get(Envelope[Chat], path)).data

    async def chat_transcript(self, chat_id: str) -> Transcript:
        from roark_tui.api.models import Envelope, Transcript

        path = f"/v1/chat/{_segment(chat_id, 'chat id')}/transcript"
        return (await self._get(Envelope[Transcript], path)).data

    async def list_chats(
        self,
        *,
        limit: int = 20,
        after: str | None = None,
        sort_by: str | None = None,
        sort_direction: str | None = None,
    ) -> Page[Chat]:
        """One page of chats; pass `pagination.next_cursor` back as `after` for the next."""
        from roark_tui.api.models import Chat, Page

        params = _list_params(limit, after, sort_by, sort_direction)
        return await self._get(Page[Chat], "/v1/chat", params)

    async def get_call(self, call_id: str) -> Call:
        from roark_tui.api.models import Call, Envelope

        path = f"/v1/call/{_segment(call_id, 'call id')}"
        return (await self._get(Envelope[Call], path)).data

    async def call_transcript(self, call_id: str) -> Transcript:
        from roark_tui.api.models import Envelope, Transcript

        path = f"/v1/call/{_segment(call_id, 'call id')}/transcript"
        return (await self._get(Envelope[Transcript], path)).data

    async def list_calls(
        self,
        *,
        limit: int = 20,
        after: str | None = None,
        sort_by: str | None = None,
        sort_direction: str | None = None,
    ) -> Page[Call]:
        """One page of calls; pass `pagination.next_cursor` back as `after` for the next."""
        from roark_tui.api.models import Call, Page

        params = _list_params(limit, after, sort_by, sort_direction)
        return await self._get(Page[Call], "/v1/call", params)

    # --- metric definitions ------------------------------------------------------------------

    async def list_definitions(
        self, *, limit: int = 50, after: str | None = None
    ) -> Page[MetricDefinition]:
        from roark_tui.api.models import MetricDefinition, Page

        params = _list_params(limit, after, None, None)
        return await self._get(Page[MetricDefinition], "/v1/metric/definitions", params)

    async def iter_definitions(self, *, limit: int = 100) -> AsyncIterator[list[MetricDefinition]]:
        """Every metric definition, one page at a time, following the cursor to the end."""
        after: str | None = None
        seen: set[str] = set()
        while True:
            page = await self.list_definitions(limit=limit, after=after)
            yield page.data
            cursor = page.pagination.next_cursor
            if not page.pagination.has_more or not cursor:
                return
            if cursor in seen:
                raise errors.ResponseError(
                    "The Roark API sent the same page cursor twice, so the list never ends",
                    method="GET",
                    path="/v1/metric/definitions",
                )
            seen.add(cursor)
            after = cursor

    async def all_definitions(self) -> list[MetricDefinition]:
        """Every metric definition (system, organization and project), all pages."""
        found: list[MetricDefinition] = []
        async for page in self.iter_definitions():
            found.extend(page)
        return found

    async def get_definition(self, id_or_slug: str) -> MetricDefinition:
        from roark_tui.api.models import Envelope, MetricDefinition

        path = f"/v1/metric/definitions/{_segment(id_or_slug, 'metric id or slug')}"
        return (await self._get(Envelope[MetricDefinition], path)).data

    async def create_definition(self, body: dict[str, Any]) -> MetricDefinition:
        """POST /v1/metric/definitions (LLM_JUDGE, FORMULA or PATTERN body); never repeated."""
        from roark_tui.api.models import Envelope, MetricDefinition

        response = await self._request("POST", "/v1/metric/definitions", json_body=body)
        return _parse(Envelope[MetricDefinition], response).data

    async def create_threshold(self, id_or_slug: str, body: dict[str, Any]) -> MetricDefinition:
        """POST /v1/metric/definitions/{idOrSlug}/thresholds; never repeated."""
        from roark_tui.api.models import Envelope, MetricDefinition

        path = f"/v1/metric/definitions/{_segment(id_or_slug, 'metric id or slug')}/thresholds"
        response = await self._request("POST", path, json_body=body)
        return _parse(Envelope[MetricDefinition], response).data

    # --- editing definitions and re-scoring ---------------------------------------------------
    # Writes are sent once (never retried once they may have reached the server); after an
    # unclear answer api/write_once.py reads them back instead of sending them again.

    async def update_definition(self, id_or_slug: str, body: dict[str, Any]) -> MetricDefinition:
        """PUT /v1/metric/definitions/{idOrSlug}: the fields named change, a new version."""
        from roark_tui.api.models import Envelope, MetricDefinition

        path = f"/v1/metric/definitions/{_segment(id_or_slug, 'metric id or slug')}"
        response = await self._request("PUT", path, json_body=body)
        return _parse(Envelope[MetricDefinition], response).data

    async def create_collection_job(
        self, kind: Literal["chat", "call"], conv_ids: list[str], metric_ids: list[str]
    ) -> CollectionJob:
        """POST /v1/metric/collection-jobs: score these conversations with these metrics now
        (billed by Roark)."""
        from roark_tui.api.models import CollectionJob, Envelope

        body = {
            "chatIds" if kind == "chat" else "callIds": list(conv_ids),
            "metrics": [{"id": metric} for metric in metric_ids],
        }
        response = await self._request("POST", "/v1/metric/collection-jobs", json_body=body)
        return _parse(Envelope[CollectionJob], response).data

    async def get_collection_job(self, job_id: str) -> CollectionJob:
        from roark_tui.api.models import CollectionJob, Envelope

        path = f"/v1/metric/collection-jobs/{_segment(job_id, 'job id')}"
        return (await self._get(Envelope[CollectionJob], path)).data

    async def list_collection_jobs(
        self, *, limit: int = 20, status: str | None = None
    ) -> Page[CollectionJob]:
        """The project's jobs, newest first."""
        from roark_tui.api.models import CollectionJob, Page

        params: dict[str, Any] = {"limit": limit}
        if status:
            params["status"] = status
        return await self._get(Page[CollectionJob], "/v1/metric/collection-jobs", params)

    async def cancel_collection_job(self, job_id: str) -> CollectionJob:
        """POST .../{jobId}/cancel: items done stay done, the rest are skipped."""
        from roark_tui.api.models import CollectionJob, Envelope

        path = f"/v1/metric/collection-jobs/{_segment(job_id, 'job id')}/cancel"
        return _parse(Envelope[CollectionJob], await self._request("POST", path)).data

    # --- account -------------------------------------------------------------------------------

    async def whoami(self) -> Me:
        """GET /v1/me: who the token belongs to; the cheapest way to validate a token."""
        return (await self._get(*me_request())).data

    async def health(self) -> Health:
        from roark_tui.api.models import Envelope, Health

        return (await self._get(Envelope[Health], "/health")).data

    async def get_json(self, path: str, params: dict[str, Any] | None = None) -> bytes:
        """The raw body of a GET on an API path (for --json output), same retries and errors."""
        return (await self._request("GET", api_path(path), params=params)).content

    # --- transport -----------------------------------------------------------------------------

    async def _get(self, model: type[M], path: str, params: dict[str, Any] | None = None) -> M:
        return _parse(model, await self._request("GET", path, params=params))

    def prepare(self) -> None:
        """Build the HTTP client now rather than on the first request.

        Building it loads the TLS trust store for an https base URL and imports the transport
        (httpcore, h11) and anyio's asyncio backend, which the first request would otherwise
        import, and the validators of the models the app's first screens parse are built: tens
        of ms, far more on a busy machine. The app calls this from a thread after
        its first frame, so its first request pays for none of it. Safe from any thread, and
        more than once.
        """
        self._client_for_requests()
        for module in FIRST_REQUEST_IMPORTS:
            importlib.import_module(module)
        for model in first_screen_models():
            model.model_rebuild()  # builds the validator now (models defer it to first use)

    def _new_client(self, **options: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(**options)

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
    ) -> httpx.Response:
        """Send with retries; return a 2xx response or raise the matching ApiError."""
        import asyncio  # here, not at the top: the blocking client never needs an event loop

        client = self._client_for_requests()
        request = client.build_request(method, path, params=params, json=json_body)
        retries = 0
        while True:
            try:
                outcome: httpx.Response | httpx.TransportError = await client.send(request)
            except httpx.TransportError as exc:
                outcome = exc
            step = self._next_try(method, path, outcome, retries)
            if isinstance(step, httpx.Response):
                return step
            await (asyncio.sleep if self._sleep is None else self._sleep)(step)
            retries += 1


# --- helpers -----------------------------------------------------------------------------------


def first_screen_models() -> tuple[type[BaseModel], ...]:
    """The models whose validators `prepare` builds ahead of the app's first screens: the
    lookup's latest chats and calls, a conversation's metrics and header, the definitions list.
    A function, not a constant: parametrizing a generic model is itself costly at import."""
    from roark_tui.api.models import Call, Chat, Envelope, MetricDefinition, MetricsResponse, Page

    return (
        MetricsResponse,
        Envelope[Chat],
        Envelope[Call],
        Page[Chat],
        Page[Call],
        Page[MetricDefinition],
    )


def me_request() -> tuple[type[MeAnswer], str]:
    """GET /v1/me and how its answer is read (api/account.py): whoami of both clients."""
    from roark_tui.api.account import MeAnswer

    return MeAnswer, "/v1/me"


def api_path(path: str) -> str:
    """`path` when it is a path under the base URL (get_json of both clients); never a URL."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"path must be an API path starting with '/', not {path!r}")
    return path


def _segment(value: str, what: str) -> str:
    """One path segment, escaped so an id can never reach another path."""
    text = (value or "").strip()
    if not text:
        raise errors.RequestRejected(f"No {what} was given", field=what)
    return quote(text, safe="")


def _metrics_params(status: str, flatten: bool) -> dict[str, str]:
    params = {"status": status}
    if flatten:
        params["flatten"] = "true"
    return params


def _list_params(
    limit: int, after: str | None, sort_by: str | None, sort_direction: str | None
) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": limit}
    if after:
        params["after"] = after
    if sort_by:
        params["sortBy"] = sort_by
    if sort_direction:
        params["sortDirection"] = sort_direction
    return params


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
    the sandbox's server: about 20 ms, an eighth of `auth status`, for a protocol the clients
    never ask for (no `http2=True`). A blocked import is what httpcore already handles when h2
    is missing; h2 is unblocked at once, so hypercorn still imports it."""
    if "httpcore" in sys.modules or "h2" in sys.modules:
        return
    sys.modules["h2"] = None  # type: ignore[assignment]
    try:
        import httpcore  # noqa: F401
    finally:
        del sys.modules["h2"]


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _header_safe(token: str) -> bool:
    return token.isascii() and token.isprintable() and not any(c.isspace() for c in token)


def _should_retry(response: httpx.Response) -> bool:
    verdict = retry.server_says_retry(response.headers)
    if verdict is not None:
        return verdict
    return retry.status_is_retryable(response.status_code)


def _parse(model: type[M], response: httpx.Response) -> M:
    """The response body as `model`, or a ResponseError saying in words what is wrong."""
    try:
        with _gc_paused():
            return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise errors.ResponseError(
            f"The Roark API sent a response that could not be read: {_describe(exc, response)}",
            status=response.status_code,
            method=response.request.method,
            path=response.request.url.path,
        ) from None


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector out of a parse.

    A large payload allocates tens of thousands of objects in one go; each allocation burst
    triggers collections that walk everything already alive (earlier conversations, the UI), which
    roughly triples the parse time of a 10k-value conversation. Parsed models hold no cycles, so
    nothing is lost by collecting after the parse instead of during it.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _describe(exc: ValidationError, response: httpx.Response) -> str:
    if not response.content.strip():
        return "the body was empty"
    problems = exc.errors(include_url=False, include_input=False)
    first = problems[0] if problems else {"type": "", "loc": (), "msg": ""}
    if first["type"] == "json_invalid":
        return "the body is not valid JSON (cut short or not JSON at all)"
    where = ".".join(str(p) for p in first["loc"]) or "the body"
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{where}: {first['msg'].lower()}{more}"


class _ErrorBody:
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
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
SNIPPET_LEN = 100
MESSAGE_LEN = 500


def _error_body(content: bytes, token: _Secret | None) -> _ErrorBody:
    body = _ErrorBody()
    text = content.decode("utf-8", errors="replace").strip()
    if not text:
        return body
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        if isinstance(data.get("error"), dict):  # a wrapped {"error": {...}} body, tolerated
            data = {**data, **data["error"]}
        body.type = _text(data.get("type") or data.get("error_type"), token)
        body.code = _text(data.get("code") or data.get("error_code"), token)
        message = data.get("message") or (
            data.get("error") if isinstance(data.get("error"), str) else None
        )
        body.message = _text(message, token, MESSAGE_LEN)
        body.field = _field_of(data, body.message, token)
        if not (body.type or body.code or body.message):
            body.unreadable = True
        return body
    body.unreadable = True
    title = TITLE.search(text)
    plain = unescape(title.group(1) if title else TAG.sub(" ", text))
    body.snippet = _text(plain, token, SNIPPET_LEN)
    return body


def _field_of(data: dict[str, Any], message: str | None, token: _Secret | None) -> str | None:
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
            return _text(value, token, 100)
    if message:
        for pattern in FIELD_IN_MESSAGE:
            match = pattern.search(message)
            if match:
                return match.group(1)
    return None


def _text(value: Any, token: _Secret | None, limit: int = 100) -> str | None:
    """Server text made safe to show: one line, no control characters, no token, bounded."""
    if value is None or isinstance(value, dict | list):
        return None
    text = _clean(str(value), token)
    if not text:
        return None
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _clean(text: str, token: _Secret | None) -> str:
    if token is not None:
        text = text.replace(token.reveal(), "<token hidden>")
    text = CONTROL.sub(" ", text.replace("\n", " ").replace("\t", " "))
    return " ".join(text.split())
