"""A simulation run's results made readable: the verdict in words, checks worst first, calls
failed first, and what a CI gate makes of it.

Everything here is Roark's own judgement read back, never recomputed: a run passed only when
`verdict.passed` is true; a missing verdict (still running, or nothing to judge) is never a pass.
Pure functions over the tolerant models of api/runs.py: any field may be missing.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from roark_tui.api.runs import (
    SETTLED_RUN_STATUSES,
    RunCall,
    RunResults,
    Theme,
    VerdictFailure,
)
from roark_tui.core.conversation_ref import _QUOTES, _UUID, _checked
from roark_tui.core.formatting import format_duration

NO_VALUE = "—"


class RunOutcome(enum.Enum):
    """What a gate reads from a run: Roark's verdict, or why there is none."""

    PASSED = "PASSED"
    FAILED = "FAILED"  # Roark's verdict failed a run that completed
    NOT_COMPLETED = "NOT COMPLETED"  # the run ended without completing: its verdict is moot
    NO_VERDICT = "NO VERDICT"  # settled with nothing to judge (no checks)
    RUNNING = "RUNNING"  # not settled: a verdict comes only at the end


# --- small words -----------------------------------------------------------------------------


def run_label(run_number: int | None, job_id: str | None = None) -> str:
    """`SR-42` as the dashboard shows it; the id's start when the number is unknown."""
    if run_number is not None:
        return f"SR-{run_number}"
    return (job_id or "?")[:8]


def pct(rate: float | None) -> str:
    """`66.7%` (0-100 rates as the API sends them), `—` when there is none."""
    if rate is None:
        return NO_VALUE
    return f"{rate:.1f}".rstrip("0").rstrip(".") + "%"


def delta_text(delta: float | None) -> str:
    """`+5 pts`, `-33.3 pts`, `±0 pts`; empty when there is no baseline for it."""
    if delta is None:
        return ""
    if delta == 0:
        return "±0 pts"
    shown = f"{delta:+.1f}".rstrip("0").rstrip(".")
    return f"{shown} pts"


def status_words(status: str | None) -> str:
    """A run status for people (`RUNNING SIMULATIONS`); an unknown one as it comes."""
    return (status or "UNKNOWN").replace("_", " ")


def duration_text(ms: float | None) -> str:
    return format_duration(ms) if ms is not None else NO_VALUE


def is_settled(status: str | None) -> bool:
    return status in SETTLED_RUN_STATUSES


def parse_run_ref(text: str) -> str:
    """The run (plan job) id in what was typed or pasted: a bare id, or the last UUID of a run
    URL that is not a project's or a plan's; ValueError says what is wrong."""
    given = (text or "").strip().strip(_QUOTES).strip()
    if not given:
        raise ValueError("Give a run id (a simulation run plan job id) or paste its URL")
    if "/" not in given and "?" not in given:
        return _checked(given)
    words = re.split(r"[/?&=#]", given)
    for before, word in reversed(list(zip(["", *words], words, strict=False))):
        if _UUID.fullmatch(word) and before.lower() not in _NOT_A_RUN:
            return word
    raise ValueError("No run id found in that URL")


_NOT_A_RUN = frozenset({"project", "projects", "plan", "plans", "org", "orgs", "organization"})


# --- the verdict in words --------------------------------------------------------------------


def _check_name(failure: VerdictFailure) -> str:
    return failure.metric_name or failure.metric_definition_id or "a check"


def failure_words(failure: VerdictFailure) -> str:
    """One member of `verdict.failures` as a sentence; an unknown kind shown as it comes."""
    kind = failure.type or "UNKNOWN"
    if kind == "RUN_NOT_COMPLETED":
        return f"The run did not complete: it ended {status_words(failure.status)}."
    if kind == "INCOMPLETE_COVERAGE":
        return (
            f"Incomplete coverage: {_count(failure.evaluated_calls)} of "
            f"{_count(failure.expected_calls)} expected calls were evaluated."
        )
    if kind == "AGENT_NEVER_SPOKE":
        agent = f"{failure.agent_name} " if failure.agent_name else "The agent "
        return (
            f"{agent}never spoke on {_count(failure.never_spoke_calls)} of "
            f"{_count(failure.total_calls)} calls (at most {pct(failure.max_share)} may be "
            "silent)."
        )
    if kind == "METRIC_NOT_EVALUATED":
        return f"{_check_name(failure)} was not evaluated on any call."
    if kind == "METRIC_BELOW_MIN_PASS_RATE":
        minimum = "the 80% default" if failure.inherited else "its own minimum"
        return (
            f"{_check_name(failure)} passed {pct(failure.pass_rate)} of calls, below "
            f"{pct(failure.min_pass_rate)} ({minimum})."
        )
    extra = failure.metric_name or failure.status or ""
    return f"{kind}{': ' + extra if extra else ''}"


def _count(value: int | None) -> str:
    return NO_VALUE if value is None else str(value)


def outcome(results: RunResults) -> RunOutcome:
    """Roark's verdict as a gate reads it."""
    status = results.status
    failures = results.verdict.failures if results.verdict is not None else []
    if not is_settled(status):
        return RunOutcome.RUNNING
    if status != "COMPLETED" or any(f.type == "RUN_NOT_COMPLETED" for f in failures):
        return RunOutcome.NOT_COMPLETED
    if results.verdict is None or results.verdict.passed is None:
        return RunOutcome.NO_VERDICT
    return RunOutcome.PASSED if results.verdict.passed else RunOutcome.FAILED


def headline(results: RunResults) -> str:
    """The verdict in a few words: `FAILED · score 79.2 · 2 of 4 checks below their minimum`."""
    result = outcome(results)
    verdict = results.verdict
    if result is RunOutcome.RUNNING:
        return f"{status_words(results.status)} · a verdict comes only when the run ends"
    if result is RunOutcome.NO_VERDICT:
        return "NO VERDICT · the run had nothing to judge, which is not a pass"
    if result is RunOutcome.NOT_COMPLETED:
        return f"NOT COMPLETED · the run ended {status_words(results.status)}, so it cannot pass"
    parts = [result.value]
    if verdict is not None and verdict.score is not None:
        parts.append(f"score {verdict.score:.1f}".rstrip("0").rstrip("."))
    if verdict is not None and verdict.checks:
        failing = sum(1 for c in verdict.checks if c.passed is False)
        total = len(verdict.checks)
        if failing:
            parts.append(f"{failing} of {total} checks below their minimum")
        else:
            parts.append(f"all {total} checks at or above their minimum")
    return " · ".join(parts)


def reasons(results: RunResults) -> list[str]:
    """Why the run failed, one sentence per failure member (empty when it did not)."""
    if results.verdict is None:
        return []
    return [failure_words(f) for f in results.verdict.failures]


# --- checks worst first ----------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRow:
    metric_definition_id: str
    name: str
    pass_rate: float | None
    min_pass_rate: float | None
    passed: bool | None
    evaluated: int | None
    passed_calls: int | None
    delta: float | None
    baseline_rate: float | None

    @property
    def margin(self) -> float | None:
        """How far above (+) or below (-) its minimum the check landed."""
        if self.pass_rate is None or self.min_pass_rate is None:
            return None
        return self.pass_rate - self.min_pass_rate


def check_rows(results: RunResults) -> list[CheckRow]:
    """The run's checks, worst first: failing ones by how far below their minimum, then the
    rest by pass rate. While the run is in progress (no verdict yet) they come from the
    metrics' check tallies, without a minimum."""
    deltas = {}
    if results.comparison is not None:
        deltas = {c.metric_definition_id: c for c in results.comparison.checks}
    rows: list[CheckRow] = []
    if results.verdict is not None and results.verdict.checks:
        for check in results.verdict.checks:
            def_id = check.metric_definition_id or ""
            compared = deltas.get(def_id)
            rows.append(
                CheckRow(
                    def_id,
                    check.metric_name or _metric_name(results, def_id) or def_id or "?",
                    check.pass_rate,
                    check.min_pass_rate,
                    check.passed,
                    check.evaluated_sims,
                    check.passed_sims,
                    compared.delta if compared else None,
                    compared.baseline_pass_rate if compared else None,
                )
            )
    else:
        for metric in results.metrics:
            if not metric.is_check:
                continue
            def_id = metric.metric_definition_id or ""
            tally = metric.check
            compared = deltas.get(def_id)
            rows.append(
                CheckRow(
                    def_id,
                    metric.name or def_id or "?",
                    tally.pass_rate if tally else None,
                    None,
                    None,
                    tally.evaluated_calls if tally else None,
                    tally.passed_calls if tally else None,
                    compared.delta if compared else None,
                    compared.baseline_pass_rate if compared else None,
                )
            )
    return sorted(rows, key=_check_order)


def _check_order(row: CheckRow) -> tuple[int, float, str]:
    rank = {False: 0, None: 1, True: 2}[row.passed]
    margin = row.margin if row.margin is not None else (row.pass_rate or 0.0)
    return (rank, margin, row.name.lower())


def _metric_name(results: RunResults, def_id: str) -> str | None:
    for metric in results.metrics:
        if metric.metric_definition_id == def_id:
            return metric.name
    return None


# --- calls failed first ----------------------------------------------------------------------


@dataclass(frozen=True)
class CallRow:
    call: RunCall
    failing: tuple[str, ...]  # names of the checks it failed, worst check first
    failing_ids: tuple[str, ...]

    @property
    def verdict(self) -> str:
        if self.call.counted is False:
            return "NOT COUNTED"
        if self.call.passed is True:
            return "PASS"
        if self.call.passed is False:
            return "FAIL"
        return NO_VALUE


def call_rows(results: RunResults, checks: Sequence[CheckRow] | None = None) -> list[CallRow]:
    """The run's calls, failed first (most failing checks first), then ungraded, then passed;
    each with the checks it failed, named in the order of the worst check first."""
    order = {row.metric_definition_id: i for i, row in enumerate(checks or check_rows(results))}
    rows = []
    for call in results.calls:
        failed = sorted(
            call.failed_checks, key=lambda c: order.get(c.metric_definition_id or "", len(order))
        )
        rows.append(
            CallRow(
                call,
                tuple(c.metric_name or c.metric_definition_id or "?" for c in failed),
                tuple(c.metric_definition_id or "" for c in failed),
            )
        )
    return sorted(rows, key=_call_order)


def _call_order(row: CallRow) -> tuple[int, int]:
    rank = {False: 0, None: 1, True: 2}[row.call.passed]
    return (rank, -len(row.failing))


def calls_failing(rows: Sequence[CallRow], metric_definition_id: str) -> list[CallRow]:
    """The calls that failed one check."""
    return [row for row in rows if metric_definition_id in row.failing_ids]


def calls_of_theme(rows: Sequence[CallRow], theme: Theme) -> list[CallRow]:
    """The calls a debrief theme is about, in the report's order."""
    wanted = set(theme.call_ids)
    return [row for row in rows if row.call.call_id in wanted]


def worst_calls(rows: Sequence[CallRow], limit: int = 5) -> list[CallRow]:
    return [row for row in rows if row.call.passed is False][:limit]
