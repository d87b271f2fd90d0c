"""The fault matrix on the definitions browser, driving the real app over a loopback socket.

For every case: no crash, the status line says what stopped the list, GETs are retried only as
RoarkService's rules say, and the browser stays usable: once the fault is gone `r` loads the
list. When the list was already shown, a failing reload keeps every row on screen.
"""

from __future__ import annotations

import pytest
from rel_support import CASE_IDS, CASES, LIST_SAYS, RETRY_AFTER, Case, Driven, flat, settle
from textual.widgets import DataTable

from roark_tui.api.service import DEFINITIONS_PAGE
from roark_tui.tui.screens.definitions import DefinitionsScreen

PATH = "/v1/metric/definitions"


# After the list was shown, one case of each kind of failure: auth, server, network, unreadable.
RELOAD_CASES = [
    c for c in CASES if c.name in ("revoked_401", "http_503", "dropped", "truncated_json")
]


def status(driven: Driven) -> str:
    """The status line (up to 3 lines above the table), whitespace collapsed."""
    text = driven.text()
    return flat(text[: text.index("Name ")]) if "Name " in text else flat(text)


def check_attempts(driven: Driven, case: Case, sent_before: int, mark: int, pages: int = 1) -> None:
    """The GETs of the case's page, then one for each further page (a list that loads whole)."""
    expected = case.attempts_get + pages - 1
    tried = driven.transport.attempts("GET", PATH) - sent_before
    arrived = driven.sandbox.requests_since(mark, "GET", PATH)
    assert tried == expected, [(m, p) for m, p, _ in driven.transport.sent[-4:]]
    assert arrived == (0 if case.name == "refused" else expected)
    if case.name == "rate_limited":
        assert driven.sleeps == [RETRY_AFTER] * (case.attempts_get - 1)


async def reload_works(driven: Driven, screen: DefinitionsScreen) -> None:
    driven.reset()
    await driven.pilot.press("r")
    await settle(driven.pilot)
    assert driven.app.screen is screen
    line = status(driven)
    assert "stopped" not in line and "metric definitions" in line, line
    assert screen.query_one(DataTable).row_count == len(screen.definitions) > 0


async def open_browser(driven: Driven) -> DefinitionsScreen:
    driven.app.open_definitions()
    await settle(driven.pilot)
    screen = driven.app.screen
    assert isinstance(screen, DefinitionsScreen), "the app left the browser (or crashed)"
    return screen


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_first_load_fails_clearly_and_recovers(live_app: Driven, case: Case) -> None:
    driven = live_app
    driven.reset()
    await driven.home()
    sent_before, mark = driven.transport.attempts("GET", PATH), driven.sandbox.mark()
    case.apply(driven.sandbox, driven.transport, "GET", PATH)

    screen = await open_browser(driven)

    assert driven.app.is_running
    pages = -(-len(screen.definitions) // DEFINITIONS_PAGE) if case.ok else 1
    check_attempts(driven, case, sent_before, mark, pages)
    line = status(driven)
    if case.ok:
        assert "stopped" not in line and len(screen.definitions) > 0, line
    else:
        assert "stopped (r retries):" in line, driven.text()[:1500]
        assert LIST_SAYS[case.name] in line, f"{case.name}: the status line says {line!r}"
    await reload_works(driven, screen)
    await driven.pilot.press("escape")
    await settle(driven.pilot)
    assert driven.app.screen is not screen


@pytest.mark.parametrize("case", RELOAD_CASES, ids=lambda c: c.name)
async def test_reload_fails_after_working_and_keeps_the_rows(live_app: Driven, case: Case) -> None:
    driven = live_app
    driven.reset()
    screen = driven.app.screen
    if not (isinstance(screen, DefinitionsScreen) and screen.definitions):
        await driven.home()
        screen = await open_browser(driven)
    table = screen.query_one(DataTable)
    rows = table.row_count
    assert rows > 0
    highlighted = screen.highlighted()

    sent_before, mark = driven.transport.attempts("GET", PATH), driven.sandbox.mark()
    case.apply(driven.sandbox, driven.transport, "GET", PATH)
    await driven.pilot.press("r")
    await settle(driven.pilot)

    assert driven.app.screen is screen and driven.app.is_running
    check_attempts(driven, case, sent_before, mark)
    line = status(driven)
    assert "stopped (r retries):" in line and LIST_SAYS[case.name] in line, f"{case.name}: {line!r}"
    assert table.row_count == rows, "rows were lost"
    assert screen.highlighted() == highlighted, "the user's place was lost"
    await reload_works(driven, screen)
