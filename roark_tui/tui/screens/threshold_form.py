"""The threshold wizard's form: the source looked up and picked, each field's edit folded into
the draft, and after every change the draft re-validated (core.threshold_rules), re-worded
(core.describe) and shown, errors next to their fields.

`ThresholdForm` is a base of ThresholdWizardScreen, above ThresholdTryOn (the what-if it
refreshes) and below ThresholdDrafts (which saves what it shows).
"""

from __future__ import annotations

import asyncio
import contextlib

from rich.text import Text
from textual import events, on, work
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Input, OptionList, Select
from textual.widgets.option_list import Option

from roark_tui.api import errors
from roark_tui.api.models import AGGREGATION_MODES, MetricDefinition, ThresholdSpec
from roark_tui.core import threshold_rules as rules
from roark_tui.core.describe import threshold_sentence
from roark_tui.core.safe_text import one_line
from roark_tui.core.seen_values import value_help
from roark_tui.tui.screens.threshold_tryon import ThresholdTryOn
from roark_tui.tui.widgets.definition_form import offer, operator_options
from roark_tui.tui.widgets.threshold_fields import (
    NAME_SHOWN,
    mode_options,
    name_of,
    ranked_matches,
    value_hint,
    value_options,
)

MAX_MATCHES = 30


class ThresholdForm(ThresholdTryOn):
    """The form's fields, kept in step with the draft."""

    definitions: list[MetricDefinition]
    definitions_loaded: bool
    server_errors: dict[str, str]
    touched: set[str]
    errors: dict[str, str]
    _value_kind: str
    _value_lock: asyncio.Lock

    # --- workers -----------------------------------------------------------------------------

    @work(group="definitions", exclusive=True, exit_on_error=False)
    async def load_definitions(self) -> None:
        self._status("Loading metric definitions…")
        try:
            self.definitions = await self.app.service.all_definitions()
        except errors.ApiError as exc:
            self._status(f"Could not load the definitions list: {exc}", error=True)
            return
        self.definitions_loaded = True
        self._status("")
        if self.source_def is None and self.draft.source:
            self._set_source(self._resolve(self.draft.source))
        self._show_matches()
        self._refresh()

    @work(group="source", exclusive=True, exit_on_error=False)
    async def load_source(self, id_or_slug: str) -> None:
        try:
            definition = await self.app.service.get_definition(id_or_slug)
        except errors.NotFound:
            return
        except errors.ApiError as exc:
            self._status(f"Could not load {one_line(id_or_slug)}: {exc}", error=True)
            return
        if self.source_def is None and self.draft.source.strip() == id_or_slug.strip():
            self._set_source(definition)
            self._refresh()

    # --- events ------------------------------------------------------------------------------

    def _edited(self, field: str, value: str) -> None:
        """One field of the draft changed (by typing or picking)."""
        attr = rules.ATTRS.get(field)
        if attr is None:
            return
        if field == "name":
            if value == self._name_shown():
                return
            self.draft.name_auto = False  # typed: kept as typed from now on
        elif getattr(self.draft, attr) == value:
            return
        setattr(self.draft, attr, value)
        self.touched.add(field)
        self.server_errors.pop(field, None)
        if field == "source":
            self._set_source(self._resolve(value))
            self._show_matches()
        self._refresh()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "conversation":
            # The field's value now, not the event's: keys typed in one burst change it again
            # before this event is handled, and the name field is rewritten from the draft.
            self._edited(event.input.id or "", event.input.value)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        # The select's value now, not the event's: when options are swapped (and the value
        # restored) the events in between are stale.
        current = event.select.value
        value = "" if current is Select.NULL else str(current)
        self._edited(event.select.id or "", value)

    @on(Input.Submitted, "#source")
    def _source_submitted(self) -> None:
        """Enter in the search box takes the first match."""
        if self.source_def is None:
            found = ranked_matches(self.definitions, self.draft.source)
            if found:
                self._choose_source(found[0])
                return
        self.query_one("#operator").focus()

    @on(OptionList.OptionSelected, "#source-matches")
    def _match_chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = next((d for d in self.definitions if d.id == event.option.id), None)
        if chosen is not None:
            self._choose_source(chosen)

    @on(Input.Submitted, "#name")
    def _name_submitted(self) -> None:
        """Enter in an emptied name takes the suggestion back (it follows the draft again)."""
        if not self.draft.name.strip() and not self.draft.name_auto:
            self.draft.name, self.draft.name_auto = "", True
            self._refresh()

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        self._show_matches()

    # --- state -------------------------------------------------------------------------------

    def _resolve(self, text: str) -> MetricDefinition | None:
        """The definition `text` names exactly: id, slug, or (case-insensitively) name."""
        text = text.strip()
        if not text:
            return None
        pool = list(self.definitions)
        if self.source_def is not None:
            pool.append(self.source_def)
        for definition in pool:
            if text in (definition.id, definition.slug, definition.metric_id):
                return definition
        lowered = text.lower()
        return next((d for d in pool if d.name.lower() == lowered), None)

    def _choose_source(self, definition: MetricDefinition) -> None:
        self._set_source(definition)
        source_input = self.query_one("#source", Input)
        source_input.value = definition.key
        self.draft.source = definition.key
        self._show_matches()
        self._refresh()
        self.query_one("#operator").focus()

    def _set_source(self, definition: MetricDefinition | None) -> None:
        self.source_def = definition
        self._sync_choices()
        self._sync_value_widget()

    def _sync_choices(self) -> None:
        """Offer only the operators and aggregation modes the source's values can take: = and
        ≠, EACH and COUNT for true/false, classes and text."""
        source = self.source_def
        modes = AGGREGATION_MODES if rules.is_numeric(source) else rules.COUNTING_MODES
        operators = operator_options(rules.operators_for(source))
        offer(self.query_one("#operator", Select), operators, self.draft.operator)
        mode = self.draft.aggregation_mode
        offer(self.query_one("#aggregationMode", Select), mode_options(modes), mode)

    def _sync_widgets(self) -> None:
        """Put the draft into the widgets (on mount, resume, reset)."""
        for field, attr in rules.ATTRS.items():
            widget = self.query_one(f"#{field}", Widget)
            value = getattr(self.draft, attr)
            if isinstance(widget, Input) and field not in ("value", "name"):
                widget.value = value
        self._show_name()
        for field in ("operator", "aggregationMode", "sourceParticipantRole"):
            self._set_select(field)
        self._sync_value_widget(force=True)

    def _set_select(self, field: str) -> None:
        """Show the draft's value in the Select #field; a value it does not offer (a resumed
        draft on a source that cannot take it) gives way to the blank, or first, choice."""
        select = self.query_one(f"#{field}", Select)
        value = getattr(self.draft, rules.ATTRS[field])
        offered = [v for _, v in select._options if v is not Select.NULL]
        if value not in offered:
            value = "" if select._allow_blank else offered[0]
            setattr(self.draft, rules.ATTRS[field], value)
        if value:
            select.value = value
        else:
            select.clear()

    def _sync_value_widget(self, force: bool = False) -> None:
        """#value is a Select for true/false, else an Input."""
        unit = rules.value_unit(self.source_def)
        self._put("#value-unit", Text(unit or ""), bool(unit))
        options = value_options(self.source_def)
        kind = "select:" + "|".join(v for _, v in options) if options else "input"
        if kind != self._value_kind or force:
            self._value_kind = kind
            self.call_next(self._swap_value_widget)
        elif kind == "input":
            for widget in self.query("#value").results(Input):
                widget.placeholder = value_hint(self.source_def)

    async def _swap_value_widget(self) -> None:
        async with self._value_lock:
            options = value_options(self.source_def)
            old = self.query_one("#value", Widget)
            had_focus = old.has_focus
            await old.remove()
            widget: Widget
            if options:
                values = {v for _, v in options}
                current = rules.normalized_value(self.draft, self.source_def)
                widget = Select(
                    options,
                    prompt="pick a value",
                    id="value",
                    compact=True,
                    value=current if current in values else Select.NULL,
                )
            else:
                hint = value_hint(self.source_def)
                widget = Input(self.draft.value, placeholder=hint, id="value", compact=True)
            await self.query_one("#value-row").mount(widget, before=self.query_one("#value-unit"))
            if had_focus:
                widget.focus()

    def _value_help(self) -> str:
        """Under the value, for a SCALE or CLASSIFICATION source: that the API gives no range or
        classes, and the values seen on the loaded conversation."""
        source = self.source_def
        if source is None:
            return ""
        group = rules.source_group(self.groups or [], source)
        return value_help(source.type, group)

    def _refresh(self) -> None:
        """Re-validate, re-word and re-evaluate after any change (ThresholdDrafts then saves)."""
        draft, source = self.draft, self.source_def
        self.errors = rules.validate(draft, source)
        if source is None and draft.source.strip():
            found = ranked_matches(self.definitions, draft.source)
            if not self.definitions_loaded:
                self.errors["source"] = "Looking it up…"
            elif found:
                first = name_of(found[0])
                self.errors["source"] = (
                    f"Not picked yet: Enter takes “{first}”, ↓ lists {len(found)}."
                )
        shown = {f: e for f, e in self.errors.items() if f in self.touched}
        shown.update(self.server_errors)
        counting = draft.aggregation_mode == "COUNT"
        # The role row shows for TURN/SEGMENT sources, and whenever a role is set, so a role the
        # source cannot take stays visible (with its error) until it is cleared.
        role_row = rules.supports_role(source) or bool(draft.source_participant_role)
        hidden = {"countThreshold": not counting, "sourceParticipantRole": not role_row}
        for field in rules.FIELDS:
            message = Text(one_line(shown.get(field, "")))
            self._put(f"#error-{field}", message, field in shown and not hidden.get(field))
        self.query_one("#count-row").display = counting
        self.query_one("#role-row").display = role_row
        info = self._source_info()
        self._put("#source-info", info, bool(info))
        variant = rules.default_variant(source)
        self.query_one("#sourceVariantId", Input).placeholder = (
            f"default {one_line(variant)}" if variant else "none (optional UUID)"
        )
        suggested = rules.suggested_slug(draft, source)
        self.query_one("#slug", Input).placeholder = (
            f"derived: {suggested}" if suggested else "derived"
        )
        self._show_name()
        self._put("#sentence", Text(self._sentence()))
        help_text = self._value_help()
        self._put("#value-help", Text(help_text), bool(help_text))
        self._show_whatif()
        if self.recent:
            self._show_recent()

    def _name_shown(self) -> str:
        """What the name field holds: the default while it follows the draft, else the user's."""
        if self.draft.name_auto:
            return rules.default_name(self.draft, self.source_def)
        return self.draft.name

    def _show_name(self) -> None:
        """Put the following default into the name field (without it reading as typing); an
        emptied name offers the suggestion as its placeholder."""
        name = self.query_one("#name", Input)
        shown = self._name_shown()
        if name.value != shown:
            with self.prevent(Input.Changed):
                name.value = shown
            name.cursor_position = len(shown)  # typing after Enter took it goes at the end
        suggestion = rules.default_name(self.draft, self.source_def)
        name.placeholder = f"Enter: {suggestion}" if suggestion else "what people will see"

    def _source_info(self) -> Text:
        source = self.source_def
        if source is None:
            return Text("")
        unit = rules.value_unit(source)
        parts = [] if self.draft.source.strip() == source.key else [source.key]
        parts.append(f"{source.type or '?'} ({unit})" if unit else source.type or "?")
        if (source.scope or "").upper() == "PER_PARTICIPANT":
            parts.append("per participant")
        parts.append("/".join(source.supported_contexts) or "CALL")
        text = Text(name_of(source), style="bold")
        text.append("  " + one_line(" · ".join(parts)))
        return text

    def _sentence(self) -> str:
        source = self.source_def
        name = name_of(source) if source else one_line(self.draft.source or "…", NAME_SHOWN)
        spec = ThresholdSpec(
            operator=self.draft.operator or None,
            threshold_value=one_line(rules.normalized_value(self.draft, source)) or None,
            aggregation_mode=self.draft.aggregation_mode or "EACH",
            count_threshold=rules.parse_count_threshold(self.draft.count_threshold),
            source_participant_role=self.draft.source_participant_role or None,
        )
        return threshold_sentence(spec, name, rules.value_unit(source))

    def _show_matches(self) -> None:
        """The search results under #source, while it has focus and names nothing exactly."""
        box = self.query_one("#source-matches", OptionList)
        focused = self.app.focused.id if self.app.focused else None
        if focused == "source-matches":
            return
        if focused != "source" or self.source_def is not None:
            box.display = False
            return
        found = ranked_matches(self.definitions, self.draft.source)[:MAX_MATCHES]
        box.set_options(
            Option(
                Text.assemble(
                    (name_of(d), "bold"), f"  {one_line(d.key)} · {one_line(d.type or '?')}"
                ),
                id=d.id,
            )
            for d in found
        )
        box.display = bool(found)

    def _focus_field(self, field: str) -> None:
        with contextlib.suppress(NoMatches):
            self.query_one(f"#{field}").focus()

    def _status(self, message: str, error: bool = False) -> None:
        self._put("#status", Text(message, style="bold red" if error else ""))
