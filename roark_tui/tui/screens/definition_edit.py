"""Edit a metric definition: `e` in the definitions browser and on a metric in the tree.

The form opens on the definition's current values: the fields Roark lets this metric change
(core/definition_diff.py), validated as you type, and the fields fixed at creation shown locked
with the reason. ctrl+s reviews the change as a diff (old -> new) and the exact PUT body; the
change reason goes with it. The PUT is sent once (api/write_once.py reads the definition's
version back after an unclear answer); a 400 naming a field lands under that field. The form
is kept as a draft per definition, so nothing typed is lost to esc, a crash or a failed save.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, Static, TextArea

from roark_tui.api import errors, write_once
from roark_tui.api.models import MetricDefinition
from roark_tui.core import definition_diff as diff
from roark_tui.core.safe_text import one_line, readable_json
from roark_tui.state.drafts import DraftStore
from roark_tui.tui.screens.base import RoarkScreen
from roark_tui.tui.widgets.dialogs import ConfirmScreen
from roark_tui.tui.widgets.focus_mark import FOCUS_CSS, follow_focus
from roark_tui.tui.widgets.footer import KeysFooter

LONG_FIELDS = ("llmPrompt", "formula")
SAVE_DELAY = 0.5


class EditReviewScreen(ModalScreen[bool]):
    """The change as a diff and the exact request, before it is sent."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "answer(True)", "Save", id="edit_review.save"),
        Binding("escape", "answer(False)", "Back to the form", id="edit_review.back"),
        # ctrl+s brought the review up: pressed again (quickly, or held), it must not save.
        Binding(
            "ctrl+s", "not_here", "Say that enter saves", show=False, id="edit_review.not_save"
        ),
    ]
    DEFAULT_CSS = """
    EditReviewScreen { align: center middle; }
    EditReviewScreen > Vertical { width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    EditReviewScreen #edit-review-body { height: auto; max-height: 16; overflow-y: auto; }
    """

    def __init__(self, definition: MetricDefinition, body: dict[str, Any]) -> None:
        super().__init__()
        self.definition, self.body = definition, body

    def compose(self) -> ComposeResult:
        text = Text()
        for key, old, new in diff.diff(self.definition, self.body):
            text.append(f"{diff.LABELS.get(key, key)}\n", style="bold")
            text.append(f"  - {old}\n", style="red")
            text.append(f"  + {new}\n", style="green")
        reason = self.body.get(diff.CHANGE_REASON)
        text.append(f"Change reason: {one_line(reason, 80) if reason else '(none)'}\n")
        path = f"PUT /v1/metric/definitions/{self.definition.id}"
        with Vertical():
            yield Static(Text("Review: this change makes a new version", style="bold"))
            yield Static(text, id="edit-review-diff")
            yield Static(Text(path), id="edit-review-path")
            yield Static(Text(readable_json(self.body)), id="edit-review-body")
            yield Static(Text("enter save · esc back to the form", style="dim"))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_not_here(self) -> None:
        self.notify("enter saves this change; ctrl+s only brings the review up", timeout=3)


class DefinitionEditScreen(RoarkScreen[MetricDefinition | None]):
    """The editable fields of one definition; dismissed with the new version once saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="edit.back"),
        Binding(
            "ctrl+s",
            "review",
            "Review",
            tooltip="Show the change (old → new) and the exact request, then save",
            id="edit.review",
        ),
    ]
    HELP = (
        "Edit a metric definition: only what you change is sent, and Roark keeps the old "
        "version. Fields fixed at creation are shown locked. Scores already given keep their "
        "old values until the conversation is re-scored (R on the metrics screen)."
    )
    DEFAULT_CSS = (
        FOCUS_CSS
        + """
    DefinitionEditScreen #edit-form { padding: 0 1; }
    DefinitionEditScreen .edit-field { height: auto; }
    DefinitionEditScreen .edit-field.-focused-row > .edit-label { text-style: bold reverse; }
    DefinitionEditScreen .edit-label { margin-top: 1; text-style: bold; }
    DefinitionEditScreen TextArea { height: 8; }
    DefinitionEditScreen .error { display: none; }
    DefinitionEditScreen .error { color: $error; }
    DefinitionEditScreen #edit-locked { color: $text-muted; margin-top: 1; }
    DefinitionEditScreen #edit-status { padding: 0 1; height: auto; }
    DefinitionEditScreen #edit-status.-error { color: $error; }
    """
    )

    def __init__(self, definition: MetricDefinition) -> None:
        super().__init__()
        self.definition = definition
        self.values = diff.form_values(definition)
        self.values[diff.CHANGE_REASON] = ""
        self.server_errors: dict[str, str] = {}
        self.saving = False
        self._store = DraftStore(f"edit-{definition.id}")
        self._save_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        definition = self.definition
        title = Text.assemble(
            ("Edit ", "bold"), (one_line(definition.name or definition.key), "bold")
        )
        version = one_line(definition.version_id or "?")[:8]
        title.append(f"  {one_line(definition.key)} · version {version}", style="dim")
        yield Static(title, id="edit-title")
        with VerticalScroll(id="edit-form"):
            for key in (*diff.form_fields(definition), diff.CHANGE_REASON):
                with Vertical(classes="edit-field"):
                    yield Label(diff.LABELS.get(key, key), classes="edit-label")
                    if key in LONG_FIELDS:
                        yield TextArea(
                            self.values[key], id=f"edit-{key}", soft_wrap=True, classes="focus-mark"
                        )
                    else:
                        yield Input(
                            self.values[key], id=f"edit-{key}", compact=True, classes="focus-mark"
                        )
                    yield Static(id=f"edit-error-{key}", classes="error")
            yield Static(self._locked_text(), id="edit-locked")
        yield Static(id="edit-status")
        yield KeysFooter()

    def _locked_text(self) -> Text:
        text = Text("Locked: fixed at creation\n", style="bold")
        for key, value, why in diff.locked(self.definition):
            text.append(f"  {key} {one_line(value, 40)}", style="bold")
            text.append(f" — {why}\n")
            if key in self.server_errors:
                text.append(f"     Roark refused it: {self.server_errors[key]}\n", style="red")
        others = set(diff.editable_fields(self.definition)) - set(diff.form_fields(self.definition))
        if others:
            kept = ", ".join(sorted(others))
            text.append(f"  Also editable through the API, kept as they are here: {kept}")
        return text

    def on_mount(self) -> None:
        follow_focus(self)
        self.title = f"Edit {one_line(self.definition.name, 40)}"
        saved = self._store.load() or {}
        if self._store.problem:
            self.notify(self._store.problem, severity="warning", timeout=10, markup=False)
        draft = saved.get("values")
        if (
            isinstance(draft, dict)
            and saved.get("versionId") == self.definition.version_id
            and {k: draft.get(k) for k in self.values} != self.values
        ):
            self.app.push_screen(
                ConfirmScreen("Resume your unsaved edit of this definition?"),
                lambda yes: self._resume(draft) if yes else self._store.clear(),
            )
        self._refresh()
        first = diff.form_fields(self.definition)[0] if diff.form_fields(self.definition) else None
        if first:
            self.query_one(f"#edit-{first}").focus()

    def _resume(self, draft: dict[str, Any]) -> None:
        for key in self.values:
            value = draft.get(key)
            if isinstance(value, str):
                self.values[key] = value
                widget = self.query_one(f"#edit-{key}")
                if isinstance(widget, TextArea):
                    widget.load_text(value)
                elif isinstance(widget, Input):
                    widget.value = value
        self._refresh()

    # --- editing -----------------------------------------------------------------------------

    def _edited(self, key: str, value: str) -> None:
        if self.values.get(key) == value:
            return
        self.values[key] = value
        self.server_errors.pop(key, None)
        self._refresh()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_draft)

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        self._edited((event.input.id or "").removeprefix("edit-"), event.value)

    @on(TextArea.Changed)
    def _area_changed(self, event: TextArea.Changed) -> None:
        self._edited((event.text_area.id or "").removeprefix("edit-"), event.text_area.text)

    def _save_draft(self) -> None:
        self._store.save({"versionId": self.definition.version_id, "values": dict(self.values)})

    def save_draft_now(self) -> None:
        """Write a pending draft at once (the app is ending: tui/hard_exit.py)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_draft()

    def problems(self) -> dict[str, str]:
        """The form's problems (a refusal of a locked field is shown there, not here)."""
        mine = {k: v for k, v in self.server_errors.items() if k in self.values}
        return {**diff.edit_errors(self.definition, self.values), **mine}

    def body(self) -> dict[str, Any]:
        wanted = diff.wanted(self.definition, self.values)
        return diff.update_body(self.definition, wanted, self.values[diff.CHANGE_REASON])

    def _refresh(self) -> None:
        problems = self.problems()
        for key in (*diff.form_fields(self.definition), diff.CHANGE_REASON):
            error = self.query_one(f"#edit-error-{key}", Static)
            error.update(Text(problems.get(key, "")))
            error.display = key in problems
        changed = [k for k in self.body() if k != diff.CHANGE_REASON]
        if problems:
            self._status(f"Fix {len(problems)} field{'s' if len(problems) > 1 else ''} first.")
        elif changed:
            names = ", ".join(diff.LABELS.get(k, k) for k in changed if k != "sources")
            self._status(f"Changed: {names}. ctrl+s reviews them; enter on the review saves.")
        else:
            self._status("Nothing changed yet.")

    def _status(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#edit-status", Static)
        status.update(Text(message))
        status.set_class(error, "-error")

    # --- saving ------------------------------------------------------------------------------

    def action_review(self) -> None:
        if self.saving:
            return
        problems = self.problems()
        if problems:
            key = next(iter(problems))
            self._status(f"{diff.LABELS.get(key, key)}: {problems[key]}", error=True)
            self.query_one(f"#edit-{key}").focus()
            return
        body = self.body()
        if not body:
            self._status("Nothing changed: there is nothing to save.")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.save(body)

        self.app.push_screen(EditReviewScreen(self.definition, body), answer)

    @work(group="save", exclusive=True, exit_on_error=False)
    async def save(self, body: dict[str, Any]) -> None:
        """PUT once; read back after an unclear answer."""
        self.saving = True
        self._status("Saving…")
        try:
            written = await write_once.update_definition(
                self.app.service, self.definition, body, diff.applied
            )
        except errors.ApiError as exc:
            self._rejected(exc)
            return
        finally:
            self.saving = False
        self._store.clear()
        updated = written.value
        note = f" ({written.note})" if written.note else ""
        self.app.notify(
            f"Saved {one_line(updated.name, 60)}: version {one_line(updated.version_id or '?', 12)}"
            f"{note}. Re-score a conversation (R) to see its new values.",
            markup=False,
            timeout=8,
        )
        self.dismiss(updated)

    def _rejected(self, exc: errors.ApiError) -> None:
        """A 400 naming one of the form's fields goes under it; the rest to the status line.
        Nothing typed is touched."""
        key = exc.field or ""
        said = one_line(exc.message or str(exc), 200)
        if isinstance(exc, errors.RequestRejected) and key in self.values:
            self.server_errors[key] = said
            self._refresh()
            self._status(f"Roark refused {diff.LABELS.get(key, key)}: {said}", error=True)
            self.query_one(f"#edit-{key}").focus()
            return
        if isinstance(exc, errors.RequestRejected) and key:
            if key in {k for k, _, _ in diff.locked(self.definition)}:
                self.server_errors[key] = said
                self.query_one("#edit-locked", Static).update(self._locked_text())
                self.query_one("#edit-locked", Static).scroll_visible()
            self._status(f"Roark refused {key}: {said}. Everything you typed is kept.", error=True)
            return
        self._status(
            f"Not saved: {one_line(str(exc), 200)}. Everything you typed is kept.", error=True
        )

    def action_back(self) -> None:
        self._save_draft() if self.body() else self._store.clear()
        self.dismiss(None)
