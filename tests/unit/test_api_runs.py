"""The run models read any payload: hostile values become None or empty, unknown kinds stay."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from roark_tui.api.runs import RunPage, RunResults, RunResultsResponse
from roark_tui.core import runs

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
KEYS = ("run", "summary", "verdict", "calls", "metrics", "comparison", "debrief", "breakdowns")


def test_hostile_values_parse_to_none_or_empty() -> None:
    body = {
        "data": {
            "run": {"status": 7, "runNumber": "forty", "durationMs": 1e308, "extra": [1]},
            "verdict": {
                "passed": "true",
                "score": "NaN",
                "checks": "none",
                "failures": [None, 3, {"type": "BRAND_NEW", "why": {"deep": [1]}}],
            },
            "calls": [{"callId": None, "checks": [{"passed": 1}], "values": {"x": 1}}, "junk"],
            "debrief": {"status": "READY", "report": []},
            "sweepAttribution": "nope",
        }
    }
    data = RunResultsResponse.model_validate_json(json.dumps(body)).data
    assert data is not None and data.run is not None
    assert data.run.status == "7" and data.run.run_number is None
    assert data.verdict is not None and data.verdict.passed is None and data.verdict.checks == []
    assert [f.type for f in data.verdict.failures] == ["BRAND_NEW"]
    assert data.calls[0].checks[0].passed is None and data.calls[0].values == []
    assert data.debrief is not None and not data.debrief.ready
    assert data.sweep_attribution is None
    assert runs.outcome(data) is runs.RunOutcome.RUNNING  # status "7" is not a settled one


def test_nan_and_huge_numbers_are_no_numbers() -> None:
    raw = b'{"data":{"run":{},"verdict":{"score":NaN,"checks":[{"passRate":1e999}]}}}'
    data = RunResultsResponse.model_validate_json(raw).data
    assert data is not None and data.verdict is not None
    assert data.verdict.score is None and data.verdict.checks[0].pass_rate is None


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), JSON, max_size=6))
def test_any_json_parses_and_renders(data: dict[str, object]) -> None:
    parsed = RunResults.model_validate_json(json.dumps(data))
    runs.headline(parsed)
    runs.reasons(parsed)
    runs.call_rows(parsed)


@pytest.mark.parametrize(
    "pagination",
    [{"hasMore": True, "nextCursor": "abc"}, {"hasMore": "yes", "nextCursor": 5}, None, []],
)
def test_the_page_says_whether_there_is_a_next(pagination: object) -> None:
    page = RunPage.model_validate_json(
        json.dumps({"data": [{"status": "X"}, 1], "pagination": pagination})
    )
    assert len(page.data) == 1
    expected = "abc" if isinstance(pagination, dict) and pagination.get("hasMore") is True else None
    assert page.next_cursor == expected


@pytest.mark.parametrize(
    "body", [{"data": 42}, {"data": {}}, {"data": {"run": None}}, {"detail": "x"}, []]
)
def test_an_answer_that_is_no_runs_results_is_unreadable(body: object) -> None:
    with pytest.raises(ValidationError):
        RunResultsResponse.model_validate_json(json.dumps(body))


@pytest.mark.parametrize("body", [{"data": 42}, {"data": {"a": 1}}, {}])
def test_a_list_that_is_no_list_is_unreadable(body: object) -> None:
    with pytest.raises(ValidationError):
        RunPage.model_validate_json(json.dumps(body))
