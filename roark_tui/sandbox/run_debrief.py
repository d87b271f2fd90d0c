"""A settled run's debrief (the written report) and its sweep attribution, from its seed and
its graded checks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from roark_tui.sandbox.conversations import iso, parse_iso
from roark_tui.sandbox.demo_runs import RunSeed
from roark_tui.sandbox.run_grading import check_definition, mean_rate, pass_rate

MIN_ARM_CALLS = 2
FOUND_UNATTRIBUTED_RATE = 20.0
FALSE_DISCOVERY_RATE = 0.1


def debrief(seed: RunSeed, checks: list[dict[str, Any]]) -> dict[str, Any] | None:
    brief = seed.debrief
    if brief is None:
        return None
    ended = parse_iso(seed.created_at) + timedelta(seconds=(seed.duration_s or 0) + 5)
    ready = brief.status == "READY"
    return {
        "debriefId": f"{seed.job_id[:24]}d00000000001",
        "status": brief.status,
        "createdAt": iso(ended + timedelta(seconds=30)),
        "completedAt": iso(ended + timedelta(minutes=4)) if ready else None,
        "errorMessage": "The debrief writer timed out." if brief.status == "FAILED" else None,
        "report": _report(seed, checks, iso(ended + timedelta(minutes=4))) if ready else None,
    }


def _report(seed: RunSeed, checks: list[dict[str, Any]], when: str) -> dict[str, Any]:
    brief = seed.debrief
    assert brief is not None
    names = {c["metricDefinitionId"]: c["metricName"] for c in checks}
    failing = [c for c in checks if not c["passed"]]
    return {
        "verdict": "THRESHOLD_FAILED" if failing else "PASSED",
        "verdictSummary": brief.verdict_summary,
        "generatedAt": when,
        "executiveSummary": {"paragraphs": list(brief.paragraphs), "sections": []},
        "keyFindings": [
            {"title": t.title, "body": t.analysis, "callIds": list(t.call_ids)}
            for t in brief.themes
        ],
        "wentWell": [
            {
                "title": f"{c['metricName']} held at {c['passRate']:g}%",
                "body": "Every call that was graded on it passed.",
                "callIds": [],
            }
            for c in checks
            if c["passed"] and c["passRate"] == 100.0
        ],
        "themes": [
            {
                "slug": t.slug,
                "title": t.title,
                "analysis": t.analysis,
                "severity": t.severity,
                "impact": "HIGH",
                "prevalence": "ISOLATED",
                "lifecycle": "NEW",
                "rootCauseChannel": t.channel,
                "affectedCallCount": len(t.call_ids),
                "totalCallCount": len(seed.calls),
                "callIds": list(t.call_ids),
                "checkNames": [names[check_definition(s)["id"]] for s in t.checks],
            }
            for t in brief.themes
        ],
        "recommendations": [
            {
                "order": n,
                "title": r.title,
                "body": r.body,
                "severity": r.severity,
                "channel": r.channel,
                "themeSlugs": list(r.themes),
                "currentText": r.current_text,
                "suggestedText": r.suggested_text,
            }
            for n, r in enumerate(brief.recommendations, start=1)
        ],
        "trend": None,
    }


def sweep(
    seed: RunSeed, calls: list[dict[str, Any]], checks: list[dict[str, Any]]
) -> dict[str, Any] | None:
    if seed.sweep_property is None:
        return None
    arms: dict[str, list[dict[str, Any]]] = {}
    for sim, call in zip(seed.calls, calls, strict=True):
        if sim.sweep_value is not None:
            arms.setdefault(sim.sweep_value, []).append(call)
    values: list[dict[str, Any]] = []
    for value, members in arms.items():
        graded = [c for c in members if c["counted"] and c["passed"] is not None]
        rates: dict[str, list[bool]] = {}
        for call in graded:
            for check in call["checks"]:
                rates.setdefault(check["metricDefinitionId"], []).append(check["passed"])
        values.append(
            {
                "key": f"{seed.sweep_property}={value}",
                "label": value,
                "value": value,
                "isBaseline": value == next(iter(arms)),
                "attempted": len(members),
                "counted": len(graded),
                "retries": 0,
                "silentAttempts": 0,
                "score": mean_rate([pass_rate(sum(v), len(v)) for v in rates.values()]),
                "testable": len(graded) >= MIN_ARM_CALLS,
            }
        )
    sweep_checks = []
    for check in checks:
        evaluated = check["evaluatedSims"]
        failed = evaluated - check["passedSims"]
        rate = pass_rate(failed, evaluated)
        found = rate is not None and rate >= FOUND_UNATTRIBUTED_RATE
        sweep_checks.append(
            {
                "metricDefinitionId": check["metricDefinitionId"],
                "metricName": check["metricName"],
                "attribution": "FOUND_UNATTRIBUTED" if found else "WITHIN_NOISE",
                "evaluated": evaluated,
                "failed": failed,
                "failureRate": rate,
                "worseValues": [],
            }
        )
    sweep_checks.sort(key=lambda c: c["attribution"] != "FOUND_UNATTRIBUTED")
    small = [v["label"] for v in values if not v["testable"]]
    caveats = []
    if small:
        caveats.append(
            f"{', '.join(small)} had fewer than {MIN_ARM_CALLS} counted simulations, so they "
            "were reported but not compared."
        )
    testable = sum(1 for v in values if v["testable"])
    if testable < 2:
        caveats.append("No comparison ran: a value is only compared with at least one other.")
    return {
        "caveats": caveats,
        "checks": sweep_checks,
        "values": values,
        "neverSpokeValues": [],
        "falseDiscoveryRate": FALSE_DISCOVERY_RATE,
        "foundUnattributedFailureRate": FOUND_UNATTRIBUTED_RATE,
        "minArmCalls": MIN_ARM_CALLS,
        "minimumDetectableGap": None,
        "testableValueCount": testable,
        "testedComparisonCount": 0,
    }
