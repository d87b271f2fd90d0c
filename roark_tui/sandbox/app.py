"""The sandbox's routes: the Roark endpoints roark-tui uses, plus the admin endpoints.

API (docs/contract.md): GET /health, GET /v1/me, GET /v1/chat, GET /v1/chat/{id},
/v1/chat/{id}/transcript, /v1/chat/{id}/metrics, the same four for /v1/call, GET and POST
/v1/metric/definitions, GET/PUT/PATCH /v1/metric/definitions/{idOrSlug} and POST
/v1/metric/definitions/{idOrSlug}/thresholds, POST and GET /v1/metric/collection-jobs,
GET /v1/metric/collection-jobs/{jobId} and POST .../{jobId}/cancel. Creates answer 201.

Admin (authenticated with the sandbox token, untouched by faults and not recorded):
    GET  /_sandbox/faults     the knobs as JSON
    POST /_sandbox/faults     change them: {"clear": true, "latency": 0.5, "errorRate": 0.2,
                              "errorSeed": 7, "errorStatus": 503,
                              "add": [{"kind": "status", "status": 503, "path": "/v1/chat/*",
                                       "method": "GET", "times": 2}],
                              "revokeToken": true, "restoreToken": true,
                              "restartComputing": true}   (applied in that order)
    GET  /_sandbox/requests   {"requests": [[method, path], ...],
                               "postCounts": [{"path", "body", "count"}, ...]}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import TYPE_CHECKING

from roark_tui.sandbox import admin, catalog, demo_ids, payloads, projects, runs
from roark_tui.sandbox.call_filters import Searchable, filter_calls
from roark_tui.sandbox.collection_jobs import status_param
from roark_tui.sandbox.config import SandboxConfig
from roark_tui.sandbox.conversations import Conversation
from roark_tui.sandbox.http import (
    NoRoute,
    Receive,
    Request,
    Response,
    Route,
    Scope,
    Send,
    lifespan,
    read_body,
    route,
)
from roark_tui.sandbox.middleware import SandboxMiddleware
from roark_tui.sandbox.paging import enum_param, keyset_page, limit_param
from roark_tui.sandbox.problems import Problem, invalid, not_found
from roark_tui.sandbox.route_kit import json_body, json_response, state_of
from roark_tui.sandbox.state import SandboxState

if TYPE_CHECKING:
    from roark_tui.sandbox.big import BigChat

HEALTH_TIMESTAMP = "2026-11-20T18:00:00.000Z"
CHAT_SORTS = {
    "createdAt": "createdAt",
    "startTimestamp": "startTimestamp",
    "endTimestamp": "endTimestamp",
    "duration": "durationMs",
    "title": "title",
}
CALL_SORTS = {
    "createdAt": "createdAt",
    "startedAt": "startedAt",
    "endedAt": "endedAt",
    "duration": "durationMs",
    "title": "title",
    "status": "status",
}
TRANSCRIPT_SOURCES = ("ROARK_POST_CALL", "SIMULATION_AGENT_REALTIME", "CUSTOMER_AGENT_REALTIME")
MAX_LIMIT = 100  # chats and calls
# Not documented for definitions: the bound of Roark's other metric lists (policies, jobs).
DEFINITIONS_MAX_LIMIT = 50
JOBS_MAX_LIMIT = 50  # documented for collection jobs (1-50, default 20)


class SandboxApp:
    """The sandbox as an ASGI app. `state.sandbox` is its running state (`SandboxState`); a
    request goes through the front door (middleware.py), then to its route."""

    def __init__(self, config: SandboxConfig) -> None:
        self.state = SimpleNamespace(sandbox=SandboxState(config))
        self._front = SandboxMiddleware(self._answer, self.state.sandbox)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
        elif scope["type"] == "http":
            await self._front(scope, receive, send)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the route; a Problem it raises is its answer, a crash a 500 (then re-raised,
        for the server's log)."""
        try:
            handler, params = route(ROUTES, scope["method"], scope["path"])
            body = await read_body(receive)
            response = handler(Request(scope, body, params, self.state.sandbox))
        except NoRoute as exc:
            response = _no_route(scope, exc.allowed).response()
        except Problem as exc:
            response = exc.response()
        except Exception as exc:
            await Problem(500, f"The sandbox failed: {type(exc).__name__}").response()(
                scope, receive, send
            )
            raise
        await response(scope, receive, send)


def create_app(config: SandboxConfig) -> SandboxApp:
    """A fresh sandbox: its own definitions, logs and faults; shared immutable demo data."""
    return SandboxApp(config)


def _no_route(scope: Scope, allowed: frozenset[str]) -> Problem:
    where = f"{scope['method']} {scope['path']}"
    if not allowed:
        return Problem(404, f"No route {where}")
    return Problem(
        405,
        f"{scope['method']} is not allowed on {scope['path']}",
        headers={"Allow": ", ".join(sorted(allowed))},
    )


# --- account -------------------------------------------------------------------------------


def health(request: Request) -> Response:
    return json_response(
        {"data": {"status": "healthy", "timestamp": HEALTH_TIMESTAMP, "version": "sandbox-1"}}
    )


def me(request: Request) -> Response:
    """A project-scoped key, shaped as SDK 7.6.0 `me_get_response.py`: no user behind it."""
    project = {
        "id": state_of(request).config.project_id,
        "name": "Support agents (sandbox)",
        "slug": "support-agents-sandbox",
    }
    return json_response(
        {
            "data": {
                "tokenScope": "PROJECT",
                "grantedPermissions": [
                    "call:read",
                    "chat:read",
                    "metric:read",
                    "metric:create",
                ],
                "scopes": ["READ", "WRITE"],
                "defaultProject": project,
                "organization": {"id": catalog.ORGANIZATION_ID, "name": "Lumen Demo Co"},
                "user": None,
            }
        }
    )


# --- conversations -------------------------------------------------------------------------


def _conversations(request: Request, kind: str) -> list[Conversation]:
    convs = [c for c in payloads.conversations().values() if c.kind == kind]
    big = _big(request)
    if kind == "chat" and big is not None:
        convs.append(big.conversation)
    crowd = state_of(request).crowd
    if crowd is not None:
        convs.extend(crowd.of_kind(kind))
    return convs


def _big(request: Request) -> BigChat | None:
    size = state_of(request).config.big_conversation
    if size is None:
        return None
    from roark_tui.sandbox.big import big_chat

    return big_chat(*size)


def _conversation(request: Request, kind: str) -> Conversation:
    conv_id = request.path_params["id"].lower()
    if kind == "chat" and conv_id == demo_ids.BIG_CHAT_ID:
        big = _big(request)
        if big is not None:
            return big.conversation
    conv = payloads.conversation(conv_id)
    if conv is None and (crowd := state_of(request).crowd) is not None:
        conv = crowd.get(conv_id)
    if conv is None or conv.kind != kind:
        raise not_found(kind, request.path_params["id"], "callId" if kind == "call" else "id")
    return conv


def _list(kind: str, sorts: dict[str, str]) -> Callable[[Request], Response]:
    def handler(request: Request) -> Response:
        limit = limit_param(request, MAX_LIMIT)
        sort_by = enum_param(request, "sortBy", sorts, "createdAt")
        direction = enum_param(request, "sortDirection", ("asc", "desc"), "desc")
        convs = _conversations(request, kind)
        if kind == "call":
            placed = runs.placements(state_of(request))
            searchable = [_searchable(c, placed.get(c.id, ())) for c in convs]
            records = filter_calls(searchable, request.query_params)
        else:
            records = [c.record for c in convs]
        field = sorts[sort_by or "createdAt"]
        page, next_cursor = keyset_page(
            records,
            lambda r: r.get(field, ""),
            limit=limit,
            after=request.query_params.get("after"),
            descending=direction == "desc",
        )
        pagination = {
            "total": len(records),
            "hasMore": next_cursor is not None,
            "nextCursor": next_cursor,
        }
        return json_response({"data": page, "pagination": pagination})

    return handler


def _searchable(conv: Conversation, placed_in: Iterable[tuple[str, str]]) -> Searchable:
    """A call as the filters read it: its own run, and the demo runs that placed it."""
    text = "\n".join(entry["text"] for entry in conv.entries)
    return Searchable(conv.record, text, conv.run, tuple(placed_in))


def _get(kind: str) -> Callable[[Request], Response]:
    def handler(request: Request) -> Response:
        return json_response({"data": _conversation(request, kind).record})

    return handler


def _transcript(kind: str) -> Callable[[Request], Response]:
    def handler(request: Request) -> Response:
        conv = _conversation(request, kind)
        if kind == "call":
            source = enum_param(request, "source", TRANSCRIPT_SOURCES, None)
            if source is not None and source != conv.transcript.get("transcriptionSource"):
                raise Problem(404, f"No {source} transcript for this call", parameter="source")
        return Response(payloads.transcript_body(conv))

    return handler


def _metrics(kind: str) -> Callable[[Request], Response]:
    def handler(request: Request) -> Response:
        conv = _conversation(request, kind)
        status = enum_param(request, "status", ("success", "all"), "success")
        raw_flatten = (request.query_params.get("flatten") or "false").lower()
        if raw_flatten not in ("true", "false"):
            raise invalid("flatten", "flatten must be 'true' or 'false'")
        flatten = raw_flatten == "true"
        jobs = state_of(request).jobs
        big = _big(request) if conv.id == demo_ids.BIG_CHAT_ID else None
        if big is not None:
            body = big.metrics_body(flatten)
        else:
            visible = None
            if any(conv.appear_at):
                visible = payloads.visible_groups(conv, state_of(request).elapsed())
            store = state_of(request).definitions
            if payloads.conversation(conv.id) is None:
                body = state_of(request).crowd.metrics_body(
                    conv, status=status or "success", flatten=flatten, visible=visible
                )
            elif jobs.touched(conv.id) or store.edited:
                base = conv.groups if visible is None else conv.groups[:visible]
                groups = [store.current_header(g) for g in jobs.groups(conv, base)]
                body = payloads.encode_groups(groups, status=status or "success", flatten=flatten)
            else:
                body = payloads.metrics_body(
                    conv, status=status or "success", flatten=flatten, visible=visible
                )
        return Response(body)

    return handler


# --- metric definitions --------------------------------------------------------------------


def definitions(request: Request) -> Response:
    store = state_of(request).definitions
    if request.method == "POST":
        created = store.create(json_body(request))
        return json_response({"data": catalog.public(created)}, status=201)
    limit = limit_param(request, DEFINITIONS_MAX_LIMIT)
    page, next_cursor = keyset_page(
        store.ordered(),
        lambda d: d["id"],
        limit=limit,
        after=request.query_params.get("after"),
        descending=False,
    )
    return json_response(
        {
            "data": [catalog.public(d) for d in page],
            "pagination": {
                "hasMore": next_cursor is not None,
                "limit": limit,
                "nextCursor": next_cursor,
            },
        }
    )


def definition(request: Request) -> Response:
    store = state_of(request).definitions
    key = request.path_params["idOrSlug"]
    if request.method in ("PUT", "PATCH"):
        updated = store.update(key, json_body(request))
        return json_response({"data": catalog.public(updated)})
    return json_response({"data": catalog.public(store.require(key))})


def collection_jobs(request: Request) -> Response:
    jobs = state_of(request).jobs
    if request.method == "POST":

        def find(kind: str, conv_id: str) -> Conversation | None:
            conv = payloads.conversation(conv_id)
            return conv if conv is not None and conv.kind == kind else None

        return json_response({"data": jobs.create(json_body(request), find)}, status=201)
    limit = limit_param(request, JOBS_MAX_LIMIT)
    shown = jobs.ordered(status_param(request.query_params.get("status")))
    order = {job["id"]: n for n, job in enumerate(shown)}
    page, next_cursor = keyset_page(
        shown,
        lambda j: order[j["id"]],
        limit=limit,
        after=request.query_params.get("after"),
        descending=False,
    )
    pagination = {
        "hasMore": next_cursor is not None,
        "nextCursor": next_cursor,
        "total": len(shown),
    }
    return json_response({"data": page, "pagination": pagination})


def collection_job(request: Request) -> Response:
    jobs = state_of(request).jobs
    jobs.advance()
    return json_response({"data": jobs.public(jobs.require(request.path_params["jobId"]))})


def cancel_collection_job(request: Request) -> Response:
    return json_response({"data": state_of(request).jobs.cancel(request.path_params["jobId"])})


def thresholds(request: Request) -> Response:
    store = state_of(request).definitions
    key = request.path_params["idOrSlug"]
    store.require(key)  # 404 for an unknown source comes before any body problem
    created = store.create_threshold(key, json_body(request))
    return json_response({"data": catalog.public(created)}, status=201)


ROUTES = [
    Route("/health", health),
    Route("/v1/me", me),
    Route("/v1/projects", lambda request: json_response(projects.listing())),
    Route("/v1/chat", _list("chat", CHAT_SORTS)),
    Route("/v1/chat/{id}", _get("chat")),
    Route("/v1/chat/{id}/transcript", _transcript("chat")),
    Route("/v1/chat/{id}/metrics", _metrics("chat")),
    Route("/v1/call", _list("call", CALL_SORTS)),
    Route("/v1/call/{id}", _get("call")),
    Route("/v1/call/{id}/transcript", _transcript("call")),
    Route("/v1/call/{id}/metrics", _metrics("call")),
    Route("/v1/metric/definitions", definitions, methods=["GET", "POST"]),
    Route("/v1/metric/definitions/{idOrSlug}", definition, methods=["GET", "PUT", "PATCH"]),
    Route("/v1/metric/definitions/{idOrSlug}/thresholds", thresholds, methods=["POST"]),
    Route("/v1/metric/collection-jobs", collection_jobs, methods=["GET", "POST"]),
    Route("/v1/metric/collection-jobs/{jobId}", collection_job),
    Route("/v1/metric/collection-jobs/{jobId}/cancel", cancel_collection_job, methods=["POST"]),
    Route("/v1/simulation/plan/jobs", runs.list_runs),
    Route("/v1/simulation/plan/job/{jobId}", runs.get_run),
    Route("/v1/simulation/plan/job/{jobId}/results", runs.get_results),
    Route("/_sandbox/faults", admin.admin_faults, methods=["GET", "POST"]),
    Route("/_sandbox/requests", admin.admin_requests, methods=["GET"]),
]
