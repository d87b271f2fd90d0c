"""BlockingRoarkService and `roark-tui auth status` against the sandbox over a real loopback
socket (hypercorn in a thread): the account, a refused token, retries (5xx, Retry-After, a
dropped connection), a read timeout, a refused connection; and the command itself, in a process
of its own, loading neither an event loop nor pydantic's models."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from roark_tui.api import errors
from roark_tui.api.blocking import BlockingRoarkService
from roark_tui.sandbox import demo_ids as ids

SHORT = httpx.Timeout(3.0, connect=1.0)


def blocking(base_url: str, slept: list[float], **kw: Any) -> BlockingRoarkService:
    kw.setdefault("timeout", SHORT)
    return BlockingRoarkService(base_url=base_url, token=ids.DEMO_TOKEN, sleep=slept.append, **kw)


@pytest.fixture
def state(loopback_sandbox: tuple[str, Any]) -> Any:
    return loopback_sandbox[1].state.sandbox


def hits(state: Any) -> int:
    return state.request_log.count(("GET", "/v1/me"))


def test_whoami_over_the_socket(loopback_sandbox: tuple[str, Any], state: Any) -> None:
    slept: list[float] = []
    with blocking(loopback_sandbox[0], slept) as service:
        assert "project" in service.whoami().describe()
        assert "project" in service.whoami().describe()  # the connection is reused
    assert hits(state) == 2 and slept == []


def test_a_refused_token_is_an_auth_error_and_not_retried(
    loopback_sandbox: tuple[str, Any], state: Any
) -> None:
    with (
        BlockingRoarkService(base_url=loopback_sandbox[0], token="wrong-token-1234") as bad,
        pytest.raises(errors.AuthError) as caught,
    ):
        bad.whoami()
    assert caught.value.status == 401 and "wrong-token" not in str(caught.value)
    assert hits(state) == 1


def test_server_errors_rate_limits_and_drops_are_retried(
    loopback_sandbox: tuple[str, Any], state: Any
) -> None:
    slept: list[float] = []
    with blocking(loopback_sandbox[0], slept) as service:
        state.faults.add("status", status=503, times=2, path="/v1/me")
        assert service.whoami().describe()
        assert hits(state) == 3 and len(slept) == 2
        state.faults.add("rate_limit", retry_after=0.25, times=1, path="/v1/me")
        state.faults.add("drop", times=1, path="/v1/me")
        assert service.whoami().describe()
        assert hits(state) == 6 and slept[2] == 0.25
        state.faults.add("status", status=502, path="/v1/me")
        with pytest.raises(errors.ServerError) as caught:
            service.whoami()
    assert caught.value.status == 502 and hits(state) == 9


def test_a_slow_server_times_out_after_the_retries(
    loopback_sandbox: tuple[str, Any], state: Any
) -> None:
    state.faults.latency = 2.0
    slept: list[float] = []
    service = blocking(loopback_sandbox[0], slept, timeout=httpx.Timeout(0.5, connect=1.0))
    with service, pytest.raises(errors.Timeout) as caught:
        service.whoami()
    assert "did not answer within 0.5 s" in str(caught.value)
    assert hits(state) == 3 and len(slept) == 2


def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    slept: list[float] = []
    with (
        blocking(f"http://127.0.0.1:{port}", slept) as service,
        pytest.raises(errors.NetworkError) as caught,
    ):
        service.whoami()
    assert "Could not reach 127.0.0.1" in str(caught.value) and len(slept) == 2


# The command in a process of its own, as a user runs it; then what it had loaded.
STATUS = """
import json, sys
from roark_tui.cli import main
code = main(["auth", "status"])
heavy = ("asyncio", "anyio._backends._asyncio", "pydantic.main", "roark_tui.api.models", "textual")
loaded = [m for m in heavy if m in sys.modules]
print(json.dumps({"code": code, "loaded": loaded}))
"""


def test_auth_status_over_the_socket_needs_no_event_loop_and_no_models(
    loopback_sandbox: tuple[str, Any], state: Any, isolated_dirs: Path
) -> None:
    env = {
        **os.environ,
        "ROARK_BASE_URL": loopback_sandbox[0],
        "ROARK_API_BEARER_TOKEN": ids.DEMO_TOKEN,
    }
    done = subprocess.run(
        [sys.executable, "-c", STATUS], env=env, capture_output=True, text=True, timeout=60
    )
    *said, last = done.stdout.splitlines()
    assert json.loads(last) == {"code": 0, "loaded": []}, done.stderr
    assert f"Token:    ••••{ids.DEMO_TOKEN[-4:]} (from $ROARK_API_BEARER_TOKEN)" in said
    assert any(line.startswith("Account:  ") and "project" in line for line in said)
    assert ids.DEMO_TOKEN not in done.stdout + done.stderr and done.stderr == ""
    assert hits(state) == 1
