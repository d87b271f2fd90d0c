"""The new-definition wizard: kind → basics → the kind's fields → review, then create.

Every change goes into the draft (core.definition_rules, addressed by the edited widget's id),
is validated against every documented rule, and is saved (DraftStore), so nothing typed is lost
to a quit, a crash or a failed request. Errors show next to their field once it was edited or a
step was left; Next and Create refuse while the step breaks a rule and say why. The review shows
the exact JSON body and the definition in words; a 400 from the server lands on the field it
names. All network work runs in workers on `app.service`.

This module holds the screen: its layout, the steps and the review, the actions. Its bases hold
the rest: the draft, its errors and its saving (definition_wizard_draft.py), the edits
(definition_wizard_edit.py), the create and its recovery (definition_wizard_create.py).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, ContentSwitcher, OptionList, Static

from roark_tui.api import errors
from roark_tui.core import definition_rules as rules
from roark_tui.core.describe import KIND_WORDS
from roark_tui.core.safe_text import readable_json
from roark_tui.tui.commands import hint_line
from roark_tui.tui.screens.definition_wizard_create import DefinitionWizardCreate
from roark_tui.tui.screens.definition_wizard_edit import DefinitionWizardEdit
from roark_tui.tui.widgets.definition_detail import render_definition
from roark_tui.tui.widgets.definition_form import FORM_CSS, error_line, key_of, show_text
from roark_tui.tui.widgets.definition_picker import MetricPicker
from roark_tui.tui.widgets.dialogs import ConfirmScreen
from roark_tui.tui.widgets.focus_mark import FOCUS_CSS, follow_focus
from roark_tui.tui.widgets.footer import KeysFooter

STEP_TITLES = {"kind": "Kind", "basics": "Basics", "details": "Details", "review": "Review"}


class DefinitionWizardScreen(DefinitionWizardEdit, DefinitionWizardCreate):
    """Create an LLM judge, formula or pattern metric definition, step by step."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "next", "Next", id="definition_wizard.next"),
        Binding("c", "submit", "Create", id="definition_wizard.submit"),
        Binding("ctrl+b", "previous", "Back a step", id="definition_wizard.previous"),
        Binding("escape", "close", "Close", id="definition_wizard.close"),
        Binding(
            "ctrl+r",
            "reload_definitions",
            "Reload metrics",
            show=False,
            tooltip="Load the metric definitions the pickers offer again",
            id="definition_wizard.reload",
        ),
    ]
    HELP = (
        "Create a metric definition in four steps: the kind (LLM judge, formula or pattern), "
        "the basics (name, slug, package), the kind's own fields, and a review of the exact "
        "request. ctrl+s goes to the next step, ctrl+b goes back; on the review, c creates it "
        "(ctrl+s never does, however often it is pressed). "
        "Every rule is checked as you type; the draft is saved as you go and offered again if "
        "you leave and come back."
    )
    DEFAULT_CSS = (
        FORM_CSS
        + FOCUS_CSS
        + """
    DefinitionWizardScreen { layout: vertical; }
    DefinitionWizardScreen #wizard-steps { height: 1; padding: 0 1; background: $boost; }
    DefinitionWizardScreen #steps { height: 1fr; }
    DefinitionWizardScreen .step { height: 1fr; padding: 0 1; }
    DefinitionWizardScreen #calculationType { height: auto; margin: 1 0; }
    DefinitionWizardScreen #llmPrompt { height: 7; }
    DefinitionWizardScreen.-narrow #llmPrompt { height: 5; }
    DefinitionWizardScreen #formula { height: 4; }
    DefinitionWizardScreen #supportedContexts { height: auto; border: none; padding: 0; }
    DefinitionWizardScreen .inline { width: auto; padding: 0 1; color: $text-muted; }
    DefinitionWizardScreen .source-name { width: 1fr; height: 1; }
    DefinitionWizardScreen #recent-packages { height: auto; max-height: 5; margin: 0 0 0 14; }
    DefinitionWizardScreen.-wide #review-columns { layout: horizontal; height: auto; }
    DefinitionWizardScreen.-wide #review-summary { width: 1fr; }
    DefinitionWizardScreen.-wide #review-request { width: 1fr; padding: 0 0 0 2; }
    DefinitionWizardScreen #review-columns { height: auto; }
    DefinitionWizardScreen.-narrow #review-request { margin: 1 0 0 0; }
    DefinitionWizardScreen #review-summary, DefinitionWizardScreen #review-request {
        height: auto; }
    DefinitionWizardScreen #wizard-nav { height: 1; padding: 0 1; }
    DefinitionWizardScreen #wizard-problems { width: 1fr; padding: 0 1; color: $text-warning; }
    DefinitionWizardScreen #status { height: auto; padding: 0 1; }
    """
    )

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="wizard-steps")
        with ContentSwitcher(initial="step-kind", id="steps"):
            with VerticalScroll(id="step-kind", classes="step"):
                yield Static(Text("What kind of metric?", style="bold"))
                yield OptionList(id="calculationType")
                yield Static(
                    Text(
                        "A threshold (pass/fail check on one metric) has its own wizard: "
                        "t on a definition in the browser.",
                        style="dim",
                    )
                )
                yield error_line("calculationType")
            yield VerticalScroll(id="step-basics", classes="step")
            yield VerticalScroll(id="step-details", classes="step")
            with (
                VerticalScroll(id="step-review", classes="step"),
                Vertical(id="review-columns"),
            ):
                yield Static(id="review-summary")
                with Vertical(id="review-request"):
                    yield Static(id="review-keys")
                    yield Static(Text(f"POST {rules.ENDPOINT}", style="bold"), id="review-path")
                    yield Static(id="review-body")
        with Horizontal(id="wizard-nav"):
            yield Button("◀ Back", id="wizard-back", compact=True)
            yield Static(id="wizard-problems")
            yield Button("Next ▶", id="wizard-next", compact=True, variant="primary")
        yield Static(id="status")
        yield KeysFooter()

    async def on_mount(self) -> None:
        follow_focus(self)
        self.title = "New metric definition"
        self._show_kinds()
        await self._mount_forms()
        self._go("kind")
        self.load_definitions()
        saved = self._store.load()
        if self._store.problem:  # a damaged draft file: say so, start afresh
            self.notify(self._store.problem, severity="warning", timeout=10, markup=False)
        sent = saved.get("sent") if saved else None
        if saved and isinstance(sent, dict) and sent.get("slug"):
            self.recover(saved, sent)
        elif saved:
            self._offer_resume(saved)

    # --- steps -------------------------------------------------------------------------------

    def _details_title(self) -> str:
        return KIND_WORDS.get(self.draft.calculation_type, STEP_TITLES["details"])

    def _go(self, step: str) -> None:
        self.step = step
        self.query_one("#steps", ContentSwitcher).current = f"step-{step}"
        crumbs = Text()
        for i, name in enumerate(rules.STEPS):
            title = self._details_title() if name == "details" else STEP_TITLES[name]
            if i:
                crumbs.append(" > ", style="dim")
            style = "bold reverse" if name == step else "dim"
            crumbs.append(f" {i + 1} {title} ", style=style)
        show_text(self.query_one("#wizard-steps", Static), crumbs)
        self.query_one("#wizard-back", Button).disabled = step == "kind"
        self.query_one("#wizard-next", Button).label = "Create ✓" if step == "review" else "Next ▶"
        if step == "review":
            self._show_review()
        self._refresh()
        self.refresh_bindings()
        self.call_after_refresh(self._focus_step)

    def _focus_step(self) -> None:
        if self.step == "kind":
            self.query_one("#calculationType").focus()
        elif self.step == "review":
            # Not the Create button: an enter (or a ctrl+s) pressed in a hurry creates nothing.
            self.query_one("#step-review").focus()
            self.call_after_refresh(self._show_review_keys)
        else:
            container = self.query_one(f"#step-{self.step}")
            focusable = [w for w in container.query("*") if w.focusable]
            if focusable:
                focusable[0].focus()

    def _show_review_keys(self) -> None:
        """The keys as bound now (the user's keymap applied), once the review has the focus."""
        keys = hint_line(
            self,
            ("definition_wizard.submit", "creates this definition"),
            ("definition_wizard.previous", "goes back to change it"),
        )
        self.query_one("#review-keys", Static).update(keys)

    def _show_review(self) -> None:
        body = rules.to_body(self.draft)
        preview = rules.preview_definition(body)
        summary = render_definition(preview, self.by_id, body)
        self.query_one("#review-summary", Static).update(summary)
        self.query_one("#review-body", Static).update(Text(readable_json(body)))

    def _step_problems(self, step: str) -> dict[str, str]:
        found = rules.step_errors(self.errors, step)
        found.update(rules.step_errors(self.server_errors, step))
        return found

    # --- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.step != "review"
        if action == "submit":
            return self.step == "review" and (None if self.creating else True)
        if action == "previous":
            return True if self.step != "kind" else None
        return True

    def action_next(self) -> None:
        if self.step == "kind" and self.draft.calculation_type not in rules.KINDS:
            box = self.query_one("#calculationType", OptionList)
            if box.highlighted is not None:
                kind = box.get_option_at_index(box.highlighted).id or ""
                self.call_later(self._choose_kind, kind)
                return
        problems = self._step_problems(self.step)
        if problems:
            self._refuse(self.step, problems)
            return
        self._status("")
        self._go(rules.STEPS[rules.STEPS.index(self.step) + 1])

    def _refuse(self, step: str, problems: dict[str, str]) -> None:
        """Show every error of `step`, focus the first one's field, say what to fix."""
        self.attempted.add(step)
        if self.step != step:
            self._go(step)
        self._refresh()
        count = len(problems)
        self._status(
            f"Fix {count} field{'s' if count != 1 else ''} first (marked in red).", error=True
        )
        self.call_after_refresh(self._focus_field, next(iter(problems)))

    def action_submit(self) -> None:
        if self.creating:
            return
        for step in rules.STEPS[:-1]:
            problems = self._step_problems(step)
            if problems:
                self._refuse(step, problems)
                return
        self.create(rules.to_body(self.draft))

    def action_reload_definitions(self) -> None:
        self.load_definitions()

    def action_previous(self) -> None:
        index = rules.STEPS.index(self.step)
        if index:
            self._status("")
            self._go(rules.STEPS[index - 1])

    def action_close(self) -> None:
        if self.draft == self._initial:
            self._forget_draft()
            self.dismiss()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._forget_draft()
                self.dismiss()

        self.app.push_screen(
            ConfirmScreen("Discard this definition draft? (n keeps editing it)"), answered
        )

    @on(Button.Pressed)
    async def _button(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        event.stop()
        if button == "wizard-next":
            if self.step == "review":
                self.action_submit()
            else:
                self.action_next()
        elif button == "wizard-back":
            self.action_previous()
        elif button.startswith("add-"):
            await self._add_row(key_of(button.removeprefix("add-")))
        elif button.startswith("remove-"):
            list_key, _, index = key_of(button.removeprefix("remove-")).rpartition(".")
            await self._remove_row(list_key, int(index))

    # --- workers -----------------------------------------------------------------------------

    @work(group="definitions", exclusive=True, exit_on_error=False)
    async def load_definitions(self) -> None:
        """All definitions, for the metric pickers and for names in the review."""
        self._status("Loading metric definitions for the pickers…")
        known = list(self.definitions)
        self.definitions.clear()  # in place: the pickers hold this list
        self.by_id.clear()
        try:
            async for page in self.app.service.iter_definitions():
                self.definitions.extend(page)
                self.by_id.update((d.id, d) for d in page)
                for picker in self.query(MetricPicker):
                    picker.refresh_definitions()
                self._status(f"Loading metric definitions for the pickers… {len(self.by_id)}")
        except errors.ApiError as exc:
            if len(self.definitions) < len(known):  # keep the fuller list of a previous load
                self.definitions[:] = known
                self.by_id.update((d.id, d) for d in known)
            self._status(f"Could not load the definitions list (ctrl+r retries): {exc}", error=True)
            return
        self._status("")
        form = self._form()
        if form is not None:
            for list_key in form.LISTS:
                await form.rebuild(list_key)
        self._refresh()
        if self.step == "review":
            self._show_review()
