"""Shows a what-if outcome: fires or not, the values that decided it, and what was skipped.

Everything from the API (values, segment text, names) goes into rich Text as plain strings, so
markup or escape sequences in it stay inert.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from roark_tui.api.models import MetricValue
from roark_tui.core.whatif import AGGREGATES, WhatIf, summarize

MAX_ROWS = 8
SNIPPET = 48


def _offset(ms: float | None) -> str:
    if ms is None:
        return ""
    tenths = round(ms / 100)
    minutes, rest = divmod(tenths, 600)
    return f"{minutes:02d}:{rest // 10:02d}.{rest % 10}"


def _where(row: MetricValue) -> str:
    """Where in the conversation a value sits: offset, role, and a snippet of the text."""
    segment = row.segment or row.from_segment
    parts = []
    if segment is not None:
        parts.append(_offset(segment.start_offset_ms))
    if row.participant_role:
        parts.append(row.participant_role)
    if not parts and row.context:
        parts.append(row.context.lower())
    if segment is not None and segment.text:
        text = " ".join(segment.text.split())
        parts.append("“" + (text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…") + "”")
    return "  ".join(p for p in parts if p)


def render_whatif(result: WhatIf) -> Text:
    """The outcome as text: a verdict line, the explanation, the deciding rows, the skips."""
    out = Text()
    if result.fires is True:
        out.append(" ● FIRES ", style="bold reverse red")
    elif result.fires is False:
        out.append(" ○ does not fire ", style="bold reverse green")
    else:
        out.append(" ? no answer ", style="bold reverse yellow")
    out.append("  ")
    out.append(result.explanation)
    out.append("\n")
    if result.count is not None:
        out.append(f"COUNT {result.count} matching vs countThreshold {result.count_threshold}\n")
    if result.mode in AGGREGATES and result.aggregate is not None:
        out.append(f"{result.mode} over these values:\n", style="dim")
    shown = list(result.judged)
    if result.mode == "EACH" and result.fires:
        shown = sorted(shown, key=lambda j: not j.satisfies)  # deciding values first
    aggregated = result.mode in AGGREGATES
    for judged in shown[:MAX_ROWS]:
        if aggregated and judged.satisfies is not None:
            out.append("  · ", style="dim")
        elif judged.satisfies is None:
            out.append("  ? ", style="yellow")
        elif judged.satisfies:
            out.append("  ✓ ", style="red")
        else:
            out.append("  ✗ ", style="dim")
        out.append(f"{judged.shown:>10}")
        where = _where(judged.row)
        if where:
            out.append("  " + where, style="dim")
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

    def show_result(self, heading: str, result: WhatIf | None, note: str = "") -> None:
        text = Text()
        text.append(heading, style="bold")
        if result is not None:
            text.append("\n")
            text.append_text(render_whatif(result))
        if note:
            text.append("\n" + note, style="italic")
        self.update(text)

    def show_message(self, message: str) -> None:
        self.update(Text(message, style="italic"))
