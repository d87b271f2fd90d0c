"""The endpoints of the Roark API that roark-tui uses, as typed async methods.

Everything that talks to Roark goes through `RoarkService` (async, the app and most commands) or
its blocking twin `BlockingRoarkService` (blocking.py, commands that ask one question and exit).
Both are a `ServiceBase` (transport.py), so the rules of every request live in one place:
SDK-like timeouts, retries of safe requests only, and every failure turned into one of the
`errors` classes with a sentence a person can read (error_body.py), the token kept out of all of
it (redaction.py). Responses are parsed straight from the bytes into the tolerant models of
`models` (parsing.py).
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

import httpx

from roark_tui.api import errors
from roark_tui.api.known_definitions import KnownDefinitions
from roark_tui.api.limits import PageWalk
from roark_tui.api.parsing import M, parse_model
from roark_tui.api.transport import ServiceBase

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
    from roark_tui.api.projects import Project
    from roark_tui.api.run_results import RunResults
    from roark_tui.api.runs import RunDetail, RunPage

# Imported by httpcore on the first request under asyncio, unless `prepare` did it before.
FIRST_REQUEST_IMPORTS = ("anyio._backends._asyncio", "anyio.streams.tls")
# Definitions per page: no bound is documented for this list, so we ask for 50, the maximum of
# Roark's other metric lists (chats and calls go to 100).
DEFINITIONS_PAGE = 50


class RoarkService(ServiceBase[httpx.AsyncClient]):
    """Typed async access to the Roark endpoints roark-tui uses; one instance for the app's
    life."""

    _known: KnownDefinitions | None = None
    definition_writes = 0
    """Writes sent to the definitions by this service: a copy of them taken at a lower count
    may be out of date."""

    @property
    def _definitions(self) -> KnownDefinitions:
        if self._known is None:
            self._known = KnownDefinitions()
        return self._known

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

    async def conversation(self, kind: Literal["chat", "call"], conv_id: str) -> Chat | Call:
        """A chat or a call by id, for screens that handle both."""
        if kind == "chat":
            return await self.get_chat(conv_id)
        if kind == "call":
            return await self.get_call(conv_id)
        raise ValueError(f"kind must be 'chat' or 'call', not {kind!r}")

    async def transcript(self, kind: Literal["chat", "call"], conv_id: str) -> Transcript:
        """The transcript of a chat or a call, for screens that handle both."""
        if kind == "chat":
            return await self.chat_transcript(conv_id)
        if kind == "call":
            return await self.call_transcript(conv_id)
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
        status: str | None = None,
        search_text: str | None = None,
    ) -> Page[Call]:
        """One page of calls; pass `pagination.next_cursor` back as `after` for the next.
        `status` (RINGING, IN_PROGRESS, ENDED) and `search_text` are the API's own filters."""
        from roark_tui.api.models import Call, Page

        params = _list_params(limit, after, sort_by, sort_direction)
        if status:
            params["status"] = status
        if search_text:
            params["searchText"] = search_text
        return await self._get(Page[Call], "/v1/call", params)

    # --- simulation runs (api/runs.py, api/run_results.py) -------------------------------------

    async def list_runs(
        self,
        *,
        limit: int = 20,
        after: str | None = None,
        status: str | None = None,
        plan_id: str | None = None,
        label_id: str | None = None,
        label_name: str | None = None,
    ) -> RunPage:
        """One page of simulation runs, newest first; `RunPage.next_cursor` is the next's."""
        from roark_tui.api.runs import RunPage

        params = _list_params(limit, after, None, None)
        filters = {
            "status": status,
            "simulationRunPlanId": plan_id,
            "labelId": label_id,
            "labelName": label_name,
        }
        params.update({name: value for name, value in filters.items() if value})
        return await self._get(RunPage, "/v1/simulation/plan/jobs", params)

    async def get_run(self, job_id: str) -> RunDetail:
        from roark_tui.api.runs import RunDetailResponse

        path = f"/v1/simulation/plan/job/{_segment(job_id, 'run id')}"
        return (await self._get(RunDetailResponse, path)).data

    async def run_results(self, job_id: str, *, compare_to: str | None = None) -> RunResults:
        """Everything a run's report shows; `compare_to` picks the baseline run."""
        from roark_tui.api.run_results import RunResultsResponse

        path = f"/v1/simulation/plan/job/{_segment(job_id, 'run id')}/results"
        params = {"compareToJobId": compare_to} if compare_to else None
        return (await self._get(RunResultsResponse, path, params)).data

    # --- metric definitions ------------------------------------------------------------------

    async def list_definitions(
        self, *, limit: int = DEFINITIONS_PAGE, after: str | None = None
    ) -> Page[MetricDefinition]:
        from roark_tui.api.models import MetricDefinition, Page

        params = _list_params(limit, after, None, None)
        return await self._get(Page[MetricDefinition], "/v1/metric/definitions", params)

    async def iter_definitions(
        self, *, limit: int = DEFINITIONS_PAGE
    ) -> AsyncIterator[list[MetricDefinition]]:
        """Every metric definition, one page at a time, following the cursor to the end (or to
        the limits of a list walk: api/limits.py)."""
        walk = PageWalk("/v1/metric/definitions", self.limits)
        after: str | None = None
        while True:
            page = await self.list_definitions(limit=limit, after=after)
            yield page.data
            after = walk.next_cursor(
                len(page.data), page.pagination.has_more, page.pagination.next_cursor
            )
            if after is None:
                return

    async def all_definitions(self) -> list[MetricDefinition]:
        """Every metric definition (system, organization and project), all pages, fresh; a
        caller that asks while a walk is under way shares it (api/known_definitions.py)."""
        return await self._definitions.fetch(self._walk_definitions)

    @property
    def known_definitions(self) -> list[MetricDefinition] | None:
        """The definitions as last listed whole in this session and project, unless a write
        to one came since: enough to judge with at once while a fresh list is on its way."""
        return self._definitions.latest

    async def _walk_definitions(self) -> list[MetricDefinition]:
        found: list[MetricDefinition] = []
        async for page in self.iter_definitions():
            found.extend(page)
        return found

    def set_project(self, project_id: str | None) -> None:
        super().set_project(project_id)
        self._definitions.forget()

    async def get_definition(self, id_or_slug: str) -> MetricDefinition:
        from roark_tui.api.models import Envelope, MetricDefinition

        path = f"/v1/metric/definitions/{_segment(id_or_slug, 'metric id or slug')}"
        return (await self._get(Envelope[MetricDefinition], path)).data

    async def create_definition(self, body: dict[str, Any]) -> MetricDefinition:
        """POST /v1/metric/definitions (LLM_JUDGE, FORMULA or PATTERN body); never repeated."""
        from roark_tui.api.models import Envelope, MetricDefinition

        response = await self._write_definition("POST", "/v1/metric/definitions", body)
        return parse_model(Envelope[MetricDefinition], response).data

    async def create_threshold(self, id_or_slug: str, body: dict[str, Any]) -> MetricDefinition:
        """POST /v1/metric/definitions/{idOrSlug}/thresholds; never repeated."""
        from roark_tui.api.models import Envelope, MetricDefinition

        path = f"/v1/metric/definitions/{_segment(id_or_slug, 'metric id or slug')}/thresholds"
        response = await self._write_definition("POST", path, body)
        return parse_model(Envelope[MetricDefinition], response).data

    # --- editing definitions and re-scoring ---------------------------------------------------
    # Writes are sent once (never retried once they may have reached the server); after an
    # unclear answer api/write_once.py reads them back instead of sending them again.

    async def update_definition(self, id_or_slug: str, body: dict[str, Any]) -> MetricDefinition:
        """PUT /v1/metric/definitions/{idOrSlug}: the fields named change, a new version."""
        from roark_tui.api.models import Envelope, MetricDefinition

        path = f"/v1/metric/definitions/{_segment(id_or_slug, 'metric id or slug')}"
        response = await self._write_definition("PUT", path, body)
        return parse_model(Envelope[MetricDefinition], response).data

    async def _write_definition(
        self, method: str, path: str, body: dict[str, Any]
    ) -> httpx.Response:
        """Send a write to the definitions; whatever its outcome (an unclear one may have
        landed), the known list is out of date."""
        try:
            return await self._request(method, path, json_body=body)
        finally:
            self.definition_writes += 1
            self._definitions.forget()

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
        return parse_model(Envelope[CollectionJob], response).data

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
        return parse_model(Envelope[CollectionJob], await self._request("POST", path)).data

    # --- account -------------------------------------------------------------------------------

    async def whoami(self) -> Me:
        """GET /v1/me: who the token belongs to; the cheapest way to validate a token."""
        return (await self._get(*me_request())).data

    async def list_projects(self) -> list[Project]:
        """GET /v1/projects: the projects this credential may act on."""
        from roark_tui.api.projects import ProjectsAnswer

        return (await self._get(ProjectsAnswer, "/v1/projects")).data.projects

    async def health(self) -> Health:
        from roark_tui.api.models import Envelope, Health

        return (await self._get(Envelope[Health], "/health")).data

    async def get_json(self, path: str, params: dict[str, Any] | None = None) -> bytes:
        """The raw body of a GET on an API path (for --json output), same retries and errors."""
        return (await self._request("GET", api_path(path), params=params)).content

    # --- transport -----------------------------------------------------------------------------

    async def _get(self, model: type[M], path: str, params: dict[str, Any] | None = None) -> M:
        return parse_model(model, await self._request("GET", path, params=params))

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
        """Send with retries; return a 2xx response or raise the matching ApiError. The whole
        of it, waits between tries included, has the request's deadline (api/limits.py)."""
        import asyncio  # here, not at the top: the blocking client never needs an event loop

        client = self._client_for_requests()
        request = client.build_request(method, path, params=params, json=json_body)
        deadline = asyncio.timeout(self.limits.request_seconds)
        try:
            async with deadline:
                retries = 0
                while True:
                    try:
                        outcome: httpx.Response | httpx.TransportError = await self._send(
                            client, request, method, path
                        )
                    except httpx.TransportError as exc:
                        outcome = exc
                    step = self._next_try(method, path, outcome, retries)
                    if isinstance(step, httpx.Response):
                        return step
                    await (asyncio.sleep if self._sleep is None else self._sleep)(step)
                    retries += 1
        except TimeoutError:
            if deadline.expired():
                raise self._deadline_error(method, path) from None
            raise

    async def _send(
        self, client: httpx.AsyncClient, request: httpx.Request, method: str, path: str
    ) -> httpx.Response:
        """One try, its body read within the response limit."""
        response = await client.send(request, stream=True)
        try:
            body = self._body(response, method, path)
            async for chunk in response.aiter_bytes():
                body.add(chunk)
        finally:
            await response.aclose()
        return body.whole()


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
