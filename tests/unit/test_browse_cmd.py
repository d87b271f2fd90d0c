"""`calls`/`chats` with --since, --failing, --check, --print and --json against the demo, the
expected answers worked out from the sandbox's own data (not through the client's code)."""

from __future__ import annotations

import dataclasses
import io
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from roark_tui.cli import main
from roark_tui.core import formatting
from roark_tui.sandbox import catalog, payloads
from roark_tui.sandbox.conversations import Conversation, parse_iso
from roark_tui.sandbox.demo_ids import FAILING_CALL_ID

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # the seeded failing call is 44 h before


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """`--demo` at NOW, its sandbox's clock stopped (computing conversations stay early)."""
    import roark_tui.sandbox as sandbox

    made: list[Any] = []
    real = sandbox.create_app

    def capture(config: Any = None) -> Any:
        app = real(dataclasses.replace(config, clock=lambda: 0.0))
        made.append(app)
        return app

    monkeypatch.setattr(sandbox, "create_app", capture)
    formatting.set_clock(NOW)
    try:
        yield made
    finally:
        formatting.set_clock(None)


def run(monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = main(["--demo", *argv])
    return code, out.getvalue(), err.getvalue()


def every(app: Any, kind: str) -> list[Conversation]:
    seeded = [c for c in payloads.conversations().values() if c.kind == kind]
    return seeded + app.state.sandbox.crowd.of_kind(kind)


def is_check(slug: str) -> bool:
    """Roark's rule, on the sandbox's own definitions: a THRESHOLD, or an authored yes/no."""
    definition = catalog.by_slug(slug)
    calculation = definition["calculationType"]
    authored = calculation in ("LLM_JUDGE", "FORMULA", "PATTERN")
    return calculation == "THRESHOLD" or (authored and definition["type"] == "BOOLEAN")


def failed_checks(app: Any, conv: Conversation) -> set[str]:
    """The checks with a false value, from the sandbox's groups as served now."""
    full = app.state.sandbox.crowd.get(conv.id) or conv  # builds a crowd conversation's values
    visible = payloads.visible_groups(full, 0.0) if any(full.appear_at) else None
    failed = set()
    for group in payloads.groups_for(full, status="all", visible=visible):
        if not is_check(group["slug"]):
            continue
        if any(v["captureStatus"] == "SUCCESS" and v["value"] is False for v in group["values"]):
            failed.add(group["slug"])
    return failed


def in_window(conv: Conversation, hours: int) -> bool:
    return parse_iso(conv.record["startedAt"]) >= NOW - timedelta(hours=hours)


def test_failing_calls_of_the_last_48h(monkeypatch, demo) -> None:
    code, out, err = run(monkeypatch, "calls", "--since", "48h", "--failing", "--print")
    assert (code, err) == (0, "")
    rows = [line.split("\t") for line in out.splitlines()]
    app = demo[0]
    expected = {
        c.id: failed
        for c in every(app, "call")
        if in_window(c, 48) and (failed := failed_checks(app, c))
    }
    assert FAILING_CALL_ID in expected and len(expected) > 10
    assert sorted(r[0] for r in rows) == sorted(expected)
    for row in rows:
        assert row[3:5] == ["FAIL", str(len(expected[row[0]]))]
        assert set(row[5].split(",")) == expected[row[0]]


def test_one_check_and_json(monkeypatch, demo) -> None:
    code, out, _ = run(
        monkeypatch, "chats", "--since", "1d", "--check", "instruction_follow_check", "--json"
    )
    assert code == 0
    document = json.loads(out)
    app = demo[0]
    expected = [
        c
        for c in every(app, "chat")
        if parse_iso(c.record["startTimestamp"]) >= NOW - timedelta(days=1)
        and "instruction_follow_check" in failed_checks(app, c)
    ]
    assert document["kind"] == "chat" and document["filters"]["check"] == (
        "instruction_follow_check"
    )
    assert document["filters"]["since"] == (NOW - timedelta(days=1)).isoformat()
    listed = document["conversations"]
    assert {c["id"] for c in listed} == {c.id for c in expected} and expected
    starts = [c["started"] for c in listed]
    assert starts == sorted(starts, reverse=True)  # the list's order, not the arrival order
    verdict = listed[0]["verdict"]
    assert set(verdict) == {
        "status",
        "checks",
        "failing",
        "failed",
        "errored",
        "unknown",
        "problem",
    }
    assert verdict["status"] == "FAIL" and "instruction_follow_check" in verdict["failed"]


def test_a_window_in_a_pipe_is_the_plain_list(monkeypatch, demo) -> None:
    code, out, _ = run(monkeypatch, "calls", "--since", "2h")
    rows = [line.split("\t") for line in out.splitlines()]
    expected = [c for c in every(demo[0], "call") if in_window(c, 2)]
    assert code == 0 and len(rows) == len(expected) > 0 and all(len(r) == 4 for r in rows)


@pytest.mark.parametrize("since", ["yesterday", "0h", "2027-01-01", "2"])
def test_a_bad_since_is_a_usage_error(monkeypatch, demo, since) -> None:
    code, out, err = run(monkeypatch, "calls", "--since", since)
    assert code == 2 and out == "" and err.startswith("roark-tui: --since")
    assert demo == []  # refused before any request


def test_a_fault_on_one_conversation_marks_that_row(monkeypatch, demo) -> None:
    import roark_tui.sandbox as sandbox
    from roark_tui.sandbox import Fault

    real = sandbox.create_app

    def faulty(config: Any = None) -> Any:
        app = real(config)
        app.state.sandbox.faults.add(
            Fault("status", status=503, path=f"/v1/call/{FAILING_CALL_ID}/metrics")
        )
        return app

    monkeypatch.setattr(sandbox, "create_app", faulty)
    code, out, err = run(monkeypatch, "calls", "--since", "48h", "--failing", "--print")
    rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()}
    assert code == 1 and "could not be judged" in err
    assert rows[FAILING_CALL_ID][3:6] == ["FAULT", "0", "HTTP 503"]
    assert sum(r[3] == "FAIL" for r in rows.values()) > 10


@pytest.mark.parametrize(
    ("check", "warning"),
    [
        ("loop_count_chek", "no metric definition has the slug 'loop_count_chek'; did you mean"),
        ("loop_count", "loop_count is not a check, so it never fails; its check is"),
    ],
)
def test_a_check_that_can_match_nothing_is_warned_about(monkeypatch, demo, check, warning):
    code, out, err = run(monkeypatch, "calls", "--since", "2h", "--check", check, "--print")
    assert code == 0 and out == "" and warning in err
