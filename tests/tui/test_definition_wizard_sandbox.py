"""The new-definition wizard end to end against the in-process sandbox, driven with the keyboard
as a user would: `roark-tui --demo definitions new` and `n` in `roark-tui --demo definitions`.

One definition of each kind and of each LLM-judge output type is created from the wizard alone;
what the sandbox stored is read back from its own bookkeeping. Also: a server rejection lands on
the field it names, a failed request keeps everything, a draft survives an app restart, and the
new definition appears in the browser.

Long because each test drives the wizard whole, key by key, as a user would.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from pilot_support import rendered, settle, until
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static, TextArea

from roark_tui.api.models import OUTPUT_TYPES
from roark_tui.cli import build_app
from roark_tui.core import definition_rules as rules
from roark_tui.sandbox import Fault
from roark_tui.state.drafts import DraftStore
from roark_tui.tui.screens.created import CreatedScreen
from roark_tui.tui.screens.definition_wizard import DefinitionWizardScreen
from roark_tui.tui.screens.definitions import DefinitionsScreen
from roark_tui.tui.widgets.definition_picker import MetricPicker, PickerInput
from roark_tui.tui.widgets.dialogs import ConfirmScreen

PROMPT = "Did the agent verify the caller?"
PACKAGE = "7a1f0b8e-2c47-4a93-8e6b-0f3a9c7d2e10"


def wizard(pilot: Pilot[Any]) -> DefinitionWizardScreen:
    screen = pilot.app.screen
    assert isinstance(screen, DefinitionWizardScreen), screen
    return screen


async def open_wizard(pilot: Pilot[Any]) -> DefinitionWizardScreen:
    def ready() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, DefinitionWizardScreen) and bool(screen.by_id)

    await until(pilot, ready, "the wizard with the definitions loaded")
    await pilot.app.workers.wait_for_complete()
    return wizard(pilot)


def text(screen: Any, selector: str) -> str:
    """What the Static `selector` shows, as plain text."""
    return rendered(screen.query_one(selector, Static).content)


def stored(sandboxes: list[Any], slug: str) -> dict[str, Any]:
    found = sandboxes[0].state.sandbox.definitions.lookup(slug)
    assert found is not None, f"the sandbox has no definition {slug!r}"
    return found


def posts(sandboxes: list[Any]) -> int:
    counts = sandboxes[0].state.sandbox.post_counts
    return sum(n for (path, _), n in counts.items() if path == rules.ENDPOINT)


# --- the keyboard ------------------------------------------------------------------------------


async def choose_kind(pilot: Pilot[Any], kind: str) -> None:
    box = wizard(pilot).query_one("#calculationType", OptionList)
    box.focus()
    await pilot.press("home", *["down"] * rules.KINDS.index(kind), "enter")
    await until(pilot, lambda: wizard(pilot).step == "basics", "the basics step")


async def type_into(pilot: Pilot[Any], field: str, value: str, *, keys: bool = False) -> None:
    """Fill the Input or TextArea #field: with `keys`, focus it and type; else paste the value
    into it. (Every key press and focus change costs the pilot a wait and a footer rebuild, so
    most text is pasted; some fields are typed to show that typing works the same.)"""
    widget = wizard(pilot).query_one(f"#{field}")
    if keys:
        widget.focus()
        await pilot.pause()
        if isinstance(widget, Input):
            await pilot.press("ctrl+a", "ctrl+k")
        await pilot.press(*value)
    elif isinstance(widget, TextArea):
        widget.text = value
    else:
        assert isinstance(widget, Input)
        widget.value = value
    await pilot.pause()


async def pick(pilot: Pilot[Any], field: str, value: str, *, keys: bool = False) -> None:
    """Choose `value` in the Select #field: set it, or with `keys` open it, arrow, enter."""
    select = wizard(pilot).query_one(f"#{field}", Select)
    if keys:
        select.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        target = [v for _, v in select._options].index(value)
        overlay = select.query_one("SelectOverlay", OptionList)
        await pilot.press(*["down"] * (target - (overlay.highlighted or 0)), "enter")
    else:
        select.value = value
    await pilot.pause()
    assert select.value == value, f"could not pick {value!r} in #{field}"


async def pick_metric(pilot: Pilot[Any], field: str, search: str, *, keys: bool = False) -> None:
    """Search in the metric picker #field and take the first match with enter."""
    picker = wizard(pilot).query_one(f"#{field}", MetricPicker)
    box = picker.query_one(PickerInput)
    box.focus()
    await pilot.pause()
    if keys:
        await pilot.press(*search)
    else:
        box.value = search
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def toggle_contexts(pilot: Pilot[Any], *contexts: str) -> None:
    box = wizard(pilot).query_one("#supportedContexts", OptionList)
    box.focus()
    for context in contexts:
        await pilot.press("home", *["down"] * ["CALL", "SEGMENT", "TURN"].index(context), "space")
    await pilot.pause()


async def next_step(pilot: Pilot[Any], expected: str) -> None:
    await pilot.press("ctrl+s")
    await until(pilot, lambda: wizard(pilot).step == expected, f"the {expected} step")


async def create(pilot: Pilot[Any]) -> tuple[dict[str, Any], CreatedScreen]:
    """From the details step: review (read the exact body off it), create, wait for it."""
    await next_step(pilot, "review")
    shown = text(wizard(pilot), "#review-body")
    assert "\\u" not in shown  # each character as itself
    body = json.loads(shown)
    await pilot.press("c")
    await until(pilot, lambda: isinstance(pilot.app.screen, CreatedScreen), "the created screen")
    return body, pilot.app.screen  # type: ignore[return-value]


async def basics(pilot: Pilot[Any], name: str) -> None:
    await type_into(pilot, "name", name)
    await next_step(pilot, "details")


# --- one of each -----------------------------------------------------------------------------


async def fill_boolean(pilot: Pilot[Any]) -> None:
    await type_into(pilot, "llmPrompt", PROMPT)
    await pick(pilot, "scope", "PER_PARTICIPANT")
    await pick(pilot, "participantRole", "AGENT")
    await toggle_contexts(pilot, "TURN")
    await type_into(pilot, "booleanTrueLabel", "Verified")
    await type_into(pilot, "booleanFalseLabel", "Not verified")


async def fill_scale(pilot: Pilot[Any]) -> None:
    await type_into(pilot, "llmPrompt", "How polite was the agent?")
    await type_into(pilot, "scaleMin", "1")
    await type_into(pilot, "scaleMax", "5")
    await pilot.click("#add-scaleLabels")
    await until(pilot, lambda: bool(wizard(pilot).query("#scaleLabels-0-label")), "a label row")
    await type_into(pilot, "scaleLabels-0-rangeMin", "1")
    await type_into(pilot, "scaleLabels-0-rangeMax", "2")
    await type_into(pilot, "scaleLabels-0-label", "Rude", keys=True)
    await type_into(pilot, "scaleLabels-0-colorHex", "#ff0000")


async def fill_classification(pilot: Pilot[Any]) -> None:
    for i, (label, description) in enumerate((("Billing", "invoices"), ("Other", "the rest"))):
        wizard(pilot).query_one("#add-classificationOptions").focus()
        await pilot.press("enter")
        await until(
            pilot,
            lambda i=i: bool(wizard(pilot).query(f"#classificationOptions-{i}-label")),
            "a class row",
        )
        await type_into(pilot, f"classificationOptions-{i}-label", label)
        await type_into(pilot, f"classificationOptions-{i}-description", description)
    await type_into(pilot, "maxClassifications", "1")


async def fill_prompt(pilot: Pilot[Any]) -> None:
    await type_into(pilot, "llmPrompt", "How many times did the customer repeat themselves?")


JUDGES: dict[str, tuple[Callable[[Pilot[Any]], Awaitable[None]] | None, dict[str, Any]]] = {
    "BOOLEAN": (
        fill_boolean,
        {
            "scope": "PER_PARTICIPANT",
            "participantRole": "AGENT",
            "supportedContexts": ["CALL", "TURN"],
            "booleanTrueLabel": "Verified",
            "booleanFalseLabel": "Not verified",
            "llmPrompt": PROMPT,
        },
    ),
    "SCALE": (
        fill_scale,
        {
            "scaleMin": 1,
            "scaleMax": 5,
            "scaleLabels": [
                {
                    "rangeMin": 1,
                    "rangeMax": 2,
                    "label": "Rude",
                    "displayOrder": 1,
                    "colorHex": "#FF0000",
                }
            ],
        },
    ),
    "CLASSIFICATION": (
        fill_classification,
        {
            "classificationOptions": [
                {"label": "Billing", "description": "invoices", "displayOrder": 1},
                {"label": "Other", "description": "the rest", "displayOrder": 2},
            ],
            "maxClassifications": 1,
        },
    ),
    "COUNT": (fill_prompt, {"llmPrompt": "How many times did the customer repeat themselves?"}),
    "NUMERIC": (fill_prompt, {"supportedContexts": ["CALL"]}),
    "TEXT": (fill_prompt, {"scope": "GLOBAL"}),
    "OFFSET": (None, {"llmPrompt": None}),
}


SESSIONS = [("BOOLEAN", "SCALE", "CLASSIFICATION"), ("COUNT", "NUMERIC", "TEXT", "OFFSET")]


@pytest.mark.parametrize("output_types", SESSIONS, ids=["with-own-fields", "prompt-only"])
async def test_an_llm_judge_of_each_output_type(sandboxes, output_types):
    """Each output type, one after the other (`n` on the created screen starts another); in
    two sessions so they run side by side."""
    app = build_app(["--demo", "definitions", "new"])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_wizard(pilot)
        for count, output_type in enumerate(output_types, start=1):
            fill, expected = JUDGES[output_type]
            await choose_kind(pilot, "LLM_JUDGE")
            if count == 1:  # a package id, offered again from then on
                assert not screen.query("#recent-packages")
                await type_into(pilot, "analysisPackageId", PACKAGE)
            elif count == 2:
                screen.query_one("#recent-packages", OptionList).focus()
                await pilot.press("enter")
                assert screen.query_one("#analysisPackageId", Input).value == PACKAGE
            await basics(pilot, f"Judge {output_type.title()}")
            await pick(pilot, "outputType", output_type, keys=output_type == "BOOLEAN")
            if fill is not None:
                await fill(pilot)
            body, created = await create(pilot)
            slug = f"judge_{output_type.lower()}"
            assert body["slug"] == slug and body["outputType"] == output_type
            assert body.get("analysisPackageId") == (PACKAGE if count <= 2 else None)
            definition = stored(sandboxes, slug)
            assert definition["calculationType"] == "LLM_JUDGE"
            assert definition["type"] == output_type
            for key, value in expected.items():
                assert definition.get(key) == value, (output_type, key)
            assert created.created.slug == slug
            assert DraftStore("definition").load() is None
            assert posts(sandboxes) == count
            if count < len(output_types):
                await pilot.press("n")
                await until(pilot, lambda: app.screen is screen and screen.step == "kind", "n")
                assert screen.draft == rules.DefinitionDraft()
        # the last one: a threshold on it
        await pilot.press("t")
        await until(
            pilot,
            lambda: type(pilot.app.screen).__name__ == "ThresholdWizardScreen",
            "the threshold wizard",
        )
        assert pilot.app.screen.draft.source == f"judge_{output_types[-1].lower()}"
        assert screen not in pilot.app.screen_stack
        below = pilot.app.screen_stack[-2]  # esc on the threshold wizard lands in the browser
        assert isinstance(below, DefinitionsScreen)


def test_the_sessions_cover_every_output_type():
    assert set(JUDGES) == set(OUTPUT_TYPES) == {t for session in SESSIONS for t in session}


async def test_a_formula_built_by_picking_sources(sandboxes):
    app = build_app(["--demo", "definitions", "new"])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_wizard(pilot)
        await choose_kind(pilot, "FORMULA")
        await basics(pilot, "Cut-offs per loop…")
        await pick(pilot, "outputType", "BOOLEAN")
        await pick_metric(pilot, "pick-source", "agent_cutoff_count")
        assert app.focused is screen.query_one("#formula")
        # one source, no comparison: Next is refused, and says why next to each field
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.step == "details" and posts(sandboxes) == 0
        assert "at least two sources" in text(screen, "#error-sources")
        assert "BOOLEAN formula compares" in text(screen, "#error-formula")
        assert "Fix 2 fields first" in text(screen, "#status")
        await pick(pilot, "outputType", "NUMERIC")
        screen.query_one("#formula").focus()
        await pilot.press("end", *" / (", "ctrl+end")
        await pick_metric(pilot, "pick-source", "loop_count", keys=True)
        await pilot.press("ctrl+end", *" + 1)")
        cutoffs = stored(sandboxes, "agent_cutoff_count")["id"]
        loops = stored(sandboxes, "loop_count")["id"]
        expression = f"{{{{id:{cutoffs}}}}} / ({{{{id:{loops}}}}} + 1)"
        assert screen.draft.formula == expression
        assert "Reads: Agent Cut-offs / (Conversation Loops + 1)" in text(screen, "#formula-words")
        body, _ = await create(pilot)
        assert body["sources"] == [
            {"sourceMetricDefinitionId": cutoffs},
            {"sourceMetricDefinitionId": loops},
        ]
        definition = stored(sandboxes, "cut_offs_per_loop")
        assert definition["calculationType"] == "FORMULA" and definition["type"] == "NUMERIC"
        assert definition["formula"]["expression"] == expression
        assert [s["sourceMetricDefinitionId"] for s in definition["formula"]["sources"]] == [
            cutoffs,
            loops,
        ]


async def test_patterns_with_one_trigger_and_with_two(sandboxes):
    app = build_app(["--demo", "definitions", "new"])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_wizard(pilot)
        await choose_kind(pilot, "PATTERN")
        await basics(pilot, "Barge-in then frustration")
        await pick(pilot, "operation", "PATTERN_COUNT")
        await pick_metric(pilot, "triggers-0-sourceMetricDefinitionId", "customer_barge_in")
        await pick(pilot, "triggers-0-operator", "GREATER_THAN")
        await type_into(pilot, "triggers-0-thresholdValue", "0", keys=True)
        screen.query_one("#add-triggers").focus()
        await pilot.press("enter")
        await until(pilot, lambda: bool(screen.query("#triggers-1-operator")), "a second trigger")
        assert screen.query_one("#triggerCombinator-row").display
        await pick_metric(pilot, "triggers-1-sourceMetricDefinitionId", "agent_cutoff")
        await pick(pilot, "triggers-1-operator", "GREATER_THAN_OR_EQUALS")
        await type_into(pilot, "triggers-1-thresholdValue", "2")
        await pick(pilot, "triggerCombinator", "OR")
        screen.query_one("#add-triggers").focus()  # a third, then removed again with its ✕
        await pilot.press("enter")
        await until(pilot, lambda: bool(screen.query("#remove-triggers-2")), "a third trigger")
        screen.query_one("#remove-triggers-2").focus()
        await pilot.press("enter")
        await until(pilot, lambda: len(screen.draft.triggers) == 2, "the third removed")
        assert not screen.query("#triggers-2-operator")
        assert screen.draft.triggers[1].threshold_value == "2"
        await pick_metric(pilot, "outcome-sourceMetricDefinitionId", "comprehension_failure")
        offered = [v for _, v in screen.query_one("#outcome-operator", Select)._options]
        assert offered[-2:] == ["EQUALS", "NOT_EQUALS"] and "GREATER_THAN" not in offered  # BOOLEAN
        triggers = [v for _, v in screen.query_one("#triggers-0-operator", Select)._options]
        assert "GREATER_THAN" in triggers  # a COUNT: every comparison
        await pick(pilot, "outcome-operator", "EQUALS")
        await type_into(pilot, "outcome-thresholdValue", "maybe")
        assert "true or false" in text(screen, "#error-outcome")
        await type_into(pilot, "outcome-thresholdValue", "true")
        await type_into(pilot, "outcome-windowAfter", "10", keys=True)
        words = text(screen, "#pattern-words")
        assert "When Customer Barge-ins > 0 OR Agent Cut-offs ≥ 2, then within 10 s after" in words
        body, _ = await create(pilot)
        assert body["triggerCombinator"] == "OR" and len(body["triggers"]) == 2
        assert "trigger" not in body and "outputType" not in body
        definition = stored(sandboxes, "barge_in_then_frustration")
        pattern = definition["pattern"]
        assert definition["type"] == "NUMERIC"
        assert pattern["operation"] == "PATTERN_COUNT" and pattern["triggerCombinator"] == "OR"
        assert [t["thresholdValue"] for t in pattern["triggers"]] == ["0", "2"]
        assert pattern["outcome"]["windowAfter"] == 10
        assert pattern["outcome"]["windowBefore"] == 0
        await pilot.press("n")
        await until(pilot, lambda: screen.step == "kind", "another definition")
        await choose_kind(pilot, "PATTERN")
        await basics(pilot, "Cut-off then failure")
        await pick(pilot, "operation", "PATTERN_EXISTS")
        await pick(pilot, "windowMode", "segments")
        await pick_metric(pilot, "triggers-0-sourceMetricDefinitionId", "agent_cutoff")
        await pick(pilot, "triggers-0-operator", "GREATER_THAN")
        await type_into(pilot, "triggers-0-thresholdValue", "0")
        await pick_metric(pilot, "outcome-sourceMetricDefinitionId", "comprehension_failure")
        await pick(pilot, "outcome-operator", "EQUALS")
        await type_into(pilot, "outcome-thresholdValue", "true")
        await type_into(pilot, "outcome-windowBefore", "1")
        await type_into(pilot, "outcome-windowAfter", "3")
        body, _ = await create(pilot)
        assert "triggers" not in body and body["trigger"]["operator"] == "GREATER_THAN"
        pattern = stored(sandboxes, "cut_off_then_failure")["pattern"]
        assert pattern["windowMode"] == "segments" and pattern["triggerCombinator"] is None
        assert pattern["outcome"]["windowBefore"] == 1 and pattern["outcome"]["windowAfter"] == 3


# --- the rules before sending, the server after -------------------------------------------------


async def test_judge_rules_show_next_to_their_fields(sandboxes):
    app = build_app(["--demo", "definitions", "new"])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_wizard(pilot)
        await choose_kind(pilot, "LLM_JUDGE")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.step == "basics"
        assert "Enter a name" in text(screen, "#error-name")
        assert app.focused is screen.query_one("#name")
        await type_into(pilot, "name", "Ürgent Tone!")
        assert screen.query_one("#slug", Input).value == "urgent_tone"
        assert not screen.query_one("#error-name").display
        await type_into(pilot, "slug", "Bad Slug")
        assert "Lower case letters a-z, digits and _ only" in text(screen, "#error-slug")
        await type_into(pilot, "name", "Other name")
        assert screen.query_one("#slug", Input).value == "Bad Slug"  # edited: no longer follows
        await type_into(pilot, "slug", "")
        await type_into(pilot, "name", "Tone check", keys=True)
        assert screen.query_one("#slug", Input).value == "tone_check"
        await next_step(pilot, "details")
        await pick(pilot, "outputType", "SCALE")
        assert screen.query_one("#section-scale").display
        assert not screen.query_one("#section-boolean").display
        await type_into(pilot, "scaleMin", "5")
        await type_into(pilot, "scaleMax", "3")
        assert "more than the minimum (5)" in text(screen, "#error-scaleMax")
        await toggle_contexts(pilot, "SEGMENT")
        assert "needs PER_PARTICIPANT" in text(screen, "#error-supportedContexts")
        assert not screen.query_one("#participantRole-row").display
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.step == "details"
        assert "SCALE judges need a prompt" in text(screen, "#error-llmPrompt")
        prompt = screen.query_one("#llmPrompt", TextArea)
        prompt.text = "x" * 2001
        await pilot.pause()
        assert "2001 / 2000 characters" in text(screen, "#llmPrompt-count")
        assert "At most 2000 characters (2001 now)" in text(screen, "#error-llmPrompt")
        assert posts(sandboxes) == 0


async def test_a_taken_slug_lands_on_its_field(sandboxes):
    app = build_app(["--demo", "definitions", "new"])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_wizard(pilot)
        await choose_kind(pilot, "LLM_JUDGE")
        await type_into(pilot, "name", "Agent Spoke")  # the slug of a system metric
        await next_step(pilot, "details")
        await pick(pilot, "outputType", "OFFSET")
        await next_step(pilot, "review")
        await pilot.press("c")
        await until(pilot, lambda: screen.query_one("#error-slug").display, "the slug error")
        assert screen.step == "basics"
        assert "already used" in text(screen, "#error-slug")
        assert app.focused is screen.query_one("#slug")
        assert screen.draft.name == "Agent Spoke" and screen.draft.output_type == "OFFSET"
        await type_into(pilot, "slug", "agent_spoke_offset")
        assert not screen.query_one("#error-slug").display
        await next_step(pilot, "details")
        await create(pilot)
        assert stored(sandboxes, "agent_spoke_offset")["type"] == "OFFSET"
        assert posts(sandboxes) == 2


async def test_a_failed_request_keeps_everything(sandboxes):
    app = build_app(["--demo", "definitions", "new"])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_wizard(pilot)
        sandboxes[0].state.sandbox.faults.add(
            Fault("status", status=503, path=rules.ENDPOINT, method="POST", times=1)
        )
        await choose_kind(pilot, "LLM_JUDGE")
        await basics(pilot, "Keeps everything")
        await pick(pilot, "outputType", "TEXT")
        await type_into(pilot, "llmPrompt", "Summarise the call.")
        await next_step(pilot, "review")
        # ctrl+s is Next, never Create: pressed again and again on the review (and enter with
        # it), nothing is sent; the review says which key creates.
        await pilot.press("ctrl+s", "ctrl+s", "enter", "ctrl+s")
        await settle(pilot)
        assert screen.step == "review" and posts(sandboxes) == 0
        assert "c creates this definition" in text(screen, "#review-keys")
        before = screen.draft.to_dict()
        await pilot.press("c")
        await until(pilot, lambda: "Not created" in text(screen, "#status"), "the failure")
        assert screen.step == "review" and screen.draft.to_dict() == before
        assert DraftStore("definition").load()["draft"] == before
        assert posts(sandboxes) == 1
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CreatedScreen), "the created screen")
        assert posts(sandboxes) == 2


# --- drafts, closing, the browser ------------------------------------------------------------


async def test_a_draft_survives_an_app_restart(sandboxes):
    app = build_app(["--demo", "definitions", "new"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await choose_kind(pilot, "LLM_JUDGE")
        await basics(pilot, "Half done")
        await pick(pilot, "outputType", "BOOLEAN")
        await type_into(pilot, "llmPrompt", "Was it resolved?")
    saved = DraftStore("definition").load()
    assert saved["step"] == "details" and saved["draft"]["name"] == "Half done"

    app = build_app(["--demo", "definitions", "new"])
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the resume question")
        assert "Half done" in text(app.screen, "Static")
        await pilot.press("y")
        screen = await open_wizard(pilot)
        await until(pilot, lambda: screen.step == "details", "the saved step")
        assert screen.query_one("#llmPrompt", TextArea).text == "Was it resolved?"
        assert screen.query_one("#outputType", Select).value == "BOOLEAN"
        body, _ = await create(pilot)
        assert body["name"] == "Half done" and body["llmPrompt"] == "Was it resolved?"
        await pilot.press("o")  # opened without a browser below: one of its own, on the new one
        await until(
            pilot,
            lambda: isinstance(app.screen, DefinitionsScreen) and not app.screen.fetching,
            "a browser",
        )
        highlighted = app.screen.highlighted()
        assert highlighted is not None and highlighted.slug == "half_done"


async def test_esc_asks_before_discarding_a_changed_wizard(sandboxes):
    app = build_app(["--demo", "definitions", "new"])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_wizard(pilot)
        await choose_kind(pilot, "FORMULA")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("n")
        await until(pilot, lambda: app.screen is screen, "back in the wizard")
        assert DraftStore("definition").load() is not None
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await until(pilot, lambda: screen not in app.screen_stack, "the wizard closed")
        assert DraftStore("definition").load() is None


async def test_the_new_definition_appears_in_the_browser(sandboxes):
    app = build_app(["--demo", "definitions"])
    async with app.run_test(size=(120, 40)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, DefinitionsScreen) and not app.screen.fetching,
            "the browser",
        )
        browser = app.screen
        before = len(browser.definitions)
        await pilot.press("n")
        await open_wizard(pilot)
        await choose_kind(pilot, "LLM_JUDGE")
        await basics(pilot, "Zz brand new")
        await pick(pilot, "outputType", "OFFSET")
        await create(pilot)
        await pilot.press("o")
        await until(pilot, lambda: app.screen is browser, "back in the browser")
        assert len(browser.definitions) == before + 1
        highlighted = browser.highlighted()
        assert highlighted is not None and highlighted.slug == "zz_brand_new"
        assert "Zz brand new" in text(browser, "#definition-text")


async def test_the_pickers_list_failing_to_load_says_so_and_ctrl_r_retries(sandboxes):
    app = build_app(["--demo", "definitions", "new"])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_wizard(pilot)
        count = len(screen.definitions)
        sandboxes[0].state.sandbox.faults.add(
            Fault("status", status=400, path=rules.ENDPOINT, method="GET", times=1)
        )
        await pilot.press("ctrl+r")
        await until(pilot, lambda: "ctrl+r retries" in text(screen, "#status"), "the failure")
        assert len(screen.definitions) == len(screen.by_id) == count  # the known list stays
        await pilot.press("ctrl+r")
        await until(pilot, lambda: len(screen.definitions) == count, "the list again")
        assert text(screen, "#status").strip() == ""
        assert len(screen.by_id) == count  # loaded afresh, not appended
