"""The definition wizard's pattern form: what the pattern measures, the window unit, the
triggers (AND/OR) and the outcome within a window, with the pattern read back in words."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from roark_tui.core import definition_rules as rules
from roark_tui.core.describe import pattern_in_words
from roark_tui.core.safe_text import clean
from roark_tui.core.threshold_rules import operators_for
from roark_tui.tui.widgets.definition_form import (
    add_button,
    error_line,
    field_id,
    help_line,
    offer,
    operator_options,
    remove_button,
    role_options,
    row,
    section,
    select,
    show_text,
    text_input,
)
from roark_tui.tui.widgets.definition_picker import MetricPicker
from roark_tui.tui.widgets.definition_steps import StepForm, definition_by_id, value_hint

OPERATION_HELP = {
    "PATTERN_EXISTS": "whether it happens (BOOLEAN, a check: found passes)",
    "PATTERN_COUNT": "how often it happens (NUMERIC)",
    "OUTCOME_AGGREGATE": "the outcome's values in the windows",
}


class PatternForm(StepForm):
    """A pattern: what it measures, the window unit, triggers (AND/OR) and the outcome."""

    LISTS = ("triggers",)

    def compose(self) -> ComposeResult:
        draft = self.draft
        yield row(
            "Measures",
            select(
                "operation",
                [(f"{o:<17} {OPERATION_HELP[o]}", o) for o in OPERATION_HELP],
                draft.operation,
                prompt="what the pattern measures",
            ),
        )
        yield error_line("operation")
        yield row(
            "Window unit",
            select(
                "windowMode",
                [("seconds", "seconds"), ("segments", "segments")],
                draft.window_mode,
                allow_blank=False,
            ),
        )
        yield error_line("windowMode")
        yield section("When: the trigger(s)")
        yield self.rows("triggers")
        yield add_button("triggers", "+ Add a trigger")
        yield error_line("triggers")
        yield row(
            "Combine",
            select(
                "triggerCombinator",
                [("AND  every trigger", "AND"), ("OR   any trigger", "OR")],
                draft.trigger_combinator,
                prompt="AND or OR",
            ),
            row_id="triggerCombinator-row",
        )
        yield error_line("triggerCombinator")
        yield section("Then: the outcome, within a window")
        yield from self._step_rows("outcome", draft.outcome)
        yield error_line("outcome")
        yield row(
            "Window",
            Label("before", classes="inline"),
            text_input("outcome.windowBefore", draft.outcome.window_before, "0", "narrow"),
            Label("after", classes="inline"),
            text_input("outcome.windowAfter", draft.outcome.window_after, "e.g. 10", "narrow"),
            Label(draft.window_mode, id="window-unit", classes="inline"),
        )
        yield error_line("outcome.windowBefore")
        yield error_line("outcome.windowAfter")
        yield help_line("", "pattern-words")

    def _step_rows(
        self, key: str, step: rules.TriggerRow, index: int | None = None
    ) -> list[Widget]:
        title = "Metric" if index is None else f"{index + 1}."
        first: list[Widget] = [
            MetricPicker(
                self.definitions,
                step.source_metric_definition_id,
                id=field_id(f"{key}.sourceMetricDefinitionId"),
            )
        ]
        if index is not None and len(self.draft.triggers) > 1:
            first.append(remove_button("triggers", index))
        return [
            row(title, *first),
            row(
                "",
                select(
                    f"{key}.operator",
                    operator_options(),
                    step.operator,
                    prompt="operator",
                    classes="medium",
                ),
                text_input(f"{key}.thresholdValue", step.threshold_value, "value"),
                select(
                    f"{key}.sourceParticipantRole",
                    role_options(),
                    step.source_participant_role,
                    prompt="any role",
                    classes="medium",
                ),
            ),
        ]

    def row_widgets(self, list_key: str) -> list[Widget]:
        out: list[Widget] = []
        for i, trigger in enumerate(self.draft.triggers):
            out += self._step_rows(f"triggers.{i}", trigger, i)
            out.append(error_line(f"triggers.{i}"))
        return out

    def sync(self) -> None:
        draft = self.draft
        self.query_one("#triggerCombinator-row").display = len(draft.triggers) > 1
        show_text(self.query_one("#window-unit", Label), draft.window_mode)
        steps = [(f"triggers.{i}", t) for i, t in enumerate(draft.triggers)]
        for key, step in [*steps, ("outcome", draft.outcome)]:
            source = definition_by_id(self.definitions, step.source_metric_definition_id)
            for value in self.query(f"#{field_id(key)}-thresholdValue").results(Input):
                value.placeholder = value_hint(source)
            operators = operator_options(operators_for(source))
            for choice in self.query(f"#{field_id(key)}-operator").results(Select):
                offer(choice, operators, step.operator)
        preview = rules.preview_definition(rules.to_body(draft))
        by_id = {d.id: d for d in self.definitions}
        words = pattern_in_words(preview.pattern, by_id) if preview.pattern else "…"
        text = Text("Reads: ", style="dim")
        text.append(clean(words))
        show_text(self.query_one("#pattern-words", Static), text)
