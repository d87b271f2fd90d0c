"""Which account this is, on every screen: a few cells at the top right, never the token.

The app mounts one badge on each screen it shows (RoarkApp watches screen changes), laid over
the screen's top line (position absolute), so no screen gives up a row for it. It says the
API's host (only when it is not Roark's own), the profile (only when it is not `default`) and
the project: its name once known, else its id, else "default project" (the credential's own).
The demo says `demo`. It takes at most two fifths of the screen's width (`fit_badge`), so the
screen's own first line (a title, a conversation's name) stays readable at 80 columns: the
host gives way first, then the profile, the project last.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from roark_tui.core.safe_text import one_line

ROARK_HOST = "api.roark.ai"
PROJECT_WIDTH = 24
SEPARATOR = " · "
SHARE = (2, 5)  # the badge takes at most this share of the screen's width
MIN_CELLS = 18
SHORTEST_PART = 6  # a part is cut no shorter than this before it is dropped


def badge_text(
    *,
    base_url: str,
    profile: str,
    project_id: str | None,
    project_name: str | None = None,
    demo: bool = False,
) -> str:
    """`demo`, `staging.example.com · work · Support agents`, `default project` and the
    like: what tells this account from another, shortest first."""
    if demo:
        project = one_line(project_name, PROJECT_WIDTH) if project_name else None
        return " · ".join(p for p in ("demo", project) if p)
    host = urlsplit(base_url).hostname or base_url
    parts = [] if host == ROARK_HOST else [one_line(host, 30)]
    if profile != "default":
        parts.append(one_line(profile, 16))
    if project_name:
        parts.append(one_line(project_name, PROJECT_WIDTH))
    elif project_id:
        parts.append("project " + one_line(project_id)[:8])
    else:
        parts.append("default project")
    return " · ".join(parts)


def fit_badge(text: str, cells: int) -> str:
    """`text` (parts joined by SEPARATOR, the least telling first) in at most `cells` cells:
    parts shortened from the first, then dropped from the first (a leading `…` says so), the
    last part kept longest."""
    if cell_len(text) <= cells:
        return text
    parts = text.split(SEPARATOR)
    for i in range(len(parts) - 1):  # shorten all but the last, least telling first
        over = cell_len(SEPARATOR.join(parts)) - cells
        if over <= 0:
            return SEPARATOR.join(parts)
        parts[i] = _cut(parts[i], max(SHORTEST_PART, cell_len(parts[i]) - over))
    dropped = False
    while len(parts) > 1 and cell_len(SEPARATOR.join(["…"] * dropped + parts)) > cells:
        parts.pop(0)
        dropped = True
    fitted = SEPARATOR.join(["…"] * dropped + parts)
    return fitted if cell_len(fitted) <= cells else _cut(parts[-1], cells)


def _cut(text: str, cells: int) -> str:
    """`text` in at most `cells` cells (wide characters count two), an ellipsis when cut."""
    if cell_len(text) <= cells:
        return text
    kept, used = [], 1  # the ellipsis's cell
    for char in text:
        used += cell_len(char)
        if used > cells:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


class AccountBadge(Static):
    """The account line; `show` changes it (after a project switch, or once a name is known)."""

    DEFAULT_CSS = """
    AccountBadge {
        position: absolute;
        overlay: screen;
        width: auto;
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__(Text(text), id="account-badge")
        self.text = text
        self.shown = text

    def on_mount(self) -> None:
        self._place()

    def show(self, text: str) -> None:
        """New words, or the same words at a new screen size."""
        self.text = text
        self._place()

    def _place(self) -> None:
        """At the screen's top right corner, fitted to its share of the width."""
        screen_width = self.screen.size.width
        share, whole = SHARE
        shown = fit_badge(self.text, max(screen_width * share // whole, MIN_CELLS) - 2)
        if shown != self.shown:
            self.shown = shown
            self.update(Text(shown))
        self.tooltip = self.text if shown != self.text else None  # the whole of it, on hover
        width = cell_len(shown) + 2
        self.styles.offset = (max(screen_width - width, 0), 0)
