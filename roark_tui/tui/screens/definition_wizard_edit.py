"""The definition wizard's edits: each widget's change into the draft (addressed by the
widget's id), the slug following the name, the kind chosen, rows added and removed, and a
formula source picked."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.widgets import Input, OptionList, Select, TextArea

from roark_tui.api.models import MetricDefinition
from roark_tui.core import definition_rules as rules
from roark_tui.core.slugs import slug_from
from roark_tui.tui.screens.definition_wizard_draft import DefinitionWizardDraft, prefixes
from roark_tui.tui.widgets.definition_form import ToggleList, field_id, key_of
from roark_tui.tui.widgets.definition_picker import MetricPicker

NEW_ROWS: dict[str, type[Any]] = {
    "scaleLabels": rules.ScaleLabelRow,
    "classificationOptions": rules.ClassificationRow,
    "triggers": rules.TriggerRow,
}


class DefinitionWizardEdit(DefinitionWizardDraft):
    """What a change in a field or a picker, or a row added or removed, does to the draft."""

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
