"""The definition wizard's rules: a draft, its field errors, and the request body it becomes.

`POST /v1/metric/definitions` (docs/contract.md) takes one of three bodies, chosen by
`calculationType`: an LLM judge, a formula over other metrics, or a pattern (trigger → outcome
within a window). A body holds only the fields Roark documents for its kind (the SDK's create
params), so there is no description to send and the wizard asks for none. The draft holds what
the user typed, as text, so it can be saved and resumed as-is; `validate` applies every
documented rule and `to_body` builds the exact JSON to send.

Errors are keyed by the API field they are about, dotted inside rows (`scaleLabels.0.label`,
`triggers.1.operator`, `outcome.windowAfter`). The widget editing a field has that key as its id
with dots as dashes (`#scaleLabels-0-label`), so a server 400 naming a field lands on its widget.

The draft is in definition_draft.py and each kind's rules and body in llm_judge_rules.py,
formula_rules.py and pattern_rules.py; here are the basics, the steps, the server's field names,
and `validate` and `to_body` over every kind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from roark_tui.api.models import MetricDefinition
from roark_tui.core.definition_draft import (
    KINDS,
    UUID_RE,
    ClassificationRow,
    DefinitionDraft,
    ScaleLabelRow,
    SourceRow,
    TriggerRow,
    effective_slug,
    get_field,
    set_field,
)
from roark_tui.core.formula_rules import (
    FORMULA_OUTPUT_TYPES,
    formula_body,
    reference,
    validate_formula,
)
from roark_tui.core.llm_judge_rules import (
    PROMPT_MAX,
    llm_judge_body,
    prompt_length,
    prompt_required,
    validate_llm_judge,
)
from roark_tui.core.pattern_rules import pattern_body, pattern_output_type, validate_pattern
from roark_tui.core.slugs import slug_problem

# The wizard screens read these through this module.
__all__ = [
    "FORMULA_OUTPUT_TYPES",
    "KINDS",
    "PROMPT_MAX",
    "ClassificationRow",
    "DefinitionDraft",
    "ScaleLabelRow",
    "SourceRow",
    "TriggerRow",
    "get_field",
    "prompt_length",
    "prompt_required",
    "reference",
    "set_field",
]

NAME_MAX = 100
STEPS = ("kind", "basics", "details", "review")
BASICS = ("name", "slug", "analysisPackageId")
ENDPOINT = "/v1/metric/definitions"


# --- validation -------------------------------------------------------------------------------


def validate(
    draft: DefinitionDraft, definitions: Mapping[str, MetricDefinition] | None = None
) -> dict[str, str]:
    """Every rule the draft breaks, as {API field key: one sentence}, in the order of the form.

    `definitions` (by id) lets pattern triggers be checked against their source's output type;
    ids it does not hold are only checked for shape.
    """
    errors: dict[str, str] = {}
    kind = draft.calculation_type
    if kind not in KINDS:
        errors["calculationType"] = "Pick the kind: LLM judge, formula or pattern."
    _basics(draft, errors)
    if kind == "LLM_JUDGE":
        validate_llm_judge(draft, errors)
    elif kind == "FORMULA":
        validate_formula(draft, errors)
    elif kind == "PATTERN":
        validate_pattern(draft, definitions or {}, errors)
    return errors


def _basics(draft: DefinitionDraft, errors: dict[str, str]) -> None:
    name = draft.name.strip()
    if not name:
        errors["name"] = "Enter a name (1 to 100 characters)."
    elif len(name) > NAME_MAX:
        errors["name"] = f"At most {NAME_MAX} characters ({len(name)} now)."
    slug = effective_slug(draft)
    if draft.slug.strip():
        problem = slug_problem(slug)
        if problem:
            errors["slug"] = problem
    elif name and not slug:
        errors["slug"] = "The name gives no slug (no letters or digits): type one."
    package = draft.analysis_package_id.strip()
    if package and not UUID_RE.match(package):
        errors["analysisPackageId"] = "A package id is a UUID; leave empty for Custom Metrics."


# --- steps and server fields ---------------------------------------------------------------------


def step_of(key: str) -> str:
    """Which wizard step edits the field `key`."""
    if key == "calculationType":
        return "kind"
    if key.split(".")[0] in BASICS:
        return "basics"
    return "details"


def step_errors(errors: Mapping[str, str], step: str) -> dict[str, str]:
    return {k: v for k, v in errors.items() if step_of(k) == step}


def server_field(name: str | None, draft: DefinitionDraft) -> str:
    """The field key a server error names, spelled as our error keys are.

    `scaleLabels[0].label` -> `scaleLabels.0.label`; `metricId` -> `slug`; a single `trigger.x`
    -> `triggers.0.x`; a leading `body.` is dropped. Empty when nothing is named.
    """
    if not name:
        return ""
    key = re.sub(r"\[(\d+)\]", r".\1", name.strip()).strip(".")
    key = re.sub(r"^(?:body|data)\.", "", key)
    head, _, rest = key.partition(".")
    if head == "metricId":
        return "slug"
    if head == "trigger":
        return "triggers.0" + (f".{rest}" if rest else "")
    if head == "formula" and rest in ("expression", ""):
        return "formula"
    if head == "outputType" and draft.calculation_type == "PATTERN":
        return "operation"
    return key


# --- the body -----------------------------------------------------------------------------------


def to_body(draft: DefinitionDraft) -> dict[str, Any]:
    """The JSON body of `POST /v1/metric/definitions`; only meaningful when `validate` found
    nothing. Fields the chosen kind and output type do not take are left out."""
    body: dict[str, Any] = {
        "calculationType": draft.calculation_type,
        "name": draft.name.strip(),
        "slug": effective_slug(draft),
    }
    if draft.analysis_package_id.strip():
        body["analysisPackageId"] = draft.analysis_package_id.strip()
    if draft.calculation_type == "LLM_JUDGE":
        body.update(llm_judge_body(draft))
    elif draft.calculation_type == "FORMULA":
        body.update(formula_body(draft))
    elif draft.calculation_type == "PATTERN":
        body.update(pattern_body(draft))
    return body


def created_from(definition: MetricDefinition, body: dict[str, Any]) -> bool:
    """Whether `definition` is what `body` asked for (read back by slug after an answer that
    left it open whether the POST took effect): same kind, name and output, and the same
    prompt, expression or pattern operation."""
    asked = preview_definition(body)
    if (definition.calculation_type or "LLM_JUDGE") != asked.calculation_type:
        return False
    if definition.name != asked.name or (asked.type and definition.type != asked.type):
        return False
    if asked.calculation_type == "LLM_JUDGE":
        return (definition.llm_prompt or None) == (asked.llm_prompt or None)
    if asked.calculation_type == "FORMULA":
        return (
            definition.formula is not None
            and asked.formula is not None
            and (definition.formula.expression == asked.formula.expression)
        )
    return (
        definition.pattern is not None
        and asked.pattern is not None
        and (definition.pattern.operation == asked.pattern.operation)
    )


def preview_definition(body: dict[str, Any]) -> MetricDefinition:
    """The definition a create body describes, shaped like a response, so the review
    step and the browser word it the same way."""
    kind = body.get("calculationType") or "LLM_JUDGE"
    data: dict[str, Any] = {
        "id": "",
        "slug": body.get("slug"),
        "name": body.get("name", ""),
        "calculationType": kind,
        "type": body.get("outputType"),
    }
    if kind == "LLM_JUDGE":
        keep = ("scope", "supportedContexts", "llmPrompt", "booleanTrueLabel", "booleanFalseLabel")
        data.update({k: body[k] for k in keep if k in body})
    elif kind == "FORMULA":
        data["formula"] = {"expression": body.get("formula", ""), "sources": body.get("sources")}
    elif kind == "PATTERN":
        triggers = body.get("triggers") or ([body["trigger"]] if body.get("trigger") else [])
        data["type"] = pattern_output_type(body.get("operation", ""))
        data["pattern"] = {
            "operation": body.get("operation"),
            "windowMode": body.get("windowMode"),
            "triggerCombinator": body.get("triggerCombinator"),
            "triggers": triggers,
            "outcome": body.get("outcome"),
        }
    return MetricDefinition.model_validate(data)
