"""The gate behind `chat`/`call --wait --check`: exit codes, batches, stdin ids, progress."""

from __future__ import annotations

import argparse
import asyncio
import io
from typing import Any

import pytest

from roark_tui.api import errors
from roark_tui.api.models import MetricDefinition, MetricGroup
from roark_tui.cli import common, gate
from roark_tui.config import Settings


def group(slug: str, *values: dict[str, Any]) -> MetricGroup:
    return MetricGroup.model_validate(
        {"metricDefinitionId": f"id-{slug}", "slug": slug, "name": slug, "values": list(values)}
    )


def ok(value: object = True, **kw: Any) -> dict[str, Any]:
    return {"captureStatus": "SUCCESS", "context": "CALL", "value": value, **kw}


PASSING = [group("greeting_check", ok(True)), group("latency", ok(812))]
FAILING = [
    group("greeting_check", ok(True)),
    group("refund_check", ok(False, valueReasoning="No.")),
]
ERRORED = [group("tone_check", {"captureStatus": "ERROR", "errorMessage": "LLM timeout"})]
# What the definitions list says of those metrics: the checks are a threshold and yes/no metrics
# the user authored (their slugs say nothing); latency is a provider reading.
DEFINITIONS = [
    MetricDefinition(
        id="id-greeting_check", slug="greeting_check", calculation_type="LLM_JUDGE", type="BOOLEAN"
    ),
    MetricDefinition(
        id="id-refund_check", slug="refund_check", calculation_type="THRESHOLD", type="BOOLEAN"
    ),
    MetricDefinition(
        id="id-tone_check", slug="tone_check", calculation_type="FORMULA", type="BOOLEAN"
    ),
    MetricDefinition(id="id-latency", slug="latency", calculation_type="PROVIDER", type="NUMERIC"),
]


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


class FakeService:
    """Plays a script of polls (or errors) per conversation id; counts concurrent requests."""

    def __init__(self, scripts: dict[str, list[Any]], definitions: Any = DEFINITIONS):
        self.scripts = scripts
        self.definitions = definitions
        self.calls: dict[str, int] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.closed = False

    async def __aenter__(self) -> FakeService:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.closed = True

    async def all_definitions(self) -> list[Any]:
        if isinstance(self.definitions, Exception):
            raise self.definitions
        return self.definitions

    async def conversation_metrics(self, kind: str, conv_id: str, *, status: str = "success"):
        assert status == "all"
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            for _ in range(3):
                await asyncio.sleep(0)
            steps = self.scripts.get(conv_id, [errors.NotFound(status=404)])
            n = self.calls.get(conv_id, 0)
            self.calls[conv_id] = n + 1
            step = steps[min(n, len(steps) - 1)]
            if isinstance(step, Exception):
                raise step
            return step
        finally:
            self.in_flight -= 1


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(gate, "TIMING", gate.Timing(clock=fake, sleep=fake.sleep))
    return fake


def use(monkeypatch: pytest.MonkeyPatch, service: FakeService) -> FakeService:
    monkeypatch.setattr(common, "make_service", lambda settings: service)
    return service


def args(**kw: Any) -> argparse.Namespace:
    base = {"wait": False, "check": False, "timeout": None, "expect": None}
    base.update(allow_unknown_expect=False)
    base.update(json=False, print=False)
    return argparse.Namespace(**{**base, **kw})


def run(ns: argparse.Namespace, ids: list[str], stdin: str = "", **kw: Any) -> tuple[int, str]:
    out = io.StringIO()
    code = gate.run(
        ns,
        Settings(demo=True),
        "chat",
        ids,
        stdin=io.StringIO(stdin),
        stdout=out,
        stderr=io.StringIO(),
        **kw,
    )
    return code, out.getvalue()


@pytest.mark.parametrize(
    ("script", "code", "label"),
    [
        ([PASSING], 0, "PASS"),
        ([FAILING], 6, "FAIL"),
        ([ERRORED], 7, "ERROR"),
        ([errors.AuthError(status=401)], 3, "AUTH"),
        ([errors.NotFound(status=404)], 4, "NOTFOUND"),
        ([errors.NetworkError()], 5, "NETWORK"),
        ([errors.ServerError(status=500)], 1, "APIERROR"),
        ([errors.RequestRejected(status=400)], 1, "APIERROR"),
    ],
)
def test_check_exit_codes(monkeypatch, clock, script, code, label) -> None:
    service = use(monkeypatch, FakeService({"c1": script}))
    status, out = run(args(wait=True, check=True, timeout=60), ["c1"])
    assert status == code
    assert out.startswith(f"{label:<8} chat c1  ")
    assert service.closed


def test_wait_settles_on_rows_arriving_over_time(monkeypatch, clock) -> None:
    first = [group("greeting_check", ok(True))]
    service = use(monkeypatch, FakeService({"c1": [[], first, FAILING, FAILING, FAILING]}))
    status, out = run(args(wait=True, check=True), ["c1"])
    assert status == 6
    assert service.calls["c1"] == 5
    assert out.splitlines()[0] == "FAIL     chat c1  1 of 2 checks failed: refund_check"


def test_wait_timeout_is_its_own_exit_code(monkeypatch, clock) -> None:
    use(monkeypatch, FakeService({"c1": [PASSING]}))
    status, out = run(
        args(
            wait=True,
            check=True,
            timeout=30,
            expect=["greeting_check,csat_check"],
            allow_unknown_expect=True,  # csat_check is still being created
        ),
        ["c1"],
    )
    assert status == 8
    assert clock.now == pytest.approx(30)
    assert out.strip().endswith("1 pending: csat_check; --wait timed out")
    assert out.startswith("TIMEOUT ")


def test_a_failure_already_in_beats_the_timeout(monkeypatch, clock) -> None:
    use(monkeypatch, FakeService({"c1": [FAILING]}))
    ns = args(wait=True, check=True, timeout=10, expect=["never_check"], allow_unknown_expect=True)
    status, _ = run(ns, ["c1"])
    assert status == 6


def test_expect_without_wait_reports_pending(monkeypatch, clock) -> None:
    use(monkeypatch, FakeService({"c1": [PASSING]}))
    status, out = run(args(check=True, expect=["csat_check"], allow_unknown_expect=True), ["c1"])
    assert status == 8
    assert out.startswith("PENDING  chat c1")


def test_wait_without_check_prints_the_tree_and_exits_0(monkeypatch, clock) -> None:
    use(monkeypatch, FakeService({"c1": [FAILING]}))
    status, out = run(args(wait=True), ["c1"], render_print=lambda gs, ds: f"TREE {len(gs)}")
    assert status == 0
    assert out.splitlines() == ["DONE     chat c1  2 metrics in", "TREE 2"]


def test_print_lists_failing_checks_with_reasoning_first(monkeypatch, clock) -> None:
    use(monkeypatch, FakeService({"c1": [FAILING + ERRORED]}))
    status, out = run(args(check=True, print=True), ["c1"], render_print=lambda gs, ds: "TREE")
    assert status == 6
    assert out.splitlines()[1:] == [
        "FAIL refund_check [CALL]",
        "    No.",
        "ERROR tone_check []",
        "    LLM timeout",
        "TREE",
    ]


def test_threshold_definitions_count_as_checks(monkeypatch, clock) -> None:
    groups = [group("fast_enough", ok(False))]
    threshold = MetricDefinition(id="id-fast_enough", calculation_type="THRESHOLD")
    use(monkeypatch, FakeService({"c1": [groups]}, definitions=[threshold]))
    assert run(args(check=True), ["c1"])[0] == 6
    use(monkeypatch, FakeService({"c1": [FAILING]}, definitions=errors.PermissionDenied()))
    status, out = run(args(check=True), ["c1"])
    assert status == 0  # without definitions no metric can be told a check: none failed
    assert "2 unknown: definition not found: greeting_check, refund_check" in out


def test_an_authored_yes_no_check_alone_exits_6(monkeypatch, clock) -> None:
    """Roark's provider reading `comprehension_failure` is true (a misunderstanding) and has no
    passing side; the one check here is a yes/no LLM judge the user wrote, and it failed."""
    groups = [
        group("comprehension_failure", ok(True)),
        group("caller_verified", ok(False, valueReasoning="Read the balance out first.")),
    ]
    definitions = [
        MetricDefinition(id=f"id-{g.key}", calculation_type=kind, type="BOOLEAN")
        for g, kind in zip(groups, ("PROVIDER", "LLM_JUDGE"), strict=True)
    ]
    use(monkeypatch, FakeService({"c1": [groups]}, definitions=definitions))
    status, out = run(args(check=True, print=True), ["c1"], render_print=lambda gs, ds: "TREE")
    assert status == 6
    assert out.splitlines() == [
        "FAIL     chat c1  1 of 1 checks failed: caller_verified",
        "FAIL caller_verified [CALL]",
        "    Read the balance out first.",
        "TREE",
    ]
    definitions[1] = definitions[1].model_copy(update={"calculation_type": "PROVIDER"})
    use(monkeypatch, FakeService({"c1": [groups]}, definitions=definitions))
    assert run(args(check=True), ["c1"])[0] == 0  # the same value as a provider reading


def test_batch_worst_verdict_and_concurrency_bound(monkeypatch, clock) -> None:
    scripts: dict[str, list[Any]] = {f"p{i}": [PASSING] for i in range(20)}
    scripts |= {"fail": [FAILING], "err": [ERRORED]}
    service = use(monkeypatch, FakeService(scripts))
    ids = [*scripts, "missing"]
    status, out = run(args(wait=True, check=True), ids)
    assert status == 6
    assert service.max_in_flight == gate.CONCURRENCY
    lines = out.splitlines()
    assert [line.split()[2] for line in lines] == ids
    assert [line.split()[0] for line in lines[-3:]] == ["FAIL", "ERROR", "NOTFOUND"]


@pytest.mark.parametrize(
    ("codes", "worst"),
    [([0, 0], 0), ([0, 8, 5], 5), ([4, 7], 7), ([7, 6, 3], 6), ([8, 0], 8), ([], 0)],
)
def test_worst(codes: list[int], worst: int) -> None:
    assert gate.worst(codes) == worst


def test_ids_from_stdin(monkeypatch, clock) -> None:
    service = use(monkeypatch, FakeService({"a": [PASSING], "b": [PASSING], "c": [PASSING]}))
    status, out = run(args(check=True), ["a", "-"], stdin="b  'c'\n# note\n\na # again\n")
    assert status == 0
    assert [line.split()[2] for line in out.splitlines()] == ["a", "b", "c"]
    assert service.calls == {"a": 1, "b": 1, "c": 1}


def test_batch_json_is_one_line_per_conversation(monkeypatch, clock) -> None:
    import json

    use(monkeypatch, FakeService({"a": [PASSING], "b": [FAILING]}))
    status, out = run(args(check=True, json=True), ["a", "b"])
    rows = [json.loads(line) for line in out.splitlines()]
    assert status == 6
    assert [(r["id"], r["outcome"], r["exitCode"]) for r in rows] == [
        ("a", "PASS", 0),
        ("b", "FAIL", 6),
    ]
    assert rows[0]["data"][0]["slug"] == "greeting_check"


def test_single_json_prints_the_metrics_document(monkeypatch, clock) -> None:
    import json

    use(monkeypatch, FakeService({"a": [PASSING]}))
    status, out = run(args(wait=True, json=True), ["a"])
    assert status == 0
    assert [g["slug"] for g in json.loads(out)["data"]] == ["greeting_check", "latency"]


@pytest.mark.parametrize(
    ("ns", "ids"),
    [(args(timeout=-1), ["a"]), (args(wait=True, timeout=-1), ["a"]), (args(check=True), ["-"])],
)
def test_usage_errors(monkeypatch, clock, ns, ids) -> None:
    use(monkeypatch, FakeService({}))
    with pytest.raises(common.UsageError):
        run(ns, ids)


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal(monkeypatch, clock) -> None:
    use(monkeypatch, FakeService({"a": [[], PASSING]}))
    quiet, loud = io.StringIO(), Tty()
    for stream in (quiet, loud):
        gate.run(
            args(wait=True, check=True),
            Settings(demo=True),
            "chat",
            ["a"],
            stdin=io.StringIO(),
            stdout=io.StringIO(),
            stderr=stream,
        )
    assert quiet.getvalue() == ""
    assert "metrics in" in loud.getvalue() and loud.getvalue().endswith("\r\x1b[K")


def test_wanted() -> None:
    assert not gate.wanted(args(), ["a"])
    assert gate.wanted(args(), ["a", "b"]) and gate.wanted(args(), ["-"])
    assert gate.wanted(args(wait=True), ["a"]) and gate.wanted(args(check=True), ["a"])


def test_no_checks_without_wait_passes_and_hints_at_wait(monkeypatch, clock, capsys) -> None:
    use(monkeypatch, FakeService({"c1": [[group("latency", ok(812))]]}))
    status, out = run(args(check=True), ["c1"])
    assert status == 0 and "no checks here" in out
    assert "no checks yet on c1: if its metrics are still computing" in capsys.readouterr().err
    use(monkeypatch, FakeService({"c1": [[group("latency", ok(812))]]}))
    run(args(check=True, wait=True, timeout=5), ["c1"])
    assert "no checks yet" not in capsys.readouterr().err  # it waited for them


@pytest.mark.parametrize("check", [True, False])
def test_an_expected_name_no_definition_has_is_refused_at_once(
    monkeypatch, clock, capsys, check
) -> None:
    known = MetricDefinition(id="d1", slug="csat_check")
    service = use(monkeypatch, FakeService({"c1": [PASSING]}, definitions=[known]))
    ns = args(wait=True, check=check, expect=["csat_check,d1", "csat_chek"])
    with pytest.raises(common.UsageError) as refused:
        run(ns, ["c1"])
    said = str(refused.value)
    assert said.startswith(
        "--expect csat_chek (did you mean csat_check?): no metric definition has that slug or id"
    )
    assert "--allow-unknown-expect" in said and common.exit_code_for(refused.value) == 2
    assert service.calls == {} and clock.now == 0  # nothing polled, no time waited


def test_allow_unknown_expect_waits_for_a_metric_still_being_created(
    monkeypatch, clock, capsys
) -> None:
    known = MetricDefinition(id="d1", slug="csat_check")
    use(monkeypatch, FakeService({"c1": [PASSING]}, definitions=[known]))
    ns = args(
        wait=True,
        expect=["csat_check,d1", "escalation_reason"],
        allow_unknown_expect=True,
        timeout=9,
    )
    status, _ = run(ns, ["c1"])
    assert status == 8 and clock.now == pytest.approx(9)
    err = capsys.readouterr().err
    assert "--expect escalation_reason: no metric definition has that slug or id; waiting" in err
    assert "csat_check:" not in err and "d1:" not in err


def test_the_help_says_which_exit_code_wins_when_ids_disagree() -> None:
    assert "the first of 6 7 3 4 1 5 8 0 that any id got wins" in " ".join(
        gate.EXIT_CODES_HELP.split()
    )
    assert gate.worst([common.EXIT_API, common.EXIT_CHECK_FAILED]) == 6
