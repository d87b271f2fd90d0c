"""The new-definition wizard: kind → basics → the kind's fields → review, then create.

Every change goes into the draft (core.definition_rules, addressed by the edited widget's id),
is validated against every documented rule, and is saved (DraftStore), so nothing typed is lost
to a quit, a crash or a failed request. Errors show next to their field once it was edited or a
step was left; Next and Create refuse while the step breaks a rule and say why. The review shows
the exact JSON body and the definition in words; a 400 from the server lands on the field it
names. All network work runs in workers on `app.service`.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import (
    Button,
    ContentSwitcher,
    Input,
    OptionList,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from roark_tui.api import errors, write_once
from roark_tui.api.models import MetricDefinition
from roark_tui.core import definition_rules as rules
from roark_tui.core.describe import KIND_EXPLANATIONS, KIND_WORDS
from roark_tui.core.safe_text import one_line, readable_json
from roark_tui.core.slugs import slug_from
from roark_tui.state import recent_packages
from roark_tui.state.drafts import DraftStore
from roark_tui.tui.commands import hint_line
from roark_tui.tui.screens.base import RoarkScreen
from roark_tui.tui.screens.created import CreatedScreen
from roark_tui.tui.widgets.definition_detail import render_definition
from roark_tui.tui.widgets.definition_form import (
    FORM_CSS,
    ToggleList,
    error_line,
    field_id,
    key_of,
    row_error_text,
    show_text,
)
from roark_tui.tui.widgets.definition_picker import MetricPicker
from roark_tui.tui.widgets.definition_steps import BasicsForm, FormulaForm, JudgeForm, StepForm
from roark_tui.tui.widgets.dialogs import ConfirmScreen
from roark_tui.tui.widgets.focus_mark import FOCUS_CSS, follow_focus
from roark_tui.tui.widgets.footer import KeysFooter
from roark_tui.tui.widgets.pattern_form import PatternForm

DRAFT_NAME = "definition"
FORMS: dict[str, type[StepForm]] = {
    "LLM_JUDGE": JudgeForm,
    "FORMULA": FormulaForm,
    "PATTERN": PatternForm,
}
SAVE_DELAY = 0.3  # seconds of quiet before the draft is written
STEP_TITLES = {"kind": "Kind", "basics": "Basics", "details": "Details", "review": "Review"}
KIND_EXAMPLES = {
    "LLM_JUDGE": "e.g. did the agent verify the caller before discussing the account?",
    "FORMULA": "e.g. agent talk time / conversation duration",
    "PATTERN": "e.g. an interruption followed by frustration within 10 s",
}
NEW_ROWS: dict[str, type[Any]] = {
    "scaleLabels": rules.ScaleLabelRow,
    "classificationOptions": rules.ClassificationRow,
    "triggers": rules.TriggerRow,
}


def prefixes(key: str) -> list[str]:
    """`a.0.b` -> [`a`, `a.0`, `a.0.b`]."""
    parts = key.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


class DefinitionWizardScreen(RoarkScreen[None]):
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

    def __init__(self) -> None:
        super().__init__()
        self.draft = rules.DefinitionDraft()
        self._initial = rules.DefinitionDraft()
        self.step = "kind"
        self.definitions: list[MetricDefinition] = []
        self.by_id: dict[str, MetricDefinition] = {}
        self.errors: dict[str, str] = {}
        self.server_errors: dict[str, str] = {}
        self.touched: set[str] = set()
        self.attempted: set[str] = set()
        self.creating = False
        self.created: MetricDefinition | None = None
        # The create sent and not yet answered (slug, body): saved with the draft, so that
        # after a kill the next start reads it back instead of sending it again.
        self._sent: dict[str, Any] | None = None
        self._store = DraftStore(DRAFT_NAME)
        self._saved: dict[str, Any] | None = None
        self._save_timer: Timer | None = None
        self._error_lines: set[Static] = set()

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

    def _offer_resume(self, saved: dict[str, Any]) -> None:
        draft = rules.DefinitionDraft.from_dict(saved.get("draft"))
        if draft == self._initial:
            return
        step = saved.get("step")
        what = one_line(draft.name, 40) or KIND_WORDS.get(draft.calculation_type, "no name")
        self.app.push_screen(
            ConfirmScreen(f"Resume the unfinished definition draft ({what})?"),
            lambda yes: self._resume(draft, step) if yes else self._forget_draft(),
        )

    def _show_kinds(self) -> None:
        box = self.query_one("#calculationType", OptionList)
        highlighted = box.highlighted
        options = []
        for kind in rules.KINDS:
            mark = "● " if kind == self.draft.calculation_type else "  "
            text = Text(mark)
            text.append(KIND_WORDS[kind], style="bold")
            text.append(f": {KIND_EXPLANATIONS[kind]}\n    {KIND_EXAMPLES[kind]}", style="")
            options.append(Option(text, id=kind))
        box.set_options([o for option in options for o in (option, None)][:-1])
        if self.draft.calculation_type in rules.KINDS:
            box.highlighted = rules.KINDS.index(self.draft.calculation_type)
        else:
            box.highlighted = highlighted or 0

    async def _mount_forms(self) -> None:
        """(Re)build the basics and the kind's form from the draft."""
        basics = self.query_one("#step-basics", VerticalScroll)
        await basics.remove_children()
        packages = recent_packages.load()
        if recent_packages.store.problem:
            self.notify(recent_packages.store.problem, severity="warning", timeout=10, markup=False)
        await basics.mount(BasicsForm(self.draft, packages))
        await self._mount_details()

    async def _mount_details(self) -> None:
        details = self.query_one("#step-details", VerticalScroll)
        await details.remove_children()
        form = FORMS.get(self.draft.calculation_type)
        if form is not None:
            await details.mount(form(self.draft, self.definitions))
        self._refresh()

    def _form(self) -> StepForm | None:
        try:
            return self.query_one("#step-details", VerticalScroll).query_one(StepForm)
        except NoMatches:
            return None

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

    # --- editing -----------------------------------------------------------------------------

    async def _choose_kind(self, kind: str) -> None:
        self._forget_server_error("calculationType")
        if kind != self.draft.calculation_type:
            self.draft.calculation_type = kind
            self.touched.add("calculationType")
            if kind == "FORMULA" and self.draft.output_type not in rules.FORMULA_OUTPUT_TYPES:
                self.draft.output_type = ""
            self._show_kinds()
            await self._mount_details()
        self._go("basics")

    @on(OptionList.OptionSelected, "#calculationType")
    async def _kind_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self._choose_kind(event.option.id or "")

    @on(OptionList.OptionSelected, "#recent-packages")
    def _package_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#analysisPackageId", Input).value = event.option.id or ""
        self.query_one("#analysisPackageId").focus()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        self._edit(event.input.id, event.value)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        value = "" if event.value is Select.NULL else str(event.value)
        self._edit(event.select.id, value)

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        self._edit(event.text_area.id, event.text_area.text)

    @on(ToggleList.Changed)
    def _toggled(self, event: ToggleList.Changed) -> None:
        self._edit(event.toggles.id, event.values)

    @on(MetricPicker.Picked)
    async def _picked(self, event: MetricPicker.Picked) -> None:
        if event.picker.id == "pick-source":
            if event.definition is not None:
                await self._add_source(event.definition)
            return
        self._edit(event.picker.id, event.definition.id if event.definition else "")

    def _edit(self, widget_id: str | None, value: Any) -> None:
        """A field changed in a widget: into the draft, then validate, show, save."""
        key = key_of(widget_id)
        if not key or rules.get_field(self.draft, key) is None:
            return
        if not rules.set_field(self.draft, key, value):
            return
        self.touched.update(prefixes(key))
        self._forget_server_error(key)
        slug = self.query_one("#slug", Input)
        # The slug follows the name, unless keys typed into it are still on their way here.
        if key == "name" and self.draft.slug_auto and slug.value == self.draft.slug:
            self.draft.slug = slug.value = slug_from(self.draft.name)
        elif key == "slug":
            self.draft.slug_auto = self.draft.slug.strip() in (
                "",
                slug_from(self.draft.name),
            )
        self._refresh()

    def _forget_server_error(self, key: str) -> None:
        for other in list(self.server_errors):
            if other == key or other.startswith(key + ".") or key.startswith(other + "."):
                del self.server_errors[other]

    async def _add_source(self, definition: MetricDefinition) -> None:
        """A formula source was picked: list it (once) and reference it at the cursor."""
        if all(s.source_metric_definition_id != definition.id for s in self.draft.sources):
            self.draft.sources.append(rules.SourceRow(definition.id))
            self.touched.add("sources")
            form = self._form()
            if form is not None:
                await form.rebuild("sources")
        formula = self.query_one("#formula", TextArea)
        formula.insert(rules.reference(definition.id))
        formula.focus()
        self._refresh()

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

    async def _add_row(self, list_key: str) -> None:
        rows_list = rules.get_field(self.draft, list_key)
        if not isinstance(rows_list, list) or list_key not in NEW_ROWS:
            return
        rows_list.append(NEW_ROWS[list_key]())
        self.touched.add(list_key)
        await self._rebuild(list_key)
        self._focus_field(f"{list_key}.{len(rows_list) - 1}")

    async def _remove_row(self, list_key: str, index: int) -> None:
        rows_list = rules.get_field(self.draft, list_key)
        if not isinstance(rows_list, list) or not 0 <= index < len(rows_list):
            return
        del rows_list[index]
        self.touched.add(list_key)
        self.server_errors = {
            k: v for k, v in self.server_errors.items() if not k.startswith(f"{list_key}.")
        }
        await self._rebuild(list_key)
        if rows_list:
            self._focus_field(f"{list_key}.{min(index, len(rows_list) - 1)}")
        else:
            self._focus_field(f"add-{field_id(list_key)}")

    async def _rebuild(self, list_key: str) -> None:
        form = self._form()
        if form is not None:
            await form.rebuild(field_id(list_key))
        self._refresh()

    def _resume(self, draft: rules.DefinitionDraft, step: Any) -> None:
        self.draft = draft
        self.touched.update(["calculationType", *rules.BASICS])
        self.attempted.update(s for s in rules.STEPS if s != "review")
        self._show_kinds()

        async def rebuild() -> None:
            await self._mount_forms()
            self._go(step if step in rules.STEPS else "kind")

        self.call_later(rebuild)

    # --- showing the state -------------------------------------------------------------------

    def _visible(self, key: str) -> bool:
        return rules.step_of(key) in self.attempted or any(p in self.touched for p in prefixes(key))

    def _error_target(self, key: str) -> Static | None:
        """The error line nearest to field `key`: its own, else its row's, else its list's."""
        parts = field_id(key).split("-")
        for end in range(len(parts), 0, -1):
            try:
                return self.query_one(f"#error-{'-'.join(parts[:end])}", Static)
            except NoMatches:
                continue
        return None

    def _refresh(self) -> None:
        """Re-validate; put each shown error on its line; sync the form; save the draft."""
        self.errors = rules.validate(self.draft, self.by_id)
        shown = {k: v for k, v in self.errors.items() if self._visible(k)}
        shown.update(self.server_errors)
        lines: dict[Static, list[tuple[str, str, str]]] = {}
        for key, message in shown.items():
            target = self._error_target(key)
            if target is not None:
                lines.setdefault(target, []).append((key, key.rsplit(".", 1)[-1], message))
        for line in self._error_lines - set(lines):
            line.display = False
        for line, found in lines.items():
            own = len(found) == 1 and f"error-{field_id(found[0][0])}" == line.id
            show_text(line, Text(found[0][2]) if own else row_error_text([f[1:] for f in found]))
            line.display = True
        self._error_lines = set(lines)
        form = self._form()
        if form is not None:
            form.sync()
        count = sum(1 for key in shown if rules.step_of(key) == self.step)
        show_text(
            self.query_one("#wizard-problems", Static),
            Text(f"{count} field{'s' if count != 1 else ''} to fix" if count else ""),
            layout=False,
        )
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self._save)

    def _save(self) -> None:
        """Write the draft (and its step) when it differs from what was last written.

        Called a moment after a change (a burst of keystrokes costs one write, not one fsync
        each), and at once when the step changes or the screen goes away."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.draft == self._initial and self._sent is None:
            return
        saved = {"draft": self.draft.to_dict(), "step": self.step}
        if self._sent is not None:
            saved["sent"] = self._sent
        if saved != self._saved:
            self._store.save(saved)
            self._saved = saved

    def _forget_draft(self) -> None:
        """The draft is done with (created or discarded): delete it, write nothing more."""
        self._sent = None
        self._initial = deepcopy(self.draft)
        self._save()
        self._store.clear()
        self._saved = None

    def on_unmount(self) -> None:
        self._save()

    def save_draft_now(self) -> None:
        """Write what is typed at once (the app is ending: tui/hard_exit.py)."""
        self._save()

    def _focus_field(self, key: str) -> None:
        """Focus the widget of `key`, else the first field of its row or list."""
        target = key if key.startswith("add-") else field_id(key)
        widgets = [
            w
            for w in self.query("*").results(Widget)
            if w.id and (w.focusable or isinstance(w, MetricPicker))
        ]
        parts = target.split("-")
        for end in range(len(parts), 0, -1):
            prefix = "-".join(parts[:end])
            for widget in widgets:
                if widget.id == prefix or (widget.id or "").startswith(prefix + "-"):
                    widget.focus()
                    return

    def _status(self, message: str, error: bool = False) -> None:
        show_text(
            self.query_one("#status", Static), Text(message, style="bold red" if error else "")
        )

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

    @work(group="create", exclusive=True, exit_on_error=False)
    async def create(self, body: dict[str, Any]) -> None:
        """POST once (api.write_once); the draft on disk says it was sent, so a kill before the
        answer does not send it again on the next start."""
        self.creating = True
        self.refresh_bindings()
        self._status("Creating the metric definition…")
        self._sent = {"slug": str(body["slug"]), "body": body}
        self._save()
        service = self.app.service
        try:
            written = await write_once.create_definition(
                service,
                lambda: service.create_definition(body),
                str(body["slug"]),
                lambda found: rules.created_from(found, body),
                "definition",
            )
        except errors.Unconfirmed as exc:
            self._status(f"{exc}. Everything you typed is kept.", error=True)
            return
        except errors.ApiError as exc:
            self._sent = None  # a clear answer: it was not created
            self._save()
            self._rejected(exc)
            return
        finally:
            self.creating = False
            self.refresh_bindings()
        self._show_created(written.value, written.note)

    def _show_created(self, created: MetricDefinition, note: str = "") -> None:
        self.created = created
        if self.draft.analysis_package_id.strip():
            recent_packages.remember(self.draft.analysis_package_id)
        self._forget_draft()
        self._status(f"Created {one_line(created.key, 60)}" + (f" ({note})." if note else "."))
        self.by_id[created.id] = created
        self.definitions.append(created)
        for screen in self.app.screen_stack:
            announce = getattr(screen, "definition_created", None)
            if callable(announce) and screen is not self:
                announce(created)
        shown = CreatedScreen(
            created,
            self.by_id,
            title="Metric definition created",
            note=note,
            offers_threshold=True,
        )
        self.app.push_screen(shown, self._after_created)

    @work(group="create", exclusive=True, exit_on_error=False)
    async def recover(self, saved: dict[str, Any], sent: dict[str, Any]) -> None:
        """The draft says a create was sent and the app stopped before its answer: the server
        decides. Created: it is shown, and nothing is sent. Not there: the draft is offered
        again. Unknown: the draft is offered again, and still says it was sent."""
        slug = one_line(str(sent["slug"]), 60)
        body: dict[str, Any] = sent["body"] if isinstance(sent.get("body"), dict) else {}
        self._status(f"A create of {slug} was sent before the app stopped; looking for it…")
        try:
            found = await write_once.find_created(
                self.app.service, str(sent["slug"]), lambda d: rules.created_from(d, body)
            )
        except errors.Unconfirmed as exc:
            self._sent = sent  # still unknown: the draft keeps saying it was sent
            self._status(f"{exc}.", error=True)
            self._offer_resume(saved)
            return
        if found is not None:
            self._show_created(found, "sent before the app stopped, read back now")
            return
        self._status(
            f"The create of {slug} sent before the app stopped did not reach the server: "
            "review the draft and create it again."
        )
        self._offer_resume(saved)

    def _rejected(self, exc: errors.ApiError) -> None:
        """A server rejection goes next to the field it names; anything else to the status
        line. Nothing typed is touched either way."""
        key = rules.server_field(exc.field, self.draft)
        if not key and isinstance(exc, errors.Conflict):
            key = "slug"
        said = one_line(exc.message or str(exc), 200)
        if not key:
            self._status(f"Not created: {exc}. Everything you typed is kept.", error=True)
            return
        self._go(rules.step_of(key))
        if self._error_target(key) is not None:
            # Shown by its field until that field is edited (a field the form does not have
            # would hold Next back for good, so those stay on the status line only).
            self.server_errors[key] = said
            self._refresh()
        self._status(f"The server rejected {key}: {said}", error=True)
        self.call_after_refresh(self._focus_field, key)

    def _browser_on(self, created: MetricDefinition) -> None:
        """The definitions browser with the cursor on `created`: the one this wizard was opened
        from (it already has it), else a new one."""
        from roark_tui.tui.screens.definitions import DefinitionsScreen

        if isinstance(self.app.screen, DefinitionsScreen):
            return
        self.app.open_definitions()
        browser = self.app.screen
        if isinstance(browser, DefinitionsScreen):
            browser.call_after_refresh(browser.definition_created, created)

    async def _after_created(self, choice: str | None) -> None:
        created = self.created
        if choice == "threshold" and created is not None:
            self.dismiss()
            self._browser_on(created)  # where the threshold wizard's esc then lands
            self.app.open_threshold_wizard(source=created.slug or created.id)
        elif choice == "open" and created is not None:
            self.dismiss()
            self._browser_on(created)
        elif choice == "another":
            self.draft = rules.DefinitionDraft()
            self._initial = rules.DefinitionDraft()
            self.touched.clear()
            self.attempted.clear()
            self.server_errors.clear()
            self._show_kinds()
            await self._mount_forms()
            self._go("kind")
        else:
            self.dismiss()
