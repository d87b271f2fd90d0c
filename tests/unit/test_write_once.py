"""api/write_once.py with a scripted service: what an unclear answer to a write turns into
once the state is read back (never a second write)."""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.api import errors, write_once
from roark_tui.api.models import CollectionJob, MetricDefinition, Page
from roark_tui.core.definition_diff import applied

CURRENT = MetricDefinition(id="d", name="Old", version_id="v1", calculation_type="THRESHOLD")


class Service:
    def __init__(self, *, after: MetricDefinition | None = None, jobs: Any = ()) -> None:
        self.after = after
        self.jobs = list(jobs)
        self.writes = 0

    async def update_definition(self, key: str, body: dict[str, Any]) -> MetricDefinition:
        self.writes += 1
        raise errors.Timeout("no answer")

    async def get_definition(self, key: str) -> MetricDefinition:
        if self.after is None:
            raise errors.NetworkError("down")
        return self.after

    async def create_collection_job(self, *args: Any) -> CollectionJob:
        self.writes += 1
        self.jobs.insert(0, CollectionJob(id="new", total_items=1))
        raise errors.ServerError("502", status=502)

    async def list_collection_jobs(self, **kwargs: Any) -> Page[CollectionJob]:
        return Page[CollectionJob](data=list(self.jobs))


@pytest.mark.parametrize(
    ("after", "outcome"),
    [
        (CURRENT.model_copy(update={"name": "New", "version_id": "v2"}), "confirmed"),
        (CURRENT, "may still land"),
        (CURRENT.model_copy(update={"name": "Other", "version_id": "v2"}), "someone else"),
        (None, "could not be read back"),
    ],
)
async def test_an_unclear_update_is_read_back(after: Any, outcome: str) -> None:
    service = Service(after=after)
    body = {"name": "New"}
    if outcome == "confirmed":
        written = await write_once.update_definition(service, CURRENT, body, applied)  # type: ignore[arg-type]
        assert written.value.name == "New" and "confirmed" in written.note
    else:
        with pytest.raises(errors.Unconfirmed, match=outcome):
            await write_once.update_definition(service, CURRENT, body, applied)  # type: ignore[arg-type]
    assert service.writes == 1


async def test_an_unclear_job_is_found_in_the_list() -> None:
    service = Service(jobs=[CollectionJob(id="old", total_items=1)])
    written = await write_once.start_collection_job(service, "chat", ["c"], ["m"])  # type: ignore[arg-type]
    assert written.value.id == "new" and "confirmed" in written.note
    assert service.writes == 1


class Slugs:
    """A service whose GET by slug answers from `held` (NotFound when absent), or fails."""

    def __init__(self, held: MetricDefinition | None, *, readable: bool = True) -> None:
        self.held, self.readable = held, readable

    async def get_definition(self, key: str) -> MetricDefinition:
        if not self.readable:
            raise errors.ServerError("502", status=502)
        if self.held is None or self.held.slug != key:
            raise errors.NotFound("no such slug", status=404)
        return self.held


MINE = MetricDefinition(id="m", slug="mine", name="Mine")
THEIRS = MetricDefinition(id="t", slug="mine", name="Theirs")


@pytest.mark.parametrize(
    ("failure", "held", "readable", "outcome"),
    [
        (None, None, True, "created"),
        (errors.Timeout("did not answer"), MINE, True, "confirmed"),
        (errors.Timeout("did not answer"), None, True, "may still land"),
        (errors.ServerError("boom", status=500), None, True, "HTTP 500"),
        (errors.Timeout("did not answer"), THEIRS, True, "did not answer"),
        (errors.NetworkError("dropped"), None, False, "Unknown whether it was created"),
        (errors.Conflict("taken", status=409), MINE, True, "HTTP 409"),
    ],
    ids=["clear", "read-back", "may-land", "5xx-none", "someone-elses", "unreadable", "409"],
)
async def test_a_create_is_sent_once_and_read_back_by_slug(
    failure: errors.ApiError | None, held: Any, readable: bool, outcome: str
) -> None:
    sent: list[int] = []

    async def send() -> MetricDefinition:
        sent.append(1)
        if failure is not None:
            raise failure
        return MINE

    service = Slugs(held, readable=readable)
    made = lambda d: d.name == "Mine"  # noqa: E731
    if outcome in ("created", "confirmed"):
        written = await write_once.create_definition(service, send, "mine", made, "threshold")  # type: ignore[arg-type]
        assert written.value is MINE and (outcome in written.note or not written.note)
    else:
        with pytest.raises(errors.ApiError, match=outcome) as raised:
            await write_once.create_definition(service, send, "mine", made, "threshold")  # type: ignore[arg-type]
        # Only an answer that left it open and found nothing may say "still land"; a 4xx stands.
        assert isinstance(raised.value, errors.Unconfirmed) == (
            outcome in ("may still land", "Unknown whether it was created")
        )
        if outcome == "may still land":
            assert "No threshold mine on the server yet" in str(raised.value)
    assert sent == [1]


async def test_find_created_recognises_only_what_was_asked_for() -> None:
    made = lambda d: d.name == "Mine"  # noqa: E731
    assert await write_once.find_created(Slugs(MINE), "mine", made) is MINE  # type: ignore[arg-type]
    assert await write_once.find_created(Slugs(THEIRS), "mine", made) is None  # type: ignore[arg-type]
    assert await write_once.find_created(Slugs(None), "mine", made) is None  # type: ignore[arg-type]
    with pytest.raises(errors.Unconfirmed, match="Unknown whether mine was created"):
        await write_once.find_created(Slugs(MINE, readable=False), "mine", made)  # type: ignore[arg-type]
