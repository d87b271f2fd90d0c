"""The threshold wizard's form pieces: how its fields are named, the source search box and its
ranking, the aggregation modes in words, the value's choices and hint for a source, and short
forms of names and ids for one line."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Input, OptionList

from roark_tui.api.models import MetricDefinition
from roark_tui.core import threshold_rules as rules
from roark_tui.core.definition_search import matches
from roark_tui.core.safe_text import one_line
from roark_tui.core.whatif import AGGREGATION_EXPLANATIONS

NAME_SHOWN = 60  # characters of a metric name or conversation title on one line


def name_of(source: MetricDefinition) -> str:
    return rules.name_in_text(source, NAME_SHOWN)


# The form's fields as its labels name them (a status line names a field the way the form does).
FIELD_LABELS = {
    "source": "Source metric",
    "operator": "Operator",
    "value": "Value",
    "aggregationMode": "Aggregation",
    "countThreshold": "Count ≥",
    "sourceParticipantRole": "Role",
    "sourceVariantId": "Variant id",
    "slug": "Slug",
    "name": "Name",
}


def mode_options(modes: tuple[str, ...]) -> list[tuple[str, str]]:
    """`AVERAGE  the mean of the values matches`: each mode with when it passes."""
    return [(f"{m:<8} {AGGREGATION_EXPLANATIONS[m]}", m) for m in modes]


def ranked_matches(definitions: list[MetricDefinition], query: str) -> list[MetricDefinition]:
    """The definitions `query` finds (core.definition_search); those whose name or slug starts
    with it come first."""
    lowered = query.strip().lower()

    def starts(definition: MetricDefinition) -> bool:
        return definition.name.lower().startswith(lowered) or definition.key.startswith(lowered)

    return sorted(matches(definitions, query), key=lambda d: not starts(d))


def short_id(conv_id: str) -> str:
    return one_line(conv_id[:8] + "…" if len(conv_id) > 12 else conv_id)


class SourceInput(Input):
    """The source search box; ↓ moves into the list of matches."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "matches", "Matches", show=False, id="threshold.matches")
    ]

    def action_matches(self) -> None:
        self.screen.query_one("#source-matches", OptionList).focus()


def value_options(source: MetricDefinition | None) -> list[tuple[Text, str]] | None:
    """Choices for the value of a BOOLEAN source (with its labels); classes are typed, as
    the API does not list them."""
    if source is None or (source.type or "").upper() != "BOOLEAN":
        return None
    options = []
    for value, label in (
        ("true", source.boolean_true_label),
        ("false", source.boolean_false_label),
    ):
        shown = f"{value} — {one_line(label, NAME_SHOWN)}" if label else value
        options.append((Text(shown), value))
    return options


def value_hint(source: MetricDefinition | None) -> str:
    """The value field's placeholder: what a value of `source` looks like."""
    if source is None:
        return "value"
    output_type = (source.type or "").upper()
    if output_type == "SCALE":
        return "a number on the scale"
    if output_type == "CLASSIFICATION":
        return "a class label"
    if output_type == "OFFSET":
        return "a number of ms into the conversation"
    if output_type in ("COUNT", "NUMERIC"):
        return "a number"
    return "text to compare with"
