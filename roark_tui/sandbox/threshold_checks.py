"""The rules of POST /v1/metric/definitions/{idOrSlug}/thresholds (docs/contract.md).

A threshold needs a `name` (1-100) and a SCALE, NUMERIC, COUNT, BOOLEAN or CLASSIFICATION source
(a TEXT or OFFSET source is 400 on `idOrSlug`); its `value` must read as the source's type; only
EQUALS/NOT_EQUALS for non-numeric sources; aggregations other than EACH/COUNT need a numeric
source; `countThreshold` only with aggregationMode COUNT; `sourceVariantId` is any variant of
the source.
"""

from __future__ import annotations

from typing import Any

from roark_tui.sandbox import catalog
from roark_tui.sandbox.body_fields import (
    AGGREGATIONS,
    NAME_MAX,
    ROLES,
    THRESHOLD_FIELDS,
    THRESHOLD_SOURCE_TYPES,
    choice,
    integer,
    obj,
    slug_fields,
    text,
    uuid_field,
)
from roark_tui.sandbox.operators import EQUALITY, NUMERIC_TYPES, OPERATORS
from roark_tui.sandbox.problems import invalid


def check_threshold(body: Any, source: dict[str, Any]) -> dict[str, Any]:
    """The checked fields of a POST .../thresholds body against its source definition."""
    body = obj(body, "", THRESHOLD_FIELDS)
    out = source.get("type")
    if out not in THRESHOLD_SOURCE_TYPES:
        raise invalid(
            "idOrSlug",
            f"{source['slug']} is {out}: thresholds exist only on "
            + ", ".join(THRESHOLD_SOURCE_TYPES)
            + " metrics",
            "unsupported_source",
        )
    name = text(body, "name", required=True, high=NAME_MAX)
    operator = choice(body, "operator", OPERATORS, required=True)
    raw_value = body.get("value")
    if raw_value is not None and not isinstance(raw_value, str):
        raise invalid("value", f'value must be a string (e.g. "{raw_value}")')
    value = text(body, "value", required=True)
    assert operator is not None and value is not None
    value = value.strip()
    numeric = out in NUMERIC_TYPES
    if out == "BOOLEAN":
        if value.lower() not in ("true", "false"):
            raise invalid("value", "value must be true or false for a BOOLEAN source")
        value = value.lower()
    elif numeric:
        try:
            as_number = float(value)
        except ValueError:
            raise invalid("value", f"value must be a number for a {out} source") from None
        low, high = source.get("scaleMin"), source.get("scaleMax")
        if out == "SCALE" and low is not None and high is not None and not low <= as_number <= high:
            raise invalid("value", f"value must lie within the scale {low}..{high}")
    elif out == "CLASSIFICATION":
        labels = [o["label"] for o in source.get("classificationOptions") or []]
        if labels and value not in labels:
            raise invalid("value", "value must be one of " + ", ".join(labels))
    if not numeric and operator not in EQUALITY:
        raise invalid("operator", f"{out} sources can only be compared with EQUALS or NOT_EQUALS")
    mode = choice(body, "aggregationMode", AGGREGATIONS, default="EACH")
    if mode not in ("EACH", "COUNT") and not numeric:
        raise invalid(
            "aggregationMode", f"{mode} needs a numeric source; {out} sources take EACH or COUNT"
        )
    count = integer(body, "countThreshold", low=0)
    if mode == "COUNT" and count is None:
        raise invalid(
            "countThreshold",
            "countThreshold is required when aggregationMode is COUNT",
            "missing_parameter",
        )
    if mode != "COUNT" and count is not None:
        raise invalid("countThreshold", "countThreshold only applies to aggregationMode COUNT")
    role = choice(body, "sourceParticipantRole", ROLES)
    if role is not None and not {"TURN", "SEGMENT"} & set(source.get("supportedContexts", [])):
        raise invalid(
            "sourceParticipantRole",
            "sourceParticipantRole only applies to sources "
            "graded per TURN or SEGMENT (this source: "
            f"{', '.join(source.get('supportedContexts', []))})",
        )
    variant = uuid_field(body, "sourceVariantId")
    if variant is not None and variant not in catalog.variant_ids(source):
        raise invalid("sourceVariantId", f"the source has no variant {variant}", "unknown_variant")
    return {
        "operator": operator,
        "value": value,
        "aggregationMode": mode,
        "countThreshold": count,
        "sourceParticipantRole": role,
        "sourceVariantId": variant,
        "slug": slug_fields(body),
        "name": name,
    }
