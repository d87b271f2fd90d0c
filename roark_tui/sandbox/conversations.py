"""Demo conversations as data: a script of turns becomes a chat or call record, its transcript,
and metric values whose segments are that transcript's own entries.

Demo modules write a conversation once (who said what, and what the judges found where) and
this module derives the JSON the API serves: offsets from the text lengths, segment objects
copied from the entries they point at (so ids, text and offsets always agree), check values
evaluated from their source values with the check's own threshold (so a `*_check` can never
disagree with its source).

Timestamps are fixed (Nov 2026): the demo reads the same on every run and in every snapshot.
Transcript entries keep an `id` here, the id of the metric segments cut from them; the API
documents no entry id, so the served transcript leaves it out (payloads.transcript_body) and a
client matches a segment to its entry by offsets.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from roark_tui.sandbox import catalog, operators
from roark_tui.sandbox.call_filters import RunMembership

_NAMESPACE = uuid.UUID("0f5e2b7c-9a41-4c3d-8e6f-2d7b1a9c4e50")
POLICY_IDS = ["7b3e9f12-4c8a-4d6e-9b1f-3a5c7e9d2b40"]

# A turn: (role "A" agent | "C" customer, text) or (role, text, gap before it in ms).
Turn = tuple[str, str] | tuple[str, str, int]


def stable_id(*parts: str) -> str:
    """A UUID that is the same on every run for the same parts."""
    return str(uuid.uuid5(_NAMESPACE, ":".join(parts)))


def iso(moment: datetime) -> str:
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Pace:
    """How fast a conversation moves: gaps before turns and time per character.

    An agent's reply gap grows with the reply's length (composing a long answer takes longer)
    and carries a jitter of up to ±`agent_jitter` ms drawn from a stable hash of the
    conversation and turn, so response times vary as real ones do and are the same on every run.
    """

    agent_gap: int
    customer_gap: int
    ms_per_char: float
    customer_ms_per_char_gap: float = 0.0
    agent_ms_per_char_gap: float = 0.0
    agent_jitter: int = 0

    def agent_reply_gap(self, conv_id: str, index: int, text: str) -> int:
        spread = 2 * self.agent_jitter + 1
        jitter = uuid.uuid5(_NAMESPACE, f"{conv_id}:gap:{index}").int % spread - self.agent_jitter
        return self.agent_gap + int(self.agent_ms_per_char_gap * len(text)) + jitter


CHAT_PACE = Pace(
    agent_gap=900,
    customer_gap=5000,
    ms_per_char=12,
    customer_ms_per_char_gap=35,
    agent_ms_per_char_gap=8,
    agent_jitter=450,
)
CALL_PACE = Pace(
    agent_gap=480, customer_gap=450, ms_per_char=62, agent_ms_per_char_gap=2, agent_jitter=200
)


@dataclass
class Conversation:
    """One chat or call: the record, the transcript and the metric groups (grouped shape).

    `appear_at` holds, per metric group, the second (on the sandbox clock) at which the group
    appears; only the computing scenario uses it. `run` is the simulation run a call came from
    (None for a live one): the call list filters on it, the API never serves it.
    """

    kind: str
    id: str
    record: dict[str, Any]
    transcript: dict[str, Any]
    groups: list[dict[str, Any]] = field(default_factory=list)
    appear_at: list[float] = field(default_factory=list)
    run: RunMembership | None = None

    @property
    def entries(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.transcript["entries"]
        return entries


def transcript(
    conv_id: str,
    turns: Sequence[Turn],
    pace: Pace,
    *,
    agent_id: str,
    customer_id: str | None,
    source: str | None = None,
) -> dict[str, Any]:
    """The transcript JSON of a script, offsets in ms from the conversation's start."""
    agent_pid = stable_id(conv_id, "participant", "agent")
    customer_pid = stable_id(conv_id, "participant", "customer")
    entries: list[dict[str, Any]] = []
    cursor = 0
    for index, turn in enumerate(turns):
        role, text = turn[0], turn[1]
        if len(turn) == 3:
            gap = turn[2]
        elif not index:
            gap = 300
        elif role == "A":
            gap = pace.agent_reply_gap(conv_id, index, text)
        else:
            gap = pace.customer_gap + int(pace.customer_ms_per_char_gap * len(text))
        start = cursor + gap
        end = start + max(300, int(pace.ms_per_char * len(text)))
        entries.append(
            {
                "id": stable_id(conv_id, "entry", str(index)),
                "participantId": agent_pid if role == "A" else customer_pid,
                "role": "AGENT" if role == "A" else "CUSTOMER",
                "text": text,
                "startOffsetMs": start,
                "endOffsetMs": end,
            }
        )
        cursor = end
    participants: list[dict[str, Any]] = [
        {"id": agent_pid, "type": "AGENT", "agentId": agent_id},
        {"id": customer_pid, "type": "CUSTOMER", "customerId": customer_id},
    ]
    body: dict[str, Any] = {"participants": participants, "entries": entries}
    if source is not None:
        body["transcriptionSource"] = source
    return body


def duration_ms(transcript_body: dict[str, Any]) -> int:
    entries = transcript_body["entries"]
    return entries[-1]["endOffsetMs"] + 1200 if entries else 0


def segment(entry: dict[str, Any]) -> dict[str, Any]:
    """The metric Segment of a transcript entry: same id, text and offsets."""
    return {
        "id": entry["id"],
        "text": entry["text"],
        "startOffsetMs": entry["startOffsetMs"],
        "endOffsetMs": entry["endOffsetMs"],
    }


def clock_label(offset_ms: float) -> str:
    seconds = int(offset_ms // 1000)
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


Span = tuple[int, int, str]  # (from entry, to entry, reason)


class Values:
    """Builds the metric groups of one conversation, in the order they are added."""

    def __init__(self, conv: Conversation, computed_at: datetime) -> None:
        self.conv = conv
        self._computed_at = computed_at
        self._groups: dict[str, dict[str, Any]] = {}
        self._appear = 0.0
        self._rows = 0

    def at(self, seconds: float) -> None:
        """Groups added from now on appear `seconds` after the sandbox starts."""
        self._appear = seconds

    def seg(self, index: int) -> dict[str, Any]:
        return segment(self.conv.entries[index])

    def when(self, index: int) -> str:
        """The mm:ss at which entry `index` starts, for reasoning that points at it."""
        return clock_label(self.conv.entries[index]["startOffsetMs"])

    def _group(self, slug: str) -> dict[str, Any]:
        group = self._groups.get(slug)
        if group is None:
            definition = catalog.by_slug(slug)
            group = catalog.group_header(definition)
            group["values"] = []
            self._groups[slug] = group
            self.conv.groups.append(group)
            self.conv.appear_at.append(self._appear)
        return group

    def _stamp(self) -> str:
        self._rows += 1
        moment = self._computed_at + timedelta(
            seconds=3 * len(self._groups), milliseconds=self._rows
        )
        return iso(moment)

    def add(
        self,
        slug: str,
        value: Any = None,
        reasoning: str | None = None,
        *,
        at: int | None = None,
        span: tuple[int, int] | None = None,
        role: str | None = None,
        confidence: float | None = None,
        evidence: Sequence[Span] = (),
        status: str = "SUCCESS",
        error: str | None = None,
        verdicts: list[dict[str, Any]] | None = None,
        check: bool = False,
    ) -> dict[str, Any]:
        """One value row; `at` makes it a SEGMENT row, `span` a SEGMENT_RANGE row.

        With `check=True` the metric's system check (mostly `<slug>_check`) gets its verdict,
        computed from this value by the check's own threshold.
        """
        definition = catalog.by_slug(slug)
        group = self._group(slug)
        row: dict[str, Any] = {"captureStatus": status, "computedAt": self._stamp()}
        if at is not None:
            row["context"] = "SEGMENT"
            row["segment"] = self.seg(at)
        elif span is not None:
            row["context"] = "SEGMENT_RANGE"
            row["fromSegment"] = self.seg(span[0])
            row["toSegment"] = self.seg(span[1])
        else:
            row["context"] = "CALL"
        if status == "SUCCESS":
            row["value"] = value
            row["confidence"] = confidence if confidence is not None else _confidence(definition)
        if reasoning is not None:
            row["valueReasoning"] = reasoning
        if status == "ERROR":
            row["errorMessage"] = error or "The metric could not be computed"
        if role is not None:
            row["participantRole"] = role
        row["policyIds"] = list(POLICY_IDS)
        if evidence:
            row["evidenceSpans"] = [
                {"fromSegment": self.seg(a), "toSegment": self.seg(b), "reason": why}
                for a, b, why in evidence
            ]
        if verdicts is not None:
            row["propertyVerdicts"] = verdicts
        group["values"].append(row)
        if check:
            self._check(definition, row)
        return row

    def missing(self, slug: str, status: str, reasoning: str, error: str | None = None) -> None:
        """A computed-but-no-value row (only served with status=all)."""
        self.add(slug, status=status, reasoning=reasoning, error=error)

    def _check(self, source: dict[str, Any], row: dict[str, Any]) -> None:
        check = catalog.check_of(source["slug"])
        spec = check["threshold"]
        passed = operators.satisfies(
            source["type"], row["value"], spec["operator"], spec["thresholdValue"]
        )
        symbol = operators.SYMBOLS[spec["operator"]]
        shown, limit = operators.shown(row["value"]), spec["thresholdValue"]
        if passed:
            why = f"{source['name']} is {shown}, within the limit ({symbol} {limit})."
        else:
            why = f"{source['name']} is {shown}; the check needs {symbol} {limit}."
            first = (row.get("evidenceSpans") or [None])[0]
            if first is not None:
                seg = first["fromSegment"]
                why += f" See {clock_label(seg['startOffsetMs'])}: “{_excerpt(seg['text'])}”"
        self.add(
            check["slug"],
            passed,
            why,
            confidence=1.0,
            evidence=[] if passed else _spans_of(self.conv, row),
        )


def _spans_of(conv: Conversation, row: dict[str, Any]) -> list[Span]:
    index = {e["id"]: i for i, e in enumerate(conv.entries)}
    return [
        (index[s["fromSegment"]["id"]], index[s["toSegment"]["id"]], s.get("reason", ""))
        for s in row.get("evidenceSpans", [])
    ]


def _excerpt(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _confidence(definition: dict[str, Any]) -> float:
    if definition["calculationType"] in ("THRESHOLD", "FORMULA", "PATTERN"):
        return 1.0
    if (
        definition["type"] in ("COUNT", "NUMERIC", "OFFSET")
        and definition["calculationType"] == "PROVIDER"
    ):
        return 1.0
    return 0.91


def chat_record(
    conv_id: str,
    *,
    start: str,
    title: str,
    summary: str,
    agent_id: str,
    customer: str,
    properties: dict[str, Any],
    transcript_body: dict[str, Any],
    external_id: str,
) -> dict[str, Any]:
    """A Chat object (docs/contract.md) for a transcript that starts at `start`."""
    begin = parse_iso(start)
    length = duration_ms(transcript_body)
    end = begin + timedelta(milliseconds=length)
    return {
        "id": conv_id,
        "projectId": catalog.PROJECT_ID,
        "organizationId": catalog.ORGANIZATION_ID,
        "startTimestamp": iso(begin),
        "endTimestamp": iso(end),
        "durationMs": length,
        "title": title,
        "summary": summary,
        "createdAt": iso(end + timedelta(seconds=2)),
        "updatedAt": iso(end + timedelta(minutes=3, seconds=12)),
        "simulationJobId": None,
        "simulationRunPlanJobId": None,
        "agents": [{"id": agent_id}],
        "customers": [{"phoneNumberE164": None, "label": customer}],
        "properties": properties,
        "policyIds": list(POLICY_IDS),
        "externalId": external_id,
    }


def call_record(
    conv_id: str,
    *,
    start: str,
    title: str,
    summary: str,
    agent_id: str,
    agent_phone: str,
    customer: str,
    customer_phone: str,
    direction: str,
    ended_status: str,
    properties: dict[str, Any],
    transcript_body: dict[str, Any],
    external_id: str,
    simulation_job_id: str | None = None,
) -> dict[str, Any]:
    """A Call object (docs/contract.md); property values are strings, as the API returns."""
    begin = parse_iso(start)
    length = duration_ms(transcript_body)
    end = begin + timedelta(milliseconds=length)
    return {
        "id": conv_id,
        "callDirection": direction,
        "projectId": catalog.PROJECT_ID,
        "recordingUrlAccess": "AVAILABLE",
        "recordingUrl": f"https://recordings.sandbox.local/{conv_id}.wav",
        "startedAt": iso(begin),
        "endedAt": iso(end),
        "durationMs": length,
        "status": "ENDED",
        "endedStatus": ended_status,
        "title": title,
        "summary": summary,
        "createdAt": iso(end + timedelta(seconds=4)),
        "updatedAt": iso(end + timedelta(minutes=2, seconds=40)),
        "agents": [
            {
                "id": agent_id,
                "endpoint": {
                    "id": stable_id(agent_id, "endpoint"),
                    "environment": "production",
                    "phoneNumberE164": agent_phone,
                },
            }
        ],
        "customers": [{"label": customer, "phoneNumberE164": customer_phone}],
        "properties": {k: str(v) for k, v in properties.items()},
        "policyIds": list(POLICY_IDS),
        "externalId": external_id,
        "simulationJobId": simulation_job_id,
        "supersededByCallId": None,
    }


def computed_at(record: dict[str, Any]) -> datetime:
    """When a conversation's metrics were computed: a little after it ended."""
    end = record.get("endTimestamp") or record.get("endedAt")
    return parse_iso(str(end)) + timedelta(seconds=41)
