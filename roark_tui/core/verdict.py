"""What a check is, and the gate verdict of one conversation: did every check pass?

Roark's rule: a check is a metric that yields a pass/fail, either a THRESHOLD metric or a
yes/no (BOOLEAN) metric the user authored (LLM_JUDGE, FORMULA or PATTERN). A PROVIDER reading is
an observation: its `true` means whatever the field means, so it has no passing side, BOOLEAN or
not. Only a metric's definition says its calculation type (the metrics payload does not), so a
BOOLEAN metric whose definition is unknown is neither: its values count as neither passed nor
failed, and are reported as unknown rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from roark_tui.api.metric_values import MetricValue
from roark_tui.api.models import MetricDefinition, MetricGroup
from roark_tui.core.watch import pending as pending_slugs

AUTHORED = frozenset({"LLM_JUDGE", "FORMULA", "PATTERN"})
UNKNOWN_REASON = "unknown: definition not found"
_TRUE = frozenset({"true", "pass", "passed", "yes", "1"})


class Kind(Enum):
    """Whether a metric passes or fails (CHECK), only observes (OBSERVATION), or cannot be
    told because its definition is unknown (UNKNOWN)."""

    CHECK = "check"
    OBSERVATION = "observation"
    UNKNOWN = "unknown"


def check_kind(definition: MetricDefinition | None, value_type: str | None = None) -> Kind:
    """Roark's rule from the definition's calculationType and type. `value_type` is the type
    the metrics payload gives: without a definition, a metric known not to be BOOLEAN is no
    check (a THRESHOLD is always BOOLEAN), and a BOOLEAN one (or one of no stated type) is
    unknown. A definition of a calculation type Roark does not document is unknown too."""
    output = ((definition.type if definition else None) or value_type or "").upper()
    if definition is None or not definition.calculation_type:
        return Kind.UNKNOWN if output in ("", "BOOLEAN") else Kind.OBSERVATION
    calculation = definition.calculation_type.upper()
    if calculation == "THRESHOLD":
        return Kind.CHECK
    if calculation == "PROVIDER" or output != "BOOLEAN":
        return Kind.OBSERVATION
    return Kind.CHECK if calculation in AUTHORED else Kind.UNKNOWN


class DefinitionIndex:
    """Definitions by id, slug and metricId, to find a metric's own: the one place that says
    which metrics of a conversation are checks."""

    def __init__(self, definitions: Iterable[MetricDefinition] = ()) -> None:
        self._by_key: dict[str, MetricDefinition] = {}
        for d in definitions:
            for key in (d.id, d.slug, d.metric_id):
                if key:
                    self._by_key.setdefault(key, d)

    def of(self, group: MetricGroup) -> MetricDefinition | None:
        for key in (group.metric_definition_id, group.slug, group.metric_id):
            found = self._by_key.get(key) if key else None
            if found is not None:
                return found
        return None

    def kind(self, group: MetricGroup) -> Kind:
        return check_kind(self.of(group), group.type)


class Verdict(Enum):
    """Ordered from best to worst; within one conversation the worst row wins.

    A failed check outranks an errored one: it is a definite answer, the error only an
    unknown. PENDING (an expected metric has no row) ranks below both, since what did arrive
    already decides the gate.
    """

    PASS = 0
    PENDING = 1
    ERROR = 2
    FAIL = 3


@dataclass(frozen=True)
class CheckRow:
    """One value row of a check that did not pass."""

    group: MetricGroup
    value: MetricValue
    reason: str


@dataclass(frozen=True)
class GateResult:
    verdict: Verdict
    checks: int
    passed: int
    failed: tuple[CheckRow, ...]
    errored: tuple[CheckRow, ...]
    skipped: int
    pending: tuple[str, ...]
    unknown: tuple[CheckRow, ...] = ()  # values of metrics whose definition is unknown

    def summary(self) -> str:
        """`2 of 12 checks failed: a, b` and the like, for one line."""
        parts: list[str] = []
        if self.failed:
            parts.append(
                f"{len(self.failed)} of {self.checks} checks failed: {_names(self.failed)}"
            )
        if self.errored:
            parts.append(f"{len(self.errored)} errored: {_names(self.errored)}")
        if self.pending:
            parts.append(f"{len(self.pending)} pending: {', '.join(self.pending)}")
        if not parts and not self.checks:
            parts.append(
                "no checks here, so none failed (checks: thresholds and yes/no metrics you "
                "authored)"
            )
        elif not parts:
            parts.append(f"{self.passed} of {self.checks} checks passed")
        if self.skipped:
            parts.append(f"{self.skipped} not applicable")
        if self.unknown:
            parts.append(f"{len(self.unknown)} {UNKNOWN_REASON}: {_names(self.unknown)}")
        return "; ".join(parts)


def _names(rows: Iterable[CheckRow]) -> str:
    return ", ".join(dict.fromkeys(r.group.key for r in rows))


def is_true(value: object) -> bool:
    """A check's value counts as passing only when it is plainly true."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == 1
    return isinstance(value, str) and value.strip().lower() in _TRUE


def _fail_reason(value: MetricValue) -> str:
    if value.value_reasoning:
        return value.value_reasoning
    return f"value is {value.value!r}, not true"


def gate(
    groups: Sequence[MetricGroup],
    *,
    definitions: Iterable[MetricDefinition] = (),
    expected: Sequence[str] = (),
) -> GateResult:
    """The verdict of a conversation's metrics (fetched with status=all). A value of a metric
    whose definition is unknown neither passes nor fails: it is listed as unknown. A metric the
    API sent but that could not be read is an errored check: it may have been one."""
    index = DefinitionIndex(definitions)
    checks = passed = skipped = 0
    failed: list[CheckRow] = []
    errored: list[CheckRow] = []
    unknown: list[CheckRow] = []
    for group in groups:
        if group.unreadable is not None:  # it may have been a check: never a silent pass
            checks += 1
            errored.append(CheckRow(group, group.values[0], group.unreadable))
            continue
        kind = index.kind(group)
        if kind is Kind.OBSERVATION:
            continue
        for value in group.values:
            status = value.capture_status.upper()
            if kind is Kind.UNKNOWN:
                if status == "SUCCESS":
                    unknown.append(CheckRow(group, value, UNKNOWN_REASON))
                continue
            checks += 1
            if status == "ERROR":
                errored.append(CheckRow(group, value, value.error_message or "computation failed"))
            elif status != "SUCCESS":
                skipped += 1
            elif is_true(value.value):
                passed += 1
            else:
                failed.append(CheckRow(group, value, _fail_reason(value)))
    missing = tuple(pending_slugs(groups, expected))
    if failed:
        verdict = Verdict.FAIL
    elif errored:
        verdict = Verdict.ERROR
    elif missing:
        verdict = Verdict.PENDING
    else:
        verdict = Verdict.PASS
    return GateResult(
        verdict, checks, passed, tuple(failed), tuple(errored), skipped, missing, tuple(unknown)
    )
