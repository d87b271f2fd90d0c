"""The gate verdict of one conversation: did every check pass?

A check is a metric whose value must be true: a THRESHOLD definition, or by convention a slug
ending in `_check`. The metrics payload does not say a metric's calculation type, so THRESHOLD
checks are only recognised when the caller passes the definitions it knows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from roark_tui.api.metric_values import MetricValue
from roark_tui.api.models import MetricDefinition, MetricGroup
from roark_tui.core.watch import pending as pending_slugs

CHECK_SUFFIX = "_check"
_TRUE = frozenset({"true", "pass", "passed", "yes", "1"})


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

    def summary(self) -> str:
        """`2 of 12 checks failed: a_check, b_check` and the like, for one line."""
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
            parts.append("no checks here, so none failed (checks: THRESHOLD or *_check metrics)")
        elif not parts:
            parts.append(f"{self.passed} of {self.checks} checks passed")
        if self.skipped:
            parts.append(f"{self.skipped} not applicable")
        return "; ".join(parts)


def _names(rows: Iterable[CheckRow]) -> str:
    return ", ".join(dict.fromkeys(r.group.key for r in rows))


def threshold_keys(definitions: Iterable[MetricDefinition]) -> frozenset[str]:
    """Ids and slugs of the THRESHOLD definitions among `definitions`."""
    keys: set[str] = set()
    for d in definitions:
        if (d.calculation_type or "").upper() == "THRESHOLD":
            keys.update(k for k in (d.id, d.slug, d.metric_id) if k)
    return frozenset(keys)


def is_check(group: MetricGroup, thresholds: frozenset[str] = frozenset()) -> bool:
    if group.key.endswith(CHECK_SUFFIX):
        return True
    return any(k in thresholds for k in (group.metric_definition_id, group.slug, group.metric_id))


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
    """The verdict of a conversation's metrics (fetched with status=all)."""
    thresholds = threshold_keys(definitions)
    checks = passed = skipped = 0
    failed: list[CheckRow] = []
    errored: list[CheckRow] = []
    for group in groups:
        if not is_check(group, thresholds):
            continue
        for value in group.values:
            checks += 1
            status = value.capture_status.upper()
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
    return GateResult(verdict, checks, passed, tuple(failed), tuple(errored), skipped, missing)
