"""Closing the loop on the demo, as a new user would: on the failing chat, t on a too-strict
check, lower the value, create (and mark the old one replaced), R, and the new check passes,
old -> new; e on a definition changes its prompt with a reason and the browser shows the new
version; a refusal lands on its field; an unsaved edit survives esc. Every write is sent once."""

from __future__ import annotations

from typing import Any

import pytest
from pilot_support import SteppedClock, make_app, rendered, settle, until
from textual.widgets import Input, Static, TextArea

from roark_tui.api import errors
from roark_tui.core.metric_tree import Status
from roark_tui.sandbox import SandboxConfig, create_app
from roark_tui.sandbox.demo_ids import FAILING_CHAT_ID
from roark_tui.tui.rescore import RescoreConfirm, RescoreStatus
from roark_tui.tui.screens.created import CreatedScreen
from roark_tui.tui.screens.definition_edit import DefinitionEditScreen, EditReviewScreen
from roark_tui.tui.screens.definitions import DefinitionsScreen
from roark_tui.tui.screens.metrics import MetricsScreen
from roark_tui.tui.screens.threshold_wizard import ThresholdWizardScreen
from roark_tui.tui.widgets.dialogs import ConfirmScreen, ReviewScreen

DEFINITIONS = "/v1/metric/definitions"


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock()


@pytest.fixture
def sandbox(clock: SteppedClock) -> Any:
    return create_app(SandboxConfig(clock=clock))


def sent(sandbox: Any, method: str, suffix: str) -> int:
    log = sandbox.state.sandbox.request_log
    return sum(1 for m, p in log if m == method and p.endswith(suffix))


def is_screen(app: Any, kind: type) -> Any:
    return lambda: isinstance(app.screen, kind)


async def test_tune_a_too_strict_check_then_rescore(sandbox: Any, clock: SteppedClock) -> None:
    app = make_app(sandbox, ("chat", FAILING_CHAT_ID))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        metrics = app.screen
        assert isinstance(metrics, MetricsScreen)
        metrics.rescore.sleep = clock.sleep
        assert metrics.metric_tree.selected.row.name == "Agent Showed Empathy"

        await pilot.press("t")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, ThresholdWizardScreen)
                and app.screen.source_def is not None
                and app.screen.groups is not None
            ),
            "the wizard tuning the check, tried on this chat",
        )
        wizard = app.screen
        assert wizard.draft.value == "3" and wizard.source_def.key == "empathy_score"
        old = f"/{wizard.tuning.id}"
        value = wizard.query_one("#value", Input)
        value.focus()
        value.clear()
        await pilot.press("2")
        await until(
            pilot,
            lambda: "with this draft passes" in wizard.query_one("#whatif").plain,
            "old and new side by side",
        )
        assert "today fails" in wizard.query_one("#whatif").plain

        await pilot.press("ctrl+s")
        await until(pilot, is_screen(app, ReviewScreen), "the review")
        await pilot.press("c")
        await until(pilot, is_screen(app, ConfirmScreen), "the offer to rename the old one")
        await pilot.press("y")
        await until(
            pilot,
            lambda: sent(sandbox, "PUT", old) == 1,
            "the old check renamed",
        )
        await until(pilot, is_screen(app, CreatedScreen), "the created screen")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is metrics, "back on the conversation")

        await pilot.press("R")
        await until(pilot, is_screen(app, RescoreConfirm), "the question before the job")
        await pilot.press("enter")
        status = metrics.query_one(RescoreStatus)
        await until(pilot, lambda: "Re-scored" in rendered(status.render()), "the job's end")
        said = rendered(status.render())
        assert "no value → ✔ true" in said
        assert "Agent Showed Empathy (replaced): ✘ false (unchanged)" in said
        passing = [
            row for row in metrics.visible_rows() if row.group.slug == "empathy_score_each_gte_2"
        ]
        assert passing and passing[0].status is Status.PASS
        assert metrics.metric_tree.selected.row.group.slug == "empathy_score_check"  # cursor kept
        assert sent(sandbox, "POST", "/thresholds") == 1
        assert sent(sandbox, "POST", "/collection-jobs") == 1
        assert sent(sandbox, "PUT", old) == 1


async def highlight(pilot: Any, slug: str) -> None:
    """The browser with `slug` highlighted and the table focused."""
    app = pilot.app
    await until(pilot, is_screen(app, DefinitionsScreen), "the browser")
    browser = app.screen
    await until(pilot, lambda: any(d.key == slug for d in browser.definitions.values()), slug)
    await pilot.press("slash")
    browser.query_one("#definitions-filter", Input).value = slug
    await until(pilot, lambda: (h := browser.highlighted()) is not None and h.key == slug, slug)
    browser.query_one("#definitions-table").focus()


async def open_editor(pilot: Any, slug: str) -> DefinitionEditScreen:
    app = pilot.app
    await highlight(pilot, slug)
    await pilot.press("e")
    await until(pilot, is_screen(app, DefinitionEditScreen), "the editor")
    return app.screen  # type: ignore[return-value]


async def test_edit_a_prompt_with_a_reason(sandbox: Any) -> None:
    app = make_app(sandbox, ("definitions", ""))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot, "agent_verified_caller")
        before = editor.definition
        prompt = editor.query_one("#edit-llmPrompt", TextArea)
        assert prompt.text == before.llm_prompt
        assert "outputType BOOLEAN — the output type is fixed" in rendered(
            editor.query_one("#edit-locked", Static).render()
        )
        prompt.load_text("Did the agent verify the caller before touching the account?")
        editor.query_one("#edit-changeReason", Input).value = "shorter rubric"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, is_screen(app, EditReviewScreen), "the review")
        review = rendered(app.screen.query_one("#edit-review-diff", Static).render())
        assert "- Before discussing" in review and "+ Did the agent verify" in review
        assert "Change reason: shorter rubric" in review
        await pilot.press("enter")
        await until(pilot, is_screen(app, DefinitionsScreen), "back in the browser")
        browser = app.screen
        shown = browser.definitions[before.id]
        assert shown.llm_prompt == "Did the agent verify the caller before touching the account?"
        assert shown.version_id != before.version_id
        assert sent(sandbox, "PUT", f"/{before.id}") == 1
        assert before.id in app.edited_metrics


async def test_ctrl_s_pressed_again_on_the_review_saves_nothing(sandbox: Any) -> None:
    """ctrl+s brings the review up; three quick presses stay on it: only enter saves."""
    app = make_app(sandbox, ("definitions", ""))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        editor = await open_editor(pilot, "agent_verified_caller")
        editor.query_one("#edit-changeReason", Input).value = "shorter rubric"
        editor.query_one("#edit-llmPrompt", TextArea).load_text("Verified before anything?")
        await pilot.press("ctrl+s", "ctrl+s", "ctrl+s")
        await until(pilot, is_screen(app, EditReviewScreen), "the review")
        await until(pilot, lambda: any("enter saves" in str(n.message) for n in app._notifications))
        assert sent(sandbox, "PUT", f"/{editor.definition.id}") == 0
        assert isinstance(app.screen, EditReviewScreen)
        await pilot.press("enter")
        await until(pilot, lambda: sent(sandbox, "PUT", f"/{editor.definition.id}") == 1)


@pytest.mark.parametrize(
    ("field", "where"), [("llmPrompt", "#edit-error-llmPrompt"), ("scope", "#edit-locked")]
)
async def test_a_refusal_lands_on_its_field(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch, field: str, where: str
) -> None:
    app = make_app(sandbox, ("definitions", ""))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot, "customer_intent")

        async def refuse(*args: Any, **kwargs: Any) -> Any:
            raise errors.RequestRejected(
                "refused", status=400, field=field, message=f"{field} cannot be changed"
            )

        monkeypatch.setattr(app.service, "update_definition", refuse)
        editor.query_one("#edit-llmPrompt", TextArea).load_text("In one sentence: the goal?")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, is_screen(app, EditReviewScreen), "the review")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: f"{field} cannot be changed" in rendered(editor.query_one(where).render()),
            "the refusal under its field",
        )
        assert app.screen is editor
        assert editor.values["llmPrompt"] == "In one sentence: the goal?"


async def test_an_unsaved_edit_survives_esc(sandbox: Any) -> None:
    app = make_app(sandbox, ("definitions", ""))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot, "customer_intent")
        editor.query_one("#edit-name", Input).value = "Customer Goal"
        await pilot.pause()
        await pilot.press("escape")
        await until(pilot, is_screen(app, DefinitionsScreen), "back in the browser")
        await pilot.press("e")
        await until(pilot, is_screen(app, ConfirmScreen), "the offer to resume")
        await pilot.press("y")
        await until(pilot, is_screen(app, DefinitionEditScreen), "the editor")
        await until(
            pilot,
            lambda: app.screen.query_one("#edit-name", Input).value == "Customer Goal",
            "the draft back",
        )
        assert sent(sandbox, "PUT", f"/{editor.definition.id}") == 0


async def test_t_on_a_threshold_in_the_browser_tunes_it(sandbox: Any) -> None:
    app = make_app(sandbox, ("definitions", ""))
    async with app.run_test(size=(120, 40)) as pilot:
        slug = "empathy_score_check"
        await highlight(pilot, slug)
        await pilot.press("t")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, ThresholdWizardScreen) and app.screen.source_def is not None
            ),
            "the wizard tuning it",
        )
        wizard = app.screen
        assert wizard.tuning is not None and wizard.tuning.key == slug
        assert wizard.source_def.key == "empathy_score" and wizard.draft.value == "3"
