"""The computing scenario: COMPUTING_CHAT_ID's metric rows arrive over time.

Metrics are computed after a conversation ends, one by one. This chat shows that: its metric
groups appear on a schedule measured on the sandbox clock (`SandboxConfig.clock`, by default
time.monotonic) from the first request for its metrics (or from `restart_computing()`):

    t >= 0 s   call_outcome, sentiment_score (agent + customer),
               response_time (3 SEGMENT_RANGE rows + the CALL average)
    t >= 4 s   instruction_follow (+ _check), user_effort_score (+ _check)
    t >= 8 s   compliance_pii_handling (+ _check), loop_count (+ _check),
               agent_verified_caller (4 SEGMENT rows + CALL)
    t >= 12 s  customer_intent, tool_invocation_correct (+ _check),
               knowledge_grounding_score ERROR and knowledge_grounding_score_check ERROR
    t >= 16 s  empathy_score (+ _check), scenario_adherence NOT_APPLICABLE   <- settled

So 3 / 7 / 12 / 17 / 20 groups are visible with status=all at those times, and 3 / 7 / 12 /
15 / 17 with status=success (ERROR and NOT_APPLICABLE groups only come with status=all). Once
settled, the chat has no failed check but two ERROR rows (knowledge_grounding_score and its
check), so a gate reads it as ERROR. `POST /_sandbox/faults {"restartComputing": true}` (or
`app.state.sandbox.restart_computing()`) starts the schedule over.
"""

from __future__ import annotations

from roark_tui.sandbox import demo_ids as ids
from roark_tui.sandbox.conversations import Conversation, Turn
from roark_tui.sandbox.demo_chats import SUPPORT_AGENT, make_chat, response_times

SCHEDULE = (0.0, 4.0, 8.0, 12.0, 16.0)
SETTLED_AT = SCHEDULE[-1]


def computing_chat() -> Conversation:
    turns: list[Turn] = [
        (
            "C",
            "Hi, can I change the delivery address for order L-30418? It hasn't shipped yet.",
        ),  # 0
        ("A", "Happy to help. To confirm it's you, what's the email address on the account?"),  # 1
        ("C", "jo.tanaka@example.net"),  # 2
        (
            "A",
            "Thanks, Jo. Order L-30418 is still being packed, so I can change it. What's "
            "the new address?",
        ),  # 3
        ("C", "221 Alder Street, Apt 4B, Portland, OR 97204"),  # 4
        (
            "A",
            "Done: order L-30418 will now ship to 221 Alder Street, Apt 4B, Portland, OR "
            "97204. You'll get an updated confirmation email shortly.",
        ),  # 5
        ("C", "Perfect, thank you!"),  # 6
        ("A", "You're welcome, Jo. Have a great day!"),  # 7
    ]
    conv, v = make_chat(
        ids.COMPUTING_CHAT_ID,
        turns,
        start="2026-11-20T17:58:02.000Z",
        title="Delivery address change before shipping",
        summary="The customer changed the delivery address of an unshipped order after "
        "verifying the account email.",
        agent=SUPPORT_AGENT,
        customer="Jo Tanaka",
        properties={"orderNumber": "L-30418", "channel": "web", "region": "US"},
    )
    v.at(SCHEDULE[0])
    v.add(
        "call_outcome",
        "resolved",
        "Address changed before shipping.",
        evidence=[(5, 5, "Change confirmed")],
    )
    v.add("sentiment_score", 0.74, "Helpful and brisk.", role="agent")
    v.add("sentiment_score", 0.68, "Relieved.", role="customer")
    response_times(v)
    v.at(SCHEDULE[1])
    v.add("instruction_follow", True, "Verified the account before changing the order.", check=True)
    v.add("user_effort_score", 1, "Three short messages.", check=True)
    v.at(SCHEDULE[2])
    v.add(
        "compliance_pii_handling",
        True,
        "Verified by email; repeated only the new address.",
        check=True,
    )
    v.add("loop_count", 0, "No loops.", check=True)
    for index in (1, 3, 5, 7):
        v.add(
            "agent_verified_caller",
            True,
            "Asks for the account email." if index == 1 else "Verified at the email step.",
            at=index,
            role="agent",
        )
    v.add("agent_verified_caller", True, "Verified by account email first.", role="agent")
    v.at(SCHEDULE[3])
    v.add("customer_intent", "Send an unshipped order to a new address.")
    v.add("tool_invocation_correct", True, "get_order, then update_shipping_address.", check=True)
    v.missing(
        "knowledge_grounding_score",
        "ERROR",
        "The judge could not finish.",
        error="Knowledge base retrieval failed: index 'lumen-help-center' unavailable",
    )
    v.missing(
        "knowledge_grounding_score_check",
        "ERROR",
        "The source metric errored.",
        error="Source metric knowledge_grounding_score ended in ERROR",
    )
    v.at(SCHEDULE[4])
    v.add("empathy_score", 4, "Friendly, used the customer's name.", check=True)
    v.missing(
        "scenario_adherence", "NOT_APPLICABLE", "Simulation-only metric; this is a live chat."
    )
    return conv
