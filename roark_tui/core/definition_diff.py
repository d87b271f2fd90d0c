"""Editing a metric definition: what may change, the PUT body, and the change in words.

Roark's update (PUT /v1/metric/definitions/{idOrSlug}) changes only the fields it is given and
makes a new version; which fields are editable depends on the metric (SDK
`metric_update_definition_params`): an LLM judge its name, prompt, contexts, tool scoping and
the settings of its output type; a formula its name, expression and sources; a derived metric
(threshold, pattern) only its name. Some fields never change after creation; the wizard shows
them locked with the reason below. Roark's own metrics are not edited here at all.
"""

from __future__ import annotations

from typing import Any

from roark_tui.api.models import MetricDefinition
from roark_tui.core.safe_text import one_line

TYPE_FIELDS = {
    "BOOLEAN": ("booleanTrueLabel", "booleanFalseLabel"),
    "SCALE": ("scaleMin", "scaleMax", "scaleLabels"),
    "CLASSIFICATION": ("classificationOptions", "maxClassifications"),
}
EDITABLE = {
    "LLM_JUDGE": ("name", "llmPrompt", "supportedContexts", "toolDefinitionIds"),
    "FORMULA": ("name", "formula", "sources"),
    "THRESHOLD": ("name",),
    "PATTERN": ("name",),
}
LOCKED = {
    "calculationType": "the calculation type is fixed when a metric is created",
    "outputType": "the output type is fixed when a metric is created",
    "scope": "scope cannot change after create",
    "participantRole": "the participant role cannot change after create",
    "slug": "the slug is the metric's stable name",
    "analysisPackageId": "the package is fixed when a metric is created",
}
CHANGE_REASON = "changeReason"
SHOWN = 120
LONG = 2000


def editable_fields(definition: MetricDefinition) -> tuple[str, ...]:
    """The wire names of the fields an update of this definition may carry."""
    kind = (definition.calculation_type or "").upper()
    fields = EDITABLE.get(kind, ())
    if kind == "LLM_JUDGE":
        fields += TYPE_FIELDS.get((definition.type or "").upper(), ())
    return fields


def read_only(definition: MetricDefinition) -> str | None:
    """Why this definition cannot be edited here at all, or None."""
    kind = (definition.calculation_type or "").upper()
    if kind == "PROVIDER" or kind not in EDITABLE:
        return "Roark computes this metric itself; it cannot be edited (only read)"
    return None


def current(definition: MetricDefinition, key: str) -> Any:
    """A field of the definition as an update body would spell it."""
    if key == "formula":
        return definition.formula.expression if definition.formula else None
    if key == "sources":
        if definition.formula is None:
            return None
        return [_source(s.to_api()) for s in definition.formula.sources]
    data = definition.to_api()
    return data.get(key)


def _source(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k in ("sourceMetricDefinitionId", "sourceVariantId")}


def _same(key: str, old: Any, new: Any) -> bool:
    if key == "sources" and isinstance(old, list) and isinstance(new, list):
        return [_source(s) for s in old if isinstance(s, dict)] == [
            _source(s) for s in new if isinstance(s, dict)
        ]
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) == float(new)
    return bool(old == new)


def update_body(
    definition: MetricDefinition, wanted: dict[str, Any], reason: str = ""
) -> dict[str, Any]:
    """The PUT body: the editable fields of `wanted` (a create body of the edited draft) that
    differ from the definition, and the change reason when one is given."""
    body = {
        key: wanted[key]
        for key in editable_fields(definition)
        if key in wanted and not _same(key, current(definition, key), wanted[key])
    }
    if body and reason.strip():
        body[CHANGE_REASON] = reason.strip()
    return body


def applied(definition: MetricDefinition, body: dict[str, Any]) -> bool:
    """Whether the definition (read back) carries every change of `body`."""
    return all(
        _same(key, current(definition, key), value)
        for key, value in body.items()
        if key != CHANGE_REASON
    )


def diff(definition: MetricDefinition, body: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, old, new) for each change of `body`, as one-line text (a prompt or formula
    whole)."""
    return [
        (key, shown(current(definition, key), LONG), shown(value, LONG))
        if key in ("llmPrompt", "formula")
        else (key, shown(current(definition, key)), shown(value))
        for key, value in body.items()
        if key != CHANGE_REASON
    ]


def shown(value: Any, limit: int = SHOWN) -> str:
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, list):
        parts = [
            str(v.get("label") or v.get("sourceMetricDefinitionId") or v)
            if isinstance(v, dict)
            else str(v)
            for v in value
        ]
        return one_line(", ".join(parts), limit)
    return one_line(str(value), limit)


# --- the edit form ------------------------------------------------------------------------------
# The form edits these as text; the other editable fields (scale, classes, contexts, tools) keep
# their values (an update changes only what it names).

FORM_FIELDS = {
    "LLM_JUDGE": ("name", "llmPrompt"),
    "FORMULA": ("name", "formula"),
    "THRESHOLD": ("name",),
    "PATTERN": ("name",),
}
LABELS = {
    "name": "Name",
    "llmPrompt": "Prompt",
    "booleanTrueLabel": "True means",
    "booleanFalseLabel": "False means",
    "formula": "Formula",
    "changeReason": "Change reason",
}


def form_fields(definition: MetricDefinition) -> tuple[str, ...]:
    kind = (definition.calculation_type or "").upper()
    fields = FORM_FIELDS.get(kind, ())
    if kind == "LLM_JUDGE" and (definition.type or "").upper() == "BOOLEAN":
        fields += ("booleanTrueLabel", "booleanFalseLabel")
    return fields


def form_values(definition: MetricDefinition) -> dict[str, str]:
    """The form's starting text: the definition as it is."""
    return {key: str(current(definition, key) or "") for key in form_fields(definition)}


def locked(definition: MetricDefinition) -> list[tuple[str, str, str]]:
    """(field, its value, why it cannot change) for the fields fixed at creation."""
    data = definition.to_api()  # participantRole only where the API sends it
    values = {
        "calculationType": definition.calculation_type,
        "outputType": definition.type,
        "scope": definition.scope,
        "participantRole": data.get("participantRole"),
        "slug": definition.slug,
    }
    return [(key, str(value), LOCKED[key]) for key, value in values.items() if value]


def edit_errors(definition: MetricDefinition, values: dict[str, str]) -> dict[str, str]:
    """What is wrong with the form, by field (the create rules where they apply)."""
    from roark_tui.core import definition_rules as rules
    from roark_tui.core import formula_rules

    found: dict[str, str] = {}
    name = values.get("name", "").strip()
    if not name:
        found["name"] = "A name is required."
    elif len(name) > rules.NAME_MAX:
        found["name"] = f"At most {rules.NAME_MAX} characters ({len(name)} now)."
    prompt = values.get("llmPrompt")
    if prompt is not None:
        if len(prompt) > rules.PROMPT_MAX:
            found["llmPrompt"] = f"At most {rules.PROMPT_MAX} characters ({len(prompt)} now)."
        elif not prompt.strip() and rules.prompt_required((definition.type or "").upper()):
            found["llmPrompt"] = f"A {definition.type} judge needs a prompt."
    for key in ("booleanTrueLabel", "booleanFalseLabel"):
        if len(values.get(key, "")) > rules.NAME_MAX:
            found[key] = f"At most {rules.NAME_MAX} characters."
    formula = values.get("formula")
    if formula is not None:
        if not formula.strip():
            found["formula"] = "A formula is required."
        elif len(formula) > formula_rules.FORMULA_MAX:
            found["formula"] = (
                f"At most {formula_rules.FORMULA_MAX} characters ({len(formula)} now)."
            )
        elif len(formula_rules.references(formula)) < 2:
            found["formula"] = "A formula combines at least two metrics ({{id:…}})."
    if len(values.get(CHANGE_REASON, "")) > 500:
        found[CHANGE_REASON] = "At most 500 characters."
    return found


def wanted(definition: MetricDefinition, values: dict[str, str]) -> dict[str, Any]:
    """The form as wire values (a formula's sources follow its references, keeping the
    variants already pinned)."""
    from roark_tui.core import formula_rules

    out: dict[str, Any] = {}
    for key in form_fields(definition):
        text = values.get(key, "")
        if key in ("booleanTrueLabel", "booleanFalseLabel"):
            out[key] = text.strip() or None
        elif key == "name":
            out[key] = text.strip()
        else:
            out[key] = text
    if "formula" in out:
        pinned = {s["sourceMetricDefinitionId"]: s for s in current(definition, "sources") or []}
        out["sources"] = [
            pinned.get(ref, {"sourceMetricDefinitionId": ref})
            for ref in formula_rules.references(out["formula"])
        ]
    return {k: v for k, v in out.items() if v is not None}
