"""The blocking twin of RoarkService, for commands that ask one question and exit.

`auth login` and `auth status` send one GET /v1/me, `chat|call <id> --json` one GET of the
metrics. Through the async client that costs importing asyncio and anyio and starting an event
loop: more than the request itself, and as much again as the command's own work. This client
sends through httpx.Client and takes all the rest from ServiceBase (the client's options, the
transport-security check, retries, errors), the service's requests and `parsing`, so both
clients behave alike by construction.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

import httpx

from roark_tui.api.parsing import parse_model
from roark_tui.api.service import api_path, me_request
from roark_tui.api.transport import ServiceBase

if TYPE_CHECKING:
    from roark_tui.api.account import Me


class BlockingRoarkService(ServiceBase[httpx.Client]):
    """The endpoints of one-shot commands, blocking; `with` closes the connection.

    Built like RoarkService, with a blocking transport and sleep when they are given."""

    def close(self) -> None:
        """Close the pooled connection; safe to call twice."""
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def __enter__(self) -> BlockingRoarkService:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def whoami(self) -> Me:
        """GET /v1/me: who the token belongs to; the cheapest way to validate a token."""
        model, path = me_request()
        return parse_model(model, self._request("GET", path)).data

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> bytes:
        """The raw body of a GET on an API path (for --json output), same retries and errors."""
        return self._request("GET", api_path(path), params=params).content

    def _new_client(self, **options: Any) -> httpx.Client:
        return httpx.Client(**options)

    def _request(
        self, method: str, path: str, *, params: dict[str, Any] | None = None
    ) -> httpx.Response:
        """Send with retries; return a 2xx response or raise the matching ApiError. The tries
        run in a thread of their own, so the request's deadline (api/limits.py) holds even while
        a socket read is drip-fed: a blocking read cannot be cut short from outside, so past
        the deadline the command goes on without it (the thread is a daemon and ends with the
        process)."""
        client = self._client_for_requests()
        request = client.build_request(method, path, params=params)
        found: list[httpx.Response | BaseException] = []

        def tries() -> None:
            try:
                found.append(self._tries(client, request, method, path))
            except BaseException as exc:  # handed to the caller's thread, raised there
                found.append(exc)

        worker = threading.Thread(target=tries, name="roark-request", daemon=True)
        worker.start()
        worker.join(self.limits.request_seconds)
        if not found:
            raise self._deadline_error(method, path)
        if isinstance(found[0], BaseException):
            raise found[0]
        return found[0]

    def _tries(
        self, client: httpx.Client, request: httpx.Request, method: str, path: str
    ) -> httpx.Response:
        retries = 0
        while True:
            try:
                outcome: httpx.Response | httpx.TransportError = self._send(
                    client, request, method, path
                )
            except httpx.TransportError as exc:
                outcome = exc
            step = self._next_try(method, path, outcome, retries)
            if isinstance(step, httpx.Response):
                return step
            (time.sleep if self._sleep is None else self._sleep)(step)
            retries += 1

    def _send(
        self, client: httpx.Client, request: httpx.Request, method: str, path: str
    ) -> httpx.Response:
        """One try, its body read within the response limit."""
        response = client.send(request, stream=True)
        try:
            body = self._body(response, method, path)
            for chunk in response.iter_bytes():
                body.add(chunk)
        finally:
            response.close()
        return body.whole()
