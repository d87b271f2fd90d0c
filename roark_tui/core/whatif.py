"""Would this threshold pass on that conversation? A local reading of a threshold draft.

A THRESHOLD metric (docs/contract.md) is true — it *fires*, in the API's word, and as a check
it passes — when its source metric's values on a conversation satisfy `<values> <operator>
<value>` under the aggregation mode. The API documents the fields but not the arithmetic, so
this module states the reading it uses:

- Inputs: only `captureStatus == SUCCESS` rows carry a value; the others (NOT_APPLICABLE,
  DATA_MISSING, ERROR) are skipped and counted. With `sourceParticipantRole`, only rows whose
  lower-case `participantRole` matches the upper-case API role are kept (rows without a role are
  left out). When a metric has per-unit rows (SEGMENT / SEGMENT_RANGE) as well as CALL rows, the
  per-unit rows are the inputs and the CALL rows (the whole-conversation roll-up of the same
  units) are left out and counted, so nothing is counted twice.
- EACH: fires if any single value satisfies the comparison.
- COUNT: fires when the number of values satisfying the comparison is >= `countThreshold`.
- AVERAGE / MIN / MAX / MEDIAN / P95 / P99 / SUM: fires when the aggregate of the values
  satisfies the comparison. MEDIAN of an even count is the mean of the two middle values;
  P95/P99 use linear interpolation between closest ranks (Hyndman & Fan type 7, numpy's and
  Excel PERCENTILE.INC's default): rank h = (n - 1) * p, result x[floor h] + (h - floor h) *
  (x[floor h + 1] - x[floor h]).
- Types: COUNT, NUMERIC, SCALE and OFFSET compare numerically; BOOLEAN values compare as the
  strings "true"/"false" and only with EQUALS/NOT_EQUALS; CLASSIFICATION and TEXT compare as exact
  strings, also only with EQUALS/NOT_EQUALS. A value holding several classes (a list, when
  maxClassifications > 1) EQUALS the threshold when the threshold is one of them, and is
  NOT_EQUALS when it is none of them. Aggregates need numbers. A value that cannot be read
  as its type is counted as unreadable and never satisfies. An unknown output type is read from
  the threshold value itself (a number, else true/false, else a string).
- `fires` is None when the question has no answer: no usable values, a comparison the type does
  not support, an unreadable threshold value, or COUNT without a countThreshold.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from roark_tui.api.metric_values import MetricValue
from roark_tui.core.safe_text import one_line

NUMERIC_TYPES = frozenset({"COUNT", "NUMERIC", "SCALE", "OFFSET"})
STRING_TYPES = frozenset({"TEXT", "CLASSIFICATION"})
AGGREGATES = ("AVERAGE", "MIN", "MAX", "MEDIAN", "P95", "P99", "SUM")
EQUALITY_OPERATORS = frozenset({"EQUALS", "NOT_EQUALS"})
PER_UNIT_CONTEXTS = frozenset({"SEGMENT", "SEGMENT_RANGE"})
SHOWN_MAX = 40  # characters of a text value in the what-if

OPERATOR_SYMBOLS = {
    "GREATER_THAN": ">",
    "GREATER_THAN_OR_EQUALS": "≥",
    "LESS_THAN": "<",
    "LESS_THAN_OR_EQUALS": "≤",
    "EQUALS": "=",
    "NOT_EQUALS": "≠",
}
OPERATOR_WORDS = {
    "GREATER_THAN": "greater than",
    "GREATER_THAN_OR_EQUALS": "at least",
    "LESS_THAN": "less than",
    "LESS_THAN_OR_EQUALS": "at most",
    "EQUALS": "equal to",
    "NOT_EQUALS": "not equal to",
}
# When each mode fires, in a few words ("matches" = satisfies the comparison); short enough to
# sit beside the mode in a select at 80 columns.
AGGREGATION_EXPLANATIONS = {
    "EACH": "any one value matches",
    "COUNT": "≥ countThreshold values match",
    "AVERAGE": "the mean of the values matches",
    "MIN": "the smallest value matches",
    "MAX": "the largest value matches",
    "MEDIAN": "the middle value matches",
    "P95": "the 95th percentile matches",
    "P99": "the 99th percentile matches",
    "SUM": "the total of the values matches",
}

Kind = Literal["number", "boolean", "string"]


@dataclass(frozen=True)
class Rule:
    """The parts of a threshold that decide whether it fires."""

    operator: str
    value: str
    aggregation_mode: str = "EACH"
    count_threshold: int | None = None
    source_participant_role: str | None = None


@dataclass(frozen=True)
class Judged:
    """One input value: how it reads (`shown`), whether it satisfies the comparison (None when
    it could not be read as the source's type, or the rule could not be evaluated yet), and
    whether it could be read at all."""

    row: MetricValue
    shown: str
    satisfies: bool | None
    readable: bool = True


@dataclass(frozen=True)
class WhatIf:
    """The outcome of evaluating a Rule on one metric's rows of one conversation."""

    fires: bool | None
    mode: str
    reason: str  # the values that decided it, or why there is no answer
    judged: tuple[Judged, ...] = ()
    skipped_status: dict[str, int] = field(default_factory=dict)
    skipped_role: int = 0
    skipped_call_rows: int = 0
    count: int | None = None
    count_threshold: int | None = None
    aggregate: float | None = None

    @property
    def explanation(self) -> str:
        """The verdict and its reason in one sentence: "Passes: the MAX of 3 values is …"."""
        if self.fires is None:
            return self.reason
        return f"{'Passes' if self.fires else 'Fails'}: {self.reason}"

    @property
    def skipped(self) -> int:
        """How many non-SUCCESS rows were left out."""
        return sum(self.skipped_status.values())

    @property
    def unreadable(self) -> int:
        return sum(1 for j in self.judged if not j.readable)

    @property
    def passing(self) -> tuple[Judged, ...]:
        return tuple(j for j in self.judged if j.satisfies)

    @property
    def failing(self) -> tuple[Judged, ...]:
        return tuple(j for j in self.judged if j.satisfies is False)


def kind_of(output_type: str | None, threshold_value: str = "") -> Kind:
    """How values of `output_type` compare; unknown types are read from the threshold value."""
    if output_type in NUMERIC_TYPES:
        return "number"
    if output_type == "BOOLEAN":
        return "boolean"
    if output_type in STRING_TYPES:
        return "string"
    if parse_number(threshold_value) is not None:
        return "number"
    if parse_boolean(threshold_value) is not None:
        return "boolean"
    return "string"


def parse_number(raw: Any) -> float | None:
    """A finite number from a JSON number or numeric string; booleans are not numbers."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        number = float(raw)
    elif isinstance(raw, str):
        try:
            number = float(raw.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def parse_boolean(raw: Any) -> str | None:
    """ "true"/"false" from a JSON boolean or a string spelling of one."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        return raw.strip().lower()
    return None


def format_number(number: float) -> str:
    """Up to three decimals, no trailing zeros: 1500.0 -> "1500", 0.12345 -> "0.123"."""
    if number.is_integer():
        return str(int(number))
    text = f"{number:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def compare(operator: str, left: Any, right: Any) -> bool:
    """`left <operator> right` for two values of the same kind."""
    match operator:
        case "GREATER_THAN":
            return bool(left > right)
        case "GREATER_THAN_OR_EQUALS":
            return bool(left >= right)
        case "LESS_THAN":
            return bool(left < right)
        case "LESS_THAN_OR_EQUALS":
            return bool(left <= right)
        case "EQUALS":
            return bool(left == right)
        case "NOT_EQUALS":
            return bool(left != right)
    raise ValueError(f"unknown operator {operator!r}")


def percentile(values: Sequence[float], p: float) -> float:
    """The p-quantile (0..1) by linear interpolation between closest ranks (type 7)."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (rank - low) * (ordered[high] - ordered[low])


def aggregate(mode: str, values: Sequence[float]) -> float:
    """One of AGGREGATES over a non-empty sequence."""
    match mode:
        case "AVERAGE":
            return math.fsum(values) / len(values)
        case "MIN":
            return min(values)
        case "MAX":
            return max(values)
        case "MEDIAN":
            return percentile(values, 0.5)
        case "P95":
            return percentile(values, 0.95)
        case "P99":
            return percentile(values, 0.99)
        case "SUM":
            return math.fsum(values)
    raise ValueError(f"unknown aggregation mode {mode!r}")


def select_inputs(
    rows: Sequence[MetricValue], role: str | None
) -> tuple[list[MetricValue], dict[str, int], int, int]:
    """The rows a threshold reads: (inputs, skipped by status, skipped by role, CALL rows left
    out because per-unit rows exist)."""
    skipped: Counter[str] = Counter()
    usable: list[MetricValue] = []
    for row in rows:
        status = row.capture_status.upper()
        if status != "SUCCESS":
            skipped[status] += 1
        else:
            usable.append(row)
    kept = usable
    if role:
        wanted = role.strip().upper()
        kept = [r for r in usable if (r.participant_role or "").upper() == wanted]
    skipped_role = len(usable) - len(kept)
    per_unit = [r for r in kept if (r.context or "").upper() in PER_UNIT_CONTEXTS]
    if per_unit and len(per_unit) < len(kept):
        call_rows = sum(1 for r in kept if (r.context or "CALL").upper() == "CALL")
        kept = [r for r in kept if (r.context or "CALL").upper() != "CALL"]
        return kept, dict(skipped), skipped_role, call_rows
    return kept, dict(skipped), skipped_role, 0


def _read_string(raw: Any) -> str | None:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int | float):
        return format_number(float(raw))
    return None


def _read(kind: Kind, raw: Any) -> Any:
    """A value as its kind compares, or None when it cannot be read so. A list of strings
    (several classes) reads as a tuple."""
    if kind == "number":
        return parse_number(raw)
    if kind == "boolean":
        return parse_boolean(raw)
    if isinstance(raw, list | tuple):
        items = [_read_string(item) for item in raw]
        return tuple(items) if items and None not in items else None
    return _read_string(raw)


def _satisfies(operator: str, read: Any, target: Any) -> bool:
    """`read <operator> target`; a tuple of classes matches when the target is among them."""
    if isinstance(read, tuple):
        return (target in read) is (operator == "EQUALS")
    return compare(operator, read, target)


def _show(kind: Kind, read: Any, raw: Any, unit: str | None) -> str:
    """A value as the what-if prints it: numbers with their unit, API text made safe and short."""
    if read is None:
        return "(no value)" if raw is None else one_line(repr(raw), SHOWN_MAX)
    if kind == "number":
        return f"{format_number(read)} {unit}" if unit else format_number(read)
    if isinstance(read, tuple):
        return one_line(", ".join(read), SHOWN_MAX)
    return one_line(read, SHOWN_MAX)


def _plural(n: int, word: str = "value") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _rule_problem(rule: Rule, kind: Kind, mode: str, output_type: str | None) -> str | None:
    """Why the rule cannot be evaluated yet (incomplete or not valid for the type), else None."""
    symbol = OPERATOR_SYMBOLS.get(rule.operator, rule.operator)
    if rule.operator not in OPERATOR_SYMBOLS:
        return "Pick an operator."
    if kind != "number" and rule.operator not in EQUALITY_OPERATORS:
        return f"{symbol} needs numbers; {output_type or kind} values take = or ≠."
    if mode not in AGGREGATION_EXPLANATIONS:
        return f"Unknown aggregation mode {mode}."
    if mode in AGGREGATES and kind != "number":
        return f"{mode} needs numbers; {output_type or kind} values take EACH or COUNT."
    if not rule.value.strip():
        return "Enter the value to compare against."
    if _read(kind, rule.value) is None:
        return f"The threshold value {one_line(repr(rule.value), SHOWN_MAX)} is not a {kind}."
    if mode == "COUNT" and rule.count_threshold is None:
        return "COUNT needs a countThreshold."
    return None


def _listed(passing: Sequence[Judged], target: str) -> str:
    """The distinct values that matched, when they say more than the target itself does."""
    distinct = list(dict.fromkeys(j.shown for j in passing))
    if distinct == [target]:
        return ""
    return " (" + ", ".join(distinct[:5]) + ("…" if len(distinct) > 5 else "") + ")"


def evaluate(
    rule: Rule,
    rows: Sequence[MetricValue],
    *,
    output_type: str | None,
    unit: str | None = None,
) -> WhatIf:
    """Evaluate `rule` on one metric's rows of one conversation (see the module docstring).

    When the rule cannot be evaluated yet, the inputs still come back (read, not judged), so a
    screen can show the values a threshold would be set against.
    """
    mode = (rule.aggregation_mode or "EACH").upper()
    inputs, skipped, skipped_role, call_rows = select_inputs(rows, rule.source_participant_role)
    kind = kind_of(output_type, rule.value)
    symbol = OPERATOR_SYMBOLS.get(rule.operator, rule.operator)
    reads = [(row, _read(kind, row.value)) for row in inputs]

    def make(fires: bool | None, text: str, judged: tuple[Judged, ...], **extra: Any) -> WhatIf:
        return WhatIf(
            fires=fires,
            mode=mode,
            reason=text,
            judged=judged,
            skipped_status=skipped,
            skipped_role=skipped_role,
            skipped_call_rows=call_rows,
            **extra,
        )

    problem = _rule_problem(rule, kind, mode, output_type)
    if problem is not None:
        unjudged = tuple(
            Judged(row, _show(kind, read, row.value, unit), None, readable=read is not None)
            for row, read in reads
        )
        return make(None, problem, unjudged)
    target = _read(kind, rule.value)
    shown_target = _show(kind, target, rule.value, unit)
    judged = tuple(
        Judged(
            row,
            _show(kind, read, row.value, unit),
            None if read is None else _satisfies(rule.operator, read, target),
            readable=read is not None,
        )
        for row, read in reads
    )
    readable = [j for j in judged if j.readable]
    if not readable:
        why = "No SUCCESS values to judge" if not judged else "No value could be read"
        return make(None, f"{why}.", judged)

    passing = [j for j in readable if j.satisfies]
    if mode == "EACH":
        if passing:
            text = f"{len(passing)} of {_plural(len(readable))} {symbol} {shown_target}"
            text += _listed(passing, shown_target) + "."
        else:
            text = f"none of {_plural(len(readable))} is {symbol} {shown_target}."
        return make(bool(passing), text, judged)

    if mode == "COUNT":
        needed = rule.count_threshold or 0
        fires = len(passing) >= needed
        text = (
            f"{len(passing)} of {_plural(len(readable))} {symbol} {shown_target}; "
            f"needs at least {needed}."
        )
        return make(fires, text, judged, count=len(passing), count_threshold=needed)

    result = aggregate(mode, [parse_number(j.row.value) or 0.0 for j in readable])
    fires = compare(rule.operator, result, target)
    shown_result = _show("number", result, result, unit)
    relation = symbol if fires else f"not {symbol}"
    text = f"the {mode} of {_plural(len(readable))} is {shown_result}, {relation} {shown_target}."
    return make(fires, text, judged, aggregate=result)


def summarize(result: WhatIf) -> str:
    """What was left out, in one line ("" when nothing was)."""
    parts = []
    if result.skipped:
        by = ", ".join(f"{n} {s}" for s, n in sorted(result.skipped_status.items()))
        parts.append(f"{_plural(result.skipped, 'non-SUCCESS row')} skipped ({by})")
    if result.skipped_role:
        parts.append(f"{_plural(result.skipped_role, 'row')} of other roles left out")
    if result.skipped_call_rows:
        parts.append(f"{_plural(result.skipped_call_rows, 'CALL roll-up row')} left out")
    if result.unreadable:
        parts.append(f"{_plural(result.unreadable)} unreadable")
    return "; ".join(parts)
