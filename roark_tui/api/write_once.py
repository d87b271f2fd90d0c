"""Writes that are sent once, and read back after an unclear answer.

A PUT or POST that may have reached the server is never sent again (the service does not retry
it): after a timeout, a dropped connection, a 5xx or an unreadable body, the state is read
back instead: the definition's `versionId` for an update, the slug for a new definition or
threshold, the job list for a collection job. What is found is the answer (with a note saying
it was confirmed that way); when nothing is found the error says what is known, as
`errors.Unconfirmed` when the write may still land.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from roark_tui.api import errors

if TYPE_CHECKING:
    from roark_tui.api.models import CollectionJob, MetricDefinition
    from roark_tui.api.service import RoarkService

T = TypeVar("T")
UNCLEAR = (errors.Timeout, errors.NetworkError, errors.ResponseError, errors.ServerError)
MAY_STILL_LAND = (errors.Timeout, errors.NetworkError)
RECENT_JOBS = 50


@dataclass(frozen=True)
class Written(Generic[T]):
    """What the server has after the write; `note` says how that is known when it took a
    read-back (empty after a plain answer)."""

    value: T
    note: str = ""


def _note(exc: errors.ApiError) -> str:
    return f"confirmed by reading it back after: {_said(exc)}"


def _said(exc: errors.ApiError) -> str:
    return " ".join(str(exc).split())[:200]


async def update_definition(
    service: RoarkService,
    current: MetricDefinition,
    body: dict[str, Any],
    applied: Callable[[MetricDefinition, dict[str, Any]], bool],
) -> Written[MetricDefinition]:
    """PUT `body` on `current` once. `applied(definition, body)` tells whether a definition
    read back carries the change."""
    try:
        return Written(await service.update_definition(current.id, body))
    except UNCLEAR as exc:
        try:
            found = await service.get_definition(current.id)
        except errors.ApiError:
            raise errors.Unconfirmed(
                f"No clear answer ({_said(exc)}) and the definition could not be read back: "
                "look at its version before saving again"
            ) from None
        moved = found.version_id != current.version_id
        if moved and applied(found, body):
            return Written(found, _note(exc))
        if moved:
            raise errors.Unconfirmed(
                f"No clear answer ({_said(exc)}); the definition has a new version that is not "
                "this change: someone else may have edited it. Reload it before saving again"
            ) from None
        if isinstance(exc, MAY_STILL_LAND):
            raise errors.Unconfirmed(
                f"No change on the server yet ({_said(exc)}); the request may still land: "
                "look at the definition again before saving it again"
            ) from None
        raise


async def create_definition(
    service: RoarkService,
    send: Callable[[], Awaitable[MetricDefinition]],
    slug: str,
    made: Callable[[MetricDefinition], bool],
    what: str,
) -> Written[MetricDefinition]:
    """POST a new definition or threshold once (`send`). After an unclear answer its `slug` is
    looked up, and what is found counts only when `made(found)` says it is the one asked for;
    `what` names it in the messages ("definition", "threshold")."""
    try:
        return Written(await send())
    except UNCLEAR as exc:
        try:
            found = await _by_slug(service, slug)
        except errors.ApiError:
            raise errors.Unconfirmed(
                f"Unknown whether it was created ({_said(exc)}): look for {slug} in the "
                "definitions browser before creating it again"
            ) from None
        if found is not None and made(found):
            return Written(found, _note(exc))
        if found is None and isinstance(exc, MAY_STILL_LAND):
            raise errors.Unconfirmed(
                f"No {what} {slug} on the server yet ({_said(exc)}); the request may still "
                "land: check the definitions browser before creating it again"
            ) from None
        raise  # a definition of that slug that is not this one: the answer stands


async def find_created(
    service: RoarkService, slug: str, made: Callable[[MetricDefinition], bool]
) -> MetricDefinition | None:
    """What an earlier create of `slug` made, when the server has it and `made` recognises it
    (a definition of that slug that is not the one asked for is someone else's): for a draft
    that says a create was sent but whose answer never arrived. None when it is not there;
    `errors.Unconfirmed` when the server cannot be asked."""
    try:
        found = await _by_slug(service, slug)
    except errors.ApiError as exc:
        raise errors.Unconfirmed(
            f"Unknown whether {slug} was created before the app stopped ({_said(exc)}): look "
            "for it in the definitions browser before creating it again"
        ) from None
    return found if found is not None and made(found) else None


async def _by_slug(service: RoarkService, slug: str) -> MetricDefinition | None:
    try:
        return await service.get_definition(slug)
    except errors.NotFound:
        return None


async def start_collection_job(
    service: RoarkService,
    kind: Literal["chat", "call"],
    conv_ids: list[str],
    metric_ids: list[str],
) -> Written[CollectionJob]:
    """POST the job once. The newest jobs are listed first, so that after an unclear answer a
    job that was not there before can be recognised as this one."""
    try:
        before: set[str] | None = {j.id for j in await _recent_jobs(service)}
    except errors.ApiError:
        before = None
    try:
        return Written(await service.create_collection_job(kind, conv_ids, metric_ids))
    except UNCLEAR as exc:
        if before is None:
            raise errors.Unconfirmed(
                f"No clear answer ({_said(exc)}) and the job list cannot be read: look at the "
                "project's collection jobs before re-scoring again"
            ) from None
        try:
            recent = await _recent_jobs(service)
        except errors.ApiError:
            raise errors.Unconfirmed(
                f"No clear answer ({_said(exc)}) and the job list could not be read back: look "
                "at the project's collection jobs before re-scoring again"
            ) from None
        items = len(conv_ids) * len(metric_ids)
        fresh = [j for j in recent if j.id not in before and j.total_items == items]
        if fresh:
            return Written(fresh[0], _note(exc))
        if isinstance(exc, MAY_STILL_LAND):
            raise errors.Unconfirmed(
                f"No new job on the server yet ({_said(exc)}); it may still start: look at the "
                "project's collection jobs before re-scoring again"
            ) from None
        raise


async def cancel_collection_job(service: RoarkService, job_id: str) -> Written[CollectionJob]:
    """POST cancel once; after an unclear answer, the job as it is now."""
    try:
        return Written(await service.cancel_collection_job(job_id))
    except UNCLEAR as exc:
        try:
            return Written(await service.get_collection_job(job_id), _note(exc))
        except errors.ApiError:
            raise errors.Unconfirmed(
                f"No clear answer to the cancel ({_said(exc)}); the job may still run"
            ) from None


async def _recent_jobs(service: RoarkService) -> list[CollectionJob]:
    return (await service.list_collection_jobs(limit=RECENT_JOBS)).data
