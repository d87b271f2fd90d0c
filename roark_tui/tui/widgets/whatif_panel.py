"""Shows a what-if outcome: fires or not, the values that decided it, and what was skipped.

Everything from the API (values, segment text, roles) goes into rich Text as plain strings made
safe by `core.safe_text`, so markup and escape sequences in it stay inert.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from roark_tui.api.models import MetricValue
from roark_tui.core.formatting import format_offset
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
    """` ● FIRES `, ` ○ does not fire ` or ` ? no answer `, as a coloured badge."""
    if result is not None and result.fires is True:
        return Text.assemble((" ● FIRES ", "bold reverse red"))
    if result is not None and result.fires is False:
        return Text.assemble((" ○ does not fire ", "bold reverse green"))
    return Text.assemble((" ? no answer ", "bold reverse yellow"))


def where(row: MetricValue) -> str:
    """Where in the conversation a value sits: offset, role, and a snippet of the text."""
    segment = row.segment or row.from_segment
    parts = []
    if segment is not None:
        parts.append(format_offset(segment.start_offset_ms))
    if row.participant_role:
        parts.append(one_line(row.participant_role, 20))
    if not parts and row.context:
        parts.append(one_line(row.context.lower(), 20))
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


def render_whatif(result: WhatIf) -> Text:
    """The outcome as text: a verdict line, the explanation, the deciding rows, the skips."""
    out = Text()
    out.append_text(verdict_badge(result))
    out.append(" ")
    out.append(result.reason)
    out.append("\n")
    if result.count is not None:
        out.append(f"COUNT {result.count} matching vs countThreshold {result.count_threshold}\n")
    aggregated = result.mode in AGGREGATES
    if aggregated and result.aggregate is not None:
        out.append(f"{result.mode} over these values:\n", style="dim")
    elif result.judged and result.mode in LEGEND:
        out.append(LEGEND[result.mode] + "\n", style="dim")
    shown = _deciding_first(result)
    for judged in shown[:MAX_ROWS]:
        if judged.satisfies is None:
            out.append("  ? ", style="yellow")
        elif aggregated:
            out.append("  · ", style="dim")
        elif judged.satisfies:
            out.append("  ✓ ", style="bold red")
        else:
            out.append("  ✗ ", style="dim")
        out.append(f"{judged.shown:>10}")
        place = where(judged.row)
        if place:
            out.append("  " + place, style="dim")
        out.append("\n")
    if len(shown) > MAX_ROWS:
        out.append(f"  … {len(shown) - MAX_ROWS} more\n", style="dim")
    skipped = summarize(result)
    if skipped:
        out.append(f"Skipped: {skipped}\n", style="italic")
    out.rstrip()
    return out


class WhatIfPanel(Static):
    """The what-if result area of the threshold wizard."""

    DEFAULT_CSS = """
    WhatIfPanel { height: auto; padding: 0 1; }
    """

    _shown: tuple[object, ...] = ()

    def show_result(self, heading: str, result: WhatIf | None) -> None:
        text = Text()
        text.append(heading, style="bold")
        if result is not None:
            text.append("\n")
            text.append_text(render_whatif(result))
        self._show(text)

    def show_message(self, message: str) -> None:
        self._show(Text(message, style="italic"))

    def _show(self, text: Text) -> None:
        """Update only on a change: the wizard re-evaluates on every keystroke."""
        key = same_text(text)
        if key != self._shown:
            self._shown = key
            self.update(text)
