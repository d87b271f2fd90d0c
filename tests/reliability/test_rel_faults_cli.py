"""The fault matrix on the command line: `roark-tui --base-url <loopback sandbox> --token T
chat <id> --print` and `--json`, each case giving its documented exit code and one clear line on
stderr (no traceback), GETs retried only as RoarkService's rules say.

Retries do not really wait: the service's sleep is replaced by a recorder for the module (its
default argument, shared by the async client of --print and the blocking one of --json). The
timeout case gets, through the same defaults, a transport that gives up CUT_TIMEOUT s after the
sandbox recorded each GET (a client's own read timeout can run out on a starved machine before
the server has read the request, which the case counts), and a read timeout of CUT_TIMEOUT for
the error message to name.
"""

from __future__ import annotations

import json

import httpx
import pytest
from rel_support import (
    CASE_IDS,
    CASES,
    CUT_TIMEOUT,
    RETRY_AFTER,
    SLOW_SERVER,
    TOKEN,
    Case,
    CutTransport,
    LiveSandbox,
    Sleeps,
)

from roark_tui.api.service import RoarkService
from roark_tui.cli import main
from roark_tui.cli.common import EXIT_API, EXIT_AUTH, EXIT_NETWORK, EXIT_NOT_FOUND, EXIT_OK
from roark_tui.sandbox import Fault
from roark_tui.sandbox.demo_ids import FAILING_CHAT_ID

PATH = f"/v1/chat/{FAILING_CHAT_ID}/metrics"
# case -> (exit code, what the stderr line says) for --print; --json differs where noted.
PRINT = {
    "timeout": (EXIT_NETWORK, "did not answer within"),
    "refused": (EXIT_NETWORK, "Could not reach 127.0.0.1"),
    "dropped": (EXIT_NETWORK, "Could not reach 127.0.0.1"),
    "http_500": (EXIT_API, "HTTP 500"),
    "http_502": (EXIT_API, "HTTP 502"),
    "http_503": (EXIT_API, "HTTP 503"),
    "rate_limited": (EXIT_API, f"retry in {RETRY_AFTER:g} s"),
    "html_page": (EXIT_API, "502 Bad Gateway"),
    "truncated_json": (EXIT_API, "could not be read"),
    "wrong_shape": (EXIT_API, "could not be read"),
    "unknown_enums": (EXIT_OK, ""),
    "revoked_401": (EXIT_AUTH, "The token was refused"),
    "not_found_404": (EXIT_NOT_FOUND, f"no chat with id {FAILING_CHAT_ID}"),
}
JSON = {
    **PRINT,
    "truncated_json": (EXIT_API, "not JSON"),
    "wrong_shape": (EXIT_OK, ""),  # --json prints the document as the API sent it
}


def run(capsys: pytest.CaptureFixture[str], base_url: str, *args: str) -> tuple[int, str, str]:
    code = main(["--base-url", base_url, "--token", TOKEN, *args])
    out, err = capsys.readouterr()
    return code, out, err


def apply(case: Case, sandbox: LiveSandbox, patch: pytest.MonkeyPatch) -> None:
    if case.name == "timeout":
        sandbox.state.faults.add(Fault("latency", method="GET", path=PATH, delay=SLOW_SERVER))
        defaults = RoarkService.__init__.__kwdefaults__
        patch.setitem(defaults, "timeout", httpx.Timeout(5.0, read=CUT_TIMEOUT))
        patch.setitem(defaults, "transport", CutTransport(sandbox.received, "GET", PATH))
    elif case.name != "refused":
        case.apply(sandbox, None, "GET", PATH)  # type: ignore[arg-type]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
@pytest.mark.parametrize("output", ["--print", "--json"])
def test_cli_exit_code_and_one_clear_line(
    case: Case,
    output: str,
    live_sandbox: LiveSandbox,
    sleeps: Sleeps,
    dead_port: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    live_sandbox.reset()
    sleeps.delays.clear()
    base_url = f"http://127.0.0.1:{dead_port}" if case.name == "refused" else live_sandbox.base_url
    apply(case, live_sandbox, monkeypatch)
    mark = live_sandbox.mark()

    code, out, err = run(capsys, base_url, "chat", FAILING_CHAT_ID, output)

    live_sandbox.reset()
    expected_code, says = (PRINT if output == "--print" else JSON)[case.name]
    assert code == expected_code, f"{case.name}: exit {code}, stderr {err!r}"
    arrived = live_sandbox.requests_since(mark, "GET", PATH)
    assert arrived == (0 if case.name == "refused" else case.attempts_get)
    if case.name == "rate_limited":
        assert sleeps.delays == [RETRY_AFTER] * (case.attempts_get - 1)
    if expected_code == EXIT_OK:
        assert err == ""
        if output == "--json":
            json.loads(out)
        else:
            assert out.startswith(f"chat {FAILING_CHAT_ID} · ")
        return
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("roark-tui: "), err
    assert says in err, f"{case.name}: {err!r}"
    assert "Traceback" not in err and TOKEN not in err
