"""The tolerant readers of the runs models: a number that is not a finite number reads as None,
a list that is not a list reads as empty (and items that are not objects are dropped), an object
that is not an object reads as None."""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BeforeValidator


def as_number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def as_integer(value: Any) -> int | None:
    number = as_number(value)
    return int(number) if number is not None else None


def as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def as_flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def as_objects(value: Any) -> list[Any]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def as_texts(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [text for text in (as_text(item) for item in value) if text is not None]


def as_object(value: Any) -> Any:
    return value if isinstance(value, dict) else None


Num = Annotated[float | None, BeforeValidator(as_number)]
Int = Annotated[int | None, BeforeValidator(as_integer)]
Str = Annotated[str | None, BeforeValidator(as_text)]
Flag = Annotated[bool | None, BeforeValidator(as_flag)]
Texts = Annotated[list[str], BeforeValidator(as_texts)]
