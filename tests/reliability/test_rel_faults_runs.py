"""The fault matrix on the run report and on the `run --check` gate, over a loopback socket.

The report: for every case the app does not crash, the header says what stopped it, GETs are
retried only as RoarkService's rules say, and once the fault is gone `r` shows the report; a
reload failing after the report was shown keeps it on screen with the reason. The gate: each case
exits with its documented code and one clear line on stderr, never a pass.
"""

from __future__ import annotations

import pytest
from rel_support import (
    CASE_IDS,
    CASES,
    LIST_SAYS,
    RETRY_AFTER,
    TOKEN,
    Case,
    CutTransport,
    Driven,
    LiveSandbox,
    Sleeps,
    flat,
    settle,
)

from roark_tui.api.service import RoarkService
from roark_tui.cli import main
from roark_tui.cli.common import (
    EXIT_API,
    EXIT_AUTH,
    EXIT_CHECK_FAILED,
    EXIT_NETWORK,
    EXIT_NOT_FOUND,
)
from roark_tui.sandbox.demo_runs import FAILED_RUN_ID
from roark_tui.tui.screens.run_report import RunReportScreen

PATH = f"/v1/simulation/plan/job/{FAILED_RUN_ID}/results"
EXIT = {
    "timeout": EXIT_NETWORK,
    "refused": EXIT_NETWORK,
    "dropped": EXIT_NETWORK,
    "revoked_401": EXIT_AUTH,
    "not_found_404": EXIT_NOT_FOUND,
    "unknown_enums": EXIT_CHECK_FAILED,  # read as it comes: Roark's verdict still failed
}
RELOAD_CASES = [c for c in CASES if c.name in ("revoked_401", "http_503", "dropped", "wrong_shape")]


def check_attempts(driven: Driven, case: Case, sent_before: int, mark: int) -> None:
    tried = driven.transport.attempts("GET", PATH) - sent_before
    arrived = driven.sandbox.requests_since(mark, "GET", PATH)
    assert tried == case.attempts_get
    assert arrived == (0 if case.name == "refused" else case.attempts_get)
    if case.name == "rate_limited":
        assert driven.sleeps == [RETRY_AFTER] * (case.attempts_get - 1)


def header(driven: Driven) -> str:
    return flat(driven.text())


async def open_report(driven: Driven) -> RunReportScreen:
    driven.app.open_run(FAILED_RUN_ID)
    await settle(driven.pilot)
    screen = driven.app.screen
    assert isinstance(screen, RunReportScreen), "the app left the report (or crashed)"
    return screen


async def recover(driven: Driven, screen: RunReportScreen) -> None:
    driven.reset()
    await driven.pilot.press("r")
    await settle(driven.pilot)
    assert driven.app.screen is screen and screen.results is not None and screen.error is None
    assert "FAILED · score 79.2" in header(driven)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_report_first_load_fails_clearly_and_recovers(live_app: Driven, case: Case) -> None:
    driven = live_app
    driven.reset()
    await driven.home()
    sent_before, mark = driven.transport.attempts("GET", PATH), driven.sandbox.mark()
    case.apply(driven.sandbox, driven.transport, "GET", PATH)

    screen = await open_report(driven)

    assert driven.app.is_running
    check_attempts(driven, case, sent_before, mark)
    text = header(driven)
    if case.ok:
        assert screen.results is not None and "FAILED" in text, text[:400]
    else:
        assert screen.results is None and "r retries" in text, text[:400]
        assert LIST_SAYS[case.name] in text, f"{case.name}: the screen says {text[:400]!r}"
    await recover(driven, screen)
    await driven.pilot.press("escape")
    await settle(driven.pilot)
    assert driven.app.screen is not screen


@pytest.mark.parametrize("case", RELOAD_CASES, ids=lambda c: c.name)
async def test_report_reload_fails_after_working_and_keeps_the_report(
    live_app: Driven, case: Case
) -> None:
    driven = live_app
    driven.reset()
    await driven.home()
    screen = await open_report(driven)
    calls = screen.query_one("#run-calls")
    await driven.pilot.press("down")
    place = calls.cursor_row

    case.apply(driven.sandbox, driven.transport, "GET", PATH)
    await driven.pilot.press("r")
    await settle(driven.pilot)

    text = header(driven)
    assert LIST_SAYS[case.name] in text and "FAILED · score 79.2" in text, text[:400]
    assert len(screen.shown_calls) == 4 and calls.cursor_row == place
    await recover(driven, screen)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_gate_exit_code_and_one_clear_line(
    case: Case,
    live_sandbox: LiveSandbox,
    sleeps: Sleeps,
    dead_port: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import httpx

    from roark_tui.sandbox import Fault

    live_sandbox.reset()
    sleeps.delays.clear()
    base_url = f"http://127.0.0.1:{dead_port}" if case.name == "refused" else live_sandbox.base_url
    if case.name == "timeout":
        live_sandbox.state.faults.add(Fault("latency", method="GET", path=PATH, delay=0.6))
        defaults = RoarkService.__init__.__kwdefaults__
        monkeypatch.setitem(defaults, "timeout", httpx.Timeout(5.0, read=0.2))
        cut = CutTransport(live_sandbox.received, "GET", PATH, after=0.2)
        monkeypatch.setitem(defaults, "transport", cut)  # the clock starts at the server
    elif case.name != "refused":
        case.apply(live_sandbox, None, "GET", PATH)  # type: ignore[arg-type]
    mark = live_sandbox.mark()

    code = main(["--base-url", base_url, "--token", TOKEN, "run", FAILED_RUN_ID, "--check"])
    out, err = capsys.readouterr()

    live_sandbox.reset()
    assert code == EXIT.get(case.name, EXIT_API), f"{case.name}: exit {code}, stderr {err!r}"
    assert live_sandbox.requests_since(mark, "GET", PATH) == (
        0 if case.name == "refused" else case.attempts_get
    )
    if case.ok:
        assert out.startswith("FAIL      run SR-42") and err == ""
        return
    assert out == "" and err.count("\n") == 1 and err.startswith("roark-tui: "), err
    assert LIST_SAYS[case.name] in err and "Traceback" not in err and TOKEN not in err
