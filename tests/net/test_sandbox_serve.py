"""`roark-tui sandbox` as a user runs it: a real process serving on a loopback port, the
documented shapes over HTTP, a clean stop on Ctrl+C, and a clear exit 5 when the port is taken."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from roark_tui.sandbox import demo_ids as ids

TOKEN = "served-token-42"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, token: str | None = TOKEN) -> tuple[int, dict]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def served() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "roark_tui", "sandbox", "--port", str(port), "--token", TOKEN],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    try:
        while True:
            try:
                if get(f"{base_url}/health", None)[0] == 200:
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)  # polling a process we do not control: nothing to wait on
        yield base_url, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_the_served_sandbox_answers_like_the_api(
    served: tuple[str, subprocess.Popen[str]],
) -> None:
    base_url, process = served
    status, page = get(f"{base_url}/v1/chat?limit=2")
    assert status == 200 and len(page["data"]) == 2 and page["pagination"]["hasMore"]
    status, metrics = get(f"{base_url}/v1/chat/{ids.FAILING_CHAT_ID}/metrics?flatten=true")
    assert status == 200 and metrics["data"][0]["slug"] == "call_outcome"
    status, error = get(f"{base_url}/v1/me", token="nope")
    assert status == 401 and error["type"] == "authentication"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert f"Roark sandbox at {base_url}" in out and f"Token: {TOKEN}" in out
    assert '"GET /v1/chat?limit=2 1.1" 200' in err  # the access log
    assert "Traceback" not in err


def test_a_taken_port_exits_5() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "roark_tui", "sandbox", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 5
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr
