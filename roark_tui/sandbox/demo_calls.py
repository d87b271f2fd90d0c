"""The demo calls: voice conversations with latency, transfers and a voicemail.

FAILING_CALL_ID has three latency spikes and a transfer that never connects (it fails the
latency, transfer and effort checks); BOOKING_CALL_ID passes every check; VOICEMAIL_CALL_ID
reaches a voicemail box (most metrics NOT_APPLICABLE); TRANSFER_CALL_ID is a clean transfer.
Indices in the comments are transcript entry indices.
"""

from __future__ import annotations

from typing import Any

from roark_tui.sandbox import demo_ids as ids
from roark_tui.sandbox.call_filters import RunMembership
from roark_tui.sandbox.conversations import (
    CALL_PACE,
    Conversation,
    Turn,
    Values,
    call_record,
    computed_at,
    stable_id,
    transcript,
)
from roark_tui.sandbox.demo_chats import response_times

CLAIMS_AGENT = stable_id("agent", "harbor-claims-voice")
SALON_AGENT = stable_id("agent", "studio-nine-voice")
REMINDER_AGENT = stable_id("agent", "brightsmile-reminders")
BILLING_AGENT = stable_id("agent", "lumen-billing-voice")

# Two simulated calls, from two runs of two plans: the booking run counts its call; the billing
# run is hidden from the runs list and left its call out of the results (invalidated).
BOOKING_RUN = RunMembership(
    plan_job_id=ids.BOOKING_RUN_PLAN_JOB_ID, plan_id=ids.BOOKING_RUN_PLAN_ID, counted=True
)
TRANSFER_RUN = RunMembership(
    plan_job_id=ids.BILLING_RUN_PLAN_JOB_ID,
    plan_id=ids.BILLING_RUN_PLAN_ID,
    counted=False,
    hidden_run=True,
)


def make_call(
    conv_id: str,
    turns: list[Turn],
    *,
    start: str,
    title: str,
    summary: str,
    agent: str,
    agent_phone: str,
    customer: str,
    customer_phone: str,
    direction: str = "INBOUND",
    ended_status: str = "CUSTOMER_ENDED_CALL",
    properties: dict[str, Any],
    run: RunMembership | None = None,
) -> tuple[Conversation, Values]:
    customer_id = stable_id(conv_id, "customer")
    body = transcript(
        conv_id,
        turns,
        CALL_PACE,
        agent_id=agent,
        customer_id=customer_id,
        source="ROARK_POST_CALL",
    )
    record = call_record(
        conv_id,
        start=start,
        title=title,
        summary=summary,
        agent_id=agent,
        agent_phone=agent_phone,
        customer=customer,
        customer_phone=customer_phone,
        direction=direction,
        ended_status=ended_status,
        properties=properties,
        transcript_body=body,
        external_id="pbx-" + conv_id[:8],
        simulation_job_id=stable_id(conv_id, "simulation job") if run else None,
    )
    conv = Conversation("call", conv_id, record, body, run=run)
    return conv, Values(conv, computed_at(record))


def failing_call() -> Conversation:
    turns: list[Turn] = [
        (
            "A",
            "Thank you for calling Harbor Mutual claims. This call may be recorded. How can I "
            "help you today?",
            3400,
        ),  # 0
        (
            "C",
            "Hi, I'm calling about my claim for water damage in my kitchen. The claim number "
            "is H M 4 4 7 1, 0 9 3 2.",
        ),  # 1
        (
            "A",
            "Thank you. I have claim HM-4471-0932 for water damage, filed on November 12. "
            "What would you like to know?",
            4800,
        ),  # 2
        (
            "C",
            "The adjuster was supposed to call me Monday and nobody did. I need to know when "
            "someone's coming out.",
        ),  # 3
        (
            "A",
            "I understand. I don't see an inspection scheduled yet. Let me transfer you to a "
            "claims adjuster who can book one. Please hold.",
            6200,
        ),  # 4
        (
            "A",
            "I'm sorry, the transfer didn't go through. It looks like all adjusters are "
            "busy right now.",
            14500,
        ),  # 5
        ("C", "So what now? I've been waiting a week with my kitchen floor torn up."),  # 6
        (
            "A",
            "I can request a callback from an adjuster within one business day. Is the "
            "number ending 0187 the best one to reach you?",
            5400,
        ),  # 7
        ("C", "Yes, that number. And please make it a morning call."),  # 8
        (
            "A",
            "Done. I've requested a morning callback within one business day. Your "
            "reference is C B 2 2 9 1. Is there anything else?",
        ),  # 9
        ("C", "No. Just make sure someone actually calls this time."),  # 10
        ("A", "I've noted that. Thank you for calling Harbor Mutual. Goodbye."),  # 11
    ]
    conv, v = make_call(
        ids.FAILING_CALL_ID,
        turns,
        start="2026-11-18T16:20:03.000Z",
        title="Claim follow-up: adjuster never called",
        summary="The caller chased a missed adjuster call on a water-damage claim. The agent "
        "paused for 5-6 seconds before three replies, a transfer to an adjuster failed after "
        "14 seconds on hold, and the call ended with a callback request.",
        agent=CLAIMS_AGENT,
        agent_phone="+18005550110",
        customer="Rosa Delgado",
        customer_phone="+14155550187",
        properties={"claimNumber": "HM-4471-0932", "lineOfBusiness": "home", "region": "US"},
    )
    v.add(
        "call_outcome",
        "escalated",
        "Transfer failed; a callback was requested instead.",
        evidence=[(5, 5, "Transfer failed"), (9, 9, "Callback requested")],
    )
    v.add("time_to_first_word", 3400, "The agent's greeting started 3.4 s into the call.", at=0)
    gaps = response_times(v)
    spikes = [g for g in gaps if g > 3000]
    v.add(
        "latency_spike_count",
        len(spikes),
        f"{len(spikes)} replies took longer than 3 s: "
        + ", ".join(f"{g / 1000:.1f} s" for g in spikes)
        + ".",
        evidence=[
            (1, 2, "4.8 s of silence"),
            (3, 4, "6.2 s of silence"),
            (6, 7, "5.4 s of silence"),
        ],
        check=True,
    )
    v.add(
        "transfer_failure_count",
        1,
        "The transfer to a claims adjuster did not connect; the caller was on hold 14.5 s.",
        evidence=[(4, 5, "Transfer attempted, then reported failed")],
        check=True,
    )
    v.add(
        "user_effort_score",
        4,
        "Long silences, a failed transfer and no inspection date.",
        evidence=[(6, 6, "“So what now?”")],
        check=True,
    )
    v.add(
        "frustration_score",
        4,
        "Audibly frustrated after the failed transfer.",
        evidence=[(6, 6, "Frustration")],
    )
    v.add("sentiment_score", 0.3, "Courteous but slow.", role="agent")
    v.add(
        "sentiment_score",
        -0.55,
        "Frustrated by the wait and the failed transfer.",
        role="customer",
        evidence=[(10, 10, "Distrust")],
    )
    v.add(
        "instruction_follow",
        True,
        "Disclosed recording, confirmed the claim, offered a callback when the transfer failed.",
        check=True,
    )
    v.add("loop_count", 0, "No repeated ground.", check=True)
    v.add("redundant_question_count", 0, "No redundant questions.", check=True)
    v.add("agent_cutoff_count", 0, "The agent never cut the caller off.", check=True)
    v.add("customer_barge_in_count", 0, "The caller never spoke over the agent.")
    v.add("overtalk_ratio", 0.0, "No overlapping speech.")
    v.add("talk_to_listen_ratio", 1.34, "The agent spoke 34% more than the caller.")
    v.add(
        "compliance_pii_handling",
        True,
        "Only the last four digits of the phone number were read out.",
        check=True,
    )
    v.add(
        "compliance_hallucination_boundary",
        True,
        "Claim details match the claim record.",
        check=True,
    )
    v.add(
        "transcription_discrepancy",
        0,
        "The spelled-out claim number was transcribed correctly.",
        check=True,
    )
    v.add("friction_events", 3, "3 latency spikes + 0 loops + 0 redundant questions.")
    v.add("interruption_sours_customer", 0, "No agent interruption to trigger the pattern.")
    v.add("customer_intent", "Find out when an adjuster will inspect the water damage.")
    v.missing("agent_responsive", "NOT_APPLICABLE", "Simulation-only metric; this is a live call.")
    return conv


def booking_call() -> Conversation:
    turns: list[Turn] = [
        ("A", "Studio Nine, this is the booking assistant. How can I help?", 900),  # 0
        ("C", "Hi, I'd like a haircut and beard trim with Jonah sometime Friday."),  # 1
        ("A", "Jonah has Friday the 27th at 11:00am, 2:30pm or 5:00pm. Which suits you?"),  # 2
        ("C", "2:30 is—"),  # 3
        ("C", "actually, 5 o'clock would be better.", 300),  # 4
        (
            "A",
            "Of course, 5:00pm with Jonah on Friday the 27th, haircut and beard trim. That's "
            "45 minutes and $58. Can I get your name?",
        ),  # 5
        ("C", "Tom Becker."),  # 6
        (
            "A",
            "Thanks, Tom. I'll text a confirmation to the number you're calling from. "
            "Anything else?",
        ),  # 7
        ("C", "No, that's it. Thanks!"),  # 8
        ("A", "See you Friday. Bye!"),  # 9
    ]
    conv, v = make_call(
        ids.BOOKING_CALL_ID,
        turns,
        start="2026-11-19T12:05:44.000Z",
        title="Haircut and beard trim with Jonah, Friday 5pm",
        summary="The caller booked a haircut and beard trim with Jonah on Friday Nov 27 at "
        "5:00pm; confirmation by text.",
        agent=SALON_AGENT,
        agent_phone="+14155550100",
        customer="Tom Becker",
        customer_phone="+14155550163",
        properties={"stylist": "Jonah", "service": "haircut+beard", "region": "US"},
        run=BOOKING_RUN,
    )
    v.add("call_outcome", "resolved", "Appointment booked.", evidence=[(5, 5, "Booked")])
    v.add("time_to_first_word", 900, "Greeting started 0.9 s into the call.", at=0)
    gaps = response_times(v)
    v.add("latency_spike_count", sum(g > 3000 for g in gaps), "No reply took over 3 s.", check=True)
    v.add(
        "instruction_follow",
        True,
        "Offered slots, confirmed price and duration, took the name.",
        check=True,
    )
    v.add("user_effort_score", 1, "Booked in under a minute.", check=True)
    v.add(
        "booking_read_back",
        True,
        "Read back service, day, time, stylist and price, and took the caller's name only after.",
        evidence=[(5, 5, "Full read-back before booking")],
    )
    v.add("sentiment_score", 0.78, "Friendly.", role="agent")
    v.add("sentiment_score", 0.69, "Happy with the slot.", role="customer")
    v.add(
        "barge_in_yield_appropriateness",
        True,
        "The agent stopped when the caller changed their mind mid-sentence.",
        span=(3, 4),
        role="agent",
    )
    v.add("barge_in_yield_appropriateness", True, "Yielded on the only barge-in.", role="agent")
    v.add("incorrect_barge_in_yield_count", 0, "No barge-in handled wrongly.")
    v.add(
        "customer_barge_in_count",
        1,
        "The caller corrected the time mid-sentence.",
        evidence=[(3, 4, "Self-correction")],
    )
    v.add("agent_cutoff_count", 0, "No cut-offs.", check=True)
    v.add("loop_count", 0, "No loops.", check=True)
    v.add("compliance_pii_handling", True, "Asked only for a name.", check=True)
    v.add(
        "compliance_hallucination_boundary", True, "Price and duration match the menu.", check=True
    )
    v.add("tool_invocation_correct", True, "list_slots, then book.", check=True)
    v.add("tool_invocation_parameters_correct", True, "stylist=jonah, time=17:00.", check=True)
    v.add("transfer_failure_count", 0, "No transfer attempted.", check=True)
    v.add("transcription_discrepancy", 0, "Transcript matches the audio.", check=True)
    v.add("friction_events", 0, "0 latency spikes + 0 loops + 0 redundant questions.")
    v.missing("agent_spoke", "NOT_APPLICABLE", "Simulation-only metric; this is a live call.")
    return conv


def voicemail_call() -> Conversation:
    turns: list[Turn] = [
        (
            "C",
            "Hi, you've reached Greg Novak. I can't take your call right now, so please leave "
            "a message after the tone.",
            1800,
        ),  # 0
        (
            "A",
            "Hi Greg, this is Ava from BrightSmile Dental, calling to remind you of your "
            "appointment on Thursday, December 3 at 10:30am. If you need to reschedule, "
            "please call us at 4 1 5, 5 5 5, 0 1 9 9. Thank you, and see you soon!",
            2100,
        ),  # 1
    ]
    conv, v = make_call(
        ids.VOICEMAIL_CALL_ID,
        turns,
        start="2026-11-20T15:30:00.000Z",
        title="Appointment reminder left on voicemail",
        summary="Outbound reminder for the Dec 3 10:30am appointment reached voicemail; the "
        "agent left a message with the callback number.",
        agent=REMINDER_AGENT,
        agent_phone="+14155550199",
        customer="Greg Novak",
        customer_phone="+14155550121",
        direction="OUTBOUND",
        ended_status="VOICE_MAIL_REACHED",
        properties={"campaign": "appointment-reminders", "appointmentId": "APT-90417"},
    )
    v.add(
        "voicemail_detected",
        True,
        "Recorded greeting followed by a tone.",
        evidence=[(0, 0, "Voicemail greeting")],
    )
    v.add(
        "voicemail_agent_left_message",
        True,
        "Message left after the tone.",
        evidence=[(1, 1, "Reminder message")],
    )
    v.add(
        "voicemail_handling_score",
        4,
        "Clear message with date, time and callback number; it named the practice but "
        "not the office hours.",
        evidence=[(1, 1, "Message content")],
    )
    v.add("call_outcome", "voicemail", "Reached voicemail.")
    v.add(
        "time_to_first_word",
        conv.entries[1]["startOffsetMs"],
        "The agent spoke after the greeting and the tone.",
        at=1,
    )
    v.add("instruction_follow", True, "Followed the voicemail script.", check=True)
    v.add(
        "compliance_pii_handling",
        True,
        "Only date and time disclosed, as the voicemail policy allows.",
        check=True,
    )
    v.missing("user_effort_score", "NOT_APPLICABLE", "No live customer on the call.")
    v.missing("sentiment_score", "NOT_APPLICABLE", "No live customer on the call.")
    v.missing("response_time", "NOT_APPLICABLE", "No customer turns to respond to.")
    v.missing("transfer_failure_count", "NOT_APPLICABLE", "No transfer on a voicemail.")
    return conv


def transfer_call() -> Conversation:
    turns: list[Turn] = [
        ("A", "Lumen billing, this is the virtual assistant. What can I do for you?", 1100),  # 0
        ("C", "I need to change the billing address and VAT number on our business invoices."),  # 1
        (
            "A",
            "I can help you get that done. Changes to VAT details have to be made by our "
            "billing specialists, so I'll transfer you. Could I have the account email "
            "first?",
        ),  # 2
        ("C", "accounts@novafield.example"),  # 3
        (
            "A",
            "Thank you. I've passed your request to the specialist so you won't need to "
            "repeat it. Transferring you now.",
        ),  # 4
        ("C", "Great, thanks."),  # 5
    ]
    conv, v = make_call(
        ids.TRANSFER_CALL_ID,
        turns,
        start="2026-11-20T10:02:19.000Z",
        title="Transferred to billing for VAT details",
        summary="A business customer asked to change invoice address and VAT number; the "
        "agent collected the account email and transferred to a billing specialist.",
        agent=BILLING_AGENT,
        agent_phone="+18005550133",
        customer="Novafield Ltd",
        customer_phone="+442079460321",
        ended_status="AGENT_TRANSFERRED_CALL",
        run=TRANSFER_RUN,
        properties={"accountEmail": "accounts@novafield.example", "segment": "business"},
    )
    v.add(
        "call_outcome",
        "transferred",
        "Handed to a billing specialist with context.",
        evidence=[(4, 4, "Warm transfer")],
    )
    v.add("transfer_failure_count", 0, "The transfer connected.", check=True)
    v.add(
        "instruction_follow", True, "VAT changes routed to specialists as instructed.", check=True
    )
    v.add("time_to_first_word", 1100, "Greeting started 1.1 s into the call.", at=0)
    response_times(v)
    v.add("user_effort_score", 2, "Gave the email once; no repetition after transfer.", check=True)
    v.add("compliance_pii_handling", True, "Asked for the account email to verify.", check=True)
    v.add("compliance_scope_adherence", True, "Did not attempt VAT changes itself.", check=True)
    v.add("sentiment_score", 0.66, "Efficient.", role="agent")
    v.add("sentiment_score", 0.5, "Satisfied.", role="customer")
    v.add(
        "property_transcript_mismatch",
        False,
        "Every recorded property agrees with the call.",
        verdicts=[
            {
                "propertyName": "accountEmail",
                "expectedValue": "accounts@novafield.example",
                "verdict": "MATCH",
                "reasoning": "Given by the caller.",
                "segment": v.seg(3),
            },
            {
                "propertyName": "segment",
                "expectedValue": "business",
                "verdict": "TRANSCRIPTION_ERROR",
                "reasoning": "“business invoices” was transcribed clearly, but the recording "
                "has a dropout on the word; treated as a transcription error, not a mismatch.",
                "segment": v.seg(1),
            },
        ],
    )
    v.missing(
        "knowledge_grounding_score",
        "DATA_MISSING",
        "The call ended at the transfer, before any knowledge-base question.",
    )
    return conv


CALL_BUILDERS = {
    ids.FAILING_CALL_ID: failing_call,
    ids.BOOKING_CALL_ID: booking_call,
    ids.VOICEMAIL_CALL_ID: voicemail_call,
    ids.TRANSFER_CALL_ID: transfer_call,
}
