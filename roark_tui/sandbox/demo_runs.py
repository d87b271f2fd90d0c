"""The demo simulation runs (run plan jobs): what each run placed, judged on and wrote up.

A run's calls are the demo calls themselves, so what a run reports about a call (its checks, its
values) is read from that call's own metrics by sandbox/runs.py, never written down twice:

    SR-43 RUNNING_RUN_ID      still running: its calls land over SETTLE_SECONDS from the first
                              request for it, then it settles COMPLETED and passes
    SR-42 FAILED_RUN_ID       fails two checks (latency spikes, transfers connected) on the
                              claims call; READY debrief; regressed against SR-39
    SR-41 SWEEP_RUN_ID        swept the caller's accent; sweep attribution
    SR-40 NOT_COMPLETED_RUN_ID  TIMED_OUT with two simulations never run
    SR-39 PASSED_RUN_ID       passes every check; its debrief is still being written
    SR-27 .. SR-38            older runs of the plans, for the list's paging
"""

from __future__ import annotations

from dataclasses import dataclass, field

from roark_tui.sandbox import demo_ids as ids

RUNNING_RUN_ID = "7e0c5a2d-43b1-4f6e-9a8c-2d5f1b3e6a43"
FAILED_RUN_ID = "4b9e2f71-8c3a-4d5e-b6f0-1a2c3d4e5f42"
SWEEP_RUN_ID = "c3d2e1f0-9a8b-4c7d-8e6f-5a4b3c2d1e41"
NOT_COMPLETED_RUN_ID = "9f8e7d6c-5b4a-4392-a1b0-c9d8e7f6a540"
PASSED_RUN_ID = "2a1b0c9d-8e7f-4a6b-9c5d-4e3f2a1b0c39"
RUN_IDS = (RUNNING_RUN_ID, FAILED_RUN_ID, SWEEP_RUN_ID, NOT_COMPLETED_RUN_ID, PASSED_RUN_ID)

SUPPORT_PLAN_ID = "0d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b10"
SWEEP_PLAN_ID = "1e5d4c3b-2a1f-4e0d-9c8b-7a6f5e4d3c21"
AFTER_HOURS_PLAN_ID = "2f6e5d4c-3b2a-4f1e-8d9c-8b7a6f5e4d32"
PLAN_NAMES = {
    SUPPORT_PLAN_ID: "Support voice regression",
    SWEEP_PLAN_ID: "Accent sweep",
    AFTER_HOURS_PLAN_ID: "After-hours claims",
}

SETTLE_SECONDS = 20.0
# The checks each plan judges its runs on: the metrics whose seeded `*_check` is the check.
SUPPORT_CHECKS = (
    "latency_spike_count",
    "transfer_failure_count",
    "instruction_follow",
    "compliance_pii_handling",
)


@dataclass(frozen=True)
class SimCall:
    """One simulation of a run: the demo call it produced (None when it never connected)."""

    call_id: str | None
    persona: str
    status: str = "COMPLETED"
    lands_at: float = 0.0  # seconds into a running run before its call exists
    sweep_value: str | None = None
    counted: bool = True


@dataclass(frozen=True)
class Theme:
    slug: str
    title: str
    analysis: str
    severity: str
    call_ids: tuple[str, ...]
    checks: tuple[str, ...]  # source metric slugs of the checks it is about
    channel: str


@dataclass(frozen=True)
class Recommendation:
    title: str
    body: str
    severity: str
    channel: str
    themes: tuple[str, ...]
    current_text: str | None = None
    suggested_text: str | None = None


@dataclass(frozen=True)
class DebriefSeed:
    status: str
    verdict_summary: str = ""
    paragraphs: tuple[str, ...] = ()
    themes: tuple[Theme, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()


@dataclass(frozen=True)
class RunSeed:
    job_id: str
    run_number: int
    plan_id: str
    status: str
    created_at: str
    duration_s: int | None
    calls: tuple[SimCall, ...]
    checks: tuple[str, ...] = SUPPORT_CHECKS
    min_pass_rates: dict[str, float] = field(default_factory=dict)  # else the 80% default
    triggered_by: str = "TRIGGERED_FROM_API"
    debrief: DebriefSeed | None = None
    sweep_property: str | None = None
    running: bool = False  # settles over SETTLE_SECONDS from the first request for it


PERSONA_ROSA = "Rosa (frustrated caller)"
PERSONA_TOM = "Tom (quick booker)"
PERSONA_NOVA = "Novafield (business account)"
PERSONA_GREG = "Greg (hard to reach)"

AGENT_NAMES = {
    ids.FAILING_CALL_ID: "Harbor claims voice",
    ids.BOOKING_CALL_ID: "Studio Nine booking",
    ids.TRANSFER_CALL_ID: "Lumen billing voice",
    ids.VOICEMAIL_CALL_ID: "BrightSmile reminders",
}

FAILED_DEBRIEF = DebriefSeed(
    status="READY",
    verdict_summary=(
        "Not ready to promote. The claims agent left callers in silence for 5-6 seconds "
        "and a transfer to an adjuster never connected; everything else held."
    ),
    paragraphs=(
        "Two of four checks fell below their minimum. Both failures come from the claims "
        "call, where replies that needed a claim lookup took 4.8 to 6.2 seconds.",
        "Privacy and instruction handling stayed at 100% across every call.",
    ),
    themes=(
        Theme(
            slug="slow-claim-lookups",
            title="Long silences while the agent looks up a claim",
            analysis=(
                "Each reply that needed the claim record took 4.8-6.2 s, and the agent said "
                "nothing while it waited. The caller asked if anyone was there."
            ),
            severity="HIGH",
            call_ids=(ids.FAILING_CALL_ID,),
            checks=("latency_spike_count",),
            channel="INFRA",
        ),
        Theme(
            slug="adjuster-transfer-fails",
            title="Transfers to an adjuster that never connect",
            analysis=(
                "The warm transfer rang for 14.5 s and failed; the agent fell back to a "
                "callback without telling the caller why."
            ),
            severity="HIGH",
            call_ids=(ids.FAILING_CALL_ID,),
            checks=("transfer_failure_count",),
            channel="EXTERNAL",
        ),
    ),
    recommendations=(
        Recommendation(
            title="Say something while the claim loads",
            body="Have the agent acknowledge the lookup before a tool call that can be slow.",
            severity="HIGH",
            channel="PROMPT",
            themes=("slow-claim-lookups",),
            current_text="Look up the claim, then answer.",
            suggested_text="Say 'One moment while I pull up your claim', then look it up.",
        ),
        Recommendation(
            title="Check the adjuster queue before transferring",
            body="Only offer a transfer when the adjuster queue reports an agent available.",
            severity="MEDIUM",
            channel="EXTERNAL",
            themes=("adjuster-transfer-fails",),
        ),
    ),
)


def _history() -> tuple[RunSeed, ...]:
    """Older settled runs (SR-27 .. SR-38): every one passed on the two clean calls."""
    runs = []
    for number in range(27, 39):
        day = 1 + (number - 27)
        plan = SWEEP_PLAN_ID if number % 4 == 0 else SUPPORT_PLAN_ID
        runs.append(
            RunSeed(
                job_id=f"00000000-0000-4000-8000-0000000000{number:02d}",
                run_number=number,
                plan_id=plan,
                status="COMPLETED",
                created_at=f"2026-11-{day:02d}T09:00:00.000Z",
                duration_s=300 + number,
                calls=(
                    SimCall(ids.BOOKING_CALL_ID, PERSONA_TOM),
                    SimCall(ids.TRANSFER_CALL_ID, PERSONA_NOVA),
                ),
                triggered_by="SCHEDULED",
            )
        )
    return tuple(runs)


SEEDS: tuple[RunSeed, ...] = (
    RunSeed(
        job_id=RUNNING_RUN_ID,
        run_number=43,
        plan_id=SUPPORT_PLAN_ID,
        status="COMPLETED",  # once settled; RUNNING_SIMULATIONS until then
        created_at="2026-11-20T17:50:00.000Z",
        duration_s=int(SETTLE_SECONDS),
        calls=(
            SimCall(ids.BOOKING_CALL_ID, PERSONA_TOM, lands_at=6.0),
            SimCall(ids.TRANSFER_CALL_ID, PERSONA_NOVA, lands_at=12.0),
            SimCall(ids.VOICEMAIL_CALL_ID, PERSONA_GREG, lands_at=17.0),
        ),
        running=True,
    ),
    RunSeed(
        job_id=FAILED_RUN_ID,
        run_number=42,
        plan_id=SUPPORT_PLAN_ID,
        status="COMPLETED",
        created_at="2026-11-20T16:00:00.000Z",
        duration_s=412,
        calls=(
            SimCall(ids.FAILING_CALL_ID, PERSONA_ROSA),
            SimCall(ids.BOOKING_CALL_ID, PERSONA_TOM),
            SimCall(ids.TRANSFER_CALL_ID, PERSONA_NOVA),
            SimCall(ids.VOICEMAIL_CALL_ID, PERSONA_GREG),
        ),
        min_pass_rates={"transfer_failure_count": 90.0},
        debrief=FAILED_DEBRIEF,
    ),
    RunSeed(
        job_id=SWEEP_RUN_ID,
        run_number=41,
        plan_id=SWEEP_PLAN_ID,
        status="COMPLETED",
        created_at="2026-11-20T12:00:00.000Z",
        duration_s=655,
        calls=(
            SimCall(ids.BOOKING_CALL_ID, PERSONA_TOM, sweep_value="US"),
            SimCall(ids.TRANSFER_CALL_ID, PERSONA_NOVA, sweep_value="GB"),
            SimCall(ids.FAILING_CALL_ID, PERSONA_ROSA, sweep_value="IN"),
            SimCall(ids.VOICEMAIL_CALL_ID, PERSONA_GREG, sweep_value="US"),
        ),
        checks=("instruction_follow", "compliance_pii_handling", "transfer_failure_count"),
        min_pass_rates={"transfer_failure_count": 60.0},
        sweep_property="ACCENT",
        triggered_by="USER_TRIGGERED_FROM_UI",
        debrief=DebriefSeed(status="FAILED"),
    ),
    RunSeed(
        job_id=NOT_COMPLETED_RUN_ID,
        run_number=40,
        plan_id=AFTER_HOURS_PLAN_ID,
        status="TIMED_OUT",
        created_at="2026-11-19T23:10:00.000Z",
        duration_s=3600,
        calls=(
            SimCall(ids.TRANSFER_CALL_ID, PERSONA_NOVA),
            SimCall(None, PERSONA_ROSA, status="NOT_RUN"),
            SimCall(None, PERSONA_GREG, status="NOT_RUN"),
        ),
        checks=("transfer_failure_count", "compliance_pii_handling"),
        triggered_by="SCHEDULED",
    ),
    RunSeed(
        job_id=PASSED_RUN_ID,
        run_number=39,
        plan_id=SUPPORT_PLAN_ID,
        status="COMPLETED",
        created_at="2026-11-19T16:00:00.000Z",
        duration_s=298,
        calls=(
            SimCall(ids.BOOKING_CALL_ID, PERSONA_TOM),
            SimCall(ids.TRANSFER_CALL_ID, PERSONA_NOVA),
            SimCall(ids.VOICEMAIL_CALL_ID, PERSONA_GREG),
        ),
        debrief=DebriefSeed(status="GENERATING"),
    ),
    *reversed(_history()),
)

BY_ID = {seed.job_id: seed for seed in SEEDS}
