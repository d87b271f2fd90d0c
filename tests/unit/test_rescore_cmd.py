"""`chat|call <ID> --rescore METRIC...`: one job, old -> new per conversation, exit codes as
the README's table (2 for an unknown metric, 8 when --wait runs out, 6 with --check when a
check fails, 1 for 402, 3 for 403). The sandbox and the wait share a fake clock."""

from __future__ import annotations

import argparse
from typing import Any

import httpx
import pytest
from pilot_support import SteppedClock

from roark_tui.api.service import RoarkService
from roark_tui.cli import common, gate, rescore_cmd
from roark_tui.sandbox import Fault, SandboxConfig, create_app
from roark_tui.sandbox.demo_ids import DEMO_TOKEN, FAILING_CHAT_ID

JOBS = "/v1/metric/collection-jobs"


Clock = SteppedClock


@pytest.fixture
def clock() -> Clock:
    return SteppedClock()


@pytest.fixture
async def setup(clock: Clock) -> Any:
    app = create_app(SandboxConfig(clock=clock))
    service = RoarkService(
        base_url="http://sandbox.local",
        token=DEMO_TOKEN,
        transport=httpx.ASGITransport(app=app),
        allow_insecure=True,
        max_retries=0,
    )
    yield app, service
    await service.aclose()


def args(*metrics: str, wait: bool = True, check: bool = False, timeout: Any = None) -> Any:
    return argparse.Namespace(
        rescore=list(metrics), wait=wait, check=check, timeout=timeout, json=False, print=False
    )


async def run(setup: Any, clock: Clock, options: Any) -> int:
    _, service = setup
    timing = gate.Timing(clock=clock, sleep=clock.sleep)
    return await rescore_cmd.rescore(service, options, "chat", [FAILING_CHAT_ID], timing)


async def test_a_lowered_threshold_reads_old_to_new(
    setup: Any, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    app, service = setup
    await service.create_threshold(
        "empathy_score",
        {"operator": "GREATER_THAN_OR_EQUALS", "value": "2", "name": "Agent Empathy at least 2"},
    )
    code = await run(setup, clock, args("empathy_score_each_gte_2,empathy_score_check"))
    out = capsys.readouterr().out
    assert code == common.EXIT_OK
    assert "Agent Empathy at least 2: no value → ✔ true" in out
    assert "Agent Showed Empathy: ✘ false (unchanged)" in out
    posts = [p for m, p in app.state.sandbox.request_log if m == "POST" and p == JOBS]
    assert len(posts) == 1


async def test_check_exits_with_the_verdict(setup: Any, clock: Clock) -> None:
    assert await run(setup, clock, args("loop_count", check=True)) == common.EXIT_CHECK_FAILED


async def test_without_wait_it_only_starts(
    setup: Any, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await run(setup, clock, args("loop_count", wait=False)) == common.EXIT_OK
    assert "started collection job" in capsys.readouterr().out


async def test_a_wait_that_runs_out_exits_8(setup: Any, clock: Clock) -> None:
    code = await run(setup, clock, args("loop_count", "empathy_score", timeout=0.2))
    assert code == common.EXIT_WAIT_TIMEOUT


async def test_an_unknown_metric_is_a_usage_error(setup: Any, clock: Clock) -> None:
    with pytest.raises(common.UsageError, match="nope"):
        await run(setup, clock, args("loop_count", "nope"))


@pytest.mark.parametrize(
    ("status", "code", "words"),
    [(402, common.EXIT_API, "out of credits"), (403, common.EXIT_AUTH, "may not run")],
)
async def test_billing_and_permission(
    setup: Any,
    clock: Clock,
    capsys: pytest.CaptureFixture[str],
    status: int,
    code: int,
    words: str,
) -> None:
    app, _ = setup
    app.state.sandbox.faults.add(Fault("status", status=status, path=JOBS, method="POST"))
    assert await run(setup, clock, args("loop_count")) == code
    assert words in capsys.readouterr().err


async def test_ctrl_c_while_waiting_cancels_the_job(setup: Any, clock: Clock) -> None:
    app, service = setup

    async def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    timing = gate.Timing(clock=clock, sleep=interrupted)
    with pytest.raises(KeyboardInterrupt):
        await rescore_cmd.rescore(service, args("loop_count"), "chat", [FAILING_CHAT_ID], timing)
    log = app.state.sandbox.request_log
    assert sum(1 for m, p in log if m == "POST" and p.endswith("/cancel")) == 1
    jobs = (await service.list_collection_jobs()).data
    assert [j.status for j in jobs] == ["CANCELED"]
