"""Fuzzing the metrics path: whatever bytes the API sends, the client either reads them into
groups that the tree view-model and `--print` can show, or raises a ResponseError that says
why. Never another exception, and no control character from the payload reaches `--print`.

Payloads are drawn within the documented schema (grouped and flatten=true shapes), with any
field swapped for a value of the wrong type, and as arbitrary JSON and arbitrary bytes.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roark_tui.api import errors
from roark_tui.api.models import (
    CAPTURE_STATUSES,
    OUTPUT_TYPES,
    PARTICIPANT_ROLES,
    VALUE_CONTEXTS,
    MetricDefinition,
    MetricsResponse,
)
from roark_tui.api.parsing import parse_model
from roark_tui.api.service import RoarkService
from roark_tui.cli.conversation_cmd import render_tree, tree_text
from roark_tui.core.metric_tree import (
    ORDERS,
    build_rows,
    filter_groups,
    first_failure,
    flat_rows,
    sort_rows,
    totals,
    value_rows,
)
from roark_tui.sandbox.hostile import HOSTILE_STRINGS

# Counted in the README (Reliability): keep the figures there in step with these.
SCHEMA_EXAMPLES = 120
JSON_EXAMPLES = 100
BYTES_EXAMPLES = 100
SERVICE_EXAMPLES = 60
FUZZ = settings(
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# What a terminal would act on: C0 controls but newline, DEL, C1 controls, bidi controls.
TERMINAL_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

hostile = st.sampled_from(sorted(t[:300] for t in HOSTILE_STRINGS.values()))
texts = st.one_of(st.text(max_size=40), hostile)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
any_json = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=10,
)
# A value of some other type, cheap to draw (the nested shapes come from any_json elsewhere).
wrong_type = st.one_of(
    scalars,
    st.lists(scalars, max_size=2),
    st.dictionaries(st.text(max_size=6), scalars, max_size=2),
)


def enum(known: tuple[str, ...]) -> st.SearchStrategy[str]:
    """A documented value, an unknown one (a newer API), or text of any kind."""
    return st.one_of(st.sampled_from(known), st.sampled_from(known).map(str.lower), texts)


def field(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually a well-typed value, sometimes a value of the wrong type."""
    return st.one_of(good, good, good, wrong_type)


def optional(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={k: field(v) for k, v in fields.items()})


segments = optional(
    id=texts, text=texts, startOffsetMs=numbers, endOffsetMs=numbers, futureField=wrong_type
)
value_fields = {
    "captureStatus": enum(CAPTURE_STATUSES),
    "computedAt": texts,
    "context": enum(VALUE_CONTEXTS),
    "value": wrong_type,
    "confidence": numbers,
    "valueReasoning": texts,
    "errorMessage": texts,
    "participantRole": enum(PARTICIPANT_ROLES),
    "policyIds": st.lists(texts, max_size=2),
    "segment": segments,
    "fromSegment": segments,
    "toSegment": segments,
    "evidenceSpans": st.lists(
        optional(fromSegment=segments, toSegment=segments, reason=texts), max_size=2
    ),
    "propertyVerdicts": st.lists(
        optional(
            propertyName=texts,
            expectedValue=scalars,
            verdict=enum(("MATCH", "MISMATCH", "NOT_MENTIONED")),
            observedValue=scalars,
            reasoning=texts,
            segment=segments,
        ),
        max_size=2,
    ),
}
group_fields = {
    "metricDefinitionId": texts,
    "slug": st.one_of(texts, texts.map(lambda t: f"{t}_check")),
    "metricId": texts,
    "name": texts,
    "description": texts,
    "type": enum(OUTPUT_TYPES),
    "scope": enum(("GLOBAL", "PER_PARTICIPANT")),
    "unit": optional(name=texts, symbol=texts),
}
values = optional(**value_fields)
groups = st.builds(
    lambda head, vals: {**head, "values": vals},
    optional(**group_fields),
    field(st.lists(values, max_size=3)),
)
flat_rows_shape = st.builds(lambda head, value: {**head, **value}, optional(**group_fields), values)
documents = st.one_of(
    st.fixed_dictionaries({"data": field(st.lists(groups, max_size=4))}),
    st.fixed_dictionaries({"data": st.lists(flat_rows_shape, max_size=4)}),
    st.fixed_dictionaries({"data": st.lists(st.one_of(groups, flat_rows_shape), max_size=4)}),
)
definitions = st.lists(
    st.builds(
        lambda ident, rest: {"id": ident, **rest},
        texts,
        optional(
            slug=texts,
            name=texts,
            calculationType=enum(("THRESHOLD", "LLM_JUDGE")),
            type=enum(OUTPUT_TYPES),
            booleanTrueLabel=texts,
            booleanFalseLabel=texts,
            scaleMax=numbers,
        ),
    ),
    max_size=3,
)


def response(content: bytes, status: int = 200) -> httpx.Response:
    request = httpx.Request("GET", "http://127.0.0.1/v1/chat/x/metrics")
    return httpx.Response(status, content=content, request=request)


def parse_or_error(content: bytes) -> MetricsResponse | None:
    """The parse path's contract: a MetricsResponse, or a ResponseError with a sentence."""
    try:
        return parse_model(MetricsResponse, response(content))
    except errors.ResponseError as exc:
        assert str(exc).startswith("The Roark API sent a response that could not be read")
        assert not TERMINAL_UNSAFE.search(str(exc))
        return None


def exercise_tree(parsed: MetricsResponse, raw_definitions: list[Any], needle: str) -> None:
    """Everything the metrics screen and `--print` do with parsed groups."""
    defs = []
    for raw in raw_definitions:
        try:
            defs.append(MetricDefinition.model_validate(raw))
        except ValueError:
            continue  # the definitions list has its own parse path; only well-formed ones
    rows = build_rows(parsed.data, definitions=defs)
    for order in ORDERS:
        ordered = sort_rows(rows, order)
        assert len(ordered) == len(rows)
        first_failure(rows, order)
    kept = filter_groups(rows, needle)
    assert len(kept) <= len(rows)
    for row in kept:
        shown = value_rows(row)
        assert len(shown) == len(row.shown_indexes)
    assert sum(1 for _ in flat_rows(rows)) == sum(len(r.group.values) for r in rows)
    totals(rows).describe()
    printed = tree_text(rows)
    assert len(printed.splitlines()) >= len(rows)
    unsafe = TERMINAL_UNSAFE.search(printed)
    assert unsafe is None, f"--print passed {unsafe.group()!r} through"
    for row in rows:
        for text in (row.name, row.key, row.summary, row.output_type):
            assert not TERMINAL_UNSAFE.search(text)
        for value in value_rows(row):
            assert not TERMINAL_UNSAFE.search(value.text + value.label + value.role)


@settings(FUZZ, max_examples=SCHEMA_EXAMPLES)
@given(document=documents, raw_definitions=definitions, needle=texts)
def test_schema_shaped_payloads_parse_or_fail_cleanly(
    document: dict[str, Any], raw_definitions: list[Any], needle: str
) -> None:
    content = json.dumps(document, ensure_ascii=False).encode()
    parsed = parse_or_error(content)
    if parsed is not None:
        exercise_tree(parsed, raw_definitions, needle)
        assert render_tree(parsed.data) == tree_text(build_rows(parsed.data))


@settings(FUZZ, max_examples=JSON_EXAMPLES)
@given(document=any_json)
def test_arbitrary_json_parses_or_fails_cleanly(document: Any) -> None:
    parsed = parse_or_error(json.dumps(document).encode())
    if parsed is not None:
        exercise_tree(parsed, [], "")


@settings(FUZZ, max_examples=BYTES_EXAMPLES)
@given(
    content=st.one_of(
        st.binary(max_size=200),
        documents.map(lambda d: json.dumps(d).encode()).flatmap(
            lambda b: st.integers(0, max(0, len(b) - 1)).map(lambda cut: b[:cut])
        ),
    )
)
def test_arbitrary_and_truncated_bytes_parse_or_fail_cleanly(content: bytes) -> None:
    parsed = parse_or_error(content)
    if parsed is not None:
        exercise_tree(parsed, [], "x")


@settings(FUZZ, max_examples=SERVICE_EXAMPLES)
@given(
    status=st.sampled_from([200, 200, 200, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503]),
    content=st.one_of(
        documents.map(lambda d: json.dumps(d).encode()),
        any_json.map(lambda d: json.dumps(d).encode()),
        st.binary(max_size=120),
        hostile.map(lambda t: f"<html><title>{t}</title></html>".encode()),
    ),
    content_type=st.sampled_from(["application/json", "text/html", "text/plain", ""]),
)
def test_service_turns_any_answer_into_groups_or_an_api_error(
    status: int, content: bytes, content_type: str
) -> None:
    """Through the real service (retries off, no sleeping): groups, or an ApiError whose
    sentence is one clean line."""
    calls = 0

    def answer(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        headers = {"content-type": content_type} if content_type else {}
        return httpx.Response(status, content=content, headers=headers)

    async def fetch() -> Any:
        async with RoarkService(
            base_url="http://127.0.0.1:9",
            token="tok_fuzz_secret_value",
            transport=httpx.MockTransport(answer),
            max_retries=0,
        ) as service:
            return await service.chat_metrics("chat-1")

    try:
        found = asyncio.run(fetch())
    except errors.ApiError as exc:
        sentence = str(exc)
        assert sentence and "\n" not in sentence
        assert not TERMINAL_UNSAFE.search(sentence)
        assert "tok_fuzz_secret_value" not in sentence
        if status == 200:
            assert isinstance(exc, errors.ResponseError)
        else:
            assert exc.status == status
    else:
        assert status == 200
        exercise_tree(MetricsResponse(data=found), [], "")
    assert calls == 1
