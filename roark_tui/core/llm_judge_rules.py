"""The LLM judge kind of the definition wizard: its rules (output type, prompt, scope, contexts,
scale and classes) and the fields of its create body."""

from __future__ import annotations

import re
from typing import Any

from roark_tui.api.models import DEFINITION_CONTEXTS, OUTPUT_TYPES, PARTICIPANT_ROLES, SCOPES
from roark_tui.core.definition_draft import DefinitionDraft, ScaleLabelRow, blank, parse_int
from roark_tui.core.whatif import parse_number

PROMPT_REQUIRED_TYPES = frozenset({"BOOLEAN", "NUMERIC", "TEXT", "SCALE"})
PER_UNIT_CONTEXTS = ("SEGMENT", "TURN")
PER_UNIT_OUTPUT_TYPES = ("BOOLEAN", "SCALE", "NUMERIC", "COUNT")
PROMPT_MAX = 2000
SCALE_LOW, SCALE_HIGH = 0, 100
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def prompt_length(draft: DefinitionDraft) -> int:
    """The prompt's length as sent (surrounding whitespace is trimmed)."""
    return len(draft.llm_prompt.strip())


def prompt_required(output_type: str) -> bool:
    return output_type in PROMPT_REQUIRED_TYPES


def validate_llm_judge(draft: DefinitionDraft, errors: dict[str, str]) -> None:
    output = draft.output_type
    if output not in OUTPUT_TYPES:
        errors["outputType"] = "Pick what the judge answers with (the output type)."
    length = prompt_length(draft)
    if length > PROMPT_MAX:
        errors["llmPrompt"] = f"At most {PROMPT_MAX} characters ({length} now)."
    elif length == 0 and prompt_required(output):
        errors["llmPrompt"] = f"{output} judges need a prompt: what should the judge decide?"
    if draft.scope not in SCOPES:
        errors["scope"] = "Pick GLOBAL or PER_PARTICIPANT."
    per_participant = draft.scope == "PER_PARTICIPANT"
    role = draft.participant_role
    if per_participant and role not in PARTICIPANT_ROLES:
        errors["participantRole"] = "PER_PARTICIPANT needs the participant role to grade."
    _contexts(draft, errors)
    if output == "BOOLEAN":
        true_label, false_label = (
            draft.boolean_true_label.strip(),
            draft.boolean_false_label.strip(),
        )
        if true_label and true_label == false_label:
            errors["booleanFalseLabel"] = "The true and false labels must differ."
    elif output == "SCALE":
        _scale(draft, errors)
    elif output == "CLASSIFICATION":
        _classification(draft, errors)


def _contexts(draft: DefinitionDraft, errors: dict[str, str]) -> None:
    contexts = draft.supported_contexts
    unknown = [c for c in contexts if c not in DEFINITION_CONTEXTS]
    per_unit = [c for c in PER_UNIT_CONTEXTS if c in contexts]
    if not contexts:
        errors["supportedContexts"] = "Pick at least one context (CALL grades the whole one)."
    elif unknown:
        errors["supportedContexts"] = f"Unknown context {unknown[0]!r}: CALL, SEGMENT or TURN."
    elif per_unit and draft.scope != "PER_PARTICIPANT":
        errors["supportedContexts"] = f"{' and '.join(per_unit)} grading needs PER_PARTICIPANT."
    elif per_unit and draft.output_type not in PER_UNIT_OUTPUT_TYPES:
        errors["supportedContexts"] = (
            f"{' and '.join(per_unit)} grading needs a BOOLEAN, SCALE, NUMERIC or COUNT output."
        )
    elif "TURN" in contexts and draft.participant_role != "AGENT":
        errors["supportedContexts"] = "TURN grades agent replies: the role must be AGENT."


def _scale(draft: DefinitionDraft, errors: dict[str, str]) -> None:
    bounds = f"a whole number {SCALE_LOW} to {SCALE_HIGH}"
    low, high = parse_int(draft.scale_min), parse_int(draft.scale_max)
    for key, text, value in (
        ("scaleMin", draft.scale_min, low),
        ("scaleMax", draft.scale_max, high),
    ):
        if not text.strip():
            errors[key] = f"SCALE needs {bounds}."
        elif value is None or not SCALE_LOW <= value <= SCALE_HIGH:
            errors[key] = f"Enter {bounds}."
    bounded = not {"scaleMin", "scaleMax"} & set(errors)  # both given, each on the scale
    if bounded and low is not None and high is not None and low >= high:
        errors["scaleMax"] = f"Must be more than the minimum ({low})."
    scale_ok = bounded and "scaleMax" not in errors
    for i, row in enumerate(draft.scale_labels):
        if blank(row):
            continue
        key = f"scaleLabels.{i}"
        row_low, row_high = parse_number(row.range_min), parse_number(row.range_max)
        for name, text, edge in (
            ("rangeMin", row.range_min, row_low),
            ("rangeMax", row.range_max, row_high),
        ):
            if edge is None:
                errors[f"{key}.{name}"] = "Enter a number." if text.strip() else "Required."
            elif scale_ok and low is not None and high is not None and not low <= edge <= high:
                errors[f"{key}.{name}"] = f"Outside the scale {low} to {high}."
        if row_low is not None and row_high is not None and row_low > row_high:
            errors.setdefault(f"{key}.rangeMax", "Must not be below the range's minimum.")
        if not row.label.strip():
            errors[f"{key}.label"] = "Enter the label."
        _order(row.display_order, f"{key}.displayOrder", errors)
        if row.color_hex.strip() and not _COLOR.match(row.color_hex.strip()):
            errors[f"{key}.colorHex"] = "A colour like #FF0000."


def _classification(draft: DefinitionDraft, errors: dict[str, str]) -> None:
    rows = [(i, row) for i, row in enumerate(draft.classification_options) if not blank(row)]
    if not rows:
        errors["classificationOptions"] = "CLASSIFICATION needs at least one class."
    seen: set[str] = set()
    for i, row in rows:
        key = f"classificationOptions.{i}"
        label = row.label.strip()
        if not label:
            errors[f"{key}.label"] = "Enter the class label."
        elif label.lower() in seen:
            errors[f"{key}.label"] = f"“{label}” is already a class."
        seen.add(label.lower())
        if not row.description.strip():
            errors[f"{key}.description"] = "Describe when the judge picks this class."
        _order(row.display_order, f"{key}.displayOrder", errors)
    text = draft.max_classifications.strip()
    if text:
        most = parse_int(text)
        if most is None or most < 1:
            errors["maxClassifications"] = "A whole number of at least 1."
        elif rows and most > len(rows):
            errors["maxClassifications"] = f"At most the number of classes ({len(rows)})."


def _order(text: str, key: str, errors: dict[str, str]) -> None:
    if text.strip() and parse_int(text) is None:
        errors[key] = "A whole number (empty: the row's position)."


def llm_judge_body(draft: DefinitionDraft) -> dict[str, Any]:
    output = draft.output_type
    body: dict[str, Any] = {"outputType": output}
    prompt = draft.llm_prompt.strip()
    if prompt:
        body["llmPrompt"] = prompt
    body["scope"] = draft.scope
    if draft.scope == "PER_PARTICIPANT":
        body["participantRole"] = draft.participant_role
    body["supportedContexts"] = [c for c in DEFINITION_CONTEXTS if c in draft.supported_contexts]
    if output == "BOOLEAN":
        for key, text in (
            ("booleanTrueLabel", draft.boolean_true_label),
            ("booleanFalseLabel", draft.boolean_false_label),
        ):
            if text.strip():
                body[key] = text.strip()
    elif output == "SCALE":
        body["scaleMin"] = parse_int(draft.scale_min)
        body["scaleMax"] = parse_int(draft.scale_max)
        labels = [_scale_label_body(r, i) for i, r in enumerate(draft.scale_labels) if not blank(r)]
        if labels:
            body["scaleLabels"] = labels
    elif output == "CLASSIFICATION":
        body["classificationOptions"] = [
            {
                "label": row.label.strip(),
                "description": row.description.strip(),
                "displayOrder": _order_value(row.display_order, i),
            }
            for i, row in enumerate(draft.classification_options)
            if not blank(row)
        ]
        most = parse_int(draft.max_classifications)
        if most is not None:
            body["maxClassifications"] = most
    return body


def _order_value(text: str, index: int) -> int:
    """The displayOrder typed, else the row's position (1-based)."""
    value = parse_int(text)
    return index + 1 if value is None else value


def _json_number(text: str) -> int | float | None:
    number = parse_number(text.strip())
    if number is None:
        return None
    return int(number) if number.is_integer() else number


def _scale_label_body(row: ScaleLabelRow, index: int) -> dict[str, Any]:
    body: dict[str, Any] = {
        "rangeMin": _json_number(row.range_min),
        "rangeMax": _json_number(row.range_max),
        "label": row.label.strip(),
        "displayOrder": _order_value(row.display_order, index),
    }
    if row.description.strip():
        body["description"] = row.description.strip()
    if row.color_hex.strip():
        body["colorHex"] = row.color_hex.strip().upper()
    return body
