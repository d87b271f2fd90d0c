"""Which account this is, on every screen: a few cells at the top right, never the token.

The app mounts one badge on each screen it shows (RoarkApp watches screen changes), laid over
the screen's top line (position absolute), so no screen gives up a row for it. It says the
API's host (only when it is not Roark's own), the profile (only when it is not `default`) and
the project: its name once known, else its id, else "default project" (the credential's own).
The demo says `demo`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from rich.text import Text
from textual.widgets import Static

from roark_tui.core.safe_text import one_line

ROARK_HOST = "api.roark.ai"
PROJECT_WIDTH = 24


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

    def on_mount(self) -> None:
        self._place()

    def show(self, text: str) -> None:
        """New words, or the same words at a new screen size."""
        if text != self.text:
            self.text = text
            self.update(Text(text))
        self._place()

    def _place(self) -> None:
        """At the screen's top right corner."""
        width = len(self.text) + 2
        self.styles.offset = (max(self.screen.size.width - width, 0), 0)
