"""The pure arithmetic of the suite: samples, medians, ratios, targets, verdicts and the table.

Kept free of I/O so its rules (what a verdict is, how a number is shown) are unit-tested.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

Unit = Literal["s", "MiB", "kB"]
TargetKind = Literal["ratio", "absolute", "margin", "info"]

PASS = "pass"
FAIL = "FAIL"
INFO = "info"


@dataclass(frozen=True)
class Measure:
    """Samples of one side of a figure (seconds, MiB or kB); its value is their median."""

    samples: tuple[float, ...]
    unit: Unit = "s"

    def __post_init__(self) -> None:
        if not self.samples:
            raise ValueError("a measure needs at least one sample")

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def show(self) -> str:
        return format_value(self.median, self.unit)

    def show_samples(self) -> str:
        return ", ".join(format_value(s, self.unit) for s in self.samples)


@dataclass(frozen=True)
class Target:
    """What a figure must hold: ours/reference <= limit, ours <= limit, ours <= reference +
    limit (margin: a time over what the reference must take anyway), or nothing (info)."""

    kind: TargetKind
    limit: float | None = None
    unit: Unit = "s"

    def __post_init__(self) -> None:
        if (self.kind == "info") != (self.limit is None):
            raise ValueError("an info target has no limit; the others need one")

    def show(self) -> str:
        if self.kind == "ratio":
            return f"<= {self.limit:g}x"
        if self.kind in ("absolute", "margin"):
            assert self.limit is not None
            over = "reference + " if self.kind == "margin" else ""
            return f"<= {over}{format_value(self.limit, self.unit)}"
        return "—"


@dataclass
class Figure:
    """One row of the table: our measure, the reference measured in the same run, the target."""

    name: str
    ours: Measure | None  # None: it could not be measured (the reason is in `problems`)
    reference: Measure | None
    target: Target
    problems: list[str] = field(default_factory=list)  # e.g. "imports textual": always a FAIL
    notes: list[str] = field(default_factory=list)  # for information, under the table

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.reference is None or self.reference.unit != self.ours.unit:
            return None
        return ratio(self.ours.median, self.reference.median)

    @property
    def verdict(self) -> str:
        if self.problems or self.ours is None:
            return f"{FAIL} ({'; '.join(self.problems) or 'not measured'})"
        reference = self.reference.median if self.reference is not None else None
        return verdict(self.target, self.ours.median, self.ratio, reference)


def ratio(ours: float, reference: float) -> float:
    """ours / reference; a zero reference gives infinity rather than a crash."""
    if reference <= 0:
        return float("inf")
    return ours / reference


def verdict(
    target: Target, ours: float, ratio_value: float | None, reference: float | None = None
) -> str:
    if target.kind == "info":
        return INFO
    assert target.limit is not None
    if target.kind in ("ratio", "margin"):
        if ratio_value is None or reference is None:
            return f"{FAIL} (no reference)"
        if target.kind == "margin":
            return PASS if ours <= reference + target.limit else FAIL
        return PASS if ratio_value <= target.limit else FAIL
    return PASS if ours <= target.limit else FAIL


def format_value(value: float, unit: Unit) -> str:
    """Seconds as ms below one second (3 significant digits), MiB and kB with one decimal."""
    if unit in ("MiB", "kB"):
        return f"{value:.1f} {unit}"
    if value < 1:
        ms = value * 1000
        return f"{ms:.3g} ms" if ms >= 10 else f"{ms:.2f} ms"
    return f"{value:.2f} s"


def format_ratio(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}x"


def table(figures: Sequence[Figure]) -> str:
    """The results as a markdown table: figure, ours, reference, ratio, target, verdict."""
    rows = [
        ("Figure", "Ours", "Reference", "Ratio", "Target", "Verdict"),
        *(
            (
                f.name,
                f.ours.show() if f.ours else "—",
                f.reference.show() if f.reference else "—",
                format_ratio(f.ratio),
                f.target.show(),
                f.verdict,
            )
            for f in figures
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(rows[0]), separator, *(line(r) for r in rows[1:])])


def alternate(
    ours: Callable[[], float],
    reference: Callable[[], float],
    runs: int,
    *,
    warmup: int = 1,
) -> tuple[list[float], list[float]]:
    """Run both sides `runs` times, interleaved (A B, B A, A B, ...) so that drift in the
    machine's load falls on both alike; warm-up runs of each are thrown away."""
    for _ in range(warmup):
        ours()
        reference()
    a: list[float] = []
    b: list[float] = []
    for i in range(runs):
        if i % 2 == 0:
            a.append(ours())
            b.append(reference())
        else:
            b.append(reference())
            a.append(ours())
    return a, b
