"""The crowd: a few hundred more calls and chats, spread over the week before a moment, so that
browsing, time windows and verdict filters have something to chew on.

The hand-written demo conversations are few and dated Nov 2026; the crowd is many, short and
generated from a handful of scenarios, each conversation drawn from a generator seeded with its
kind and index (the same conversation on every run). Their times count back from the crowd's
moment (`SandboxConfig.crowd_until`; `--demo` passes "now", so `--since 2h` finds the latest
ones), denser in the last two days.

Checks are the catalogue's THRESHOLD checks, their values computed from the source value by the
check's own threshold (`Values.add(..., check=True)`), so a failing check always comes with the
source value and reasoning that fail it, and one authored yes/no metric (an LLM judge's BOOLEAN,
a check by itself); a PROVIDER yes/no reading rides along and is never a verdict. About a
third of the conversations fail one to three checks; a few have a check that errored; the
newest are still computing (their metric groups appear on the sandbox clock, as the computing
chat's do) and a few calls are still in progress (no metrics at all).

Records and transcripts are built when the crowd is; metric values on a conversation's first
metrics request.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from roark_tui.sandbox import catalog, payloads
from roark_tui.sandbox.conversations import (
    CALL_PACE,
    CHAT_PACE,
    Conversation,
    Turn,
    Values,
    call_record,
    chat_record,
    computed_at,
    iso,
    stable_id,
    transcript,
)
from roark_tui.sandbox.demo_chats import response_times

CALLS = 240
CHATS = 160
SPAN = timedelta(days=7)
COMPUTING = 3  # the newest of each kind whose metrics are still arriving
IN_PROGRESS = 2  # calls still going on (status IN_PROGRESS, no metrics)
SCHEDULE = (0.0, 20.0, 40.0)  # when a computing conversation's groups appear (sandbox clock)
FAIL_SHARE = 0.34
ERROR_SHARE = 0.04

_FIRST = ("Alex", "Sam", "Priya", "Marco", "Lena", "Tomás", "Aiko", "Noor", "Jonas", "Maya")
_LAST = ("Okafor", "Lindqvist", "Reyes", "Chen", "Novak", "Haddad", "Moreau", "Sato", "Kim")
_ITEMS = ("standing desk", "espresso machine", "air purifier", "blender", "desk lamp", "kettle")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


@dataclass(frozen=True)
class Scenario:
    """A kind of conversation: its title, summary and script, with {placeholders} filled from
    the conversation's own draws."""

    title: str
    summary: str
    turns: tuple[Turn, ...]
    agent: str


CALL_SCENARIOS = (
    Scenario(
        "Where is my {item}? Order {order}",
        "{name} asked where order {order} ({item}) is; the agent looked it up and gave the "
        "delivery date.",
        (
            ("A", "Thanks for calling HomeGoods, this is the virtual assistant. How can I help?"),
            ("C", "Hi, I ordered a {item} last week, order {order}, and it hasn't arrived."),
            ("A", "Let me check order {order} for you. Can I have the email on the order?"),
            ("C", "It's {email}."),
            ("A", "Thanks. Your {item} is with the carrier and arrives on {day}."),
            ("C", "OK, {day} works. Thanks."),
        ),
        "homegoods-voice",
    ),
    Scenario(
        "Appointment booked for {day} at {hour}",
        "{name} booked an appointment for {day} at {hour}.",
        (
            ("A", "BrightSmile Dental, this is Ava. How can I help you today?"),
            ("C", "I'd like to book a cleaning, ideally {day}."),
            ("A", "I have {day} at {hour} or later in the afternoon. Which suits you?"),
            ("C", "{hour} is perfect."),
            ("A", "Booked: {day} at {hour}. May I confirm your date of birth for the record?"),
            ("C", "Sure, it's in your system already, but it's March 3rd."),
            ("A", "Thank you, {first}. See you {day}!"),
        ),
        "brightsmile-scheduler-voice",
    ),
    Scenario(
        "Unexpected charge of ${amount} on the bill",
        "{name} questioned a ${amount} charge; the agent explained it as a plan change.",
        (
            ("A", "Lumen billing, virtual assistant speaking. What can I do for you?"),
            ("C", "There's a charge of ${amount} on my bill I don't recognise."),
            ("A", "I can look into that. What's the account email?"),
            ("C", "{email}"),
            ("A", "The ${amount} is the prorated difference from your plan upgrade on the 3rd."),
            ("C", "Oh, right. I forgot about that. Thanks."),
        ),
        "lumen-billing-voice",
    ),
    Scenario(
        "Claim {claim}: status of the adjuster visit",
        "{name} asked about claim {claim}; the agent gave the adjuster's visit window.",
        (
            ("A", "Harbor Insurance claims line. How can I help?"),
            ("C", "I'm calling about claim {claim}. Nobody has come to see the damage yet."),
            ("A", "Let me pull up claim {claim}. Can you confirm the policy holder's name?"),
            ("C", "{name}."),
            ("A", "Thank you. The adjuster is scheduled for {day} between 9 and 12."),
            ("C", "Finally. Please make sure they actually come."),
        ),
        "harbor-claims-voice",
    ),
)

CHAT_SCENARIOS = (
    Scenario(
        "Refund request for a damaged {item}",
        "{name} asked for a refund on a damaged {item} (order {order}); the agent opened a return.",
        (
            ("C", "My {item} arrived with a cracked lid. Order {order}. I want a refund."),
            ("A", "I'm sorry to hear that! Could you confirm the email on the order?"),
            ("C", "{email}"),
            ("A", "Thanks. I've opened a return for order {order}; a label is on its way."),
            ("C", "And the refund?"),
            ("A", "It's issued when the carrier scans the parcel, within 5-7 business days."),
        ),
        "homegoods-care",
    ),
    Scenario(
        "Password reset for {email}",
        "{name} could not sign in; the agent sent a reset link after verifying the email.",
        (
            ("C", "I can't log in, it says my password is wrong."),
            ("A", "I can help. What's the email address on the account?"),
            ("C", "{email}"),
            ("A", "Thanks. I've sent a reset link to {email}. It's valid for 30 minutes."),
            ("C", "Got it, that worked."),
        ),
        "lumen-account-assistant",
    ),
    Scenario(
        "Upgrade to the annual plan",
        "{name} asked about switching to the annual plan; the agent explained the price and "
        "made the change.",
        (
            ("C", "How much is the annual plan if I switch now?"),
            ("A", "The annual plan is $479, and you'd get credit for the rest of this month."),
            ("C", "OK, switch me please. Account {email}."),
            ("A", "Done: you're on the annual plan from today. A receipt is on its way."),
        ),
        "lumen-billing-assistant",
    ),
    Scenario(
        "Delivery address change for order {order}",
        "{name} changed the delivery address of order {order} before it shipped.",
        (
            ("C", "Can I still change the address for order {order}?"),
            ("A", "Let me check. Could you confirm the email on the account?"),
            ("C", "{email}"),
            ("A", "Order {order} hasn't shipped, so yes. What's the new address?"),
            ("C", "14 Quay Street, Galway."),
            ("A", "Updated: order {order} now ships to 14 Quay Street, Galway."),
        ),
        "homegoods-care",
    ),
)


@dataclass(frozen=True)
class Check:
    """A check the crowd is scored on: its source metric, a passing and a failing value and
    what the judge says for each, and which agent turn a failure points at."""

    source: str
    passing: Callable[[random.Random], Any]
    failing: Callable[[random.Random], Any]
    passed: str
    failed: str
    own: bool = False  # an authored yes/no metric: its own value passes or fails


CHECKS_BOTH = (
    Check(
        "agent_verified_caller",
        lambda r: True,
        lambda r: False,
        "Verified the caller's email before discussing the account.",
        "Discussed the account before verifying who the customer was.",
        own=True,
    ),
    Check(
        "instruction_follow",
        lambda r: True,
        lambda r: False,
        "Followed its instructions throughout.",
        "Skipped the verification step the instructions require before account changes.",
    ),
    Check(
        "user_effort_score",
        lambda r: r.randint(1, 3),
        lambda r: r.randint(4, 5),
        "The customer got what they needed with little effort.",
        "The customer had to repeat details the agent already had.",
    ),
    Check(
        "loop_count",
        lambda r: r.randint(0, 1),
        lambda r: r.randint(2, 3),
        "No going back over ground already covered.",
        "The agent went back to asking for details it had already been given.",
    ),
    Check(
        "compliance_pii_handling",
        lambda r: True,
        lambda r: False,
        "Verified before disclosing; nothing sensitive read out.",
        "Read account details back before the caller was verified.",
    ),
    Check(
        "compliance_hallucination_boundary",
        lambda r: True,
        lambda r: False,
        "Every policy stated is in the knowledge base.",
        "Stated a refund timeline that no policy provides.",
    ),
)
CHECKS_CALL = (
    Check(
        "latency_spike_count",
        lambda r: r.randint(0, 1),
        lambda r: r.randint(2, 4),
        "Replies came quickly.",
        "Several replies took more than 3 seconds.",
    ),
    Check(
        "agent_cutoff_count",
        lambda r: r.randint(0, 1),
        lambda r: r.randint(2, 3),
        "The agent let the caller finish.",
        "The agent cut the caller off mid-sentence more than once.",
    ),
)
CHECKS_CHAT = (
    Check(
        "tool_invocation_correct",
        lambda r: True,
        lambda r: False,
        "Called the right tools.",
        "Answered from memory instead of calling the order lookup tool.",
    ),
    Check(
        "knowledge_grounding_score",
        lambda r: r.randint(4, 5),
        lambda r: r.randint(1, 2),
        "Answers follow the help centre.",
        "Answers contradict the help centre article on returns.",
    ),
)


class Crowd:
    """The crowd conversations for one moment: records at once, metrics on demand."""

    def __init__(self, until: datetime, calls: int = CALLS, chats: int = CHATS) -> None:
        self.until = until.astimezone(UTC)
        self._plans: dict[str, Callable[[], None]] = {}
        self._built: set[str] = set()
        self._bodies: dict[tuple[str, str, bool, int | None], bytes] = {}
        self.conversations: dict[str, Conversation] = {}
        for kind, count in (("call", calls), ("chat", chats)):
            starts = sorted((_age(kind, i) for i in range(count)), reverse=False)
            for i, age in enumerate(starts):
                conv, plan = _conversation(kind, i, self.until - age)
                self.conversations[conv.id] = conv
                self._plans[conv.id] = plan

    def of_kind(self, kind: str) -> list[Conversation]:
        return [c for c in self.conversations.values() if c.kind == kind]

    def get(self, conv_id: str) -> Conversation | None:
        conv = self.conversations.get(conv_id)
        if conv is not None and conv_id not in self._built:
            self._built.add(conv_id)
            self._plans.pop(conv_id)()
        return conv

    def metrics_body(
        self, conv: Conversation, *, status: str, flatten: bool, visible: int | None
    ) -> bytes:
        key = (conv.id, status, flatten, visible)
        body = self._bodies.get(key)
        if body is None:
            groups = payloads.groups_for(conv, status=status, visible=visible)
            body = payloads.dumps({"data": payloads.flat_rows(groups) if flatten else groups})
            self._bodies[key] = body
        return body


@lru_cache(maxsize=4)
def crowd(until: datetime, calls: int = CALLS, chats: int = CHATS) -> Crowd:
    """The crowd for a moment (and size), shared by the sandboxes of a process that use it."""
    return Crowd(until, calls, chats)


def crowd_id(kind: str, index: int) -> str:
    return stable_id("crowd", kind, str(index))


def _rng(kind: str, index: int, what: str) -> random.Random:
    return random.Random(f"crowd:{kind}:{index}:{what}")


def _age(kind: str, index: int) -> timedelta:
    """How long before the crowd's moment conversation `index` started: the first few within
    minutes (still computing, or in progress), then denser in the last two days."""
    rng = _rng(kind, index, "age")
    if _phase(kind, index) != "done":
        return timedelta(minutes=2 + 3 * index, seconds=rng.randint(0, 59))
    share = rng.random() ** 1.8
    seconds = 15 * 60 + share * (SPAN.total_seconds() - 15 * 60)
    return timedelta(seconds=int(seconds))


def _phase(kind: str, index: int) -> str:
    """ "live" (a call still going on), "computing" (metrics arriving) or "done"."""
    live = IN_PROGRESS if kind == "call" else 0
    if index < live:
        return "live"
    return "computing" if index < live + COMPUTING else "done"


def _conversation(
    kind: str, index: int, start: datetime
) -> tuple[Conversation, Callable[[], None]]:
    rng = _rng(kind, index, "content")
    conv_id = crowd_id(kind, index)
    scenarios = CALL_SCENARIOS if kind == "call" else CHAT_SCENARIOS
    scenario = scenarios[rng.randrange(len(scenarios))]
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    fill = {
        "first": first,
        "name": f"{first} {last}",
        "email": f"{first.lower()}.{last.lower()}@example.com".replace("á", "a"),
        "item": rng.choice(_ITEMS),
        "order": f"{rng.choice('ABCKLM')}-{rng.randint(10000, 99999)}",
        "claim": f"HC-{rng.randint(100000, 999999)}",
        "day": rng.choice(_DAYS),
        "hour": f"{rng.randint(9, 16)}:{rng.choice(('00', '30'))}",
        "amount": f"{rng.randint(5, 180)}.{rng.randint(0, 99):02d}",
    }
    turns: list[Turn] = [(turn[0], turn[1].format(**fill)) for turn in scenario.turns]
    agent = stable_id("agent", scenario.agent)
    phase = _phase(kind, index)
    live = phase == "live"
    if live:
        turns = turns[:3]
    pace = CALL_PACE if kind == "call" else CHAT_PACE
    body = transcript(
        conv_id,
        turns,
        pace,
        agent_id=agent,
        customer_id=stable_id(conv_id, "customer"),
        source="ROARK_POST_CALL" if kind == "call" else None,
    )
    common: dict[str, Any] = {
        "start": iso(start),
        "title": scenario.title.format(**fill),
        "summary": scenario.summary.format(**fill),
        "agent_id": agent,
        "customer": fill["name"],
        "transcript_body": body,
    }
    properties = {"region": rng.choice(("US", "EU", "UK")), "channel": kind}
    if kind == "call":
        record = call_record(
            conv_id,
            **common,
            agent_phone="+1800555" + f"{rng.randint(0, 9999):04d}",
            customer_phone="+1415555" + f"{rng.randint(0, 9999):04d}",
            direction="INBOUND",
            ended_status="CUSTOMER_ENDED_CALL",
            properties=properties,
            external_id="pbx-" + conv_id[:8],
        )
        if live:
            record.update(status="IN_PROGRESS", endedAt=None, durationMs=None, endedStatus=None)
    else:
        record = chat_record(
            conv_id, **common, properties=properties, external_id="web-" + conv_id[:8]
        )
    conv = Conversation(kind, conv_id, record, body)

    def plan() -> None:
        if not live:
            _score(conv, index, computing=phase == "computing")

    return conv, plan


def _score(conv: Conversation, index: int, *, computing: bool) -> None:
    """The metric values of one crowd conversation (see the module docstring)."""
    rng = _rng(conv.kind, index, "metrics")
    v = Values(conv, computed_at(conv.record))
    checks = CHECKS_BOTH + (CHECKS_CALL if conv.kind == "call" else CHECKS_CHAT)
    failing: set[str] = set()
    if rng.random() < FAIL_SHARE:
        failing = {c.source for c in rng.sample(checks, rng.choice((1, 1, 1, 2, 2, 3)))}
    errored = rng.choice(checks).source if rng.random() < ERROR_SHARE else None
    agent_turns = [i for i, e in enumerate(conv.entries) if e["role"] == "AGENT"]
    sentiment = -0.4 if failing else 0.6
    v.add("sentiment_score", round(sentiment + rng.uniform(-0.3, 0.3), 2), None, role="customer")
    v.add("call_outcome", "unresolved" if failing else "resolved", conv.record["summary"])
    response_times(v)
    for step, check in enumerate(checks):
        if computing:
            v.at(SCHEDULE[1] if step < len(checks) // 2 else SCHEDULE[2])
        role = "agent" if check.own else None
        if check.source == errored:
            v.missing(check.source, "ERROR", "The judge could not finish.", error="Judge timed out")
            if check.own:
                continue
            v.missing(
                catalog.check_of(check.source)["slug"],
                "ERROR",
                "The source metric errored.",
                error="Source errored",
            )
        elif check.source in failing:
            where = rng.choice(agent_turns)
            value = check.failing(rng)
            v.add(
                check.source,
                value,
                check.failed,
                evidence=[(where, where, check.failed)],
                role=role,
                check=not check.own,
            )
        else:
            v.add(check.source, check.passing(rng), check.passed, role=role, check=not check.own)
    misunderstood = rng.random() < 0.2  # a reading with no passing side: never a verdict
    v.add("comprehension_failure", misunderstood, "Misheard once." if misunderstood else None)
