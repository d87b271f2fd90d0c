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
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from roark_tui.api.models import (
    DEFINITION_CONTEXTS,
    OPERATORS,
    OUTPUT_TYPES,
    PARTICIPANT_ROLES,
    PATTERN_OPERATIONS,
    SCOPES,
    WINDOW_MODES,
    MetricDefinition,
)
from roark_tui.core import threshold_rules
from roark_tui.core.slugs import slug_from, slug_problem
from roark_tui.core.whatif import parse_number

KINDS = ("LLM_JUDGE", "FORMULA", "PATTERN")
FORMULA_OUTPUT_TYPES = ("NUMERIC", "BOOLEAN")
PROMPT_REQUIRED_TYPES = frozenset({"BOOLEAN", "NUMERIC", "TEXT", "SCALE"})
PER_UNIT_CONTEXTS = ("SEGMENT", "TURN")
PER_UNIT_OUTPUT_TYPES = ("BOOLEAN", "SCALE", "NUMERIC", "COUNT")
COMBINATORS = ("AND", "OR")
# What each pattern operation produces (the pattern body has no outputType of its own; the docs
# name none for OUTCOME_AGGREGATE, an aggregate of the outcome's values: a number).
OPERATION_OUTPUT = {
    "PATTERN_EXISTS": "BOOLEAN",
    "PATTERN_COUNT": "NUMERIC",
    "OUTCOME_AGGREGATE": "NUMERIC",
}
NAME_MAX = 100
PROMPT_MAX = 2000
FORMULA_MAX = 500
SCALE_LOW, SCALE_HIGH = 0, 100
STEPS = ("kind", "basics", "details", "review")
BASICS = ("name", "slug", "analysisPackageId")
ENDPOINT = "/v1/metric/definitions"

UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_INTEGER = re.compile(r"^[+-]?\d+$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
REFERENCE = re.compile(r"\{\{\s*id\s*:\s*([^{}]*?)\s*\}\}")
_COMPARISONS = ("==", "!=", ">=", "<=", ">", "<")
_TOKEN = re.compile(
    r"\s*(?:(?P<ref>\{\{[^{}]*\}\})|(?P<num>\d+(?:\.\d*)?|\.\d+)"
    r"|(?P<cmp>==|!=|>=|<=|>|<)|(?P<op>[-+*/])|(?P<paren>[()]))"
)


# --- the draft -------------------------------------------------------------------------------


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


# --- small readers -------------------------------------------------------------------------------


def effective_slug(draft: DefinitionDraft) -> str:
    """The slug that will be sent: the typed one, else the one derived from the name."""
    return draft.slug.strip() or slug_from(draft.name)


def parse_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if _INTEGER.match(text) else None


def prompt_length(draft: DefinitionDraft) -> int:
    """The prompt's length as sent (surrounding whitespace is trimmed)."""
    return len(draft.llm_prompt.strip())


def prompt_required(output_type: str) -> bool:
    return output_type in PROMPT_REQUIRED_TYPES


def references(formula: str) -> list[str]:
    """The ids a formula references, in order of first appearance."""
    found: list[str] = []
    for match in REFERENCE.finditer(formula):
        if match.group(1) not in found:
            found.append(match.group(1))
    return found


def reference(definition_id: str) -> str:
    """How a formula refers to a metric."""
    return "{{id:" + definition_id + "}}"


def pattern_output_type(operation: str) -> str | None:
    return OPERATION_OUTPUT.get(operation)


def _blank(row: Row) -> bool:
    return not any(str(v).strip() for v in asdict(row).values())


# --- validation --------------------------------------------------------------------------------


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
        _llm_judge(draft, errors)
    elif kind == "FORMULA":
        _formula(draft, errors)
    elif kind == "PATTERN":
        _pattern(draft, definitions or {}, errors)
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


def _llm_judge(draft: DefinitionDraft, errors: dict[str, str]) -> None:
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
        if _blank(row):
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
    rows = [(i, row) for i, row in enumerate(draft.classification_options) if not _blank(row)]
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


def _formula(draft: DefinitionDraft, errors: dict[str, str]) -> None:
    output = draft.output_type
    if output not in FORMULA_OUTPUT_TYPES:
        errors["outputType"] = "A formula gives NUMERIC (+ - * /) or BOOLEAN (== != > < …)."
    expression = draft.formula.strip()
    listed = [s.source_metric_definition_id.strip() for s in draft.sources]
    if not expression:
        errors["formula"] = "Write the expression; pick sources to insert {{id:…}} references."
    elif len(expression) > FORMULA_MAX:
        errors["formula"] = f"At most {FORMULA_MAX} characters ({len(expression)} now)."
    else:
        problem = _expression_error(expression, output)
        if problem is None:
            missing = [ref for ref in references(expression) if ref not in listed]
            if missing:
                problem = f"References {{{{id:{missing[0]}}}}}, which is not a source."
        if problem:
            errors["formula"] = problem
    for i, source in enumerate(draft.sources):
        key = f"sources.{i}"
        if not UUID_RE.match(listed[i]):
            errors[f"{key}.sourceMetricDefinitionId"] = "Pick a metric (its id is a UUID)."
        elif listed.index(listed[i]) != i:
            errors[f"{key}.sourceMetricDefinitionId"] = "Already a source."
        variant = source.source_variant_id.strip()
        if variant and not UUID_RE.match(variant):
            errors[f"{key}.sourceVariantId"] = "A variant id is a UUID (empty: the default)."
    if len(draft.sources) < 2:
        errors["sources"] = "A formula needs at least two sources (one metric: use a threshold)."
    elif expression:
        unused = [s for s in listed if UUID_RE.match(s) and s not in references(expression)]
        if unused:
            errors["sources"] = "Every source must appear in the formula; remove or reference it."


def _expression_error(expression: str, output: str) -> str | None:
    """Why the expression is not a well-formed NUMERIC or BOOLEAN formula, else None."""
    tokens, problem = _tokenize(expression)
    if problem:
        return problem
    parser = _Parser(tokens)
    problem = parser.parse()
    if problem:
        return problem
    if output == "NUMERIC" and parser.comparisons:
        return "A NUMERIC formula uses + - * / only (a comparison makes it BOOLEAN)."
    if output == "BOOLEAN" and not parser.comparisons:
        return "A BOOLEAN formula compares two sides with one of " + " ".join(_COMPARISONS) + "."
    return None


def _tokenize(expression: str) -> tuple[list[tuple[str, str]], str | None]:
    """(kind, text) tokens: ref, num, cmp, op, ( and ); or the first thing that is none."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(expression):
        match = _TOKEN.match(expression, pos)
        if match is None or match.end() == pos:
            rest = expression[pos:].strip()
            if not rest:
                break
            if rest.startswith("{"):
                return tokens, "An unfinished reference: write {{id:<uuid>}} or pick a source."
            return tokens, f"Unexpected “{rest[0]}”: use numbers, references, ( ) and operators."
        kind = match.lastgroup or ""
        text = match.group(kind)
        if kind == "ref":
            ref = REFERENCE.match(text)
            if ref is None or not UUID_RE.match(ref.group(1)):
                return tokens, f"{text} is not a metric reference (the id is a UUID)."
        tokens.append((kind, text))
        pos = match.end()
    return tokens, None


class _Parser:
    """Checks `sum [comparison sum]`, where sum = term (+|- term)*, term = factor (*|/ factor)*,
    factor = -factor | number | reference | ( sum )."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.pos, self.comparisons = tokens, 0, 0

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "")

    def parse(self) -> str | None:
        problem = self._sum()
        if problem is None and self._peek()[0] == "cmp":
            self.pos += 1
            self.comparisons += 1
            problem = self._sum()
        if problem is None and self._peek()[0] != "end":
            kind, text = self._peek()
            if text == ")":
                return "The parentheses do not balance."
            if kind == "cmp":
                return "Only one comparison: a BOOLEAN formula is `left <op> right`."
            return f"Expected an operator before “{text}”."
        return problem

    def _sum(self) -> str | None:
        problem = self._term()
        while problem is None and self._peek() in (("op", "+"), ("op", "-")):
            self.pos += 1
            problem = self._term()
        return problem

    def _term(self) -> str | None:
        problem = self._factor()
        while problem is None and self._peek() in (("op", "*"), ("op", "/")):
            self.pos += 1
            problem = self._factor()
        return problem

    def _factor(self) -> str | None:
        kind, text = self._peek()
        self.pos += 1
        if (kind, text) == ("op", "-"):
            return self._factor()
        if kind in ("num", "ref"):
            return None
        if text == "(":
            problem = self._sum()
            if problem is None and self._peek()[1] != ")":
                return "The parentheses do not balance."
            self.pos += 1
            return problem
        if kind == "end":
            return "The expression ends early: a number or reference is missing."
        return f"Expected a number or reference, not “{text}”."


def _pattern(
    draft: DefinitionDraft, definitions: Mapping[str, MetricDefinition], errors: dict[str, str]
) -> None:
    if draft.operation not in PATTERN_OPERATIONS:
        errors["operation"] = "Pick what the pattern measures: exists, count or outcome aggregate."
    if draft.window_mode not in WINDOW_MODES:
        errors["windowMode"] = "Pick seconds or segments."
    if not draft.triggers:
        errors["triggers"] = "Add a trigger: the event the pattern starts from."
    for i, trigger in enumerate(draft.triggers):
        _step(trigger, f"triggers.{i}", definitions, errors)
    if len(draft.triggers) > 1 and draft.trigger_combinator not in COMBINATORS:
        errors["triggerCombinator"] = "Several triggers: pick AND (all) or OR (any)."
    outcome = draft.outcome
    _step(outcome, "outcome", definitions, errors)
    after = parse_int(outcome.window_after)
    unit = draft.window_mode if draft.window_mode in WINDOW_MODES else "seconds"
    if not outcome.window_after.strip():
        errors["outcome.windowAfter"] = f"How many {unit} after the trigger to look."
    elif after is None or after < 0:
        errors["outcome.windowAfter"] = f"A whole number of {unit}, 0 or more."
    before = parse_int(outcome.window_before or "0")
    if before is None or before < 0:
        errors["outcome.windowBefore"] = f"A whole number of {unit}, 0 or more (default 0)."


def _step(
    step: TriggerRow,
    key: str,
    definitions: Mapping[str, MetricDefinition],
    errors: dict[str, str],
) -> None:
    source_id = step.source_metric_definition_id.strip()
    source = definitions.get(source_id)
    if not source_id:
        errors[f"{key}.sourceMetricDefinitionId"] = "Pick the metric to watch."
    elif not UUID_RE.match(source_id):
        errors[f"{key}.sourceMetricDefinitionId"] = "A metric id is a UUID; pick from the list."
    if step.operator not in OPERATORS:
        errors[f"{key}.operator"] = "Pick an operator."
    if source is not None and step.operator in OPERATORS:
        # The same value rules as a threshold on that source (typed values, = / ≠ only for
        # booleans, classes and text).
        check = threshold_rules.ThresholdDraft(
            source=source.id, operator=step.operator, value=step.threshold_value
        )
        found = threshold_rules.validate(check, source)
        for name, target in (("operator", "operator"), ("value", "thresholdValue")):
            if name in found:
                errors[f"{key}.{target}"] = found[name]
    if not step.threshold_value.strip():
        errors[f"{key}.thresholdValue"] = "Enter the value to compare with."
    role = step.source_participant_role
    if role and role not in PARTICIPANT_ROLES:
        errors[f"{key}.sourceParticipantRole"] = "Pick one of " + ", ".join(PARTICIPANT_ROLES)
    variant = step.source_variant_id.strip()
    if variant and not UUID_RE.match(variant):
        errors[f"{key}.sourceVariantId"] = "A variant id is a UUID (empty: the default)."


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
        body.update(_llm_judge_body(draft))
    elif draft.calculation_type == "FORMULA":
        body["outputType"] = draft.output_type
        body["formula"] = draft.formula.strip()
        body["sources"] = [_source_body(s) for s in draft.sources]
    elif draft.calculation_type == "PATTERN":
        body.update(_pattern_body(draft))
    return body


def _llm_judge_body(draft: DefinitionDraft) -> dict[str, Any]:
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
        labels = [
            _scale_label_body(r, i) for i, r in enumerate(draft.scale_labels) if not _blank(r)
        ]
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
            if not _blank(row)
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


def _source_body(source: SourceRow) -> dict[str, Any]:
    body = {"sourceMetricDefinitionId": source.source_metric_definition_id.strip()}
    if source.source_variant_id.strip():
        body["sourceVariantId"] = source.source_variant_id.strip()
    return body


def _step_body(step: TriggerRow) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sourceMetricDefinitionId": step.source_metric_definition_id.strip(),
        "operator": step.operator,
        "thresholdValue": step.threshold_value.strip(),
    }
    if step.source_participant_role:
        body["sourceParticipantRole"] = step.source_participant_role
    if step.source_variant_id.strip():
        body["sourceVariantId"] = step.source_variant_id.strip()
    return body


def _pattern_body(draft: DefinitionDraft) -> dict[str, Any]:
    body: dict[str, Any] = {"operation": draft.operation, "windowMode": draft.window_mode}
    if len(draft.triggers) == 1:
        body["trigger"] = _step_body(draft.triggers[0])
    else:
        body["triggers"] = [_step_body(t) for t in draft.triggers]
        body["triggerCombinator"] = draft.trigger_combinator
    outcome = _step_body(draft.outcome)
    outcome["windowBefore"] = parse_int(draft.outcome.window_before or "0")
    outcome["windowAfter"] = parse_int(draft.outcome.window_after)
    body["outcome"] = outcome
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
