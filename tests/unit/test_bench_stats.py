"""The benchmark suite's pure parts: medians, ratios, verdicts, the table, the interleaving, and
reading terminal output and import timings."""

from __future__ import annotations

import sys

import pytest

from benchmarks.ptyrun import PtyProcess, plain_text
from benchmarks.startup import IMPORT_LINE, heaviest
from benchmarks.stats import (
    FAIL,
    INFO,
    PASS,
    Figure,
    Measure,
    Target,
    alternate,
    format_value,
    table,
)


def test_measure_is_the_median_of_its_samples() -> None:
    assert Measure((0.3, 0.1, 0.2)).median == 0.2
    assert Measure((4.0, 1.0, 2.0, 3.0)).median == 2.5
    with pytest.raises(ValueError):
        Measure(())


def test_ratio_target_passes_at_the_limit_and_fails_above() -> None:
    at_limit = Figure("x", Measure((0.13,)), Measure((0.1,)), Target("ratio", 1.3))
    above = Figure("x", Measure((0.131,)), Measure((0.1,)), Target("ratio", 1.3))
    assert at_limit.ratio == pytest.approx(1.3)
    assert at_limit.verdict == PASS
    assert above.verdict == FAIL


def test_margin_target_is_the_reference_plus_the_limit() -> None:
    one_request = Measure((0.2,))
    within = Figure("x", Measure((0.3,)), one_request, Target("margin", 0.1))
    over = Figure("x", Measure((0.31,)), one_request, Target("margin", 0.1))
    assert within.verdict == PASS and over.verdict == FAIL
    assert within.target.show() == "<= reference + 100 ms"
    assert Figure("x", Measure((0.1,)), None, Target("margin", 0.1)).verdict.startswith(FAIL)


def test_absolute_target_ignores_the_reference() -> None:
    slow_reference = Measure((10.0,))
    assert Figure("x", Measure((1.4,)), slow_reference, Target("absolute", 1.5)).verdict == PASS
    assert Figure("x", Measure((1.6,)), None, Target("absolute", 1.5)).verdict == FAIL
    memory = Figure("m", Measure((120.0,), "MiB"), None, Target("absolute", 100.0, "MiB"))
    assert memory.verdict == FAIL and memory.ratio is None


def test_a_problem_fails_the_figure_whatever_the_numbers() -> None:
    fast = Figure("x", Measure((0.1,)), Measure((1.0,)), Target("ratio", 1.5))
    fast.problems.append("imports textual")
    assert fast.verdict == f"{FAIL} (imports textual)"
    unmeasured = Figure("y", None, None, Target("info"), problems=["could not measure: boom"])
    assert unmeasured.verdict.startswith(FAIL) and unmeasured.ratio is None
    assert Figure("z", Measure((1.0,)), None, Target("info")).verdict == INFO


def test_a_ratio_target_without_a_reference_fails() -> None:
    assert Figure("x", Measure((0.1,)), None, Target("ratio", 3.0)).verdict.startswith(FAIL)


def test_targets_need_a_limit_except_info() -> None:
    with pytest.raises(ValueError):
        Target("ratio")
    with pytest.raises(ValueError):
        Target("info", 1.0)


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (0.00123, "s", "1.23 ms"),
        (0.0456, "s", "45.6 ms"),
        (0.2504, "s", "250 ms"),
        (1.234, "s", "1.23 s"),
        (87.26, "MiB", "87.3 MiB"),
        (5.26, "kB", "5.3 kB"),
    ],
)
def test_values_are_shown_in_readable_units(value: float, unit: str, shown: str) -> None:
    assert format_value(value, unit) == shown  # type: ignore[arg-type]


def test_table_has_one_aligned_row_per_figure() -> None:
    figures = [
        Figure("Cold start", Measure((0.52,)), Measure((0.40,)), Target("ratio", 1.3)),
        Figure("Peak RSS", Measure((80.0,), "MiB"), None, Target("absolute", 100.0, "MiB")),
    ]
    lines = table(figures).splitlines()
    assert lines[0].split("|")[1:-1] == [
        " Figure     ",
        " Ours     ",
        " Reference ",
        " Ratio ",
        " Target       ",
        " Verdict ",
    ]
    assert set(lines[1]) == {"|", "-"}
    cells = [c.strip() for c in lines[2].split("|")[1:-1]]
    assert cells == ["Cold start", "520 ms", "400 ms", "1.30x", "<= 1.3x", PASS]
    cells = [c.strip() for c in lines[3].split("|")[1:-1]]
    assert cells == ["Peak RSS", "80.0 MiB", "—", "—", "<= 100.0 MiB", PASS]
    assert len({len(line) for line in lines}) == 1


def test_alternate_interleaves_both_sides_and_drops_warmup() -> None:
    calls: list[str] = []

    def side(name: str, value: float):
        def run() -> float:
            calls.append(name)
            return value

        return run

    ours, ref = alternate(side("A", 1.0), side("B", 2.0), 4, warmup=1)
    assert calls == ["A", "B", "A", "B", "B", "A", "A", "B", "B", "A"]
    assert ours == [1.0] * 4 and ref == [2.0] * 4


def test_plain_text_drops_escape_sequences() -> None:
    raw = b"\x1b[?1049h\x1b[1;1H\x1b[38;2;1;2;3mq\x1b[0m Quit \x1b]8;;x\x07^p palette\x1b[?25l"
    assert plain_text(raw) == "q Quit ^p palette"


def test_each_marker_gets_the_time_it_was_first_drawn() -> None:
    """The usable frame is the later of several things drawn; each keeps its own time, in the
    order drawn, whatever order they are asked for in."""
    script = (
        "import sys, time; print('first'); sys.stdout.flush(); time.sleep(0.3); print('second')"
    )
    with PtyProcess([sys.executable, "-c", script], {}) as process:
        seen = process.wait_for_texts(("second", "first"), timeout=30)
    assert seen["first"] < seen["second"]
    assert seen["second"] - seen["first"] >= 0.2


def test_import_time_lines_are_read_with_cumulative_seconds() -> None:
    lines = [
        "import time: self [us] | cumulative | imported package",
        "import time:       120 |        450 |   httpx._models",
        "import time:      2000 |      45000 | httpx",
        "import time:       900 |      61000 | pydantic",
    ]
    found = {m.group(4): int(m.group(2)) / 1e6 for m in map(IMPORT_LINE.match, lines) if m}
    assert found == {"httpx._models": 0.00045, "httpx": 0.045, "pydantic": 0.061}
    assert heaviest(found, 2) == "pydantic 61 ms, httpx 45 ms"
