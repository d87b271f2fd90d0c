"""Simulation runs (run plan jobs) as the API sends them, read tolerantly.

A run's results are the largest and newest payload roark-tui reads, so these models are the most
forgiving: every field has a default, a number that is not a finite number reads as None, a list
that is not a list reads as empty (and items that are not objects are dropped), an object that is
not an object reads as None, and every enum is a plain string so an unknown status or failure
kind is shown as it comes. Unknown fields are kept (`extra="allow"`). Parse with
`model_validate_json` on the response bytes.

Here: the list and the run with its simulation jobs. The results live in run_results.py (calls in
run_calls.py, the debrief in run_debrief.py), the tolerant readers in run_fields.py.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from roark_tui.api.models import ApiModel
from roark_tui.api.run_fields import Flag, Num, Str, as_object, as_objects
from roark_tui.api.run_results import RunResults, Verdict

# RunResults is also imported from here by the command line.
__all__ = ["RunDetail", "RunDetailResponse", "RunListItem", "RunPage", "RunResults"]

# Known values, for display order and filters; values outside these are accepted and shown.
RUN_STATUSES = (
    "PENDING",
    "QUEUED",
    "CREATING_SNAPSHOTS",
    "CREATING_SIMULATIONS",
    "PREPARING_CAPACITY",
    "RUNNING_SIMULATIONS",
    "COMPLETED",
    "FAILED",
    "TIMED_OUT",
    "CANCELLED",
    "CANCELLING",
    "ENDING_SIMULATIONS",
)
MAX_PAGE = 50  # the documented maximum of `limit` on the runs list

# --- the list ------------------------------------------------------------------------------


class RunListItem(ApiModel):
    simulation_run_plan_job_id: Str = None
    simulation_run_plan_id: Str = None
    status: Str = None
    triggered_by: Str = None
    created_at: Str = None
    started_at: Str = None
    ended_at: Str = None

    @property
    def job_id(self) -> str:
        return self.simulation_run_plan_job_id or ""


class RunPagination(ApiModel):
    has_more: Flag = None
    total: Num = None
    next_cursor: Str = None


def _page_items(value: Any) -> Any:
    """The page's own list must be a list (anything else is not a page); items that are not
    objects are dropped."""
    return as_objects(value) if isinstance(value, list) else value


class RunPage(ApiModel):
    data: Annotated[list[RunListItem], BeforeValidator(_page_items)]
    pagination: Annotated[RunPagination | None, BeforeValidator(as_object)] = None

    @property
    def next_cursor(self) -> str | None:
        """The cursor of the next page; None when this is the last."""
        page = self.pagination
        if page is None or not page.has_more or not page.next_cursor:
            return None
        return page.next_cursor


class RunDetail(ApiModel):
    """`data` of GET /v1/simulation/plan/job/{jobId}: the run with its simulation jobs."""

    simulation_run_plan_job_id: Str = None
    simulation_run_plan_id: Str = None
    status: Str = None
    created_at: Str = None
    started_at: Str = None
    ended_at: Str = None
    verdict: Annotated[Verdict | None, BeforeValidator(as_object)] = None
    simulation_jobs: Annotated[list[dict[str, Any]], BeforeValidator(as_objects)] = Field(
        default_factory=list
    )


class RunDetailResponse(ApiModel):
    data: RunDetail
