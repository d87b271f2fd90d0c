"""The browser's status line: what is listed, how many rows, how many failing, what is coming."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from roark_tui.core.browse import Filters, Kind, RowVerdict
from roark_tui.core.safe_text import one_line


def status_line(
    kind: Kind,
    filters: Filters,
    known: Sequence[RowVerdict | None],
    *,
    shown: int,
    newer_above: int,
    exhausted: bool,
    fetching: bool,
    problem: str | None,
) -> Text:
    """`known` holds the verdict (or None, still coming) of every row held and not hidden;
    `newer_above` counts the rows let go of above those held."""
    failing = sum(1 for v in known if v is not None and v.state == "fail")
    waiting = sum(1 for v in known if v is None)
    parts = [f"{kind.capitalize()}s", *filters.describe()]
    if not shown and exhausted and not problem:
        return Text(" · ".join(parts) + f"  no {kind}s here", style="bold")
    line = Text(" · ".join(parts), style="bold")
    count = f"{shown} shown" + ("" if exhausted else "+")
    if newer_above:
        count += f", {newer_above:,} newer above (up lists them again)"
    facts = [count, f"{failing} failing"]
    if waiting:
        facts.append(f"{waiting} verdicts coming")
    if fetching:
        facts.append("loading…")
    if problem:
        facts.append(one_line(problem, 80))
    line.append("  " + " · ".join(facts), style="")
    return line
