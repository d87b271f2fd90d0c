"""The seeded demo data reads like the real thing and holds together: segments are transcript
entries, checks agree with their sources, the failing conversations fail and the passing one
passes, every shape the API can send appears somewhere, and the hostile corpus is in place.

The check and gate assertions read the sandbox's payloads with the client's own logic
(roark_tui.core), so a disagreement between the two independent implementations shows here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from roark_tui.api.models import MetricGroup
from roark_tui.core import verdict, whatif
from roark_tui.sandbox import SandboxConfig, create_app, payloads
from roark_tui.sandbox import demo_ids as ids
from roark_tui.sandbox.catalog import seeded
from roark_tui.sandbox.computing import SETTLED_AT
from roark_tui.sandbox.hostile import HOSTILE_STRINGS

CONVERSATIONS = [("chat", c) for c in ids.CHAT_IDS] + [("call", c) for c in ids.CALL_IDS]
DEFINITIONS = {d["id"]: d for d in seeded()}


def settled_groups(conv_id: str) -> list[dict[str, Any]]:
    """Every metric group of a conversation with status=all, computing scenario settled."""
    conv = payloads.conversations()[conv_id]
    return payloads.groups_for(conv, status="all")


def values(conv_id: str) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for group in settled_groups(conv_id):
        for value in group["values"]:
            yield group, value


def segments_of(value: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in ("segment", "fromSegment", "toSegment"):
        if key in value:
            yield value[key]
    for span in value.get("evidenceSpans", []):
        yield span["fromSegment"]
        yield span["toSegment"]
    for item in value.get("propertyVerdicts", []):
        if "segment" in item:
            yield item["segment"]


@pytest.mark.parametrize(("kind", "conv_id"), CONVERSATIONS)
def test_every_segment_is_an_entry_of_that_transcript(kind: str, conv_id: str) -> None:
    entries = payloads.conversations()[conv_id].entries
    by_id = {e["id"]: e for e in entries}
    order = {e["id"]: i for i, e in enumerate(entries)}
    seen = 0
    for group, value in values(conv_id):
        for seg in segments_of(value):
            entry = by_id.get(seg["id"])
            assert entry is not None, f"{group['slug']}: segment {seg['id']} is not an entry"
            assert seg == {k: entry[k] for k in ("id", "text", "startOffsetMs", "endOffsetMs")}
            seen += 1
        context = value["context"]
        if context == "SEGMENT":
            assert "segment" in value and "fromSegment" not in value
        elif context == "SEGMENT_RANGE":
            assert order[value["fromSegment"]["id"]] <= order[value["toSegment"]["id"]]
            assert "segment" not in value
        else:
            assert context == "CALL" and not {"segment", "fromSegment", "toSegment"} & value.keys()
        for span in value.get("evidenceSpans", []):
            assert order[span["fromSegment"]["id"]] <= order[span["toSegment"]["id"]]
    assert seen, "every demo conversation points at its transcript somewhere"


def test_the_demo_covers_every_shape_the_api_sends() -> None:
    types, contexts, statuses, roles, verdicts = set(), set(), set(), set(), set()
    evidence = reasoning = 0
    for _, conv_id in CONVERSATIONS:
        for group, value in values(conv_id):
            types.add(group["type"])
            contexts.add(value["context"])
            statuses.add(value["captureStatus"])
            roles.add(value.get("participantRole"))
            evidence += bool(value.get("evidenceSpans"))
            reasoning += bool(value.get("valueReasoning"))
            verdicts.update(v["verdict"] for v in value.get("propertyVerdicts", []))
            if value.get("propertyVerdicts"):
                assert group["slug"] == "property_transcript_mismatch"
    assert types == {"COUNT", "NUMERIC", "BOOLEAN", "SCALE", "TEXT", "CLASSIFICATION", "OFFSET"}
    assert contexts == {"CALL", "SEGMENT", "SEGMENT_RANGE"}
    assert statuses == {"SUCCESS", "NOT_APPLICABLE", "DATA_MISSING", "ERROR"}
    assert {"agent", "customer"} <= roles
    assert verdicts == {"MATCH", "MISMATCH", "TRANSCRIPTION_ERROR", "NOT_MENTIONED"}
    assert evidence >= 30 and reasoning >= 200


def test_per_participant_metrics_carry_a_role_on_every_row() -> None:
    for _, conv_id in CONVERSATIONS:
        for group, value in values(conv_id):
            if group["scope"] == "PER_PARTICIPANT" and value["captureStatus"] == "SUCCESS":
                assert value.get("participantRole") in ("agent", "customer"), group["slug"]
            if group["scope"] == "GLOBAL":
                assert "participantRole" not in value, group["slug"]


def groups_as_models(conv_id: str) -> list[MetricGroup]:
    return [MetricGroup.model_validate(g) for g in settled_groups(conv_id)]


@pytest.mark.parametrize(("kind", "conv_id"), CONVERSATIONS)
def test_each_check_agrees_with_its_source_under_the_clients_reading(
    kind: str, conv_id: str
) -> None:
    groups = {g.metric_definition_id: g for g in groups_as_models(conv_id)}
    checked = 0
    for group in groups.values():
        definition = DEFINITIONS[group.metric_definition_id]
        spec = definition.get("threshold")
        if spec is None or spec["sourceMetricDefinitionId"] not in groups:
            continue
        source = groups[spec["sourceMetricDefinitionId"]]
        rule = whatif.Rule(
            operator=spec["operator"],
            value=spec["thresholdValue"],
            aggregation_mode=spec["aggregationMode"],
            count_threshold=spec["countThreshold"],
            source_participant_role=spec["sourceParticipantRole"],
        )
        result = whatif.evaluate(rule, source.values, output_type=source.type)
        computed = [v for v in group.values if v.capture_status == "SUCCESS"]
        if result.fires is None:
            assert not computed, f"{group.slug} has a value although its source has none"
            continue
        assert [v.value for v in computed] == [result.fires], group.slug
        checked += 1
    assert checked


def failed_checks(conv_id: str) -> list[tuple[MetricGroup, Any]]:
    result = verdict.gate(groups_as_models(conv_id), definitions=_definition_models())
    return [(row.group, row.value) for row in result.failed]


def _definition_models() -> list[Any]:
    from roark_tui.api.models import MetricDefinition

    return [MetricDefinition.model_validate(d) for d in seeded()]


@pytest.mark.parametrize("conv_id", [ids.FAILING_CHAT_ID, ids.REFUND_CHAT_ID, ids.FAILING_CALL_ID])
def test_failing_conversations_fail_several_checks_and_say_where(conv_id: str) -> None:
    failed = failed_checks(conv_id)
    assert len({group.slug for group, _ in failed}) >= 3
    entries = {e["id"] for e in payloads.conversations()[conv_id].entries}
    for group, value in failed:
        assert value.value is False and value.value_reasoning, group.slug
        where = [value.segment] if value.segment else []
        where += [span.from_segment for span in value.evidence_spans]
        assert where and all(s is not None and s.id in entries for s in where), group.slug
        if DEFINITIONS[group.metric_definition_id]["calculationType"] == "THRESHOLD":
            assert re.search(r"See \d\d:\d\d: “", value.value_reasoning), group.slug
            assert value.evidence_spans, group.slug


def test_gate_verdicts_of_the_demo() -> None:
    definitions = _definition_models()
    expected = {
        ids.FAILING_CHAT_ID: verdict.Verdict.FAIL,
        ids.REFUND_CHAT_ID: verdict.Verdict.FAIL,
        ids.FAILING_CALL_ID: verdict.Verdict.FAIL,
        ids.HOSTILE_CHAT_ID: verdict.Verdict.FAIL,
        ids.BOOKING_CHAT_ID: verdict.Verdict.PASS,
        ids.BOOKING_CALL_ID: verdict.Verdict.PASS,
        ids.RESET_CHAT_ID: verdict.Verdict.PASS,
        ids.INJECTION_CHAT_ID: verdict.Verdict.PASS,
        ids.RESCHEDULE_CHAT_ID: verdict.Verdict.FAIL,
        ids.VOICEMAIL_CALL_ID: verdict.Verdict.PASS,
        ids.TRANSFER_CALL_ID: verdict.Verdict.PASS,
        ids.COMPUTING_CHAT_ID: verdict.Verdict.ERROR,
    }
    for conv_id, want in expected.items():
        result = verdict.gate(groups_as_models(conv_id), definitions=definitions)
        assert result.verdict is want, (conv_id, result.summary())


def test_booking_chat_passes_every_check() -> None:
    kinds = verdict.DefinitionIndex(_definition_models())
    checks = [
        (g, v)
        for g, v in values(ids.BOOKING_CHAT_ID)
        if kinds.kind(MetricGroup.model_validate(g)) is verdict.Kind.CHECK
    ]
    assert len(checks) >= 15
    assert all(v["captureStatus"] == "SUCCESS" and v["value"] is True for _, v in checks)


def test_one_chat_fails_only_an_authored_yes_no_check() -> None:
    """The reschedule chat's one failing check is an LLM judge the project wrote, not a
    threshold: the `--check` gate on it must still exit 6."""
    groups = groups_as_models(ids.RESCHEDULE_CHAT_ID)
    result = verdict.gate(groups, definitions=_definition_models())
    [group] = [row.group for row in result.failed]
    definition = DEFINITIONS[group.metric_definition_id]
    assert (group.slug, definition["calculationType"], definition["type"]) == (
        "booking_read_back",
        "LLM_JUDGE",
        "BOOLEAN",
    )
    assert not result.errored and not result.unknown and result.passed >= 9


def test_authored_yes_no_checks_pass_and_fail_and_provider_booleans_stay_neutral() -> None:
    kinds = verdict.DefinitionIndex(_definition_models())
    outcomes: dict[str, set[object]] = {}
    provider_booleans = set()
    for _, conv_id in CONVERSATIONS:
        for raw, value in values(conv_id):
            group = MetricGroup.model_validate(raw)
            definition = DEFINITIONS[group.metric_definition_id]
            if value["captureStatus"] != "SUCCESS" or group.type != "BOOLEAN":
                continue
            if definition["calculationType"] == "LLM_JUDGE":
                assert kinds.kind(group) is verdict.Kind.CHECK
                outcomes.setdefault(group.key, set()).add(value["value"])
            if definition["calculationType"] == "PROVIDER":
                assert kinds.kind(group) is verdict.Kind.OBSERVATION
                provider_booleans.add(group.key)
    assert outcomes["agent_verified_caller"] == outcomes["booking_read_back"] == {True, False}
    assert {"comprehension_failure", "property_transcript_mismatch"} <= provider_booleans


def test_hostile_chat_carries_the_whole_corpus() -> None:
    conv = payloads.conversations()[ids.HOSTILE_CHAT_ID]
    transcript = json.dumps(conv.transcript, ensure_ascii=False)
    texts = [e["text"] for e in conv.entries]
    for name, text in HOSTILE_STRINGS.items():
        assert any(text in t for t in texts), name
    assert json.loads(transcript)  # control characters are escaped on the wire
    reasoning = " ".join(
        v.get("valueReasoning", "") + v.get("errorMessage", "") for _, v in values(conv.id)
    )
    for name in ("rich_markup", "osc52_clipboard", "osc0_title", "rtl_override", "long_line"):
        assert HOSTILE_STRINGS[name] in reasoning, name
    names = [g["name"] for g in settled_groups(conv.id)]
    assert any("[bold red]" in n and "\x1b[31m" in n and "\u202e" in n for n in names)
    assert "\x1b" in conv.record["title"] and "[bold red]" in conv.record["title"]


def test_the_long_line_is_ten_thousand_characters_of_one_line() -> None:
    line = HOSTILE_STRINGS["long_line"]
    assert len(line) == 10_000 and "\n" not in line
    assert max(len(e["text"]) for e in payloads.conversations()[ids.HOSTILE_CHAT_ID].entries) > (
        10_000
    )


def test_demo_timestamps_are_fixed_in_november_2026() -> None:
    stamp = re.compile(r'"(\w*(?:At|Timestamp|timestamp))":"([^"]*)"')
    for _, conv_id in CONVERSATIONS:
        conv = payloads.conversations()[conv_id]
        body = payloads.dumps(conv.record) + payloads.metrics_body(conv, status="all", flatten=True)
        found = stamp.findall(body.decode())
        assert found
        for key, value in found:
            assert value.startswith("2026-11-"), (conv_id, key, value)


async def test_two_sandboxes_serve_identical_bytes() -> None:
    import httpx

    bodies = []
    for _ in range(2):
        app = create_app(SandboxConfig(token=None))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://s") as client:
            body = b""
            for path in ("/v1/chat", "/v1/call", "/v1/metric/definitions?limit=50"):
                body += (await client.get(path)).content
            body += (await client.get(f"/v1/chat/{ids.FAILING_CHAT_ID}/metrics")).content
        bodies.append(body)
    assert bodies[0] == bodies[1]


def test_the_computing_chat_settles_at_the_documented_time() -> None:
    conv = payloads.conversations()[ids.COMPUTING_CHAT_ID]
    assert max(conv.appear_at) == SETTLED_AT
    assert payloads.visible_groups(conv, SETTLED_AT) == len(conv.groups)
