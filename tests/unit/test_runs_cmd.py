"""`roark-tui --demo runs|run`: the gate's exit codes on the demo runs, --print and --json."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

import roark_tui.sandbox as sandbox
from roark_tui.cli import gate, main
from roark_tui.sandbox import demo_runs as demo


class FakeTime:
    """The gate's clock and sleep, and the sandbox's clock: sleeping moves both."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    time = FakeTime()
    real = sandbox.create_app

    def on_fake_time(config: Any) -> Any:
        return real(dataclasses.replace(config, clock=time.clock))

    monkeypatch.setattr(sandbox, "create_app", on_fake_time)
    monkeypatch.setattr(gate, "TIMING", gate.Timing(clock=time.clock, sleep=time.sleep))
    return time


@pytest.mark.parametrize(
    ("job_id", "code", "label"),
    [
        (demo.PASSED_RUN_ID, 0, "PASS"),
        (demo.SWEEP_RUN_ID, 0, "PASS"),
        (demo.FAILED_RUN_ID, 6, "FAIL"),
        (demo.NOT_COMPLETED_RUN_ID, 9, "NOVERDICT"),
        (demo.RUNNING_RUN_ID, 8, "PENDING"),
    ],
)
def test_check_exits_with_roarks_verdict(
    capsys: pytest.CaptureFixture[str], fake_time: FakeTime, job_id: str, code: int, label: str
) -> None:
    assert main(["--demo", "run", job_id, "--check"]) == code
    assert capsys.readouterr().out.startswith(f"{label:<9} run SR-")


def test_wait_follows_the_running_run_until_it_settles(
    capsys: pytest.CaptureFixture[str], fake_time: FakeTime
) -> None:
    assert main(["--demo", "run", demo.RUNNING_RUN_ID, "--check", "--wait"]) == 0
    assert demo.SETTLE_SECONDS <= fake_time.now < demo.SETTLE_SECONDS + 30
    assert capsys.readouterr().out.startswith("PASS      run SR-43")


def test_a_wait_that_runs_out_exits_8(
    capsys: pytest.CaptureFixture[str], fake_time: FakeTime
) -> None:
    argv = ["--demo", "run", demo.RUNNING_RUN_ID, "--check", "--wait", "--timeout", "5"]
    assert main(argv) == 8
    assert fake_time.now == pytest.approx(5)
    assert "--wait timed out" in capsys.readouterr().out


def test_print_names_each_failing_check_and_the_worst_calls(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--demo", "run", demo.FAILED_RUN_ID, "--check", "--print"]) == 6
    out = capsys.readouterr().out
    assert "FAIL Few Latency Spikes" in out and "50% (min 80%)" in out
    assert "FAIL Transfers Connected" in out and "66.7% (min 90%)" in out
    assert "worst calls\n  f67826ac-1674-4c81-a4bf-c5d643446664" in out
    assert "failed: Few Latency Spikes, Transfers Connected" in out


def test_print_alone_exits_0_whatever_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "run", demo.FAILED_RUN_ID, "--print"]) == 0


def test_json_prints_the_results_and_a_url_names_the_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"https://app.roark.ai/projects/p/simulations/runs/{demo.FAILED_RUN_ID}"
    assert main(["--demo", "run", url, "--json", "--compare", demo.SWEEP_RUN_ID]) == 0
    data = json.loads(capsys.readouterr().out)["data"]
    assert data["run"]["runNumber"] == 42
    assert data["comparison"]["baselineSource"] == "REQUESTED"


def test_an_unknown_run_exits_4(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "run", "00000000-0000-4000-8000-00000000dead", "--check"]) == 4


def test_timeout_without_wait_is_a_usage_error() -> None:
    assert main(["--demo", "run", demo.FAILED_RUN_ID, "--check", "--timeout", "3"]) == 2


def test_runs_print_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "runs", "--print", "--limit", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["SR-43", "SR-42", "SR-41", "SR-40", "SR-39"]
    assert "FAILED" in lines[1] and "79.2" in lines[1]
    assert main(["--demo", "runs", "--json", "--status", "TIMED_OUT"]) == 0
    data = json.loads(capsys.readouterr().out)["data"]
    assert [item["simulationRunPlanJobId"] for item in data] == [demo.NOT_COMPLETED_RUN_ID]


def test_runs_follows_pages_up_to_the_limit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "runs", "--json", "--limit", "200"]) == 0
    assert len(json.loads(capsys.readouterr().out)["data"]) == len(demo.SEEDS)


def test_wait_without_check_exits_0_once_settled_whatever_the_verdict(
    capsys: pytest.CaptureFixture[str], fake_time: FakeTime
) -> None:
    assert main(["--demo", "run", demo.FAILED_RUN_ID, "--wait"]) == 0
    assert capsys.readouterr().out.startswith("FAIL      run SR-42")
    assert main(["--demo", "run", demo.RUNNING_RUN_ID, "--wait", "--timeout", "3"]) == 8
