"""How the sandbox scores one metric on one conversation when a collection job asks it to.

The sandbox has no judge model; its rules, stated so that the demo can be reasoned about:

- THRESHOLD: evaluated on the conversation's current values of its source (re-scored ones
  included). Inputs are SUCCESS rows (of `sourceParticipantRole` only, when set); where a source
  has per-unit rows (SEGMENT, SEGMENT_RANGE) those are the inputs and its CALL roll-up is not.
  EACH passes when any value satisfies the comparison, COUNT when at least `countThreshold` do,
  AVERAGE/MIN/MAX/MEDIAN/P95/P99/SUM when the aggregate does (percentiles interpolate between
  closest ranks). One CALL row; NOT_APPLICABLE when the source has no usable value.
- LLM_JUDGE at its seeded version: the seeded values again (a judge is deterministic here).
- LLM_JUDGE with an edited prompt: the stand-in judge. Each row of the seeded reading is
  scored again from a hash of (prompt, conversation, row): a BOOLEAN reads true or false, a
  SCALE lands within the metric's scale, a COUNT or NUMERIC moves to between half and one and
  a half times its seeded value; TEXT and CLASSIFICATION keep theirs. The same prompt always
  gives the same values; another prompt usually other ones.
- PROVIDER, FORMULA, PATTERN: the seeded values again (their inputs did not change here).
- A metric with no seeded reading on the conversation is NOT_APPLICABLE; a seeded ERROR row
  errors again.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from typing import Any

from roark_tui.sandbox import catalog, operators
from roark_tui.sandbox.conversations import POLICY_IDS

Lookup = Callable[[str], "dict[str, Any] | None"]
PER_UNIT = ("SEGMENT", "SEGMENT_RANGE")
AGGREGATES = ("AVERAGE", "MIN", "MAX", "MEDIAN", "P95", "P99", "SUM")


def score(
    definition: dict[str, Any],
    conv_id: str,
    seeded: dict[str, Any] | None,
    current: Callable[[str], dict[str, Any] | None],
    lookup: Lookup,
    stamp: str,
) -> dict[str, Any]:
    """The metric group `definition` gets on the conversation now. `seeded` is its group in
    the demo data (or None), `current(def_id)` any metric's group as served now."""
    group = catalog.group_header(definition)
    kind = definition["calculationType"]
    if kind == "THRESHOLD":
        values = [_threshold_row(definition, current, lookup, stamp)]
    elif seeded is None or not seeded["values"]:
        values = [_not_applicable(stamp, "The metric has no reading of this conversation.")]
    elif kind == "LLM_JUDGE" and edited(definition):
        values = [
            _judged(definition, conv_id, i, row, stamp) for i, row in enumerate(seeded["values"])
        ]
    else:
        values = [{**row, "computedAt": stamp} for row in seeded["values"]]
    group["values"] = values
    return group


def edited(definition: dict[str, Any]) -> bool:
    """Whether the definition moved past the version it was seeded (or created) at."""
    return bool(definition["versionId"] != catalog.version_id(definition["id"], 1))


def failed(group: dict[str, Any]) -> str | None:
    """Why scoring failed (an ERROR row's message), or None."""
    for row in group["values"]:
        if row.get("captureStatus") == "ERROR":
            return str(row.get("errorMessage") or "The metric could not be computed")
    return None


def _not_applicable(stamp: str, why: str) -> dict[str, Any]:
    return {
        "captureStatus": "NOT_APPLICABLE",
        "computedAt": stamp,
        "context": "CALL",
        "valueReasoning": why,
        "policyIds": list(POLICY_IDS),
    }


def _judged(
    definition: dict[str, Any], conv_id: str, index: int, row: dict[str, Any], stamp: str
) -> dict[str, Any]:
    out = {**row, "computedAt": stamp}
    if row.get("captureStatus") != "SUCCESS":
        return out
    digest = hashlib.sha256(
        f"{definition.get('llmPrompt') or ''}\x00{conv_id}\x00{index}".encode()
    ).digest()
    draw = int.from_bytes(digest[:8], "big")
    seeded = row.get("value")
    kind = definition["type"]
    if kind == "BOOLEAN":
        value: Any = draw % 2 == 0
    elif kind == "SCALE":
        low = int(definition.get("scaleMin") or 1)
        high = int(definition.get("scaleMax") or 5)
        value = low + draw % (high - low + 1)
    elif kind in ("COUNT", "NUMERIC") and isinstance(seeded, int | float):
        factor = 0.5 + (draw % 1001) / 1000
        value = round(seeded * factor) if kind == "COUNT" else round(seeded * factor, 2)
    else:
        value = seeded
    out["value"] = value
    out["valueReasoning"] = (
        f"Re-scored with the edited prompt (sandbox judge): {operators.shown(value)}."
    )
    return out


def _threshold_row(
    definition: dict[str, Any],
    current: Callable[[str], dict[str, Any] | None],
    lookup: Lookup,
    stamp: str,
) -> dict[str, Any]:
    spec = definition["threshold"]
    source = lookup(spec["sourceMetricDefinitionId"])
    group = current(spec["sourceMetricDefinitionId"]) if source is not None else None
    rows = [r for r in (group or {}).get("values", []) if r.get("captureStatus") == "SUCCESS"]
    role = spec.get("sourceParticipantRole")
    if role:
        rows = [r for r in rows if str(r.get("participantRole") or "").upper() == role]
    if any(r.get("context") in PER_UNIT for r in rows):
        rows = [r for r in rows if r.get("context") in PER_UNIT]
    if source is None or not rows:
        name = source["name"] if source is not None else "The source metric"
        return _not_applicable(stamp, f"{name} has no value on this conversation to compare.")
    passed, shown = _evaluate(source["type"], [r.get("value") for r in rows], spec)
    symbol = operators.SYMBOLS[spec["operator"]]
    limit = spec["thresholdValue"]
    if passed:
        why = f"{source['name']} is {shown}, within the limit ({symbol} {limit})."
    else:
        why = f"{source['name']} is {shown}; the check needs {symbol} {limit}."
    return {
        "captureStatus": "SUCCESS",
        "computedAt": stamp,
        "context": "CALL",
        "value": passed,
        "confidence": 1.0,
        "valueReasoning": why,
        "policyIds": list(POLICY_IDS),
    }


def _evaluate(source_type: str, values: list[Any], spec: dict[str, Any]) -> tuple[bool, str]:
    """(passes, the values in words) under the threshold's aggregation mode."""
    operator, limit = spec["operator"], spec["thresholdValue"]
    mode = spec.get("aggregationMode") or "EACH"

    def holds(value: Any) -> bool:
        try:
            return operators.satisfies(source_type, value, operator, limit)
        except (TypeError, ValueError):
            return False

    listed = ", ".join(operators.shown(v) for v in values[:5]) + ("…" if len(values) > 5 else "")
    if mode == "EACH":
        return any(holds(v) for v in values), listed
    if mode == "COUNT":
        hits = sum(1 for v in values if holds(v))
        need = spec.get("countThreshold") or 0
        return hits >= need, f"{listed} ({hits} matching, {need} needed)"
    numbers = sorted(float(v) for v in values if _is_number(v))
    if not numbers:
        return False, listed
    result = _aggregate(mode, numbers)
    return holds(result), f"{operators.shown(round(result, 2))} ({mode.lower()} of {listed})"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _aggregate(mode: str, ordered: list[float]) -> float:
    if mode == "AVERAGE":
        return sum(ordered) / len(ordered)
    if mode == "MIN":
        return ordered[0]
    if mode == "MAX":
        return ordered[-1]
    if mode == "SUM":
        return sum(ordered)
    share = {"MEDIAN": 0.5, "P95": 0.95, "P99": 0.99}[mode]
    rank = (len(ordered) - 1) * share
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (rank - low) * (ordered[high] - ordered[low])
