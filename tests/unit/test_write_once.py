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
