"""`:project`: pick the project the app works in, from the ones the credential may act on.

Lists GET /v1/projects in a worker; enter picks (dismisses with the project), esc keeps the
current one. The credential's default project (GET /v1/me, asked alongside) is marked
"(default)": it is the one requests reach when none is named, so with no project chosen it is
the current one.
Names and slugs come from the API: one line each, as Text.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from roark_tui.core.safe_text import one_line


class ProjectPicker(ModalScreen[Any]):
    """The credential's projects; dismisses with the one picked (None: no change)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", show=False, id="project.close"),
    ]
    DEFAULT_CSS = """
    ProjectPicker { align: center middle; }
    ProjectPicker #project-box { width: 72; max-width: 100%; height: auto; max-height: 80%;
        border: round $accent; background: $panel; padding: 0 1; }
    ProjectPicker OptionList { height: auto; max-height: 16; border: none; }
    ProjectPicker #project-note { color: $text-muted; }
    ProjectPicker #project-note.-error { color: $text-error; }
    """

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current
        self.projects: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="project-box"):
            yield Label("Project", classes="section-title")
            yield OptionList(id="project-list")
            yield Static("Loading the projects this credential may act on…", id="project-note")

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        from roark_tui.api.errors import ApiError

        note = self.query_one("#project-note", Static)
        try:
            service = await self.app.service_ready()  # type: ignore[attr-defined]
            projects, default = await asyncio.gather(
                service.list_projects(), _default_project(service)
            )
        except ApiError as exc:
            note.add_class("-error")
            note.update(Text(one_line(str(exc))))
            return
        self.current = self.current or default
        options = self.query_one(OptionList)
        for project in projects:
            self.projects[project.id] = project
            line = Text.assemble(
                ("● " if project.id == self.current else "  ", "bold"),
                (one_line(project.name or project.slug or project.id, 40), "bold"),
                ("  " + one_line(project.slug, 24), "dim"),
                ("  (default)" if project.id == default else "", "italic"),
            )
            options.add_option(Option(line, id=project.id))
        note.update(
            Text("enter works in that project · esc keeps this one")
            if projects
            else Text("This credential may act on no project.")
        )
        if projects:
            ids = list(self.projects)
            options.highlighted = ids.index(self.current) if self.current in ids else 0
            options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id:
            self.dismiss(self.projects[event.option_id])


async def _default_project(service: Any) -> str | None:
    """The id of the credential's default project, or None (none, or /v1/me not answering:
    the list is worth showing without the mark)."""
    from roark_tui.api.errors import ApiError

    try:
        me = await service.whoami()
    except ApiError:
        return None
    project_id = (me.default_project or {}).get("id")
    return project_id if isinstance(project_id, str) and project_id else None
