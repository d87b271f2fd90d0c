"""`chat`/`call` --json/--print/--check and `chats`/`calls`, through the real CLI and service.

Most tests run `main([...])` against a small scripted API (httpx.MockTransport behind the real
RoarkService) so every byte of output can be checked; the --demo tests run the same commands
against the in-process sandbox, and in subprocesses for what only a real process shows (which
modules it imported, a reader that closes the pipe).

Long because it holds every output mode of one command pair over one scripted API.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from roark_tui.api.blocking import BlockingRoarkService
from roark_tui.api.service import RoarkService
from roark_tui.cli import common, gate, main
from roark_tui.sandbox import Fault
from roark_tui.sandbox.demo_ids import (
    BOOKING_CHAT_ID,
    COMPUTING_CHAT_ID,
    FAILING_CALL_ID,
    FAILING_CHAT_ID,
    HOSTILE_CHAT_ID,
    REFUND_CHAT_ID,
)

CHAT = "11111111-2222-4333-8444-555555555555"
OTHER = "99999999-2222-4333-8444-555555555555"
TOKEN = "test-token-0123456789"
ESC = "\x1b"


def seg(start: int, end: int, text: str = "") -> dict[str, Any]:
    return {"id": f"s{start}", "text": text, "startOffsetMs": start, "endOffsetMs": end}


def metric(slug: str, name: str, kind: str, *values: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {
        "metricDefinitionId": f"id-{slug}",
        "slug": slug,
        "metricId": slug,
        "name": name,
        "type": kind,
        "scope": "GLOBAL",
        **kw,
        "values": list(values),
    }


def ok(value: Any, context: str = "CALL", **kw: Any) -> dict[str, Any]:
    return {
        "captureStatus": "SUCCESS",
        "computedAt": "2025-03-04T10:00:00Z",
        "context": context,
        "value": value,
        **kw,
    }


METRICS = {
    "data": [
        metric("latency", "Response latency", "NUMERIC", ok(812), unit={"symbol": "ms"}),
        metric(
            "refund_check",
            "Refund check",
            "BOOLEAN",
            ok(True, "SEGMENT", segment=seg(1_000, 2_000, "Sure.")),
            ok(
                False,
                "SEGMENT",
                segment=seg(72_400, 75_000, f"I cannot {ESC}[2Jrefund that."),
                valueReasoning="The agent refused a valid refund.\n"
                "Policy [bold]4.2[/bold] allows it.",
            ),
        ),
        metric(
            "tone_check",
            "Tone",
            "BOOLEAN",
            {"captureStatus": "ERROR", "context": "CALL", "errorMessage": "LLM timeout"},
        ),
        metric("greeting_check", "Greeting", "BOOLEAN", ok(True)),
        metric("expectations", "Expectations", "SCALE", {"captureStatus": "NOT_APPLICABLE"}),
        metric(
            "pii_check",
            "PII",
            "BOOLEAN",
            ok(
                False,
                evidenceSpans=[
                    {"fromSegment": seg(5_000, 6_000, "my card is 4111"), "reason": "card number"}
                ],
            ),
        ),
    ],
    "futureField": {"kept": True},
}
PASSING = {"data": [metric("greeting_check", "Greeting", "BOOLEAN", ok(True))]}


def definition(slug: str, calculation: str, kind: str) -> dict[str, Any]:
    return {"id": f"id-{slug}", "slug": slug, "calculationType": calculation, "type": kind}


# What makes METRICS' checks checks (slugs ending in _check say nothing): a threshold and yes/no
# metrics of each authored kind; the others are provider readings.
METRIC_DEFINITIONS = {
    "data": [
        definition("latency", "PROVIDER", "NUMERIC"),
        definition("refund_check", "THRESHOLD", "BOOLEAN"),
        definition("tone_check", "LLM_JUDGE", "BOOLEAN"),
        definition("greeting_check", "FORMULA", "BOOLEAN"),
        definition("expectations", "PROVIDER", "SCALE"),
        definition("pii_check", "PATTERN", "BOOLEAN"),
    ],
    "pagination": {"hasMore": False},
}
CHATS = {
    "data": [
        {
            "id": CHAT,
            "title": f"Billing {ESC}]0;pwned\x07dispute",
            "startTimestamp": "2025-03-04T09:00:00Z",
            "endTimestamp": "2025-03-04T09:04:12Z",
        },
        {
            "id": OTHER,
            "title": "Booking",
            "startTimestamp": "2025-03-03T09:00:00Z",
            "durationMs": 61_000,
        },
    ],
    "pagination": {"hasMore": False, "total": 2},
}
CALLS = {
    "data": [
        {
            "id": OTHER,
            "callDirection": "INBOUND",
            "startedAt": "2025-03-02T08:00:00Z",
            "durationMs": 3_840_000,
            "title": "Voicemail",
        },
    ],
    "pagination": {"hasMore": False},
}


def error(status: int, kind: str, message: str) -> httpx.Response:
    return httpx.Response(status, json={"type": kind, "code": kind, "message": message})


class Api:
    """A scripted Roark API: routes by path, records every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[], httpx.Response]] = {
            f"/v1/chat/{CHAT}/metrics": lambda: httpx.Response(200, json=METRICS),
            f"/v1/chat/{OTHER}/metrics": lambda: httpx.Response(200, json=PASSING),
            "/v1/chat": lambda: httpx.Response(200, json=CHATS),
            "/v1/call": lambda: httpx.Response(200, json=CALLS),
            "/v1/metric/definitions": lambda: httpx.Response(200, json=METRIC_DEFINITIONS),
        }
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        route = self.routes.get(request.url.path)
        if route is None:
            return error(404, "not_found", "Not found")
        return route()

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]


async def no_sleep(seconds: float) -> None:
    return None


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Api:
    fake = Api()

    options = {
        "base_url": "http://api.test",
        "token": TOKEN,
        "transport": httpx.MockTransport(fake),
        "allow_insecure": True,
    }
    monkeypatch.setattr(
        common, "make_service", lambda settings: RoarkService(**options, sleep=no_sleep)
    )
    monkeypatch.setattr(
        common,
        "make_blocking_service",
        lambda settings: BlockingRoarkService(**options, sleep=lambda seconds: None),
    )
    return fake


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise OSError("not a real terminal")


def run(
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    stdin: str | None = None,
    tty: bool = False,
) -> tuple[int, str, str]:
    """`roark-tui --demo <argv>` in process: (exit code, stdout, stderr)."""
    out, err = (Tty() if tty else io.StringIO()), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin) if stdin is not None else Tty())
    code = main(["--demo", *argv])
    return code, out.getvalue(), err.getvalue()


# --- --json ------------------------------------------------------------------------------------


def test_json_in_a_pipe_is_the_compact_document(monkeypatch, api) -> None:
    code, out, err = run(monkeypatch, "chat", CHAT, "--json")
    assert (code, err) == (0, "")
    assert out.count("\n") == 1
    assert json.loads(out) == json.loads(json.dumps(METRICS))  # unknown fields kept too
    request = api.requests[0]
    assert request.url.path == f"/v1/chat/{CHAT}/metrics"
    assert request.url.params["status"] == "all"


def test_json_on_a_terminal_is_indented_and_terminal_safe(monkeypatch, api) -> None:
    code, out, _ = run(monkeypatch, "chat", CHAT, "--json", tty=True)
    assert code == 0
    assert out.startswith('{\n  "data": [\n')
    assert ESC not in out and "\\u001b[2J" in out
    assert json.loads(out) == METRICS


def test_json_escapes_c1_controls_and_bidi_overrides(monkeypatch, api) -> None:
    hostile = {"data": [metric("x", "a\x9b31m\u202eb", "TEXT", ok("\u2066z"))]}
    api.routes[f"/v1/chat/{CHAT}/metrics"] = lambda: httpx.Response(200, json=hostile)
    _, out, _ = run(monkeypatch, "chat", CHAT, "--json")
    assert not any(c in out for c in "\x9b\u202e\u2066")
    assert "\\u009b" in out and json.loads(out) == hostile


def test_json_that_is_not_json_is_an_api_error(monkeypatch, api) -> None:
    api.routes[f"/v1/chat/{CHAT}/metrics"] = lambda: httpx.Response(200, text="<html>")
    code, out, err = run(monkeypatch, "chat", CHAT, "--json")
    assert (code, out) == (1, "")
    assert err.startswith("roark-tui: the API's answer could not be read: the body is not")


# --- --print -----------------------------------------------------------------------------------


def test_print_shows_failures_first_with_reasoning_and_segment(monkeypatch, api) -> None:
    code, out, err = run(monkeypatch, "chat", CHAT, "--print")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"chat {CHAT} · 6 metrics · 2 failing · 1 error · 1 n/a",
        "FAIL   PII  pii_check · BOOLEAN · false",
        "         evidence 00:05.0\u201300:06.0: “my card is 4111” (card number)",
        "FAIL   Refund check  refund_check · BOOLEAN · 2 values · 1 failing",
        "  PASS   Segment 00:01.0\u201300:02.0  true",
        "  FAIL   Segment 01:12.4\u201301:15.0  false",
        "           reasoning: The agent refused a valid refund.",
        "             Policy [bold]4.2[/bold] allows it.",
        "           segment 01:12.4\u201301:15.0: “I cannot refund that.”",
        "ERROR  Tone  tone_check · BOOLEAN · error: LLM timeout",
        "N/A    Expectations  expectations · SCALE · not applicable",
        "PASS   Greeting  greeting_check · BOOLEAN · true",
        "       Response latency  latency · NUMERIC · 812 ms",
    ]


DEFINITIONS = {
    "data": [
        {"id": "id-latency", "slug": "latency", "calculationType": "THRESHOLD"},
        {"id": "id-expectations", "slug": "expectations", "scaleMax": 5},
    ],
    "pagination": {"hasMore": False},
}


@pytest.mark.parametrize("gated", [False, True])
def test_print_reads_the_definitions_as_the_tui_does(monkeypatch, api, gated) -> None:
    """A THRESHOLD definition makes its metric a check in --print too (with or without the
    gate's --wait); a yes/no metric without a definition is unknown, marked ?, neither passed
    nor failed; and a definition list that cannot be had only costs a note."""
    api.routes["/v1/metric/definitions"] = lambda: httpx.Response(200, json=DEFINITIONS)
    argv = ["chat", CHAT, "--print", *(["--wait"] if gated else [])]
    clock = FakeClock()  # --wait's quiet polls without really waiting
    monkeypatch.setattr(gate, "TIMING", gate.Timing(clock=clock, sleep=clock.sleep))
    _, out, _ = run(monkeypatch, *argv)
    lines = out.splitlines()
    assert "FAIL   Response latency  latency · NUMERIC · 812 ms" in lines
    pii = lines.index("?      PII  pii_check · BOOLEAN · false")
    assert lines[pii + 1] == "         unknown: definition not found, so neither passed nor failed"
    api.routes["/v1/metric/definitions"] = lambda: error(403, "forbidden", "No")
    code, out, err = run(monkeypatch, *argv)
    assert code == 0 and "could not list definitions" in err
    assert "reported as unknown" in err
    lines = out.splitlines()
    assert "       Response latency  latency · NUMERIC · 812 ms" in lines
    assert "?      PII  pii_check · BOOLEAN · false" in lines
    assert "FAIL" not in out and "PASS" not in out


def test_print_of_a_conversation_without_metrics(monkeypatch, api) -> None:
    api.routes[f"/v1/chat/{CHAT}/metrics"] = lambda: httpx.Response(200, json={"data": []})
    code, out, _ = run(monkeypatch, "chat", CHAT, "--print")
    assert code == 0
    assert out.splitlines()[1] == "No metrics yet (metrics appear as they are computed)."


def test_print_shows_long_values_and_error_messages_in_full_once(monkeypatch, api) -> None:
    long = "upstream judge failed: " + "x" * 100
    intent = "Get the duplicate charge for the Pro Annual plan refunded, and " + "y" * 60
    body = {
        "data": [
            metric("a_check", "A", "BOOLEAN", {"captureStatus": "ERROR", "errorMessage": long}),
            metric("intent", "Intent", "TEXT", ok(intent)),
        ]
    }
    api.routes[f"/v1/chat/{CHAT}/metrics"] = lambda: httpx.Response(200, json=body)
    _, out, _ = run(monkeypatch, "chat", CHAT, "--print")
    lines = out.splitlines()
    assert lines[1] == f"ERROR  A  a_check · BOOLEAN · error: {long}"
    assert lines[2] == f"       Intent  intent · TEXT · {intent}"  # not repeated beneath


# --- ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    [f"  '{CHAT}' ", f"https://app.roark.ai/projects/{OTHER}/chats/{CHAT}?tab=metrics"],
)
def test_ids_are_cleaned_and_urls_read(monkeypatch, api, given) -> None:
    code, _, _ = run(monkeypatch, "chat", given, "--json")
    assert code == 0
    assert api.paths() == [f"/v1/chat/{CHAT}/metrics"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["chat", "not an id", "--json"], "cannot be an id"),
        (["chat", f"https://app.roark.ai/calls/{CHAT}", "--print"], f"roark-tui call {CHAT}"),
        (["chat", CHAT, "bad;id", "--check"], "cannot be an id"),
        (["chat", "--json"], "give a chat id"),
        (["chat", CHAT, "--json", "--print"], "not allowed with argument"),
        (["chat", CHAT, "--timeout", "-5"], "--timeout must be 0 or more seconds"),
    ],
)
def test_usage_errors_send_no_request(monkeypatch, api, argv, message) -> None:
    code, _, err = run(monkeypatch, *argv)
    assert code == 2
    assert message in err
    assert api.requests == []


# --- errors and exit codes ---------------------------------------------------------------------


def test_not_found_hints_at_the_other_kind(monkeypatch, api) -> None:
    code, out, err = run(monkeypatch, "chat", OTHER[::-1].replace("-", "a"), "--print")
    assert (code, out) == (4, "")
    assert err.count("\n") == 1 and "try `roark-tui call " in err
    code, _, err = run(monkeypatch, "call", CHAT, "--json")
    assert code == 4 and f"try `roark-tui chat {CHAT}`" in err


@pytest.mark.parametrize(
    ("response", "code"),
    [
        (lambda: error(401, "authentication", "Invalid token"), 3),
        (lambda: error(403, "forbidden", "Missing call:read"), 3),
        (lambda: error(400, "validation", "Bad status"), 1),
        (lambda: error(500, "internal", "Boom"), 1),
        (lambda: httpx.Response(429, json={"type": "rate_limit"}, headers={"Retry-After": "0"}), 1),
    ],
)
@pytest.mark.parametrize("flag", ["--json", "--print"])
def test_api_failures_are_one_stderr_line_and_an_exit_code(monkeypatch, api, response, code, flag):
    api.routes[f"/v1/chat/{CHAT}/metrics"] = response
    status, out, err = run(monkeypatch, "chat", CHAT, flag)
    assert (status, out) == (code, "")
    assert err.startswith("roark-tui: ") and err.count("\n") == 1
    assert TOKEN not in err


def test_connection_failure_exits_5(monkeypatch, api) -> None:
    def refuse() -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    api.routes[f"/v1/chat/{CHAT}/metrics"] = refuse
    code, _, err = run(monkeypatch, "chat", CHAT, "--json")
    assert code == 5 and err.startswith("roark-tui: ")


def test_missing_token_exits_3_before_the_ui(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert main(["chat", CHAT]) == 3
    assert "auth login" in sys.stderr.getvalue()  # type: ignore[attr-defined]


# --- the gate: --check, many ids, stdin ---------------------------------------------------------


@pytest.mark.parametrize(("conv_id", "code"), [(CHAT, 6), (OTHER, 0)])
def test_check_exit_status_is_the_verdict(monkeypatch, api, conv_id, code) -> None:
    status, out, _ = run(monkeypatch, "chat", conv_id, "--check")
    assert status == code
    assert out.startswith(("FAIL     " if code else "PASS     ") + f"chat {conv_id}")


def test_check_with_print_lists_failing_checks_then_the_tree(monkeypatch, api) -> None:
    status, out, _ = run(monkeypatch, "chat", CHAT, "--check", "--print")
    lines = out.splitlines()
    assert status == 6
    assert lines[0].startswith("FAIL     chat ")
    assert lines[1:3] == ["FAIL refund_check [SEGMENT]", "    The agent refused a valid refund."]
    assert "FAIL   Refund check  refund_check · BOOLEAN · 2 values · 1 failing" in lines


def test_gate_output_keeps_api_text_inert(monkeypatch, api) -> None:
    hostile = {
        "data": [
            metric(
                f"evil{ESC}]0;t\x07_check",
                "Evil",
                "BOOLEAN",
                ok(False, valueReasoning=f"no{ESC}]52;c;AAAA\x07 \x9b2J\u202eway"),
            )
        ]
    }
    judge = {"data": [definition(f"evil{ESC}]0;t\x07_check", "LLM_JUDGE", "BOOLEAN")]}
    api.routes[f"/v1/chat/{CHAT}/metrics"] = lambda: httpx.Response(200, json=hostile)
    api.routes["/v1/metric/definitions"] = lambda: httpx.Response(200, json=judge)
    for flags, code in ((["--check", "--print"], 6), (["--check", "--json"], 6), (["--print"], 0)):
        status, out, err = run(monkeypatch, "chat", CHAT, OTHER, *flags)
        assert status == code
        assert not any(c in out + err for c in f"{ESC}\x07\x9b\u202e"), flags


def test_many_ids_one_line_each_and_the_worst_exit(monkeypatch, api) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    status, out, _ = run(monkeypatch, "chat", OTHER, CHAT, missing, "--check")
    assert status == 6
    assert [line.split()[:3] for line in out.splitlines()] == [
        ["PASS", "chat", OTHER],
        ["FAIL", "chat", CHAT],
        ["NOTFOUND", "chat", missing],
    ]


@pytest.mark.parametrize("argv", [["chat", "-", "--check"], ["chat", "--check"]])
def test_ids_on_stdin(monkeypatch, api, argv) -> None:
    stdin = f"{OTHER}\n'{CHAT}'  # the failing one\n{OTHER}\n"
    status, out, _ = run(monkeypatch, *argv, stdin=stdin)
    assert status == 6
    assert [line.split()[2] for line in out.splitlines()] == [OTHER, CHAT]


def test_batch_json_is_one_object_per_line(monkeypatch, api) -> None:
    status, out, err = run(monkeypatch, "chat", OTHER, CHAT, "--json", "--check")
    rows = [json.loads(line) for line in out.splitlines()]
    assert status == 6
    assert [(r["id"], r["exitCode"]) for r in rows] == [(OTHER, 0), (CHAT, 6)]
    assert len(err.splitlines()) == 2  # the summaries go to stderr, keeping stdout JSON


# --- chats / calls -----------------------------------------------------------------------------


def test_chats_in_a_pipe_are_tab_separated(monkeypatch, api) -> None:
    code, out, _ = run(monkeypatch, "chats", "--limit", "5")
    assert code == 0
    assert out.splitlines() == [
        f"{CHAT}\t2025-03-04 09:00\t4 min 12 s\tBilling dispute",
        f"{OTHER}\t2025-03-03 09:00\t1 min 1 s\tBooking",
    ]
    assert api.requests[0].url.params["limit"] == "5"


def test_calls_print_on_a_terminal_is_a_table_with_verdicts(monkeypatch, api) -> None:
    api.routes[f"/v1/call/{OTHER}/metrics"] = lambda: httpx.Response(200, json=PASSING)
    code, out, _ = run(monkeypatch, "calls", "--print", tty=True)
    assert code == 0
    header, row, below = out.splitlines()  # 100 columns: the title goes under its row
    assert header.split() == ["ID", "STARTED", "DURATION", "VERDICT"]
    assert row.split("  ")[0] == OTHER and "1 h 4 min" in row and row.endswith("✔ 1 passed")
    assert row.index("✔") == header.index("VERDICT")
    assert below == "    └ Voicemail"


def test_chats_json(monkeypatch, api) -> None:
    code, out, _ = run(monkeypatch, "chats", "--json")
    assert code == 0 and json.loads(out) == json.loads(json.dumps(CHATS))
    assert ESC not in out


@pytest.mark.parametrize("limit", ["0", "101", "ten"])
def test_list_limit_is_checked(monkeypatch, api, limit) -> None:
    code, _, err = run(monkeypatch, "chats", "--limit", limit)
    assert code == 2 and api.requests == []
    assert "--limit" in err


# --- against the demo sandbox ------------------------------------------------------------------


class FakeClock:
    """One clock for the sandbox's computing schedule and the gate's polling; sleeping only
    moves it forward."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    async def sleep(self, seconds: float) -> None:
        self.advance(seconds)


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """`--demo` as the CLI builds it (both clients over the in-process sandbox), with the
    sandbox's fault knobs and clock at hand, and no real sleeping in retries or polls."""
    from roark_tui.api.inprocess import InProcessTransport
    from roark_tui.sandbox import SandboxConfig, create_app

    clock = FakeClock()
    monkeypatch.setattr(gate, "TIMING", gate.Timing(clock=clock, sleep=clock.sleep))
    apps: list[Any] = []

    def configure(*faults: Fault) -> Any:
        app = create_app(SandboxConfig(token=None, faults=faults, clock=clock))
        apps.append(app)
        options = {
            "base_url": common.DEMO_BASE_URL,
            "token": "demo",
            "transport": InProcessTransport(app),
            "allow_insecure": True,
        }
        monkeypatch.setattr(
            common, "make_service", lambda settings: RoarkService(**options, sleep=clock.sleep)
        )
        monkeypatch.setattr(
            common,
            "make_blocking_service",
            lambda settings: BlockingRoarkService(**options, sleep=clock.advance),
        )
        return app

    configure()
    return configure


def test_demo_json_is_the_documented_shape(monkeypatch, demo) -> None:
    code, out, err = run(monkeypatch, "chat", FAILING_CHAT_ID, "--json")
    assert (code, err) == (0, "")
    assert out.count("\n") == 1  # compact in a pipe
    groups = json.loads(out)["data"]
    assert {"metricDefinitionId", "slug", "name", "type", "scope", "values"} <= set(groups[0])
    statuses = {v["captureStatus"] for g in groups for v in g["values"]}
    assert {"SUCCESS", "ERROR"} <= statuses  # status=all
    _, pretty, _ = run(monkeypatch, "chat", FAILING_CHAT_ID, "--json", tty=True)
    assert pretty.startswith('{\n  "data": [\n') and json.loads(pretty)["data"] == groups


def test_demo_print_puts_failing_checks_and_their_reasons_first(monkeypatch, demo) -> None:
    code, out, _ = run(monkeypatch, "chat", FAILING_CHAT_ID, "--print")
    lines = out.splitlines()
    heads = [line for line in lines if not line.startswith(" ")]
    assert code == 0
    assert lines[0].startswith(f"chat {FAILING_CHAT_ID} · ") and "failing" in lines[0]
    marks = [head[:6].strip() for head in heads[1:]]  # FAIL, ERROR, PASS, N/A or blank
    failing = marks.count("FAIL")  # 8 thresholds and the authored yes/no agent_verified_caller
    assert failing == 9 and marks[:failing] == ["FAIL"] * failing
    assert marks[failing] == "ERROR" and "FAIL" not in marks[failing:]
    assert lines[2].lstrip().startswith("reasoning: ")
    assert any(line.lstrip().startswith("evidence ") for line in lines[:6])


def test_demo_hostile_chat_prints_inert_text(monkeypatch, demo) -> None:
    for flag in ("--print", "--json"):
        code, out, _ = run(monkeypatch, "chat", HOSTILE_CHAT_ID, flag, tty=True)
        assert code == 0
        assert not any(c in out for c in "\x1b\x07\x9b\x9d\u202e"), flag


@pytest.mark.parametrize(
    ("argv", "faults", "code"),
    [
        (["chat", BOOKING_CHAT_ID, "--check"], (), 0),
        (["chat", FAILING_CHAT_ID, "--print"], (Fault("status", 500, path="/v1/chat/*"),), 1),
        (["chat", FAILING_CHAT_ID, "--json"], (Fault("html", path="/v1/chat/*"),), 1),
        (["chat", FAILING_CHAT_ID, "--json"], (Fault("rate_limit", path="/v1/chat/*"),), 1),
        (["chat", FAILING_CHAT_ID, "--check"], (Fault("wrong_shape", path="/v1/chat/*"),), 1),
        (["chat", "bad id", "--check"], (), 2),
        (["chat", FAILING_CHAT_ID, "--json"], (Fault("status", 401),), 3),
        (["chat", FAILING_CHAT_ID, "--check"], (Fault("status", 403),), 3),
        (["chat", FAILING_CALL_ID, "--print"], (), 4),
        (["call", FAILING_CALL_ID, "--json"], (Fault("drop", path="/v1/call/*"),), 5),
        (["chat", FAILING_CHAT_ID, "--check"], (), 6),
        (["chat", COMPUTING_CHAT_ID, "--wait", "--check"], (), 7),
        (["chat", COMPUTING_CHAT_ID, "--wait", "--check", "--timeout", "6"], (), 8),
        (["chat", BOOKING_CHAT_ID, "--check", "--expect", "never_check"], (), 2),
        (
            [
                "chat",
                BOOKING_CHAT_ID,
                "--check",
                "--expect",
                "never_check",
                "--allow-unknown-expect",
            ],
            (),
            8,
        ),
    ],
)
def test_demo_exit_codes(monkeypatch, demo, argv, faults, code) -> None:
    demo(*faults)
    status, out, err = run(monkeypatch, *argv)
    assert status == code, (out, err)
    if code in (1, 3, 4, 5) and "--check" not in argv:
        assert out == "" and err.startswith("roark-tui: ") and err.count("\n") == 1


def test_demo_wait_settles_computing_chat_and_prints(monkeypatch, demo) -> None:
    status, out, _ = run(monkeypatch, "chat", COMPUTING_CHAT_ID, "--wait", "--print")
    lines = out.splitlines()
    assert status == 0
    assert lines[0].startswith(f"DONE     chat {COMPUTING_CHAT_ID}  20 metrics in")
    assert lines[1].startswith("ERROR ")  # the errored metric first: nothing failed


def test_demo_many_ids_print_each_summary_above_its_tree(monkeypatch, demo) -> None:
    status, out, _ = run(monkeypatch, "chat", FAILING_CHAT_ID, BOOKING_CHAT_ID, "--print")
    assert status == 0
    summaries = [line for line in out.splitlines() if line.startswith("DONE ")]
    assert [line.split()[:3] for line in summaries] == [
        ["DONE", "chat", FAILING_CHAT_ID],
        ["DONE", "chat", BOOKING_CHAT_ID],
    ]
    assert out.startswith(summaries[0]) and summaries[0].endswith("metrics in")
    between = out.split(summaries[0])[1].split(summaries[1])[0]
    assert "FAIL   Agent Showed Empathy" in between  # the first id's tree, under its line


def test_demo_many_ids_and_stdin(monkeypatch, demo) -> None:
    status, out, _ = run(
        monkeypatch,
        "chat",
        BOOKING_CHAT_ID,
        "-",
        "--check",
        stdin=f"{FAILING_CHAT_ID}\n'{BOOKING_CHAT_ID}'\nhttps://app.roark.ai/chats/{REFUND_CHAT_ID}\n",
    )
    assert status == 6
    assert [line.split()[:3] for line in out.splitlines()] == [
        ["PASS", "chat", BOOKING_CHAT_ID],
        ["FAIL", "chat", FAILING_CHAT_ID],
        ["FAIL", "chat", REFUND_CHAT_ID],
    ]


# --- real processes ----------------------------------------------------------------------------


def test_demo_json_imports_no_ui_no_event_loop_and_no_models() -> None:
    """One request through the blocking client to the in-process sandbox: textual, asyncio,
    anyio and pydantic's models are all someone else's cost."""
    probe = (
        "import sys\n"
        "from roark_tui.cli import main\n"
        f"code = main(['--demo', 'chat', {FAILING_CHAT_ID!r}, '--json'])\n"
        "heavy = ('textual', 'asyncio', 'anyio', 'pydantic', 'roark_tui.api.models')\n"
        "print(sorted(set(heavy) & set(sys.modules)), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert json.loads(done.stdout)["data"]


def test_demo_print_into_a_closed_pipe_is_quiet() -> None:
    reader = subprocess.Popen(
        f"{sys.executable} -m roark_tui --demo chat {FAILING_CHAT_ID} --print | head -n 1",
        shell=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = reader.communicate(timeout=60)
    assert out.startswith(f"chat {FAILING_CHAT_ID} · ")
    assert err == ""
