"""Every sandbox answer of the simulation-run endpoints validates against the official SDK's
response models (roark-analytics, a test-only oracle), at every moment of the running run."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from roark_tui.api.inprocess import InProcessTransport
from roark_tui.sandbox import SandboxConfig, create_app
from roark_tui.sandbox import demo_runs as runs
from roark_tui.sandbox.demo_ids import CALL_IDS

sdk = pytest.importorskip("roark_analytics.types")
from roark_analytics.types.simulation_run_plan_job_get_by_id_response import (  # noqa: E402
    SimulationRunPlanJobGetByIDResponse,
)
from roark_analytics.types.simulation_run_plan_job_get_results_response import (  # noqa: E402
    SimulationRunPlanJobGetResultsResponse,
)
from roark_analytics.types.simulation_run_plan_job_list_response import (  # noqa: E402
    SimulationRunPlanJobListResponse,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(clock: FakeClock) -> httpx.Client:
    app = create_app(SandboxConfig(token=None, clock=clock))
    return httpx.Client(transport=InProcessTransport(app), base_url="http://sandbox.local")


def strict(model: Any, body: bytes) -> Any:
    """The body parsed by the SDK's model: required fields, types and enum literals checked."""
    return model.model_validate_json(body)


def get(client: httpx.Client, path: str, **params: str) -> bytes:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.content


def every_run_id() -> list[str]:
    return [seed.job_id for seed in runs.SEEDS]


def test_list_pages_validate(client: httpx.Client) -> None:
    after = None
    seen: list[str] = []
    while True:
        params = {"limit": "5", **({"after": after} if after else {})}
        page = strict(
            SimulationRunPlanJobListResponse, get(client, "/v1/simulation/plan/jobs", **params)
        )
        seen.extend(item.simulation_run_plan_job_id for item in page.data)
        if not page.pagination.has_more:
            break
        after = page.pagination.next_cursor
    assert seen == every_run_id()


@pytest.mark.parametrize("status", ["COMPLETED", "TIMED_OUT", "RUNNING_SIMULATIONS"])
def test_list_filtered_by_status_validates(client: httpx.Client, status: str) -> None:
    body = get(client, "/v1/simulation/plan/jobs", status=status)
    page = strict(SimulationRunPlanJobListResponse, body)
    assert page.data and all(item.status == status for item in page.data)


@pytest.mark.parametrize("elapsed", [0.0, 7.0, runs.SETTLE_SECONDS])
def test_every_run_and_its_results_validate(
    client: httpx.Client, clock: FakeClock, elapsed: float
) -> None:
    get(client, f"/v1/simulation/plan/job/{runs.RUNNING_RUN_ID}")  # starts the running run
    clock.now = elapsed
    for job_id in every_run_id():
        strict(
            SimulationRunPlanJobGetByIDResponse, get(client, f"/v1/simulation/plan/job/{job_id}")
        )
        body = get(client, f"/v1/simulation/plan/job/{job_id}/results")
        strict(SimulationRunPlanJobGetResultsResponse, body)


def test_results_compared_to_a_chosen_run_validate(client: httpx.Client) -> None:
    body = get(
        client,
        f"/v1/simulation/plan/job/{runs.FAILED_RUN_ID}/results",
        compareToJobId=runs.SWEEP_RUN_ID,
    )
    results = strict(SimulationRunPlanJobGetResultsResponse, body)
    assert results.data.comparison is not None
    assert results.data.comparison.baseline_source == "REQUESTED"


def test_the_failure_members_are_the_sdk_kinds(client: httpx.Client) -> None:
    kinds = set()
    for job_id in every_run_id():
        results = strict(
            SimulationRunPlanJobGetResultsResponse,
            get(client, f"/v1/simulation/plan/job/{job_id}/results"),
        )
        if results.data.verdict is not None:
            kinds.update(type(f).__name__ for f in results.data.verdict.failures)
    assert {"DataVerdictFailureUnionMember0", "DataVerdictFailureUnionMember4"} <= kinds


def test_a_runs_calls_are_listed_by_the_call_filter(client: httpx.Client) -> None:
    results = strict(
        SimulationRunPlanJobGetResultsResponse,
        get(client, f"/v1/simulation/plan/job/{runs.FAILED_RUN_ID}/results"),
    )
    listed = client.get("/v1/call", params={"simulationRunPlanJobId": runs.FAILED_RUN_ID})
    ids = {call["id"] for call in listed.json()["data"]}
    assert ids == {c.call_id for c in results.data.calls} and ids <= set(CALL_IDS)


def test_the_benchmark_run_validates_and_is_only_served_when_asked() -> None:
    from roark_tui.sandbox.big_run import BIG_RUN_ID

    path = f"/v1/simulation/plan/job/{BIG_RUN_ID}/results"
    plain = create_app(SandboxConfig(token=None))
    client = httpx.Client(transport=InProcessTransport(plain), base_url="http://sandbox.local")
    assert client.get(path).status_code == 404
    big = create_app(SandboxConfig(token=None, big_run=(20, 5)))
    client = httpx.Client(transport=InProcessTransport(big), base_url="http://sandbox.local")
    results = strict(SimulationRunPlanJobGetResultsResponse, get(client, path))
    assert len(results.data.calls) == 20 and len(results.data.verdict.checks) == 5
