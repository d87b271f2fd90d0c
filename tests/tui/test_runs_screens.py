"""The runs list and a run's report, driven like a user over the in-process sandbox: the failed
run's failing call reaches its failing check's reasoning in one key, esc returns to the same
row, checks and themes list their calls, the list pages on demand, a running run settles."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from pilot_support import make_app, rendered, screen_text, until
from textual.widgets import DataTable, Static

from roark_tui.sandbox import SandboxConfig, create_app
from roark_tui.sandbox import demo_runs as demo
from roark_tui.sandbox.catalog import check_of
from roark_tui.tui.screens.metrics import MetricsScreen
from roark_tui.tui.screens.run_report import RunReportScreen
from roark_tui.tui.screens.runs import RunsScreen
from roark_tui.tui.widgets.detail_pane import DetailPane

LATENCY_CHECK = check_of("latency_spike_count")
TRANSFER_CHECK = check_of("transfer_failure_count")


def report_app(sandbox_app: Any, job_id: str = demo.FAILED_RUN_ID) -> Any:
    return make_app(sandbox_app, ("run", job_id))


def report(app: Any) -> RunReportScreen:
    screen = app.screen
    assert isinstance(screen, RunReportScreen)
    return screen


def loaded(app: Any) -> bool:
    return isinstance(app.screen, RunReportScreen) and app.screen.results is not None


async def test_one_key_from_the_report_to_the_failing_checks_reasoning(sandbox_app: Any) -> None:
    app = report_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: loaded(app), "the report")
        header = rendered(app.screen.query_one("#run-header", Static).render())
        assert "FAILED" in header and "Few Latency Spikes passed 50% of calls" in header
        calls = app.screen.query_one("#run-calls", DataTable)
        assert app.focused is calls and calls.cursor_row == 0
        await pilot.press("enter")
        await until(
            pilot, lambda: isinstance(app.screen, MetricsScreen) and app.screen.groups is not None
        )
        metrics = app.screen
        selected = metrics.metric_tree.selected
        assert selected is not None and selected.metric == LATENCY_CHECK["id"]
        await until(pilot, lambda: "the check needs" in screen_text(app), "the reasoning in view")
        assert metrics.query_one(DetailPane).display
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RunReportScreen))
        assert app.screen.query_one("#run-calls", DataTable).cursor_row == 0


async def test_esc_returns_to_the_same_row(sandbox_app: Any) -> None:
    app = report_app(sandbox_app, demo.PASSED_RUN_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: loaded(app))
        await pilot.press("down", "down", "enter")
        await until(pilot, lambda: isinstance(app.screen, MetricsScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RunReportScreen))
        assert app.screen.query_one("#run-calls", DataTable).cursor_row == 2


async def test_enter_on_a_check_lists_the_calls_that_failed_it(sandbox_app: Any) -> None:
    app = report_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: loaded(app))
        await pilot.press("2", "down", "enter")
        screen = report(app)
        assert [r.call.call_id for r in screen.shown_calls] == [
            "f67826ac-1674-4c81-a4bf-c5d643446664"
        ]
        assert "failed Transfers Connected" in screen_text(app)
        await pilot.press("enter")  # opens the call on the check that was picked
        await until(
            pilot, lambda: isinstance(app.screen, MetricsScreen) and app.screen.groups is not None
        )
        assert app.screen.metric_tree.selected.metric == TRANSFER_CHECK["id"]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RunReportScreen))
        await pilot.press("escape")  # the filter goes first
        assert len(report(app).shown_calls) == 4 and isinstance(app.screen, RunReportScreen)


async def test_enter_on_a_theme_lists_its_calls(sandbox_app: Any) -> None:
    app = report_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: loaded(app))
        await pilot.press("3")
        assert "Say something while the claim loads" in screen_text(app)
        await pilot.press("enter")
        screen = report(app)
        assert screen.query_one("#run-tabs").active == "calls"
        assert [r.call.call_id for r in screen.shown_calls] == [
            "f67826ac-1674-4c81-a4bf-c5d643446664"
        ]


async def test_compare_with_a_chosen_run(sandbox_app: Any) -> None:
    app = report_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: loaded(app))
        await pilot.press("m")
        await pilot.press(*"a b", "enter")  # not a run id: said under the input, nothing sent
        assert "cannot be an id" in screen_text(app)
        prompt = app.screen.query_one("#run-prompt")
        prompt.value = demo.SWEEP_RUN_ID
        await pilot.press("enter")
        await until(pilot, lambda: loaded(app) and report(app).compare_to == demo.SWEEP_RUN_ID)
        await until(pilot, lambda: "vs SR-41 (chosen run)" in screen_text(app))


async def test_a_running_run_is_followed_until_it_settles() -> None:
    now = [0.0]
    sandbox_app = create_app(dataclasses.replace(SandboxConfig(), clock=lambda: now[0]))
    app = report_app(sandbox_app, demo.RUNNING_RUN_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: loaded(app), workers=False)
        assert "a verdict comes only when the run ends" in screen_text(app)
        assert report(app).following
        now[0] = demo.SETTLE_SECONDS
        app.screen.workers.cancel_group(app.screen, "run")
        report(app).load()  # as the next poll would
        await until(pilot, lambda: "PASSED" in screen_text(app), workers=False)


async def test_the_runs_list_pages_as_the_cursor_nears_the_end(sandbox_app: Any) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(RunsScreen(page_size=5))
        # A page of 5 puts the cursor within NEAR_END of its end: the second page follows.
        await until(
            pilot, lambda: isinstance(app.screen, RunsScreen) and len(app.screen.items) == 10
        )
        screen = app.screen
        assert not screen.exhausted and screen.table.cursor_row == 0
        await pilot.press("pagedown")
        await until(pilot, lambda: screen.table.row_count == 15)
        assert not screen.exhausted
        await pilot.press("pagedown")
        await until(pilot, lambda: screen.exhausted and screen.table.row_count == len(demo.SEEDS))
        assert [row.value for row in screen.table.rows][:2] == [
            demo.RUNNING_RUN_ID,
            demo.FAILED_RUN_ID,
        ]


async def test_the_runs_list_fills_verdicts_and_opens_a_run(sandbox_app: Any) -> None:
    app = make_app(sandbox_app, ("runs", ""))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(
            pilot, lambda: isinstance(app.screen, RunsScreen) and len(app.screen.results) >= 5
        )
        text = screen_text(app)
        assert "SR-42" in text and "FAILED" in text and "NOT COMPLETED" in text and "79.2" in text
        await pilot.press("down", "enter")
        await until(pilot, lambda: loaded(app))
        assert report(app).job_id == demo.FAILED_RUN_ID
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RunsScreen))
        assert app.screen.table.cursor_row == 1


@pytest.mark.parametrize("key", ["s", "p"])
async def test_the_runs_list_filters(sandbox_app: Any, key: str) -> None:
    app = make_app(sandbox_app, ("runs", ""))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RunsScreen) and len(app.screen.items) > 0)
        screen = app.screen
        await pilot.press("down", key)
        await until(pilot, lambda: not screen.fetching and screen.table.row_count > 0)
        if key == "s":
            assert screen.status_filter == "RUNNING_SIMULATIONS" and screen.table.row_count == 1
        else:
            assert all(
                i.simulation_run_plan_id == demo.SUPPORT_PLAN_ID for i in screen.items.values()
            )
            assert "plan Support voice regression" in screen_text(app)


async def test_the_lookup_screen_opens_the_runs(sandbox_app: Any) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        latest = app.screen.query_one("#latest-conversations")
        await until(pilot, lambda: latest.option_count > 0, "the latest conversations")
        await pilot.press("escape", "u")
        await until(pilot, lambda: isinstance(app.screen, RunsScreen))


async def test_every_key_is_in_help_and_the_palette(sandbox_app: Any) -> None:
    from roark_tui.tui.commands import screen_bindings

    app = report_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: loaded(app))
        actions = {b.binding.action for b in screen_bindings(app.screen, widgets=False)}
        assert {"open", "compare", "reload", "back", "tab('calls')", "tab('sweep')"} <= actions
        await pilot.press("question_mark")
        text = screen_text(app)
        assert "Compare" in text and "Breakdowns" in text


async def test_runs_opened_from_the_command_line_keep_their_filters() -> None:
    from roark_tui.cli import build_app

    app = build_app(["--demo", "runs", "--plan", demo.SWEEP_PLAN_ID, "--status", "COMPLETED"])
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RunsScreen) and len(app.screen.items) > 0)
        items = app.screen.items.values()
        assert {(i.simulation_run_plan_id, i.status) for i in items} == {
            (demo.SWEEP_PLAN_ID, "COMPLETED")
        }


async def test_a_failed_reload_keeps_the_rows(sandbox_app: Any) -> None:
    from roark_tui.sandbox import Fault

    app = make_app(sandbox_app, ("runs", ""))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RunsScreen) and len(app.screen.items) > 0)
        screen = app.screen
        rows = screen.table.row_count
        sandbox_app.state.sandbox.faults.add(
            Fault("status", status=503, path="/v1/simulation/plan/jobs")
        )
        await pilot.press("r")
        await until(pilot, lambda: screen.error is not None)
        assert screen.table.row_count == rows
        assert "Could not list the runs" in screen_text(app) and "r retries" in screen_text(app)
        sandbox_app.state.sandbox.faults.clear()
        await pilot.press("r")
        await until(pilot, lambda: screen.error is None and not screen.fetching)
        assert screen.table.row_count == rows


HOSTILE = "[bold red]SR[/] \x1b]52;c;ZXZpbA==\x07plan"


class HostileService:
    """A service whose run results carry markup and escapes in every name."""

    def prepare(self) -> None:
        return None

    async def aclose(self) -> None:
        return None

    async def run_results(self, job_id: str, *, compare_to: str | None = None) -> Any:
        from roark_tui.api.runs import RunResults

        check = {
            "metricDefinitionId": "c",
            "metricName": HOSTILE,
            "passRate": 10,
            "minPassRate": 80,
            "passed": False,
        }
        return RunResults.model_validate(
            {
                "run": {"status": "COMPLETED", "simulationRunPlanName": HOSTILE, "runNumber": 1},
                "verdict": {
                    "passed": False,
                    "checks": [check],
                    "failures": [
                        {"type": "METRIC_BELOW_MIN_PASS_RATE", **check},
                        {"type": HOSTILE},
                    ],
                },
                "calls": [
                    {
                        "callId": "x",
                        "passed": False,
                        "agentName": HOSTILE,
                        "checks": [{**check, "passed": False}],
                    }
                ],
            }
        )


async def test_names_from_the_api_are_shown_literally() -> None:
    from roark_tui.tui.app import RoarkApp

    app = RoarkApp(lambda: HostileService(), start=("run", "x"))  # type: ignore[arg-type, return-value]
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: loaded(app))
        text = screen_text(app)
        assert "[bold red]SR[/]" in text and "\x1b" not in text and "ZXZpbA" not in text


async def test_a_long_run_adds_its_calls_as_the_cursor_nears_the_end() -> None:
    from roark_tui.sandbox.big_run import BIG_RUN_ID

    sandbox_app = create_app(SandboxConfig(big_run=(200, 5)))
    app = report_app(sandbox_app, BIG_RUN_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: loaded(app))
        calls = app.screen.query_one("#run-calls", DataTable)
        assert calls.row_count == 60 and len(report(app).shown_calls) == 200
        assert "Calls 200" in screen_text(app)
        for _ in range(8):
            await pilot.press("pagedown")
        await until(pilot, lambda: calls.row_count > 60)
        assert calls.cursor_row < calls.row_count
