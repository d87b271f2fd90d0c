"""The conversation browser on the sandbox's crowd: verdicts fill in while the cursor stays,
enter opens the metrics and esc comes back to the same row, f keeps the failing ones, a fault
marks its row only, the next page comes as the cursor nears the end, the title takes the width.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pilot_support import sandbox_service, until
from textual.widgets import DataTable

from roark_tui.core.browse import CONCURRENCY, Filters
from roark_tui.sandbox import Fault, SandboxConfig, create_app
from roark_tui.tui.app import RoarkApp
from roark_tui.tui.screens.browser import BrowserScreen

UNTIL = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def crowd_app() -> Any:
    return create_app(SandboxConfig(crowd_until=UNTIL, clock=lambda: 0.0))


def browser_app(sandbox: Any, kind: str = "calls", filters: Filters | None = None) -> RoarkApp:
    return RoarkApp(lambda: sandbox_service(sandbox), start=(kind, ""), filters=filters)


def browser(app: RoarkApp) -> BrowserScreen:
    screen = app.screen
    assert isinstance(screen, BrowserScreen)
    return screen


def table(app: RoarkApp) -> DataTable[Any]:
    return browser(app).query_one(DataTable)


def cursor_key(app: RoarkApp) -> str:
    grid = table(app)
    return str(grid.ordered_rows[grid.cursor_row].key.value)


def all_in(app: RoarkApp) -> bool:
    screen = app.screen
    return (
        isinstance(screen, BrowserScreen)
        and screen.query_one(DataTable).row_count > 0
        and all(key.value in screen.verdicts for key in screen.query_one(DataTable).rows)
    )


def verdict_text(app: RoarkApp, key: str) -> str:
    return table(app).get_cell(key, "verdict").plain


async def test_verdicts_fill_in_and_the_cursor_stays(crowd_app: Any) -> None:
    crowd_app.state.sandbox.faults.latency = 0.2  # the verdicts arrive well after the rows
    window = Filters(since=UNTIL - timedelta(hours=24))
    app = browser_app(crowd_app, filters=window)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BrowserScreen), workers=False)
        await until(pilot, lambda: table(app).row_count > 10, "rows", workers=False)
        assert "loading" in verdict_text(app, str(table(app).ordered_rows[-1].key.value))
        for _ in range(4):
            await pilot.press("down")
        before = (cursor_key(app), table(app).cursor_row, table(app).scroll_y)
        await until(pilot, lambda: all_in(app), "every verdict", workers=False)
        assert (cursor_key(app), table(app).cursor_row, table(app).scroll_y) == before
        assert 1 < crowd_app.state.sandbox.max_in_flight <= CONCURRENCY
        texts = [verdict_text(app, str(k.value)) for k in table(app).rows]
        assert any("failed" in t for t in texts) and any("passed" in t for t in texts)


async def test_enter_opens_the_metrics_and_esc_comes_back(crowd_app: Any) -> None:
    from roark_tui.tui.screens.metrics import MetricsScreen

    app = browser_app(crowd_app, filters=Filters(since=UNTIL - timedelta(hours=24)))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: all_in(app), "verdicts")
        screen = browser(app)
        browser_verdicts = dict(screen.verdicts)
        failing = [k for k, v in screen.verdicts.items() if v.state == "fail"]
        target = table(app).get_row_index(failing[2])
        for _ in range(target):
            await pilot.press("down")
        assert cursor_key(app) == failing[2]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MetricsScreen), "metrics")
        metrics = app.screen
        assert isinstance(metrics, MetricsScreen) and metrics.conv_id == failing[2]
        await until(pilot, lambda: not metrics.fetching, "metrics loaded")
        first = browser_verdicts[failing[2]].failed[0]
        await until(pilot, lambda: metrics.metric_tree.selected is not None, "a metric selected")
        assert metrics.metric_tree.selected.row.key == first  # the check the row named
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, BrowserScreen), "back")
        assert cursor_key(app) == failing[2] and table(app).cursor_row == target


async def test_failing_only(crowd_app: Any) -> None:
    app = browser_app(crowd_app, "chats", Filters(since=UNTIL - timedelta(hours=48)))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: all_in(app), "verdicts")
        everything = dict(browser(app).verdicts)
        order = [str(k.value) for k in table(app).rows]
        await pilot.press("f")
        await until(pilot, lambda: browser(app).filters.failing and all_in(app), "filtered")
        shown = [str(k.value) for k in table(app).rows]
        assert shown == [k for k in order if everything[k].state == "fail"] and shown
        status = browser(app).query_one("#browser-status")
        await until(pilot, lambda: "failing only" in str(status.render()), "the filter said")
        await pilot.press("f")
        await until(pilot, lambda: table(app).row_count == len(everything), "all again")


async def test_a_fault_marks_its_row_only(crowd_app: Any) -> None:
    crowd = crowd_app.state.sandbox.crowd
    newest = sorted(crowd.of_kind("chat"), key=lambda c: c.record["startTimestamp"], reverse=True)[
        5
    ]
    crowd_app.state.sandbox.faults.add(
        Fault("status", status=503, path=f"/v1/chat/{newest.id}/metrics")
    )
    app = browser_app(crowd_app, "chats", Filters(since=UNTIL - timedelta(hours=12)))
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: all_in(app), "verdicts")
        assert "HTTP 503" in verdict_text(app, newest.id)
        others = [v for k, v in browser(app).verdicts.items() if k != newest.id]
        assert others and all(v.state != "fault" for v in others)
        assert table(app).cursor_row == 0


async def test_the_next_page_comes_near_the_end(crowd_app: Any) -> None:
    app = browser_app(crowd_app)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: table(app).row_count == 100, "the first page")
        assert not browser(app).exhausted
        await pilot.press("end")
        await until(pilot, lambda: table(app).row_count == 200, "the second page")
        assert table(app).cursor_row == 99  # the cursor did not jump to the new end
        await pilot.press("end")
        await until(pilot, lambda: browser(app).exhausted, "the last page")
        status = browser(app).query_one("#browser-status")
        await until(pilot, lambda: "+" not in str(status.render()), "no more pages said")
        assert table(app).row_count == len(crowd_app.state.sandbox.crowd.of_kind("call")) + 4


@pytest.mark.parametrize(("width", "room"), [(120, 40), (80, 30)])
async def test_the_title_takes_the_width(crowd_app: Any, width: int, room: int) -> None:
    app = browser_app(crowd_app)
    async with app.run_test(size=(width, 30)) as pilot:
        await until(pilot, lambda: table(app).row_count > 0, "rows")
        title = table(app).columns["title"]  # type: ignore[index]
        assert title.width >= room
        longest = max(
            (c.title or "" for c in browser(app).conversations.values()), key=len, default=""
        )
        if width == 120:
            assert len(longest) > 30 and any(
                table(app).get_cell(k, "title").plain == longest for k in table(app).rows
            )


async def test_paging_holds_a_window_and_lists_again_going_up(
    crowd_app: Any, monkeypatch: Any
) -> None:
    import roark_tui.tui.screens.browser as browser_module

    monkeypatch.setattr(browser_module, "WINDOW_PAGES", 2)
    page = 30
    monkeypatch.setattr(browser_module, "PAGE_SIZE", page)
    day = Filters(since=UNTIL - timedelta(hours=24))
    total = len(await window_ids(crowd_app, day))
    assert 2 * page < total <= 3 * page  # three pages
    log = crowd_app.state.sandbox.request_log
    listed_before = len([p for _, p in log if p == "/v1/call"])
    app = browser_app(crowd_app, filters=day)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: table(app).row_count == page, "the first page")
        first_page = [str(row.key.value) for row in table(app).ordered_rows]
        await pilot.press("end")
        await until(pilot, lambda: table(app).row_count == 2 * page, "the second page")
        second_page = [str(row.key.value) for row in table(app).ordered_rows][page:]
        await pilot.press("end")
        await until(pilot, lambda: browser(app).exhausted, "the last page")
        screen = browser(app)
        # The top page was let go of, the cursor staying on its conversation.
        assert screen.above == 1 and table(app).row_count == total - page
        assert not set(first_page) & (set(screen.conversations) | set(screen.verdicts))
        assert cursor_key(app) == second_page[-1] and table(app).cursor_row == page - 1
        status = screen.query_one("#browser-status")
        await until(pilot, lambda: f"{page} newer above" in str(status.render()), "said")
        # Back at the top of what is held, the page above is listed again.
        await pilot.press("home")
        await until(pilot, lambda: screen.above == 0, "the page above listed again")
        assert [str(row.key.value) for row in table(app).ordered_rows] == first_page + second_page
        assert cursor_key(app) == second_page[0] and not screen.exhausted
        # Down again: the bottom page, let go of in turn, is listed again.
        await pilot.press("end")
        await until(pilot, lambda: screen.exhausted and screen.above == 1, "the end again")
        assert table(app).row_count == total - page
        pages = len([p for _, p in log if p == "/v1/call"]) - listed_before
        assert pages == 5  # three pages, the top one again, the bottom one again


async def window_ids(sandbox: Any, filters: Filters) -> list[str]:
    """The ids of the calls the API lists in a time window."""
    from roark_tui.core.browse import iter_listed, list_params

    service = sandbox_service(sandbox)
    params = list_params("call", filters)

    async def page(after: str | None) -> Any:
        return await service.list_calls(limit=100, after=after, **params)

    try:
        return [c.id async for batch, _ in iter_listed(page, filters) for c in batch]
    finally:
        await service.aclose()
