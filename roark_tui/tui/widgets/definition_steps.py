"""The definition wizard's step forms: basics, and the fields of an LLM judge and of a formula
(a pattern's are in pattern_form.py).

Each form is built from the draft it is given (so a resumed draft simply rebuilds the forms) and
lays its fields out with the ids of definition_form. `sync` shows the parts that apply to the
draft as it is now (fields of the chosen output type, the role for per-participant judges, the
combinator for several triggers) and refreshes the hints that depend on it; row lists are
rebuilt by `rebuild` after a row is added or removed. Edits themselves are read by the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from roark_tui.api.models import DEFINITION_CONTEXTS, OUTPUT_TYPES, MetricDefinition
from roark_tui.core import definition_rules as rules
from roark_tui.core.describe import formula_in_words, name_of
from roark_tui.core.safe_text import clean, one_line
from roark_tui.tui.widgets.definition_form import (
    ToggleList,
    add_button,
    error_line,
    help_line,
    remove_button,
    role_options,
    row,
    section,
    select,
    show_text,
    text_input,
)
from roark_tui.tui.widgets.definition_picker import MetricPicker

OUTPUT_HELP = {
    "COUNT": "how many times something happens",
    "NUMERIC": "a number",
    "BOOLEAN": "true or false (a check: true passes, false fails)",
    "SCALE": "a whole number on a scale you set",
    "TEXT": "free text",
    "CLASSIFICATION": "one or more classes from your list",
    "OFFSET": "a moment in the conversation",
}
CONTEXT_HELP = {
    "CALL": "CALL: the whole conversation",
    "SEGMENT": "SEGMENT: also each utterance of the role",
    "TURN": "TURN: also each agent reply to the caller",
}


def definition_by_id(
    definitions: Sequence[MetricDefinition], definition_id: str
) -> MetricDefinition | None:
    return next((d for d in definitions if d.id == definition_id), None)


def value_hint(source: MetricDefinition | None) -> str:
    """What a comparison value on `source` looks like."""
    if source is None:
        return "value"
    output = (source.type or "").upper()
    if output == "BOOLEAN":
        return "true or false"
    if output == "CLASSIFICATION":
        return "a class label"
    if output in ("COUNT", "NUMERIC", "OFFSET", "SCALE"):
        return "a number"
    return "text"


class StepForm(Vertical):
    """A step's form over a shared draft."""

    LISTS: ClassVar[tuple[str, ...]] = ()
    DEFAULT_CSS = """
    StepForm { height: auto; }
    StepForm .rows { height: auto; }
    """

    def __init__(
        self, draft: rules.DefinitionDraft, definitions: Sequence[MetricDefinition] = ()
    ) -> None:
        super().__init__()
        self.draft = draft
        self.definitions = definitions

    def row_widgets(self, list_key: str) -> list[Widget]:
        return []

    def rows(self, list_key: str) -> Vertical:
        return Vertical(*self.row_widgets(list_key), id=f"rows-{list_key}", classes="rows")

    async def rebuild(self, list_key: str) -> None:
        container = self.query_one(f"#rows-{list_key}", Vertical)
        await container.remove_children()
        await container.mount_all(self.row_widgets(list_key))

    def sync(self) -> None:
        """Show what applies to the draft now; refresh hints that depend on it."""


class BasicsForm(StepForm):
    """Name, slug (follows the name until edited), analysis package."""

    def __init__(self, draft: rules.DefinitionDraft, recent_packages: Sequence[str]) -> None:
        super().__init__(draft)
        self.recent_packages = list(recent_packages)

    def compose(self) -> ComposeResult:
        draft = self.draft
        yield row(
            "Name", text_input("name", draft.name, "what people will see, e.g. Caller verified")
        )
        yield error_line("name")
        yield row("Slug", text_input("slug", draft.slug, "derived from the name"))
        yield help_line(
            "The stable handle (lower snake case, at most 50); follows the name until you edit "
            "it; cannot be changed later."
        )
        yield error_line("slug")
        yield row(
            "Package id",
            text_input(
                "analysisPackageId", draft.analysis_package_id, "optional analysis package UUID"
            ),
        )
        yield help_line("Leave empty to put the metric in the project's Custom Metrics package.")
        yield error_line("analysisPackageId")
        if self.recent_packages:
            yield help_line("Recently used (enter picks):")
            yield OptionList(
                *(Option(Text(package), id=package) for package in self.recent_packages),
                id="recent-packages",
                compact=True,
            )


class JudgeForm(StepForm):
    """An LLM judge: output type, prompt, scope and contexts, then the type's own fields."""

    LISTS = ("scaleLabels", "classificationOptions")

    def compose(self) -> ComposeResult:
        draft = self.draft
        yield row(
            "Output type",
            select(
                "outputType",
                [(f"{t:<15} {OUTPUT_HELP[t]}", t) for t in OUTPUT_TYPES],
                draft.output_type,
                prompt="what the judge answers with",
            ),
        )
        yield error_line("outputType")
        prompt = TextArea(
            draft.llm_prompt,
            id="llmPrompt",
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            placeholder="What should the judge decide? e.g. Did the agent verify the caller's "
            "identity before discussing the account?",
        )
        yield row("Prompt", prompt)
        yield help_line("", "llmPrompt-count")
        yield error_line("llmPrompt")
        yield row(
            "Scope",
            select(
                "scope",
                [
                    ("GLOBAL           one value per conversation", "GLOBAL"),
                    ("PER_PARTICIPANT  one value per participant", "PER_PARTICIPANT"),
                ],
                draft.scope,
                allow_blank=False,
            ),
        )
        yield error_line("scope")
        yield row(
            "Role",
            select("participantRole", role_options(), draft.participant_role, prompt="whose turns"),
            row_id="participantRole-row",
        )
        yield error_line("participantRole")
        contexts = ToggleList(
            [(CONTEXT_HELP[c], c) for c in DEFINITION_CONTEXTS],
            draft.supported_contexts,
            id="supportedContexts",
        )
        yield row("Graded on", contexts)
        yield help_line("space toggles; SEGMENT and TURN need PER_PARTICIPANT (TURN: role AGENT)")
        yield error_line("supportedContexts")
        with Vertical(id="section-boolean", classes="rows"):
            yield row(
                "True label",
                text_input("booleanTrueLabel", draft.boolean_true_label, "e.g. Verified"),
            )
            yield error_line("booleanTrueLabel")
            yield row(
                "False label",
                text_input("booleanFalseLabel", draft.boolean_false_label, "e.g. Not verified"),
            )
            yield error_line("booleanFalseLabel")
        with Vertical(id="section-scale", classes="rows"):
            yield row(
                "Scale",
                Label("min", classes="inline"),
                text_input("scaleMin", draft.scale_min, "0-100", classes="narrow"),
                Label("max", classes="inline"),
                text_input("scaleMax", draft.scale_max, "0-100", classes="narrow"),
            )
            yield error_line("scaleMin")
            yield error_line("scaleMax")
            yield section("Scale labels (optional)")
            yield self.rows("scaleLabels")
            yield add_button("scaleLabels", "+ Add a scale label")
            yield error_line("scaleLabels")
        with Vertical(id="section-classification", classes="rows"):
            yield section("Classes (at least one)")
            yield self.rows("classificationOptions")
            yield add_button("classificationOptions", "+ Add a class")
            yield error_line("classificationOptions")
            yield row(
                "At most",
                text_input(
                    "maxClassifications",
                    draft.max_classifications,
                    "classes per conversation (empty: no limit)",
                ),
            )
            yield error_line("maxClassifications")

    def row_widgets(self, list_key: str) -> list[Widget]:
        out: list[Widget] = []
        if list_key == "scaleLabels":
            for i, label in enumerate(self.draft.scale_labels):
                key = f"scaleLabels.{i}"
                out.append(
                    row(
                        f"{i + 1}.",
                        Label("from", classes="inline"),
                        text_input(f"{key}.rangeMin", label.range_min, "min", classes="narrow"),
                        Label("to", classes="inline"),
                        text_input(f"{key}.rangeMax", label.range_max, "max", classes="narrow"),
                        text_input(f"{key}.label", label.label, "label"),
                        text_input(f"{key}.displayOrder", label.display_order, "order", "narrow"),
                        remove_button("scaleLabels", i),
                    )
                )
                out.append(
                    row(
                        "",
                        text_input(f"{key}.description", label.description, "description"),
                        text_input(f"{key}.colorHex", label.color_hex, "#RRGGBB", "medium"),
                    )
                )
                out.append(error_line(key))
        elif list_key == "classificationOptions":
            for i, option in enumerate(self.draft.classification_options):
                key = f"classificationOptions.{i}"
                out.append(
                    row(
                        f"{i + 1}.",
                        text_input(f"{key}.label", option.label, "label", classes="medium"),
                        text_input(f"{key}.description", option.description, "when it applies"),
                        text_input(f"{key}.displayOrder", option.display_order, "order", "narrow"),
                        remove_button("classificationOptions", i),
                    )
                )
                out.append(error_line(key))
        return out

    def sync(self) -> None:
        draft = self.draft
        output = draft.output_type
        self.query_one("#participantRole-row").display = draft.scope == "PER_PARTICIPANT"
        self.query_one("#section-boolean").display = output == "BOOLEAN"
        self.query_one("#section-scale").display = output == "SCALE"
        self.query_one("#section-classification").display = output == "CLASSIFICATION"
        length = rules.prompt_length(draft)
        need = "required" if rules.prompt_required(output) else "optional"
        if not output:
            need = "required for BOOLEAN, NUMERIC, TEXT and SCALE"
        counter = Text(f"{length} / {rules.PROMPT_MAX} characters · {need}")
        if length > rules.PROMPT_MAX:
            counter.stylize("bold red")
        show_text(self.query_one("#llmPrompt-count", Static), counter, layout=False)


class FormulaForm(StepForm):
    """A formula: output type, sources picked from the list, the expression over them."""

    LISTS = ("sources",)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "pick_source", "Add source", id="definition_wizard.add_source")
    ]

    def compose(self) -> ComposeResult:
        draft = self.draft
        yield row(
            "Output type",
            select(
                "outputType",
                [
                    ("NUMERIC  a number (+ - * /)", "NUMERIC"),
                    ("BOOLEAN  a check (== != > < >= <=)", "BOOLEAN"),
                ],
                draft.output_type,
                prompt="NUMERIC or BOOLEAN",
            ),
        )
        yield error_line("outputType")
        yield row(
            "Add source",
            MetricPicker(
                self.definitions,
                placeholder="type a metric's name; enter inserts it",
                keep_text=False,
                id="pick-source",
            ),
        )
        yield help_line(
            "A picked metric becomes a source and goes into the formula at the cursor "
            "(ctrl+o comes back here)."
        )
        yield section("Sources (at least two, each used in the formula)")
        yield self.rows("sources")
        yield error_line("sources")
        yield row(
            "Formula", TextArea(draft.formula, id="formula", soft_wrap=True, tab_behavior="focus")
        )
        yield help_line("", "formula-words")
        yield error_line("formula")

    def row_widgets(self, list_key: str) -> list[Widget]:
        out: list[Widget] = []
        for i, source in enumerate(self.draft.sources):
            key = f"sources.{i}"
            definition = definition_by_id(self.definitions, source.source_metric_definition_id)
            what = Text(one_line(name_of(source.source_metric_definition_id, self._by_id()), 40))
            if definition is not None:
                what.append(f"  {one_line(definition.key, 30)} · {definition.type or '?'}", "dim")
            out.append(
                Horizontal(
                    Label(f"{i + 1}."),
                    Static(what, classes="source-name"),
                    text_input(
                        f"{key}.sourceVariantId", source.source_variant_id, "variant id", "medium"
                    ),
                    remove_button("sources", i),
                    classes="form-row",
                )
            )
            out.append(error_line(key))
        if not out:
            out.append(help_line("No sources yet: pick metrics above."))
        return out

    def action_pick_source(self) -> None:
        self.query_one("#pick-source", MetricPicker).focus()

    def _by_id(self) -> dict[str, MetricDefinition]:
        return {d.id: d for d in self.definitions}

    def sync(self) -> None:
        words = formula_in_words(self.draft.formula.strip(), self._by_id())
        text = Text("Reads: ", style="dim")
        text.append(clean(words) if words else "…")
        show_text(self.query_one("#formula-words", Static), text)
