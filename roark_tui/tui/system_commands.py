"""The command palette's entries for roark-tui's screens, after Textual's own: each screen can
be found by name from anywhere, its `:` command said where it has one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand

if TYPE_CHECKING:
    from roark_tui.tui.app import RoarkApp


def roark_commands(app: RoarkApp) -> Iterator[SystemCommand]:
    yield SystemCommand(
        "Open a conversation",
        "Go to the lookup screen (chat or call id, or URL)",
        app.open_lookup,
    )
    yield SystemCommand(
        "Browse calls",
        "Calls with their verdicts, newest first (:calls)",
        lambda: app.open_browser("call"),
    )
    yield SystemCommand(
        "Browse chats",
        "Chats with their verdicts, newest first (:chats)",
        lambda: app.open_browser("chat"),
    )
    yield SystemCommand(
        "Switch project",
        "Work in another project of this credential (:project)",
        app.pick_project,
    )
    yield SystemCommand(
        "Metric definitions",
        "Browse the project's metric definitions",
        app.open_definitions,
    )
    yield SystemCommand(
        "Simulation runs",
        "Recent simulation runs with Roark's verdict; open one's report",
        app.open_runs,
    )
    yield SystemCommand(
        "New metric definition",
        "Create a metric definition with the wizard",
        app.open_definition_wizard,
    )
    yield SystemCommand(
        "New threshold",
        "Create a threshold (a check) on a metric",
        app.open_threshold_wizard,
    )
