"""The fault matrix on the metrics screen, driving the real app over a loopback socket.

For every case: the app does not crash, the screen says what happened in words, a GET is
retried only as RoarkService's rules say (and a 429's Retry-After is honoured), and the screen
stays usable: once the fault is gone, `r` loads the metrics and esc goes back. Two flows: the
first load failing (a full-screen state) and a refresh failing after the metrics were shown
(a banner above the tree, the user's place kept).
"""

from __future__ import annotations

import pytest
from pilot_support import until
from rel_support import (
    CASE_IDS,
    CASES,
    RETRY_AFTER,
    SLOW_SERVER,
    Case,
    Driven,
    flat,
    settle,
)

from roark_tui.sandbox import Fault
from roark_tui.sandbox.demo_ids import RESCHEDULE_CHAT_ID as CHAT_ID
from roark_tui.tui.screens.lookup import LookupScreen
from roark_tui.tui.screens.metrics import MetricsScreen

PATH = f"/v1/chat/{CHAT_ID}/metrics"
# What the screen must say for each failing case (whitespace-collapsed screen text).
SAYS = {
    "timeout": "did not answer in time",
    "refused": "Could not reach the Roark API",
    "dropped": "Could not reach the Roark API",
    "http_500": "HTTP 500",
    "http_502": "HTTP 502",
    "http_503": "HTTP 503",
    "rate_limited": "Rate limited by the API (429)",
    "html_page": "502 Bad Gateway",
    "truncated_json": "could not be read",
    "wrong_shape": "could not be read",
    "revoked_401": "The API refused the token (401)",
    "not_found_404": f"No chat with id {CHAT_ID}",
}


# After the metrics were shown, one case of each kind of failure: auth, server, network,
# unreadable answer, rate limit.
REFRESH_CASES = [
    c
    for c in CASES
    if c.name in ("revoked_401", "http_503", "dropped", "truncated_json", "rate_limited")
]
# A banner is one line: the HTML page's title stays in the full state, the status is shown.
BANNER_SAYS = {"html_page": "HTTP 502"}


def check_attempts(driven: Driven, case: Case, sent_before: int, mark: int) -> None:
    """GETs retried exactly as the service's rules say, counted at both ends."""
    tried = driven.transport.attempts("GET", PATH) - sent_before
    arrived = driven.sandbox.requests_since(mark, "GET", PATH)
    assert tried == case.attempts_get, [(m, p) for m, p, _ in driven.transport.sent[-4:]]
    assert arrived == (0 if case.name == "refused" else case.attempts_get)
    if case.name == "rate_limited":
        assert driven.sleeps == [RETRY_AFTER] * (case.attempts_get - 1)


async def recover(driven: Driven, screen: MetricsScreen, gone: str) -> None:
    """The fault is over: `r` brings the metrics back (the banner or state goes)."""
    driven.reset()
    await driven.pilot.press("r")
    await settle(driven.pilot)
    assert driven.app.screen is screen
    assert screen.groups, f"r did not load the metrics: {flat(driven.text())[:500]}"
    assert gone not in flat(driven.text())


async def leave(driven: Driven) -> None:
    await driven.pilot.press("escape")
    await settle(driven.pilot)
    assert isinstance(driven.app.screen, LookupScreen)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_first_load_fails_clearly_and_recovers(live_app: Driven, case: Case) -> None:
    driven = live_app
    driven.reset()
    await driven.home()
    sent_before, mark = driven.transport.attempts("GET", PATH), driven.sandbox.mark()
    case.apply(driven.sandbox, driven.transport, "GET", PATH)

    driven.app.open_conversation("chat", CHAT_ID)
    await settle(driven.pilot)

    screen = driven.app.screen
    assert isinstance(screen, MetricsScreen), "the app left the metrics screen (or crashed)"
    assert driven.app.is_running
    text = flat(driven.text())
    check_attempts(driven, case, sent_before, mark)
    if case.ok:
        assert screen.groups, f"a tolerant reader should show the metrics: {text[:300]}"
        await recover(driven, screen, gone="could not be read")
        await leave(driven)
        return
    assert not screen.groups
    assert SAYS[case.name] in text, f"{case.name}: the screen says {text[:400]!r}"
    assert "r retry" in text or "k try as call" in text, "no key offered to get out of it"
    await recover(driven, screen, gone=SAYS[case.name])
    await leave(driven)


@pytest.mark.parametrize("case", REFRESH_CASES, ids=lambda c: c.name)
async def test_refresh_fails_after_working_and_keeps_the_tree(live_app: Driven, case: Case) -> None:
    """The API worked, then fails (a token revoked in use, an outage...): the tree and the
    selected metric stay on screen, a banner says what happened."""
    driven = live_app
    driven.reset()
    screen = driven.app.screen
    if not (isinstance(screen, MetricsScreen) and screen.groups):  # one screen for the group
        await driven.home()
        driven.app.open_conversation("chat", CHAT_ID)
        await settle(driven.pilot)
        screen = driven.app.screen
    assert isinstance(screen, MetricsScreen) and screen.groups
    shown = len(screen.groups)
    selected = screen.metric_tree.selected
    assert selected is not None

    sent_before, mark = driven.transport.attempts("GET", PATH), driven.sandbox.mark()
    case.apply(driven.sandbox, driven.transport, "GET", PATH)
    await driven.pilot.press("r")
    await settle(driven.pilot)

    assert driven.app.screen is screen and driven.app.is_running
    check_attempts(driven, case, sent_before, mark)
    text = flat(driven.text())
    says = BANNER_SAYS.get(case.name, SAYS[case.name])
    assert says in text, f"{case.name}: the screen says {text[:400]!r}"
    assert screen.groups is not None and len(screen.groups) == shown, "the tree was lost"
    assert screen.metric_tree.selected is not None
    assert screen.metric_tree.selected.row.key == selected.row.key, "the user's place was lost"
    await recover(driven, screen, gone=says)


async def test_a_slow_load_says_so_and_esc_cancels_it(live_app: Driven) -> None:
    """While the server is slow the screen says what it waits for and how to stop waiting;
    esc cancels, r tries again."""
    driven = live_app
    driven.reset()
    await driven.home()
    mark = driven.sandbox.mark()
    driven.sandbox.state.faults.add(Fault("latency", method="GET", path=PATH, delay=SLOW_SERVER))
    driven.app.open_conversation("chat", CHAT_ID)
    at_server = lambda: driven.sandbox.requests_since(mark, "GET", PATH) > 0  # noqa: E731
    await until(driven.pilot, at_server, "the request at the server", workers=False, poll=0.01)
    screen = driven.app.screen
    assert isinstance(screen, MetricsScreen)
    await driven.pilot.pause()
    text = flat(driven.text())
    assert f"Loading the metrics of chat {CHAT_ID}" in text and "esc cancel" in text
    await driven.pilot.press("escape")
    await driven.pilot.pause()
    assert "Loading cancelled." in flat(driven.text())
    driven.reset()
    await recover(driven, screen, gone="Loading cancelled.")
    await leave(driven)
