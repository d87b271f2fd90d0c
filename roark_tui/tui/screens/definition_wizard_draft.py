"""The definition wizard's draft: the forms built from it, its errors shown next to their
fields, saved as it changes (DraftStore) and offered again on the next start.

`DefinitionWizardDraft` is the base of DefinitionWizardScreen: the steps and the review live
there, the edits in definition_wizard_edit.py, the create and its recovery in
definition_wizard_create.py.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roark_tui.api.models import MetricDefinition
from roark_tui.core import definition_rules as rules
from roark_tui.core.describe import KIND_EXPLANATIONS, KIND_WORDS
from roark_tui.core.safe_text import one_line
from roark_tui.state import recent_packages
from roark_tui.state.drafts import DraftStore
from roark_tui.tui.screens.base import RoarkScreen
from roark_tui.tui.widgets.definition_form import field_id, row_error_text, show_text
from roark_tui.tui.widgets.definition_picker import MetricPicker
from roark_tui.tui.widgets.definition_steps import BasicsForm, FormulaForm, JudgeForm, StepForm
from roark_tui.tui.widgets.dialogs import ConfirmScreen
from roark_tui.tui.widgets.pattern_form import PatternForm

DRAFT_NAME = "definition"
FORMS: dict[str, type[StepForm]] = {
    "LLM_JUDGE": JudgeForm,
    "FORMULA": FormulaForm,
    "PATTERN": PatternForm,
}
SAVE_DELAY = 0.3  # seconds of quiet before the draft is written
KIND_EXAMPLES = {
    "LLM_JUDGE": "e.g. did the agent verify the caller before discussing the account?",
    "FORMULA": "e.g. agent talk time / conversation duration",
    "PATTERN": "e.g. an interruption followed by frustration within 10 s",
}


def prefixes(key: str) -> list[str]:
    """`a.0.b` -> [`a`, `a.0`, `a.0.b`]."""
    parts = key.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


class DefinitionWizardDraft(RoarkScreen[None]):
    """The draft being written, what is wrong with it, and its copy on disk."""

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

    # --- the forms ---------------------------------------------------------------------------

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

    def _go(self, step: str) -> None:
        """Show `step` (the wizard's own)."""
        raise NotImplementedError

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

    # --- resuming ------------------------------------------------------------------------------

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

    def _resume(self, draft: rules.DefinitionDraft, step: Any) -> None:
        self.draft = draft
        self.touched.update(["calculationType", *rules.BASICS])
        self.attempted.update(s for s in rules.STEPS if s != "review")
        self._show_kinds()

        async def rebuild() -> None:
            await self._mount_forms()
            self._go(step if step in rules.STEPS else "kind")

        self.call_later(rebuild)
