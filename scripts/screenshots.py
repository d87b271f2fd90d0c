"""Regenerate screenshots/*.svg from the demo: `./dev screenshots [DIR]`.

Each screenshot is taken from the app `roark-tui --demo ...` builds (cli.build_app), with the
clock pinned and a throwaway state dir, so they come out the same on every machine and never
show (or change) the user's own lookups.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Select, TextArea

from roark_tui.cli import build_app
from roark_tui.core import formatting
from roark_tui.sandbox.demo_ids import (
    BOOKING_CHAT_ID,
    FAILING_CALL_ID,
    FAILING_CHAT_ID,
    REFUND_CHAT_ID,
)
from roark_tui.sandbox.demo_runs import FAILED_RUN_ID
from roark_tui.state import history
from roark_tui.state.files import STATE_DIR_ENV
from roark_tui.tui.screens.definition_wizard import DefinitionWizardScreen
from roark_tui.tui.screens.definitions import DefinitionsScreen
from roark_tui.tui.widgets.definition_picker import MetricPicker

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
DEFAULT_DIR = Path("screenshots")
Steps = Callable[[Pilot[None]], Awaitable[None]]


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_transcript(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("T")
    await settle(pilot)


def threshold_what_if(
    operator: str, value: str, mode: str, count: str = "", *, recent: bool = False
) -> Steps:
    """The threshold wizard on Response Time: ctrl+t and the failing call's id (the what-if
    answers on it), the rule filled in, and with `recent` ctrl+r (the last conversations)."""

    async def steps(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("ctrl+t", *FAILING_CALL_ID, "enter")
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#operator", Select).value = operator
        screen.query_one("#value", Input).value = value
        screen.query_one("#aggregationMode", Select).value = mode
        await settle(pilot)
        if count:
            screen.query_one("#countThreshold", Input).value = count
        if recent:
            await pilot.press("ctrl+r")
        # Focus on a select: an input's cursor would be caught mid-blink.
        screen.query_one("#aggregationMode", Select).focus()
        await settle(pilot)

    return steps


# --- the browser -------------------------------------------------------------------------------


def highlight(slug: str, *, details: bool = False) -> Steps:
    async def scene(pilot: Pilot[None]) -> None:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, DefinitionsScreen)
        table = screen.query_one("#definitions-table", DataTable)
        row = next(i for i, d in enumerate(screen.definitions.values()) if d.slug == slug)
        definition = list(screen.definitions.values())[row]
        table.move_cursor(row=table.get_row_index(definition.id))
        if details:
            await pilot.press("enter")
        await settle(pilot)

    return scene


# --- the wizard --------------------------------------------------------------------------------


def wizard(pilot: Pilot[None]) -> DefinitionWizardScreen:
    screen = pilot.app.screen
    assert isinstance(screen, DefinitionWizardScreen)
    return screen


async def start(pilot: Pilot[None], kind: str, name: str = "Caller verified") -> None:
    """The wizard with the definitions loaded; `kind` chosen and `name` typed."""
    await settle(pilot)
    box = wizard(pilot).query_one("#calculationType", OptionList)
    box.highlighted = ["LLM_JUDGE", "FORMULA", "PATTERN"].index(kind)
    await pilot.press("enter")
    wizard(pilot).query_one("#name", Input).value = name
    await pilot.pause()


async def rest_on(pilot: Pilot[None], selector: str) -> None:
    """Focus a widget without a blinking cursor, so the picture is the same every time."""
    wizard(pilot).query_one(selector).focus()
    await pilot.pause()


def fill(screen: DefinitionWizardScreen, **values: str) -> None:
    for field, value in values.items():
        widget = screen.query_one(f"#{field}")
        if isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, TextArea):
            widget.text = value
        else:
            assert isinstance(widget, Input)
            widget.value = value


async def pick(pilot: Pilot[None], field: str, slug: str) -> None:
    picker = wizard(pilot).query_one(f"#{field}", MetricPicker)
    picker.pick(next(d for d in picker.definitions if d.slug == slug))
    await pilot.pause()


async def basics_step(pilot: Pilot[None]) -> None:
    await start(pilot, "LLM_JUDGE")
    await rest_on(pilot, "#wizard-next")


async def judge_step(pilot: Pilot[None]) -> None:
    await start(pilot, "LLM_JUDGE", "Politeness")
    await pilot.press("ctrl+s")  # next step
    screen = wizard(pilot)
    fill(
        screen,
        outputType="SCALE",
        llmPrompt="How polite was the agent, from curt to warm?",
        scaleMin="1",
        scaleMax="1",
    )
    await pilot.pause()
    await rest_on(pilot, "#outputType")


async def formula_step(pilot: Pilot[None]) -> None:
    await start(pilot, "FORMULA", "Cut-offs per loop")
    await pilot.press("ctrl+s")  # next step
    fill(wizard(pilot), outputType="NUMERIC")
    await pick(pilot, "pick-source", "agent_cutoff_count")
    wizard(pilot).query_one("#formula", TextArea).insert(" / (")
    await pick(pilot, "pick-source", "loop_count")
    wizard(pilot).query_one("#formula", TextArea).insert(" + 1)")
    await rest_on(pilot, "#outputType")


async def pattern_step(pilot: Pilot[None]) -> None:
    await start(pilot, "PATTERN", "Barge-in then confusion")
    await pilot.press("ctrl+s")  # next step
    screen = wizard(pilot)
    fill(screen, operation="PATTERN_EXISTS")
    await pick(pilot, "triggers-0-sourceMetricDefinitionId", "customer_barge_in_count")
    fill(screen, **{"triggers-0-operator": "GREATER_THAN", "triggers-0-thresholdValue": "0"})
    await pick(pilot, "outcome-sourceMetricDefinitionId", "comprehension_failure")
    fill(
        screen,
        **{
            "outcome-operator": "EQUALS",
            "outcome-thresholdValue": "yes",
            "outcome-windowAfter": "10",
        },
    )
    await pilot.pause()
    await rest_on(pilot, "#operation")


async def review_step(pilot: Pilot[None]) -> None:
    await start(pilot, "LLM_JUDGE")
    await pilot.press("ctrl+s")  # next step
    fill(
        wizard(pilot),
        outputType="BOOLEAN",
        llmPrompt="Did the agent verify the caller's identity before discussing the account?",
        scope="PER_PARTICIPANT",
        participantRole="AGENT",
        booleanTrueLabel="Verified",
        booleanFalseLabel="Not verified",
    )
    await pilot.pause()
    await pilot.press("ctrl+s")  # next step
    assert wizard(pilot).step == "review"


async def browse_calls(pilot: Pilot[None]) -> None:
    """From the lookup screen: b (the calls), w 48h (the last two days), a few rows down."""
    await settle(pilot)
    await pilot.press("escape", "b")
    await settle(pilot)
    await pilot.press("w", *"48h", "enter")
    await settle(pilot)
    await pilot.press("down", "down", "down")
    await settle(pilot)


class SceneClock:
    """The sandbox clock of the re-score scenes, moved by the screen's own waits: the job runs
    at once and its timestamps are the pinned NOW."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def rescore_app() -> App[object]:
    """`roark-tui --demo chat <failing chat>` after `t` made "Agent Empathy at least 2" (a
    tuned Agent Showed Empathy), on a scene clock."""
    from roark_tui.api.inprocess import InProcessTransport
    from roark_tui.api.service import RoarkService
    from roark_tui.cli.common import DEMO_BASE_URL
    from roark_tui.sandbox import SandboxConfig, create_app
    from roark_tui.tui.app import RoarkApp

    clock = SceneClock()
    sandbox = create_app(SandboxConfig(token=None, clock=clock, wall=NOW - timedelta(minutes=1)))
    sandbox.state.sandbox.definitions.create_threshold(
        "empathy_score",
        {"operator": "GREATER_THAN_OR_EQUALS", "value": "2", "name": "Agent Empathy at least 2"},
    )

    def service() -> RoarkService:
        return RoarkService(
            base_url=DEMO_BASE_URL,
            token="demo",
            transport=InProcessTransport(sandbox),
            allow_insecure=True,
        )

    app = RoarkApp(service, start=("chat", FAILING_CHAT_ID))
    app.scene_clock = clock  # type: ignore[attr-defined]
    return app


async def rescore_asked(pilot: Pilot[None]) -> None:
    """R on the failing check: the question before the billed job."""
    await settle(pilot)
    await pilot.press("R")
    await settle(pilot)


async def rescore_done(pilot: Pilot[None]) -> None:
    """R, enter, and the job followed to its end: old -> new under the tree."""
    from roark_tui.tui.screens.metrics import MetricsScreen

    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MetricsScreen)
    screen.rescore.sleep = pilot.app.scene_clock.sleep  # type: ignore[attr-defined]
    await pilot.press("R")
    await settle(pilot)
    await pilot.press("enter")
    for _ in range(100):
        await settle(pilot)
        if not screen.rescore.running:
            break


async def still(pilot: Pilot[None]) -> None:
    """No blinking cursor anywhere on the screen: the same picture every time."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
    await settle(pilot)


async def edit_prompt(pilot: Pilot[None], *, review: bool = False) -> None:
    """e on Agent Verified Caller in the browser, its prompt rewritten and a reason given;
    with `review`, ctrl+s: the change as old -> new before it is saved."""
    await highlight("agent_verified_caller")(pilot)
    pilot.app.screen.query_one("#definitions-table").focus()
    await pilot.press("e")
    await settle(pilot)
    editor = pilot.app.screen
    editor.query_one("#edit-llmPrompt", TextArea).load_text(
        "Did the agent verify the caller (name plus the email or phone on file) before "
        "discussing the account? A polite refusal to discuss it counts as verified."
    )
    editor.query_one("#edit-changeReason", Input).value = "refusals are not failures"
    await still(pilot)
    if review:
        await pilot.press("ctrl+s")
        await settle(pilot)


async def edit_review(pilot: Pilot[None]) -> None:
    await edit_prompt(pilot, review=True)


async def tune_check(pilot: Pilot[None]) -> None:
    """t on the failing check (Agent Showed Empathy, at least 3), the value lowered to 2."""
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    pilot.app.screen.query_one("#value", Input).value = "2"
    await still(pilot)


async def tune_choice(pilot: Pilot[None]) -> None:
    """t on Agent Verified Caller, an authored yes/no check: edit it or a threshold on it."""
    from roark_tui.tui.screens.metrics import MetricsScreen

    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MetricsScreen)
    await pilot.press("slash")
    screen.query_one("#filter", Input).value = "Agent Verified Caller"
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)


def press_after_settle(*keys: str) -> Steps:
    async def steps(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return steps


THRESHOLD = ["--demo", "thresholds", "new", "--source", "response_time"]
RUNS = ["--demo", "runs"]
RUN_REPORT = ["--demo", "run", FAILED_RUN_ID]
DEFINITIONS = ["--demo", "definitions"]
NEW_DEFINITION = ["--demo", "definitions", "new"]
WIDE, NARROW = (120, 40), (80, 24)

# name, command line (or what builds the app), terminal size, what to do before the picture
SHOTS: tuple[tuple[str, Sequence[str] | Callable[[], App[object]], tuple[int, int], Steps], ...] = (
    ("lookup", ["--demo"], WIDE, settle),
    ("metrics", ["--demo", "chat", FAILING_CHAT_ID], WIDE, settle),
    ("metrics-80x24", ["--demo", "chat", FAILING_CHAT_ID], NARROW, settle),
    ("transcript", ["--demo", "chat", FAILING_CHAT_ID], WIDE, open_transcript),
    ("browser", ["--demo"], WIDE, browse_calls),
    ("browser-80x24", ["--demo"], NARROW, browse_calls),
    (
        "threshold-wizard",
        THRESHOLD,
        WIDE,
        threshold_what_if("LESS_THAN_OR_EQUALS", "1500", "AVERAGE", recent=True),
    ),
    (
        "threshold-wizard-80x24",
        THRESHOLD,
        NARROW,
        threshold_what_if("LESS_THAN_OR_EQUALS", "3000", "COUNT", count="4"),
    ),
    ("definitions", DEFINITIONS, WIDE, highlight("interruption_sours_customer")),
    ("definitions-80x24", DEFINITIONS, NARROW, highlight("interruption_sours_customer")),
    ("definitions-details-80x24", DEFINITIONS, NARROW, highlight("friction_events", details=True)),
    ("definition-wizard-kind", NEW_DEFINITION, WIDE, settle),
    ("definition-wizard-kind-80x24", NEW_DEFINITION, NARROW, settle),
    ("definition-wizard-basics", NEW_DEFINITION, WIDE, basics_step),
    ("definition-wizard-basics-80x24", NEW_DEFINITION, NARROW, basics_step),
    ("definition-wizard-llm-judge", NEW_DEFINITION, WIDE, judge_step),
    ("definition-wizard-llm-judge-80x24", NEW_DEFINITION, NARROW, judge_step),
    ("definition-wizard-formula", NEW_DEFINITION, WIDE, formula_step),
    ("definition-wizard-formula-80x24", NEW_DEFINITION, NARROW, formula_step),
    ("definition-wizard-pattern", NEW_DEFINITION, WIDE, pattern_step),
    ("definition-wizard-pattern-80x24", NEW_DEFINITION, NARROW, pattern_step),
    ("definition-wizard-review", NEW_DEFINITION, WIDE, review_step),
    ("definition-wizard-review-80x24", NEW_DEFINITION, NARROW, review_step),
    ("edit-definition", DEFINITIONS, WIDE, edit_prompt),
    ("edit-definition-80x24", DEFINITIONS, NARROW, edit_prompt),
    ("edit-definition-review", DEFINITIONS, WIDE, edit_review),
    ("threshold-tune", ["--demo", "chat", FAILING_CHAT_ID], WIDE, tune_check),
    ("threshold-tune-80x24", ["--demo", "chat", FAILING_CHAT_ID], NARROW, tune_check),
    ("tune-choice", ["--demo", "chat", FAILING_CHAT_ID], NARROW, tune_choice),
    ("rescore-confirm", rescore_app, WIDE, rescore_asked),
    ("rescore-confirm-80x24", rescore_app, NARROW, rescore_asked),
    ("rescore-done", rescore_app, WIDE, rescore_done),
    ("rescore-done-80x24", rescore_app, NARROW, rescore_done),
    ("runs", RUNS, WIDE, settle),
    ("runs-80x24", RUNS, NARROW, settle),
    ("run-report", RUN_REPORT, WIDE, settle),
    ("run-report-80x24", RUN_REPORT, NARROW, settle),
    ("run-report-checks", RUN_REPORT, WIDE, press_after_settle("2")),
    ("run-report-debrief-80x24", RUN_REPORT, NARROW, press_after_settle("3")),
)


def seed_history() -> None:
    """A few earlier lookups, so the lookup screen shows what it looks like in use."""
    opened = [
        ("call", FAILING_CALL_ID, "Claim follow-up: adjuster never called", 40),
        ("chat", REFUND_CHAT_ID, "Refund refused for blender damaged in transit", 95),
        ("chat", BOOKING_CHAT_ID, "Terrace table for 4 on Saturday", 300),
    ]
    for kind, conv_id, title, minutes in reversed(opened):
        when = datetime.fromtimestamp(NOW.timestamp() - minutes * 60, UTC)
        history.record(kind, conv_id, when=when, title=title)


async def take(
    name: str,
    argv: Sequence[str] | Callable[[], App[object]],
    size: tuple[int, int],
    steps: Steps,
    out: Path,
) -> Path:
    """One picture, in a state dir of its own (the seeded lookups, no draft of an earlier
    shot's wizard)."""
    with tempfile.TemporaryDirectory(prefix="roark-tui-shots-") as state:
        os.environ[STATE_DIR_ENV] = state
        app = argv() if callable(argv) else build_app(list(argv))
        seed_history()  # after the app named its account: the lookups are the demo's
        async with app.run_test(size=size) as pilot:
            await steps(pilot)
            path = out / f"{name}.svg"
            app.save_screenshot(str(path))
    return path


async def take_all(out: Path) -> list[Path]:
    return [await take(name, argv, size, steps, out) for name, argv, size, steps in SHOTS]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    out = Path(args[0]) if args else DEFAULT_DIR
    out.mkdir(parents=True, exist_ok=True)
    formatting.set_clock(NOW)
    previous = os.environ.get(STATE_DIR_ENV)
    try:
        written = asyncio.run(take_all(out))
    finally:
        if previous is None:
            os.environ.pop(STATE_DIR_ENV, None)
        else:
            os.environ[STATE_DIR_ENV] = previous
        formatting.set_clock(None)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
