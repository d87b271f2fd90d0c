"""The metric value tree as rows: what the TUI's tree and `--print` both show.

One GroupRow per metric (name, type, unit, a compact summary of its values, roll-up counts and
an overall status) and, only when asked, one ValueRow per value (where in the conversation,
participant role, capture status, value text, status). Building group rows reads each value's
status once; value rows are built by `value_rows(row)` when a node is expanded, so a
conversation with 100k values costs what is on screen.

Pass and fail are said in one place, the status (its mark ✔ ✘ leads each row), and only for
checks (core.verdict: thresholds and yes/no metrics the user authored), where a true value means
the check passed. A BOOLEAN whose definition is unknown is marked ? (neither passed nor failed).
A value's text is just the value: a plain BOOLEAN says `true`/`false` (or its definition's
labels) and nothing about good or bad, since its polarity is the metric's own
(`property_transcript_mismatch` is true when a mismatch was found).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from roark_tui.api.metric_values import MetricValue
from roark_tui.api.models import MetricDefinition, MetricGroup
from roark_tui.core.formatting import (
    capture_label,
    context_label,
    format_value,
    unit_label,
)
from roark_tui.core.safe_text import one_line
from roark_tui.core.verdict import DefinitionIndex, Kind, is_true

ORDERS = ("failures", "name", "type")
DEFAULT_ORDER = ORDERS[0]
SUMMARY_WIDTH = 40
VALUE_WIDTH = 80
REASONING_LOOKAHEAD = 100  # values a passing metric is searched for reasoning


class Status(Enum):
    """The state of a value or a metric, worst first."""

    FAIL = "FAIL"  # a check whose value is not true
    ERROR = "ERROR"  # captureStatus ERROR
    PASS = "PASS"  # a check whose value is true
    UNKNOWN = "UNKNOWN"  # a BOOLEAN whose definition is unknown: a check or not, who can say
    NA = "NA"  # NOT_APPLICABLE, DATA_MISSING (or an unknown non-success status)
    NEUTRAL = "NEUTRAL"  # a value that is not a check: nothing to pass or fail


STATUS_MARKS = {
    Status.FAIL: "✘",
    Status.ERROR: "!",
    Status.PASS: "✔",
    Status.UNKNOWN: "?",
    Status.NA: "–",  # noqa: RUF001 - an en dash reads as "nothing here"
    Status.NEUTRAL: "·",
}


@dataclass(frozen=True, slots=True)
class Rollup:
    """Counts of value statuses beneath a node (or a whole conversation)."""

    failing: int = 0
    errors: int = 0
    not_applicable: int = 0
    passed: int = 0
    values: int = 0
    unknown: int = 0

    def __add__(self, other: Rollup) -> Rollup:
        return Rollup(
            self.failing + other.failing,
            self.errors + other.errors,
            self.not_applicable + other.not_applicable,
            self.passed + other.passed,
            self.values + other.values,
            self.unknown + other.unknown,
        )

    def describe(self, *, passing: bool = False) -> str:
        """`2 failing · 1 error · 3 n/a · 1 unknown`: only what is there (unknown: values of
        BOOLEANs whose definition is unknown); empty when all is well. With
        `passing`, a conversation where nothing failed or errored says how many checks
        passed (`14 passing · 1 n/a`), so "all good" is read, not inferred from silence."""
        parts = []
        if passing and self.passed and not (self.failing or self.errors):
            parts.append(f"{self.passed} passing")
        if self.failing:
            parts.append(f"{self.failing} failing")
        if self.errors:
            parts.append(f"{self.errors} error{'s' if self.errors != 1 else ''}")
        if self.not_applicable:
            parts.append(f"{self.not_applicable} n/a")
        if self.unknown:
            parts.append(f"{self.unknown} unknown")
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Display:
    """What a definition adds to reading a value: its boolean labels (the only reading aid a
    definition response carries; a scale's range is not in it)."""

    true_label: str | None = None
    false_label: str | None = None


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One metric. `index` is its position in the payload; `value_indexes`, set by a filter,
    names the values that matched (None: all of them)."""

    index: int
    group: MetricGroup
    kind: Kind
    status: Status
    rollup: Rollup
    summary: str
    display: Display = Display()
    value_indexes: tuple[int, ...] | None = None
    # Cleaned once: sorting, filtering and labels read them for every row, every time.
    name: str = field(init=False)
    key: str = field(init=False)
    output_type: str = field(init=False)

    def __post_init__(self) -> None:
        group = self.group
        object.__setattr__(self, "name", one_line(group.name or group.key))
        object.__setattr__(self, "key", one_line(group.key))
        object.__setattr__(self, "output_type", one_line(group.type or ""))

    @property
    def check(self) -> bool:
        return self.kind is Kind.CHECK

    @property
    def unit(self) -> str:
        """The unit worth naming beside the type (none for counts, ratios, offsets)."""
        return unit_label(self.group.unit, self.group.type)

    @property
    def shown_indexes(self) -> Sequence[int]:
        if self.value_indexes is not None:
            return self.value_indexes
        return range(len(self.group.values))


@dataclass(frozen=True, slots=True)
class ValueRow:
    """One value of a metric. `index` is its position in the metric's `values`."""

    index: int
    value: MetricValue
    label: str
    role: str
    capture: str
    text: str
    status: Status


# --- statuses ----------------------------------------------------------------------------------


def value_status(value: MetricValue, kind: Kind) -> Status:
    return outcome_status(value.capture_status, value.value, kind)


def outcome_status(capture_status: str, value: Any, kind: Kind) -> Status:
    """The status of a value from its capture status and value alone (all a roll-up reads)."""
    capture = capture_status.upper()
    if capture == "ERROR":
        return Status.ERROR
    if capture != "SUCCESS":
        return Status.NA
    if kind is Kind.OBSERVATION:
        return Status.NEUTRAL
    if kind is Kind.UNKNOWN:
        return Status.UNKNOWN
    return Status.PASS if is_true(value) else Status.FAIL


def _group_status(rollup: Rollup, kind: Kind) -> Status:
    if rollup.failing:
        return Status.FAIL
    if rollup.errors:
        return Status.ERROR
    if rollup.values == rollup.not_applicable:
        return Status.NA
    if rollup.unknown:
        return Status.UNKNOWN
    return Status.PASS if kind is Kind.CHECK else Status.NEUTRAL


def _rollup(group: MetricGroup, kind: Kind) -> Rollup:
    failing = errors = na = passed = unknown = 0
    for capture_status, value in group.values.outcomes():
        status = outcome_status(capture_status, value, kind)
        if status is Status.FAIL:
            failing += 1
        elif status is Status.ERROR:
            errors += 1
        elif status is Status.NA:
            na += 1
        elif status is Status.PASS:
            passed += 1
        elif status is Status.UNKNOWN:
            unknown += 1
    return Rollup(failing, errors, na, passed, len(group.values), unknown)


# --- text --------------------------------------------------------------------------------------


def value_text(group: MetricGroup, value: MetricValue, display: Display = Display()) -> str:
    """A value as read in the tree and in `--print`: `false`, `812 ms`, `billing`; for a row
    without a value, its error message or capture status. No pass/fail mark: that is the
    status's. Full length; callers shorten."""
    capture = value.capture_status.upper()
    if capture == "ERROR":
        return f"error: {value.error_message}" if value.error_message else "error"
    if capture != "SUCCESS":
        return capture_label(capture)
    return format_value(
        value.value,
        group.type,
        group.unit,
        true_label=display.true_label,
        false_label=display.false_label,
    )


def _summary(group: MetricGroup, display: Display) -> str:
    count = len(group.values)
    if count == 0:
        return "no values"
    if count > 1:
        return f"{count} values"
    return one_line(value_text(group, group.values[0], display), SUMMARY_WIDTH)


# --- building ----------------------------------------------------------------------------------


def _displays(definitions: Iterable[MetricDefinition]) -> dict[str, Display]:
    found: dict[str, Display] = {}
    for d in definitions:
        display = Display(d.boolean_true_label, d.boolean_false_label)
        if display != Display():
            found.update((k, display) for k in (d.id, d.slug, d.metric_id) if k)
    return found


def build_rows(
    groups: Sequence[MetricGroup], *, definitions: Iterable[MetricDefinition] = ()
) -> list[GroupRow]:
    """One row per metric, in payload order. Definitions say which metrics are checks
    (core.verdict; a BOOLEAN without one is unknown) and give boolean labels."""
    definitions = list(definitions)
    kinds = DefinitionIndex(definitions)
    displays = _displays(definitions)
    rows = []
    for index, group in enumerate(groups):
        kind = kinds.kind(group)
        display = displays.get(group.metric_definition_id) or displays.get(group.key) or Display()
        rollup = _rollup(group, kind)
        status = _group_status(rollup, kind)
        rows.append(GroupRow(index, group, kind, status, rollup, _summary(group, display), display))
    return rows


def value_rows(row: GroupRow) -> list[ValueRow]:
    """The rows of a metric's values (those a filter kept), in payload order."""
    return [value_row(row, index) for index in row.shown_indexes]


def value_row(row: GroupRow, index: int) -> ValueRow:
    """The row of the metric's value at `index` in its `values`."""
    group = row.group
    value = group.values[index]
    return ValueRow(
        index=index,
        value=value,
        label=context_label(value),
        role=one_line(value.participant_role or "").lower(),
        capture=capture_label(value.capture_status),
        text=one_line(value_text(group, value, row.display), VALUE_WIDTH),
        status=value_status(value, row.kind),
    )


def evidence_value(row: GroupRow) -> MetricValue | None:
    """The value whose segment and evidence a collapsed metric shows: its only value, else the
    one that decides its mark."""
    if len(row.group.values) == 1:
        return row.group.values[0]
    deciding = deciding_value(row)
    return deciding.value if deciding is not None else None


def deciding_value(row: GroupRow) -> ValueRow | None:
    """The value a collapsed metric speaks for: of a failing check its first failing value, of
    an errored metric its first errored one; otherwise the first value with reasoning among the
    first REASONING_LOOKAHEAD (a metric of many values is not read whole on a cursor move)."""
    wanted = row.status if row.status in (Status.FAIL, Status.ERROR) else None
    for shown, index in enumerate(row.shown_indexes):
        value = row.group.values[index]
        if wanted is not None:
            if value_status(value, row.kind) is wanted:
                return value_row(row, index)
        elif value.value_reasoning:
            return value_row(row, index)
        elif shown + 1 >= REASONING_LOOKAHEAD:
            break
    return None


def flat_rows(rows: Iterable[GroupRow]) -> Iterator[tuple[GroupRow, ValueRow]]:
    """Every value as (its metric, itself), for the flat list; built as iterated."""
    for row in rows:
        for value in value_rows(row):
            yield row, value


def totals(rows: Iterable[GroupRow]) -> Rollup:
    """The roll-up of a whole conversation."""
    total = Rollup()
    for row in rows:
        total = total + row.rollup
    return total


# --- order, filter, first failure --------------------------------------------------------------


def _rank(status: Status) -> int:
    return {Status.FAIL: 0, Status.ERROR: 1}.get(status, 2)


def sort_rows(rows: Iterable[GroupRow], order: str = DEFAULT_ORDER) -> list[GroupRow]:
    """`failures`: failing, then erroring, then the rest, each by name; `name`; `type`."""
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")

    def by_name(row: GroupRow) -> tuple[str, str]:
        return (row.name.casefold(), row.key.casefold())

    if order == "failures":
        return sorted(rows, key=lambda r: (_rank(r.status), *by_name(r)))
    if order == "type":
        return sorted(rows, key=lambda r: (r.output_type.casefold(), *by_name(r)))
    return sorted(rows, key=by_name)


def next_order(order: str) -> str:
    """The order after `order` in ORDERS (what `s` cycles to)."""
    return ORDERS[(ORDERS.index(order) + 1) % len(ORDERS)] if order in ORDERS else DEFAULT_ORDER


def _haystack(row: GroupRow, value: MetricValue) -> Iterator[str]:
    yield value_text(row.group, value, row.display)
    yield value.value_reasoning or ""
    for segment in (value.segment, value.from_segment, value.to_segment):
        if segment is not None:
            yield segment.text


def filter_groups(rows: Iterable[GroupRow], text: str) -> list[GroupRow]:
    """The metrics whose name or slug contains `text` (all their values), plus those with
    values whose text, reasoning or segment text contains it (only those values).
    Case-insensitive; an empty `text` keeps everything."""
    needle = text.strip().casefold()
    rows = list(rows)
    if not needle:
        return rows
    kept = []
    for row in rows:
        group = row.group
        names = (group.name, group.slug, group.metric_id)
        if any(needle in n.casefold() for n in names if n):
            kept.append(replace(row, value_indexes=None))
            continue
        matching = tuple(
            i
            for i, value in enumerate(group.values)
            if any(needle in hay.casefold() for hay in _haystack(row, value))
        )
        if matching:
            kept.append(replace(row, value_indexes=matching))
    return kept


def first_failure(rows: Iterable[GroupRow], order: str = DEFAULT_ORDER) -> tuple[int, int] | None:
    """Where the first failing check value is, else the first errored value, as (position in
    `sort_rows(rows, order)`, position in that row's `value_rows`); None when there is none."""
    ordered = sort_rows(rows, order)
    for wanted in (Status.FAIL, Status.ERROR):
        for position, row in enumerate(ordered):
            count = row.rollup.failing if wanted is Status.FAIL else row.rollup.errors
            if not count:
                continue
            for shown, index in enumerate(row.shown_indexes):
                if value_status(row.group.values[index], row.kind) is wanted:
                    return position, shown
    return None
