"""Snapshots of the definitions browser and of each step of the new-definition wizard, at 80x24
and 120x40, from the app `roark-tui --demo definitions [new]` builds. The wizard's forms are
filled through their widgets (so validation, hints and the live reading are in the picture);
focus ends on a widget without a blinking cursor."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Select, TextArea

from roark_tui.cli import build_app
from roark_tui.core import formatting
from roark_tui.tui.screens.definition_wizard import DefinitionWizardScreen
from roark_tui.tui.widgets.definition_picker import MetricPicker

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
Scene = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    formatting.set_clock(NOW)
    yield
    formatting.set_clock(None)


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# --- the browser -------------------------------------------------------------------------------


def highlight(slug: str, *, details: bool = False) -> Scene:
    async def scene(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one("#definitions-table", DataTable)
        row = next(i for i, d in enumerate(screen.definitions.values()) if d.slug == slug)
        definition = list(screen.definitions.values())[row]
        table.move_cursor(row=table.get_row_index(definition.id))
        if details:
            await pilot.press("enter")
        await settle(pilot)

    return scene


# --- the wizard --------------------------------------------------------------------------------


def wizard(pilot: Pilot[Any]) -> DefinitionWizardScreen:
    screen = pilot.app.screen
    assert isinstance(screen, DefinitionWizardScreen)
    return screen


async def start(pilot: Pilot[Any], kind: str | None, name: str = "Caller verified") -> None:
    """The wizard with the definitions loaded; `kind` chosen and `name` typed."""
    await settle(pilot)
    if kind is None:
        return
    box = wizard(pilot).query_one("#calculationType", OptionList)
    box.highlighted = ["LLM_JUDGE", "FORMULA", "PATTERN"].index(kind)
    await pilot.press("enter")
    wizard(pilot).query_one("#name", Input).value = name
    await pilot.pause()


async def next_step(pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+s")


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


async def pick(pilot: Pilot[Any], field: str, slug: str) -> None:
    picker = wizard(pilot).query_one(f"#{field}", MetricPicker)
    picker.pick(next(d for d in picker.definitions if d.slug == slug))
    await pilot.pause()


async def kind_step(pilot: Pilot[Any]) -> None:
    await start(pilot, None)


async def basics_step(pilot: Pilot[Any]) -> None:
    await start(pilot, "LLM_JUDGE")
    fill(wizard(pilot), description="Identity verified before account details were discussed")
    wizard(pilot).query_one("#wizard-next").focus()
    await pilot.pause()


async def judge_step(pilot: Pilot[Any]) -> None:
    await start(pilot, "LLM_JUDGE", "Politeness")
    await next_step(pilot)
    screen = wizard(pilot)
    fill(
        screen,
        outputType="SCALE",
        llmPrompt="How polite was the agent, from curt to warm?",
        scaleMin="1",
        scaleMax="1",
    )
    await pilot.pause()
    screen.query_one("#outputType").focus()
    await pilot.pause()


async def formula_step(pilot: Pilot[Any]) -> None:
    await start(pilot, "FORMULA", "Cut-offs per loop")
    await next_step(pilot)
    fill(wizard(pilot), outputType="NUMERIC")
    await pick(pilot, "pick-source", "agent_cutoff_count")
    wizard(pilot).query_one("#formula", TextArea).insert(" / (")
    await pick(pilot, "pick-source", "loop_count")
    wizard(pilot).query_one("#formula", TextArea).insert(" + 1)")
    wizard(pilot).query_one("#outputType").focus()
    await pilot.pause()


async def pattern_step(pilot: Pilot[Any]) -> None:
    await start(pilot, "PATTERN", "Barge-in then confusion")
    await next_step(pilot)
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
    screen.query_one("#operation").focus()
    await pilot.pause()


async def review_step(pilot: Pilot[Any]) -> None:
    await start(pilot, "LLM_JUDGE")
    await next_step(pilot)
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
    await next_step(pilot)
    assert wizard(pilot).step == "review"


SCENES: dict[str, tuple[list[str], Scene]] = {
    "browser": (["definitions"], highlight("interruption_sours_customer")),
    "browser-details": (["definitions"], highlight("friction_events", details=True)),
    "wizard-kind": (["definitions", "new"], kind_step),
    "wizard-basics": (["definitions", "new"], basics_step),
    "wizard-judge": (["definitions", "new"], judge_step),
    "wizard-formula": (["definitions", "new"], formula_step),
    "wizard-pattern": (["definitions", "new"], pattern_step),
    "wizard-review": (["definitions", "new"], review_step),
}


# Every scene at both sizes, but the browser's details: at 120x40 they are beside the list already.
CASES = [(scene, size) for scene in SCENES for size in SIZES if scene != "browser-details"]
CASES.append(("browser-details", "80x24"))


@pytest.mark.parametrize(("scene", "size"), CASES, ids=[f"{s}-{z}" for s, z in CASES])
def test_snapshot(snap_compare: Any, scene: str, size: str) -> None:
    argv, run_before = SCENES[scene]
    app = build_app(["--demo", *argv])
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
