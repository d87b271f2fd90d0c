"""The sandbox's runs agree with the demo calls' own metrics, and the running run settles."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from roark_tui.api.inprocess import InProcessTransport
from roark_tui.sandbox import SandboxConfig, create_app
from roark_tui.sandbox import demo_runs as demo


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(clock: FakeClock) -> httpx.Client:
    app = create_app(SandboxConfig(token=None, clock=clock))
    return httpx.Client(transport=InProcessTransport(app), base_url="http://sandbox.local")


def results(client: httpx.Client, job_id: str, **params: str) -> dict[str, Any]:
    response = client.get(f"/v1/simulation/plan/job/{job_id}/results", params=params)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def call_check_value(client: httpx.Client, call_id: str, check_id: str) -> Any:
    groups = client.get(f"/v1/call/{call_id}/metrics", params={"status": "all"}).json()["data"]
    for group in groups:
        if group["metricDefinitionId"] == check_id:
            return next(v["value"] for v in group["values"] if v["context"] == "CALL")
    raise AssertionError(f"call {call_id} has no metric {check_id}")


@pytest.mark.parametrize("job_id", demo.RUN_IDS)
def test_a_runs_check_verdicts_are_the_calls_own(
    client: httpx.Client, clock: FakeClock, job_id: str
) -> None:
    results(client, demo.RUNNING_RUN_ID)
    clock.now += demo.SETTLE_SECONDS
    for call in results(client, job_id)["calls"]:
        for check in call["checks"]:
            assert (
                call_check_value(client, call["callId"], check["metricDefinitionId"])
                is check["passed"]
            )


def test_the_failed_run_fails_two_checks_and_regressed(client: httpx.Client) -> None:
    data = results(client, demo.FAILED_RUN_ID)
    failures = data["verdict"]["failures"]
    assert data["verdict"]["passed"] is False
    assert [f["type"] for f in failures] == ["METRIC_BELOW_MIN_PASS_RATE"] * 2
    assert data["comparison"]["baselineRun"]["runNumber"] == 39
    assert data["comparison"]["scoreDelta"] < 0
    assert data["debrief"]["status"] == "READY"
    themed = {c for t in data["debrief"]["report"]["themes"] for c in t["callIds"]}
    failing = {c["callId"] for c in data["calls"] if c["passed"] is False}
    assert themed == failing


def test_the_running_run_lands_its_calls_then_settles(
    client: httpx.Client, clock: FakeClock
) -> None:
    first = results(client, demo.RUNNING_RUN_ID)
    assert first["run"]["status"] == "RUNNING_SIMULATIONS" and first["verdict"] is None
    assert [c["callId"] for c in first["calls"]] == [None, None, None]
    clock.now += 7
    landed = results(client, demo.RUNNING_RUN_ID)
    assert sum(1 for c in landed["calls"] if c["callId"]) == 1
    listed = client.get("/v1/call", params={"simulationRunPlanJobId": demo.RUNNING_RUN_ID})
    assert len(listed.json()["data"]) == 1
    clock.now += demo.SETTLE_SECONDS
    settled = results(client, demo.RUNNING_RUN_ID)
    assert settled["run"]["status"] == "COMPLETED" and settled["verdict"]["passed"] is True


def test_the_other_runs_say_what_they_are(client: httpx.Client) -> None:
    passed = results(client, demo.PASSED_RUN_ID)
    assert passed["verdict"]["passed"] is True and passed["debrief"]["status"] == "GENERATING"
    incomplete = results(client, demo.NOT_COMPLETED_RUN_ID)
    kinds = [f["type"] for f in incomplete["verdict"]["failures"]]
    assert kinds[:2] == ["RUN_NOT_COMPLETED", "INCOMPLETE_COVERAGE"]
    sweep = results(client, demo.SWEEP_RUN_ID)["sweepAttribution"]
    assert [v["value"] for v in sweep["values"]] == ["US", "GB", "IN"]
    assert sweep["checks"][0]["attribution"] == "FOUND_UNATTRIBUTED"


def test_list_filters_and_pages(client: httpx.Client) -> None:
    plan = client.get(
        "/v1/simulation/plan/jobs", params={"simulationRunPlanId": demo.SWEEP_PLAN_ID}
    )
    assert {r["simulationRunPlanId"] for r in plan.json()["data"]} == {demo.SWEEP_PLAN_ID}
    bad = client.get("/v1/simulation/plan/jobs", params={"status": "DONE"})
    assert bad.status_code == 400
    assert client.get("/v1/simulation/plan/jobs", params={"limit": "51"}).status_code == 400
    assert client.get("/v1/simulation/plan/jobs", params={"after": "nope"}).status_code == 400


def test_unknown_runs_and_baselines_are_404(client: httpx.Client) -> None:
    assert client.get("/v1/simulation/plan/job/nope/results").status_code == 404
    compared = client.get(
        f"/v1/simulation/plan/job/{demo.FAILED_RUN_ID}/results", params={"compareToJobId": "nope"}
    )
    assert compared.status_code == 404
