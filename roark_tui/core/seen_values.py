"""What a source metric's values look like, when the API does not say.

Roark's definition responses give a metric's output type and unit, but not a SCALE metric's
range nor a CLASSIFICATION metric's classes. Where a threshold needs them (what to type as its
value), the wizard says so and shows what it can know instead: the values of that metric on the
conversation loaded for the what-if.
"""

from __future__ import annotations

from roark_tui.api.models import MetricGroup
from roark_tui.core.safe_text import one_line
from roark_tui.core.whatif import format_number, parse_number

CLASSES_SHOWN = 6
CLASS_WIDTH = 24


def _success_values(group: MetricGroup | None) -> list[object]:
    if group is None:
        return []
    return [v.value for v in group.values if v.capture_status.upper() == "SUCCESS"]


def seen_range(group: MetricGroup | None) -> tuple[float, float] | None:
    """The lowest and highest numbers among the group's values, None without any."""
    numbers = [n for n in map(parse_number, _success_values(group)) if n is not None]
    return (min(numbers), max(numbers)) if numbers else None


def seen_classes(group: MetricGroup | None) -> list[str]:
    """The distinct class labels among the group's values (a value may hold several)."""
    found: dict[str, None] = {}
    for raw in _success_values(group):
        for item in raw if isinstance(raw, list) else [raw]:
            if isinstance(item, str) and item.strip():
                found[item] = None
    return list(found)


def value_help(output_type: str | None, group: MetricGroup | None) -> str:
    """One line under a threshold's value for the types whose value set the API leaves out."""
    kind = (output_type or "").upper()
    if kind == "SCALE":
        span = seen_range(group)
        head = "Scale range not given by the API"
        if span is None:
            return head + "."
        low, high = (format_number(n) for n in span)
        return f"{head}; values seen here: {low if low == high else f'{low} to {high}'}."
    if kind == "CLASSIFICATION":
        classes = seen_classes(group)
        head = "Classes not listed by the API"
        if not classes:
            return head + "; type the class label exactly."
        shown = ", ".join(one_line(c, CLASS_WIDTH) for c in classes[:CLASSES_SHOWN])
        more = "…" if len(classes) > CLASSES_SHOWN else ""
        return f"{head}; seen here: {shown}{more}."
    return ""
