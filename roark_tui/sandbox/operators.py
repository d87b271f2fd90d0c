"""The six comparison operators of thresholds, formulas and patterns (docs/contract.md), and
how the sandbox spells them in names, descriptions, slugs and reasoning."""

from __future__ import annotations

import operator as op
from collections.abc import Callable
from typing import Any

OPERATORS = (
    "GREATER_THAN",
    "GREATER_THAN_OR_EQUALS",
    "LESS_THAN",
    "LESS_THAN_OR_EQUALS",
    "EQUALS",
    "NOT_EQUALS",
)
EQUALITY = ("EQUALS", "NOT_EQUALS")
NUMERIC_TYPES = ("COUNT", "NUMERIC", "SCALE", "OFFSET")

SYMBOLS = dict(zip(OPERATORS, (">", "≥", "<", "≤", "=", "≠"), strict=True))
WORDS = dict(
    zip(
        OPERATORS,
        ("greater than", "at least", "less than", "at most", "equal to", "not equal to"),
        strict=True,
    )
)
CODES = dict(zip(OPERATORS, ("gt", "gte", "lt", "lte", "eq", "ne"), strict=True))
_COMPARE: dict[str, Callable[[Any, Any], bool]] = dict(
    zip(OPERATORS, (op.gt, op.ge, op.lt, op.le, op.eq, op.ne), strict=True)
)


def shown(value: Any) -> str:
    """A metric value as the API's threshold strings spell it (`true`, `3`, `0.5`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def satisfies(output_type: str, value: Any, operator: str, threshold: str) -> bool:
    """Does one value satisfy `value <operator> threshold` (how a check fires)."""
    if output_type == "BOOLEAN":
        return _COMPARE[operator](shown(value), threshold.strip().lower())
    if output_type in NUMERIC_TYPES:
        return _COMPARE[operator](float(value), float(threshold))
    return _COMPARE[operator](str(value), threshold)
