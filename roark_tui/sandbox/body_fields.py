"""The documented fields of request bodies, and readers that check one field each.

Each reader returns the field's checked value or raises a 400 `Problem` whose `parameter` names
the field, with a JSON-path-like spelling for nested ones (`classificationOptions[0].label`).
`null` on an optional field counts as absent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from roark_tui.sandbox.problems import Problem, invalid

OUTPUT_TYPES = ("COUNT", "NUMERIC", "BOOLEAN", "SCALE", "TEXT", "CLASSIFICATION", "OFFSET")
SCOPES = ("GLOBAL", "PER_PARTICIPANT")
ROLES = ("AGENT", "CUSTOMER", "SIMULATED_CUSTOMER", "BACKGROUND_SPEAKER")
CONTEXTS = ("CALL", "SEGMENT", "TURN")
AGGREGATIONS = ("EACH", "COUNT", "AVERAGE", "MIN", "MAX", "MEDIAN", "P95", "P99", "SUM")
OPERATIONS = ("PATTERN_EXISTS", "PATTERN_COUNT", "OUTCOME_AGGREGATE")
WINDOW_MODES = ("seconds", "segments")
COMBINATORS = ("AND", "OR")
CREATABLE = ("LLM_JUDGE", "FORMULA", "PATTERN")
PROMPT_REQUIRED = ("BOOLEAN", "NUMERIC", "TEXT", "SCALE")
PER_UNIT_TYPES = ("BOOLEAN", "SCALE", "NUMERIC", "COUNT")
PATTERN_OUTPUT = {
    "PATTERN_EXISTS": "BOOLEAN",
    "PATTERN_COUNT": "NUMERIC",
    "OUTCOME_AGGREGATE": "NUMERIC",
}

NAME_MAX = 100
SLUG_MAX = 50
PROMPT_MAX = 2000
FORMULA_MAX = 500
DESCRIPTION_MAX = 500

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
SLUG = re.compile(r"^[a-z0-9_]+$")
COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
REFERENCE = re.compile(r"\{\{\s*id\s*:\s*([^}]*?)\s*\}\}")

COMMON_FIELDS = frozenset({"calculationType", "name", "slug", "metricId", "analysisPackageId"})
SCALE_FIELDS = ("scaleMin", "scaleMax", "scaleLabels")
CLASSIFICATION_FIELDS = ("classificationOptions", "maxClassifications")
BOOLEAN_FIELDS = ("booleanTrueLabel", "booleanFalseLabel")
TYPE_FIELDS = {
    "LLM_JUDGE": frozenset(
        {
            "outputType",
            "scope",
            "participantRole",
            "supportedContexts",
            "llmPrompt",
            *SCALE_FIELDS,
            *CLASSIFICATION_FIELDS,
            *BOOLEAN_FIELDS,
        }
    ),
    "FORMULA": frozenset({"outputType", "formula", "sources"}),
    "PATTERN": frozenset(
        {"operation", "windowMode", "trigger", "triggers", "triggerCombinator", "outcome"}
    ),
}

# Every field of a create body, of any kind (a field of another kind is refused apart).
CREATE_FIELDS = COMMON_FIELDS.union(*TYPE_FIELDS.values())
# What rows inside a create body may hold.
SCALE_LABEL_FIELDS = frozenset(
    {"rangeMin", "rangeMax", "label", "displayOrder", "description", "colorHex"}
)
CLASSIFICATION_OPTION_FIELDS = frozenset({"label", "description", "displayOrder"})
SOURCE_FIELDS = frozenset({"sourceMetricDefinitionId", "sourceVariantId"})
STEP_FIELDS = SOURCE_FIELDS | {"operator", "thresholdValue", "sourceParticipantRole"}
OUTCOME_FIELDS = STEP_FIELDS | {"windowAfter", "windowBefore"}
THRESHOLD_FIELDS = frozenset(
    {
        "operator",
        "value",
        "slug",
        "metricId",
        "aggregationMode",
        "countThreshold",
        "sourceParticipantRole",
        "sourceVariantId",
        "name",
    }
)
THRESHOLD_SOURCE_TYPES = ("SCALE", "NUMERIC", "COUNT", "BOOLEAN", "CLASSIFICATION")

Lookup = Callable[[str], "dict[str, Any] | None"]


# --- field readers -------------------------------------------------------------------------


def field_path(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _get(body: dict[str, Any], key: str) -> Any:
    return body.get(key)


def text(
    body: dict[str, Any],
    key: str,
    *,
    required: bool = False,
    low: int = 1,
    high: int | None = None,
    prefix: str = "",
) -> str | None:
    value = _get(body, key)
    where = field_path(prefix, key)
    if value is None:
        if required:
            raise invalid(where, f"{where} is required", "missing_parameter")
        return None
    if not isinstance(value, str):
        raise invalid(where, f"{where} must be a string")
    if len(value.strip()) < low:
        raise invalid(
            where,
            f"{where} must not be empty"
            if low == 1
            else f"{where} must be at least {low} characters",
        )
    if high is not None and len(value) > high:
        raise invalid(where, f"{where} must be at most {high} characters (got {len(value)})")
    return value


def choice(
    body: dict[str, Any],
    key: str,
    allowed: tuple[str, ...],
    *,
    required: bool = False,
    default: str | None = None,
    prefix: str = "",
) -> str | None:
    value = _get(body, key)
    where = field_path(prefix, key)
    if value is None:
        if required:
            raise invalid(
                where, f"{where} is required: one of {', '.join(allowed)}", "missing_parameter"
            )
        return default
    if value not in allowed:
        raise invalid(where, f"{where} must be one of {', '.join(allowed)} (got {value!r})")
    return str(value)


def integer(
    body: dict[str, Any],
    key: str,
    *,
    required: bool = False,
    low: int | None = None,
    high: int | None = None,
    prefix: str = "",
) -> int | None:
    value = _get(body, key)
    where = field_path(prefix, key)
    if value is None:
        if required:
            raise invalid(where, f"{where} is required", "missing_parameter")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise invalid(where, f"{where} must be an integer")
    value = int(value)
    if low is not None and value < low:
        raise invalid(where, f"{where} must be at least {low} (got {value})")
    if high is not None and value > high:
        raise invalid(where, f"{where} must be at most {high} (got {value})")
    return value


def number(body: dict[str, Any], key: str, *, prefix: str = "") -> float:
    value = _get(body, key)
    where = field_path(prefix, key)
    if value is None:
        raise invalid(where, f"{where} is required", "missing_parameter")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid(where, f"{where} must be a number")
    return value


def uuid_field(
    body: dict[str, Any], key: str, *, required: bool = False, prefix: str = ""
) -> str | None:
    value = _get(body, key)
    where = field_path(prefix, key)
    if value is None:
        if required:
            raise invalid(where, f"{where} is required", "missing_parameter")
        return None
    if not isinstance(value, str) or not UUID.match(value):
        raise invalid(where, f"{where} must be a UUID")
    return value.lower()


def array(
    body: dict[str, Any], key: str, *, required: bool = False, low: int = 0, prefix: str = ""
) -> list[Any] | None:
    value = _get(body, key)
    where = field_path(prefix, key)
    if value is None:
        if required:
            raise invalid(where, f"{where} is required", "missing_parameter")
        return None
    if not isinstance(value, list):
        raise invalid(where, f"{where} must be an array")
    if len(value) < low:
        raise invalid(where, f"{where} needs at least {low} item{'s' if low > 1 else ''}")
    return value


def obj(value: Any, where: str, documented: frozenset[str] | None = None) -> dict[str, Any]:
    """`value` as a JSON object; with `documented`, one holding no other key."""
    if not isinstance(value, dict):
        raise invalid(where or None, f"{where or 'the body'} must be a JSON object")
    if documented is not None:
        for name in value:
            if name not in documented:
                raise unknown_field(field_path(where, name))
    return value


def unknown_field(where: str) -> Problem:
    return invalid(where, f"{where} is not a documented field here", "unknown_field")


def slug_fields(body: dict[str, Any]) -> str | None:
    """The requested slug (from `slug` or the legacy `metricId`), format-checked."""
    slug = text(body, "slug", high=SLUG_MAX)
    legacy = text(body, "metricId", high=SLUG_MAX)
    if slug is not None and legacy is not None:
        raise invalid(
            "slug", "send slug or metricId (its deprecated alias), not both", "slug_and_metric_id"
        )
    chosen, where = (slug, "slug") if slug is not None else (legacy, "metricId")
    if chosen is not None and not SLUG.match(chosen):
        raise invalid(where, f"{where} may only hold lower-case letters, digits and _")
    return chosen


def derive_slug(name: str, taken: Callable[[str], bool]) -> str:
    """lower_snake_case of the name, at most 50 characters, made unique with _2, _3..."""
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:SLUG_MAX].rstrip("_") or "metric"
    candidate, n = base, 1
    while taken(candidate):
        n += 1
        suffix = f"_{n}"
        candidate = base[: SLUG_MAX - len(suffix)].rstrip("_") + suffix
    return candidate


def slug_taken(slug: str) -> Problem:
    return Problem(
        409,
        f"slug {slug!r} is already used by another metric definition",
        parameter="slug",
        code="slug_taken",
    )
