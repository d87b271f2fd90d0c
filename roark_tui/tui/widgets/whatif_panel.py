"""Shows a what-if outcome: passes or fails, the values that decided it, and what was skipped.

Everything from the API (values, segment text, roles) goes into rich Text as plain strings made
safe by `core.safe_text`, so markup and escape sequences in it stay inert.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from roark_tui.api.metric_values import MetricValue
from roark_tui.core.formatting import format_offset, range_span
from roark_tui.core.safe_text import one_line
from roark_tui.core.whatif import AGGREGATES, Judged, WhatIf, summarize

MAX_ROWS = 10
SNIPPET = 44
LEGEND = {
    "EACH": "✓ matches  ✗ does not",
    "COUNT": "✓ counted  ✗ not counted",
}


def same_text(text: Text) -> tuple[object, ...]:
    """What makes two Texts look the same (Text's own == ignores its base style)."""
    return (text.plain, tuple(text.spans), str(text.style))


def verdict_badge(result: WhatIf | None) -> Text:
    """` ● PASSES `, ` ○ FAILS ` or ` ? no answer `, as a coloured badge."""
    if result is not None and result.fires is True:
        return Text.assemble((" ● PASSES ", "bold reverse green"))
    if result is not None and result.fires is False:
        return Text.assemble((" ○ FAILS ", "bold reverse red"))
    return Text.assemble((" ? no answer ", "bold reverse yellow"))


def where(row: MetricValue) -> str:
    """Where in the conversation a value sits: its offset (or span), role, and a snippet of the
    text it is about."""
    parts = []
    if row.from_segment is not None or row.to_segment is not None:
        parts.append(range_span(row.from_segment, row.to_segment))
    elif row.segment is not None:
        parts.append(format_offset(row.segment.start_offset_ms))
    if row.participant_role:
        parts.append(one_line(row.participant_role, 20))
    if not parts and row.context:
        parts.append(one_line(row.context.lower(), 20))
    segment = row.segment or row.from_segment
    if segment is not None and segment.text:
        parts.append("“" + one_line(segment.text, SNIPPET) + "”")
    return "  ".join(p for p in parts if p)


def _deciding_first(result: WhatIf) -> list[Judged]:
    """The rows in conversation order, except that for EACH/COUNT the matching ones come first
    (they decide the outcome) when only some of them fit on screen."""
    rows = list(result.judged)
    if result.mode in ("EACH", "COUNT") and len(rows) > MAX_ROWS:
        rows.sort(key=lambda j: not j.satisfies)
    return rows


def whatif_lines(result: WhatIf) -> list[Text]:
    """The outcome: a verdict line with its reason, the deciding rows (one line each, cut to
    the width), and what was skipped."""
    head = Text()
    head.append_text(verdict_badge(result))
    head.append(" ")
    head.append(result.reason)
    lines: list[Text] = [head]
    if result.count is not None:
        lines.append(
            Text(f"COUNT {result.count} matching vs countThreshold {result.count_threshold}")
        )
    judged = result.fires is not None
    aggregated = result.mode in AGGREGATES and result.aggregate is not None
    if result.judged:
        if not judged:
            caption = "The values it would be judged on:"
        elif aggregated:
            caption = f"{result.mode} over these values:"
        else:
            caption = LEGEND.get(result.mode, "")
        if caption:
            lines.append(Text(caption, style="dim"))
    shown = _deciding_first(result)
    width = min(max((len(j.shown) for j in shown), default=0), SNIPPET // 2)
    for item in shown[:MAX_ROWS]:
        line = Text(no_wrap=True, overflow="ellipsis")
        if not item.readable:
            line.append("  ? ", style="yellow")
        elif aggregated or item.satisfies is None:
            line.append("  · ", style="dim")
        elif item.satisfies:
            line.append("  ✓ ", style="bold red")
        else:
            line.append("  ✗ ", style="dim")
        line.append(item.shown.rjust(width))
        place = where(item.row)
        if place:
            line.append("  " + place, style="dim")
        lines.append(line)
    if len(shown) > MAX_ROWS:
        lines.append(Text(f"  … {len(shown) - MAX_ROWS} more", style="dim"))
    skipped = summarize(result)
    if skipped:
        lines.append(Text(f"Skipped: {skipped}", style="italic"))
    return lines


class WhatIfPanel(Static):
    """The what-if result area of the threshold wizard."""

    DEFAULT_CSS = """
    WhatIfPanel { height: auto; padding: 0 1; }
    """

    _shown: tuple[object, ...] = ()
    plain = ""  # what the panel says, one line per line (for tests and copying)

    def show_result(self, heading: str, result: WhatIf | None) -> None:
        lines = [Text(heading, style="bold")]
        if result is not None:
            lines.extend(whatif_lines(result))
        self._show(lines)

    def show_message(self, message: str) -> None:
        self._show([Text(message, style="italic")])

    def _show(self, lines: list[Text]) -> None:
        """Update only on a change: the wizard re-evaluates on every keystroke."""
        key = tuple(same_text(line) for line in lines)
        if key != self._shown:
            self._shown = key
            self.plain = "\n".join(line.plain for line in lines)
            self.update(Group(*lines))
