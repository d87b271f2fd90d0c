"""The rules for creating and updating metric definitions (docs/contract.md, Request bodies);
the fields and their readers are in body_fields.py, thresholds in threshold_checks.py.

Each function returns the checked fields or raises a 400 `Problem` whose `parameter` names the
first offending field, with a JSON-path-like spelling for nested ones
(`classificationOptions[0].label`, `outcome.windowAfter`). Rules the docs leave open are
decided here, and marked [I]:

- `null` on an optional field counts as absent. A create or threshold body may carry only the
  documented fields (the SDK's create params; the threshold page's list plus `name`), nested
  rows included: any other key is 400 `unknown_field` naming it, and a field of another
  calculation type or output type is 400 `field_not_allowed`.
- slugs are lower snake case (`^[a-z0-9_]+$`, 1-50) and unique across every definition the
  project sees, system ones included: a duplicate is 409 `slug_taken` (parameter `slug`).
- sending both `slug` and `metricId` is 400 on `slug`.
- formula sources must exist (400 on the source's field, not 404); a formula is `+ - * /` over
  `{{id:<uuid>}}` and numbers for NUMERIC, and needs a comparison for BOOLEAN.
"""

from __future__ import annotations

from typing import Any

from roark_tui.sandbox.body_fields import (
    BOOLEAN_FIELDS,
    CLASSIFICATION_FIELDS,
    CLASSIFICATION_OPTION_FIELDS,
    COLOR,
    COMBINATORS,
    COMMON_FIELDS,
    CONTEXTS,
    CREATABLE,
    CREATE_FIELDS,
    DESCRIPTION_MAX,
    FORMULA_MAX,
    NAME_MAX,
    OPERATIONS,
    OUTCOME_FIELDS,
    OUTPUT_TYPES,
    PATTERN_OUTPUT,
    PER_UNIT_TYPES,
    PROMPT_MAX,
    PROMPT_REQUIRED,
    REFERENCE,
    ROLES,
    SCALE_FIELDS,
    SCALE_LABEL_FIELDS,
    SCOPES,
    SOURCE_FIELDS,
    STEP_FIELDS,
    TYPE_FIELDS,
    UUID,
    WINDOW_MODES,
    Lookup,
    array,
    choice,
    field_path,
    integer,
    number,
    obj,
    slug_fields,
    text,
    uuid_field,
)
from roark_tui.sandbox.operators import OPERATORS
from roark_tui.sandbox.problems import invalid

# --- definitions ---------------------------------------------------------------------------


def check_create(body: Any, lookup: Lookup) -> dict[str, Any]:
    """The checked fields of a POST /v1/metric/definitions body (no slug uniqueness check):
    documented fields only."""
    return check_definition(obj(body, "", CREATE_FIELDS), lookup)


def check_definition(body: Any, lookup: Lookup) -> dict[str, Any]:
    """The checked fields of a definition: a create body, or an update merged onto a stored
    definition (which may also hold the update's `description` and `toolDefinitionIds`)."""
    body = obj(body, "")
    kind = body.get("calculationType")
    if kind is None:
        kind = "LLM_JUDGE"  # legacy payloads name no calculationType
    if kind in ("THRESHOLD", "PROVIDER"):
        raise invalid(
            "calculationType",
            f"{kind} metrics cannot be created here"
            + (
                ": POST /v1/metric/definitions/{idOrSlug}/thresholds" if kind == "THRESHOLD" else ""
            ),
        )
    if kind not in CREATABLE:
        raise invalid(
            "calculationType",
            f"calculationType must be one of {', '.join(CREATABLE)} (got {kind!r})",
        )
    _reject_foreign(body, kind)
    fields: dict[str, Any] = {"calculationType": kind}
    fields["name"] = text(body, "name", required=True, high=NAME_MAX)
    fields["slug"] = slug_fields(body)
    fields["description"] = text(body, "description", low=0, high=DESCRIPTION_MAX) or ""
    fields["analysisPackageId"] = uuid_field(body, "analysisPackageId")
    if kind == "LLM_JUDGE":
        fields.update(check_llm_judge(body))
    elif kind == "FORMULA":
        fields.update(check_formula(body, lookup))
    else:
        fields.update(check_pattern(body, lookup))
    return fields


def _reject_foreign(body: dict[str, Any], kind: str) -> None:
    own = COMMON_FIELDS | TYPE_FIELDS[kind]
    for other, names in TYPE_FIELDS.items():
        if other == kind:
            continue
        for name in sorted(names - own):
            if body.get(name) is not None:
                raise invalid(
                    name, f"{name} belongs to {other} metrics, not {kind}", "field_not_allowed"
                )


def check_llm_judge(body: dict[str, Any]) -> dict[str, Any]:
    out = choice(body, "outputType", OUTPUT_TYPES, required=True)
    assert out is not None
    scope = choice(body, "scope", SCOPES, default="GLOBAL")
    role = choice(body, "participantRole", ROLES)
    if scope == "PER_PARTICIPANT" and role is None:
        raise invalid(
            "participantRole",
            "participantRole is required when scope is PER_PARTICIPANT",
            "missing_parameter",
        )
    contexts = array(body, "supportedContexts", low=1)
    if contexts is None:
        contexts = ["CALL"]
    for i, context in enumerate(contexts):
        if context not in CONTEXTS:
            raise invalid(
                f"supportedContexts[{i}]",
                f"supportedContexts[{i}] must be one of {', '.join(CONTEXTS)} (got {context!r})",
            )
    contexts = list(dict.fromkeys(contexts))
    if "TURN" in contexts and role != "AGENT":
        raise invalid(
            "supportedContexts",
            "TURN grades each agent reply: it needs scope "
            "PER_PARTICIPANT with participantRole AGENT",
        )
    per_unit = [c for c in contexts if c in ("SEGMENT", "TURN")]
    if per_unit and scope != "PER_PARTICIPANT":
        raise invalid("supportedContexts", f"{per_unit[0]} grading needs scope PER_PARTICIPANT")
    if per_unit and out not in PER_UNIT_TYPES:
        raise invalid(
            "supportedContexts",
            f"{per_unit[0]} grading needs outputType {', '.join(PER_UNIT_TYPES)} (not {out})",
        )
    prompt = text(body, "llmPrompt", low=0, high=PROMPT_MAX)
    if out in PROMPT_REQUIRED and not (prompt or "").strip():
        raise invalid("llmPrompt", f"llmPrompt is required for {out} metrics", "missing_parameter")
    fields: dict[str, Any] = {
        "outputType": out,
        "scope": scope,
        "participantRole": role,
        "supportedContexts": contexts,
        "llmPrompt": prompt,
    }
    tools = array(body, "toolDefinitionIds")
    if tools is not None:
        for i, tool in enumerate(tools):
            if not isinstance(tool, str) or not UUID.match(tool):
                raise invalid(f"toolDefinitionIds[{i}]", f"toolDefinitionIds[{i}] must be a UUID")
        fields["toolDefinitionIds"] = tools
    _only_for(body, out, "BOOLEAN", BOOLEAN_FIELDS)
    _only_for(body, out, "SCALE", SCALE_FIELDS)
    _only_for(body, out, "CLASSIFICATION", CLASSIFICATION_FIELDS)
    if out == "BOOLEAN":
        fields["booleanTrueLabel"] = text(body, "booleanTrueLabel", high=NAME_MAX)
        fields["booleanFalseLabel"] = text(body, "booleanFalseLabel", high=NAME_MAX)
    elif out == "SCALE":
        fields.update(check_scale(body))
    elif out == "CLASSIFICATION":
        fields.update(check_classification(body))
    return fields


def _only_for(body: dict[str, Any], out: str, owner: str, names: tuple[str, ...]) -> None:
    if out == owner:
        return
    for name in names:
        if body.get(name) is not None:
            raise invalid(
                name,
                f"{name} only applies to {owner} metrics (outputType is {out})",
                "field_not_allowed",
            )


def check_scale(body: dict[str, Any]) -> dict[str, Any]:
    low = integer(body, "scaleMin", required=True, low=0, high=100)
    high = integer(body, "scaleMax", required=True, low=0, high=100)
    assert low is not None and high is not None
    if low >= high:
        raise invalid("scaleMin", f"scaleMin must be less than scaleMax ({low} >= {high})")
    fields: dict[str, Any] = {"scaleMin": low, "scaleMax": high}
    labels = array(body, "scaleLabels")
    if labels is not None:
        checked = []
        for i, raw in enumerate(labels):
            where = f"scaleLabels[{i}]"
            item = obj(raw, where, SCALE_LABEL_FIELDS)
            range_min = number(item, "rangeMin", prefix=where)
            range_max = number(item, "rangeMax", prefix=where)
            if range_min > range_max:
                raise invalid(f"{where}.rangeMin", f"{where}.rangeMin must not exceed rangeMax")
            if range_min < low or range_max > high:
                raise invalid(
                    f"{where}.rangeMax" if range_max > high else f"{where}.rangeMin",
                    f"{where} must lie within the scale {low}..{high}",
                )
            label = text(item, "label", required=True, high=NAME_MAX, prefix=where)
            order = integer(item, "displayOrder", required=True, prefix=where)
            entry: dict[str, Any] = {
                "rangeMin": range_min,
                "rangeMax": range_max,
                "label": label,
                "displayOrder": order,
            }
            description = text(item, "description", low=0, high=DESCRIPTION_MAX, prefix=where)
            if description is not None:
                entry["description"] = description
            color = item.get("colorHex")
            if color is not None:
                if not isinstance(color, str) or not COLOR.match(color):
                    raise invalid(f"{where}.colorHex", f"{where}.colorHex must look like #FF0000")
                entry["colorHex"] = color
            checked.append(entry)
        fields["scaleLabels"] = checked
    return fields


def check_classification(body: dict[str, Any]) -> dict[str, Any]:
    options = array(body, "classificationOptions", required=True, low=1)
    assert options is not None
    checked = []
    seen: set[str] = set()
    for i, raw in enumerate(options):
        where = f"classificationOptions[{i}]"
        item = obj(raw, where, CLASSIFICATION_OPTION_FIELDS)
        label = text(item, "label", required=True, high=NAME_MAX, prefix=where)
        assert label is not None
        if label in seen:
            raise invalid(f"{where}.label", f"{where}.label {label!r} is used twice")
        seen.add(label)
        description = text(
            item, "description", required=True, low=0, high=DESCRIPTION_MAX, prefix=where
        )
        order = integer(item, "displayOrder", required=True, prefix=where)
        checked.append({"label": label, "description": description, "displayOrder": order})
    most = integer(body, "maxClassifications", low=1, high=len(checked))
    return {"classificationOptions": checked, "maxClassifications": most}


def _source_ref(item: dict[str, Any], where: str, lookup: Lookup) -> dict[str, Any]:
    """sourceMetricDefinitionId (+ sourceVariantId) naming an existing definition."""
    source_id = uuid_field(item, "sourceMetricDefinitionId", required=True, prefix=where)
    assert source_id is not None
    found = lookup(source_id)
    if found is None or found["id"] != source_id:
        raise invalid(
            field_path(where, "sourceMetricDefinitionId"),
            f"no metric definition with id {source_id}",
            "unknown_metric",
        )
    return {
        "sourceMetricDefinitionId": source_id,
        "sourceVariantId": uuid_field(item, "sourceVariantId", prefix=where),
    }


def check_formula(body: dict[str, Any], lookup: Lookup) -> dict[str, Any]:
    out = choice(body, "outputType", ("NUMERIC", "BOOLEAN"), required=True)
    expression = text(body, "formula", required=True, high=FORMULA_MAX)
    assert expression is not None and out is not None
    sources = array(body, "sources", required=True, low=2)
    assert sources is not None
    checked: list[dict[str, Any]] = []
    for i, raw in enumerate(sources):
        where = f"sources[{i}]"
        ref = _source_ref(obj(raw, where, SOURCE_FIELDS), where, lookup)
        if any(s["sourceMetricDefinitionId"] == ref["sourceMetricDefinitionId"] for s in checked):
            raise invalid(
                f"{where}.sourceMetricDefinitionId",
                f"{where} lists {ref['sourceMetricDefinitionId']} twice",
            )
        checked.append(ref)
    references = REFERENCE.findall(expression)
    if not references:
        raise invalid("formula", "formula must reference its sources as {{id:<uuid>}}")
    for ref in references:
        if not UUID.match(ref):
            raise invalid("formula", f"{{{{id:{ref}}}}} in formula is not a UUID")
    referenced = {r.lower() for r in references}
    listed = [s["sourceMetricDefinitionId"] for s in checked]
    for ref in sorted(referenced - set(listed)):
        raise invalid("formula", f"formula references {ref}, which is not in sources")
    for i, source_id in enumerate(listed):
        if source_id not in referenced:
            raise invalid(
                f"sources[{i}].sourceMetricDefinitionId",
                f"sources[{i}] ({source_id}) is not referenced in formula",
            )
    _check_expression(expression, out)
    return {"outputType": out, "formula": expression, "sources": checked}


def _check_expression(expression: str, out: str) -> None:
    """The formula is arithmetic (+ - * /) over references and numbers; BOOLEAN compares."""
    import ast

    code = REFERENCE.sub(" x ", expression).replace("&&", " and ").replace("||", " or ")
    try:
        tree = ast.parse(code.strip(), mode="eval")
    except SyntaxError:
        raise invalid("formula", "formula is not a valid expression") from None
    arithmetic = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd)
    comparisons = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)
    compares = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            compares = True
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise invalid("formula", f"formula may only hold numbers, not {node.value!r}")
        elif isinstance(node, ast.Name):
            if node.id != "x":
                raise invalid(
                    "formula",
                    f"unknown name {node.id!r} in formula; reference metrics as {{{{id:<uuid>}}}}",
                )
        elif not isinstance(
            node,
            (
                ast.Expression,
                ast.BinOp,
                ast.UnaryOp,
                ast.BoolOp,
                ast.And,
                ast.Or,
                ast.Load,
                *arithmetic,
                *comparisons,
            ),
        ):
            raise invalid("formula", "formula may only use + - * / and comparisons")
    if out == "BOOLEAN" and not compares:
        raise invalid("formula", "a BOOLEAN formula needs a comparison (== != >= <= > <)")
    if out == "NUMERIC" and compares:
        raise invalid("formula", "a NUMERIC formula uses + - * / only; comparisons make it BOOLEAN")


def _check_step(raw: Any, where: str, lookup: Lookup, *, outcome: bool) -> dict[str, Any]:
    item = obj(raw, where, OUTCOME_FIELDS if outcome else STEP_FIELDS)
    step = _source_ref(item, where, lookup)
    step["operator"] = choice(item, "operator", OPERATORS, required=True, prefix=where)
    value = text(item, "thresholdValue", required=True, prefix=where)
    step["thresholdValue"] = value
    step["sourceParticipantRole"] = choice(item, "sourceParticipantRole", ROLES, prefix=where)
    if outcome:
        step["windowAfter"] = integer(item, "windowAfter", required=True, low=0, prefix=where)
        step["windowBefore"] = integer(item, "windowBefore", low=0, prefix=where) or 0
    return step


def check_pattern(body: dict[str, Any], lookup: Lookup) -> dict[str, Any]:
    if body.get("outputType") is not None:
        raise invalid(
            "outputType",
            "PATTERN metrics take no outputType: it follows from "
            "operation (PATTERN_EXISTS is BOOLEAN, the others NUMERIC)",
            "field_not_allowed",
        )
    operation = choice(body, "operation", OPERATIONS, required=True)
    assert operation is not None
    window = choice(body, "windowMode", WINDOW_MODES, default="seconds")
    single, many = body.get("trigger"), body.get("triggers")
    if single is not None and many is not None:
        raise invalid("triggers", "send exactly one of trigger or triggers, not both")
    if single is None and many is None:
        raise invalid("trigger", "trigger (or triggers) is required", "missing_parameter")
    if single is not None:
        triggers = [_check_step(single, "trigger", lookup, outcome=False)]
    else:
        raw = array(body, "triggers", low=1)
        assert raw is not None
        triggers = [
            _check_step(t, f"triggers[{i}]", lookup, outcome=False) for i, t in enumerate(raw)
        ]
    combinator = choice(body, "triggerCombinator", COMBINATORS)
    if len(triggers) > 1 and combinator is None:
        raise invalid(
            "triggerCombinator",
            "triggerCombinator (AND or OR) is required with more than one trigger",
            "missing_parameter",
        )
    if body.get("outcome") is None:
        raise invalid("outcome", "outcome is required", "missing_parameter")
    outcome = _check_step(body["outcome"], "outcome", lookup, outcome=True)
    return {
        "outputType": PATTERN_OUTPUT[operation],
        "pattern": {
            "operation": operation,
            "windowMode": window,
            "triggerCombinator": combinator,
            "triggers": triggers,
            "outcome": outcome,
        },
    }


# --- updates -------------------------------------------------------------------------------

IMMUTABLE = (
    "slug",
    "metricId",
    "source",
    "organizationId",
    "projectId",
    "outputType",
    "scope",
    "participantRole",
    "calcType",
    "calculationType",
    "supportsMultipleVariants",
    "analysisPackageId",
)
# Roark's update params (SDK metric_update_definition_params): `description` is not among them,
# and a derived metric (THRESHOLD, PATTERN) takes only a new name.
EDITABLE = {
    "LLM_JUDGE": frozenset(
        {
            "name",
            "llmPrompt",
            "toolDefinitionIds",
            "supportedContexts",
            *SCALE_FIELDS,
            *CLASSIFICATION_FIELDS,
            *BOOLEAN_FIELDS,
        }
    ),
    "FORMULA": frozenset({"name", "formula", "sources"}),
    "THRESHOLD": frozenset({"name"}),
    "PATTERN": frozenset({"name"}),
}
KNOWN_UPDATE_FIELDS = frozenset().union(*EDITABLE.values())


def check_update(body: Any, kind: str) -> dict[str, Any]:
    """The changes of a PUT/PATCH body; the caller re-checks the merged definition."""
    body = obj(body, "")
    for name in IMMUTABLE:
        if body.get(name) is not None:
            raise invalid(name, f"{name} cannot be changed after creation", "immutable_field")
    editable = EDITABLE.get(kind, frozenset())
    changes = {}
    for name, value in body.items():
        if name == "changeReason" or value is None:
            continue
        if name not in KNOWN_UPDATE_FIELDS:
            raise invalid(name, f"{name} is not a field of a metric update", "unknown_field")
        if name not in editable:
            only = " (only its name can change)" if kind in ("THRESHOLD", "PATTERN") else ""
            raise invalid(
                name, f"{name} cannot be changed on a {kind} metric{only}", "field_not_allowed"
            )
        changes[name] = value
    text(body, "changeReason", low=0, high=DESCRIPTION_MAX)
    if not changes:
        raise invalid(None, "the update names no field to change", "nothing_to_change")
    return changes
