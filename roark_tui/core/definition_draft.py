"""The definition wizard's draft: what the user typed, as text, so it can be saved and resumed
as-is, with the fields of every kind kept (switching kind loses nothing). Fields are addressed by
their API key, dotted inside rows (`scaleLabels.0.label`)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from roark_tui.core.slugs import slug_from

KINDS = ("LLM_JUDGE", "FORMULA", "PATTERN")
UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_INTEGER = re.compile(r"^[+-]?\d+$")


@dataclass
class ScaleLabelRow:
    range_min: str = ""
    range_max: str = ""
    label: str = ""
    display_order: str = ""
    description: str = ""
    color_hex: str = ""


@dataclass
class ClassificationRow:
    label: str = ""
    description: str = ""
    display_order: str = ""


@dataclass
class SourceRow:
    """A formula source: a metric the expression references, optionally pinned to a variant."""

    source_metric_definition_id: str = ""
    source_variant_id: str = ""


@dataclass
class TriggerRow:
    """A pattern trigger: `source <operator> thresholdValue`, optionally for one role."""

    source_metric_definition_id: str = ""
    operator: str = ""
    threshold_value: str = ""
    source_participant_role: str = ""
    source_variant_id: str = ""


@dataclass
class OutcomeRow(TriggerRow):
    """The pattern's outcome: a trigger-like comparison looked for within a window."""

    window_before: str = "0"
    window_after: str = ""


Row = ScaleLabelRow | ClassificationRow | SourceRow | TriggerRow
ROW_LISTS: dict[str, type[Any]] = {
    "scale_labels": ScaleLabelRow,
    "classification_options": ClassificationRow,
    "sources": SourceRow,
    "triggers": TriggerRow,
}


@dataclass
class DefinitionDraft:
    """Everything the wizard's steps edit. Fields of the other kinds are kept (not sent), so
    switching kind or output type back and forth loses nothing."""

    calculation_type: str = ""
    name: str = ""
    slug: str = ""
    slug_auto: bool = True  # the slug follows the name until the user edits it
    analysis_package_id: str = ""
    # LLM judge
    output_type: str = ""
    llm_prompt: str = ""
    scope: str = "GLOBAL"
    participant_role: str = ""
    supported_contexts: list[str] = field(default_factory=lambda: ["CALL"])
    boolean_true_label: str = ""
    boolean_false_label: str = ""
    scale_min: str = ""
    scale_max: str = ""
    scale_labels: list[ScaleLabelRow] = field(default_factory=list)
    classification_options: list[ClassificationRow] = field(default_factory=list)
    max_classifications: str = ""
    # formula (outputType is shared with the LLM judge)
    formula: str = ""
    sources: list[SourceRow] = field(default_factory=list)
    # pattern
    operation: str = ""
    window_mode: str = "seconds"
    trigger_combinator: str = ""
    triggers: list[TriggerRow] = field(default_factory=lambda: [TriggerRow()])
    outcome: OutcomeRow = field(default_factory=OutcomeRow)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Any) -> DefinitionDraft:
        """A draft from saved JSON; unknown keys and values of the wrong type are ignored."""
        draft = cls()
        if not isinstance(raw, dict):
            return draft
        for f in fields(cls):
            if f.name not in raw:
                continue
            value, current = raw[f.name], getattr(draft, f.name)
            if f.name in ROW_LISTS:
                if isinstance(value, list):
                    setattr(draft, f.name, [_row(ROW_LISTS[f.name], v) for v in value])
            elif f.name == "outcome":
                draft.outcome = _row(OutcomeRow, value)
            elif f.name == "supported_contexts":
                if isinstance(value, list):
                    draft.supported_contexts = [v for v in value if isinstance(v, str)]
            elif isinstance(value, type(current)):
                setattr(draft, f.name, value)
        return draft


def _row(cls: type[Any], raw: Any) -> Any:
    row = cls()
    if isinstance(raw, dict):
        for f in fields(cls):
            if isinstance(raw.get(f.name), str):
                setattr(row, f.name, raw[f.name])
    return row


def camel(name: str) -> str:
    """`range_min` -> `rangeMin`: the API's spelling of a draft attribute."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def snake(name: str) -> str:
    """`rangeMin` -> `range_min`: the draft attribute of an API field name."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _target(draft: DefinitionDraft, key: str) -> tuple[Any, str] | None:
    """The object holding field `key` and the attribute name there, or None."""
    parts = key.split(".")
    obj: Any = draft
    for part in parts[:-1]:
        if isinstance(obj, list):
            if not part.isdigit() or int(part) >= len(obj):
                return None
            obj = obj[int(part)]
        elif hasattr(obj, snake(part)):
            obj = getattr(obj, snake(part))
        else:
            return None
    if isinstance(obj, list):
        return None
    attr = snake(parts[-1])
    return (obj, attr) if hasattr(obj, attr) else None


def get_field(draft: DefinitionDraft, key: str) -> Any:
    """The draft's value of the field `key` (`name`, `scaleLabels.0.label`), else None."""
    found = _target(draft, key)
    return None if found is None else getattr(found[0], found[1])


def set_field(draft: DefinitionDraft, key: str, value: Any) -> bool:
    """Set field `key` of the draft; True when that changed anything."""
    found = _target(draft, key)
    if found is None or getattr(found[0], found[1]) == value:
        return False
    setattr(found[0], found[1], value)
    return True


def effective_slug(draft: DefinitionDraft) -> str:
    """The slug that will be sent: the typed one, else the one derived from the name."""
    return draft.slug.strip() or slug_from(draft.name)


def parse_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if _INTEGER.match(text) else None


def blank(row: Row) -> bool:
    return not any(str(v).strip() for v in asdict(row).values())
