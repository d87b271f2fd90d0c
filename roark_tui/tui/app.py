"""RoarkApp: the shell every screen lives in.

Start-up is kept as cheap as a bare Textual app: this module imports only what the lookup screen
needs. The API service (httpx, and for `--demo` the in-process sandbox) is built from the factory
in a thread after the first frame, or on first use, whichever comes first; the metrics and
definitions screens are imported when they are opened.
"""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qsl

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.filter import LineFilter, Monochrome
from textual.screen import Screen

from roark_tui.config import load_keymap
from roark_tui.tui.commands import BindingCommands
from roark_tui.tui.key_order import KeyOrder
from roark_tui.tui.list_keys import LIST_BINDINGS, cursor_action, highlight_first
from roark_tui.tui.monochrome import ReadableMonochrome
from roark_tui.tui.screens.lookup import LookupScreen

if TYPE_CHECKING:
    from textual.driver import Driver
    from textual.theme import Theme

    from roark_tui.api.models import MetricDefinition
    from roark_tui.api.service import RoarkService
    from roark_tui.config import Settings
    from roark_tui.core.browse import Filters, VerdictLoader
    from roark_tui.core.command_line import Command

START_KINDS = (
    "chat",
    "call",
    "chats",
    "calls",
    "definitions",
    "definition-wizard",
    "threshold-wizard",
    "runs",
    "run",
)


class RoarkApp(App[None]):
    """The roark-tui application: lookup → metrics → transcript, definitions and wizards."""

    TITLE = "roark-tui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {BindingCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "question_mark,f1",
            "help",
            "Help",
            key_display="?",
            id="help",
            tooltip="The keys of this screen (f1 where ? would be typed)",
        ),
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Leave roark-tui"),
        Binding(
            "colon",
            "command_bar",
            "Command",
            key_display=":",
            show=False,  # the footer is full at 80 columns; ? and the palette list it
            id="command",
            tooltip=":calls :chats :runs :defs :chat <id> :call <id> :project :lookup :quit "
            "(tab completes)",
        ),
        *LIST_BINDINGS,
    ]

    def __init__(
        self,
        service_factory: Callable[[], RoarkService],
        *,
        start: tuple[str, str] | None = None,
        start_conversation: tuple[str, str] | None = None,
        settings: Settings | None = None,
        filters: Filters | None = None,
    ) -> None:
        """`filters`: what a `calls`/`chats` start opens the browser on."""
        super().__init__()
        start = start or start_conversation
        self.start_conversation = start_conversation
        if start is not None and start[0] not in START_KINDS:
            raise ValueError(f"unknown start screen {start[0]!r}; expected one of {START_KINDS}")
        self.start = start
        self.settings = settings
        self._service_factory = service_factory
        self._service: RoarkService | None = None
        self._service_lock = threading.Lock()
        self._readable = ReadableMonochrome()
        self.start_filters = filters
        self._verdicts: VerdictLoader | None = None
        self._kept: list[MetricDefinition] | None = None  # state/kept_definitions.py
        self._kept_read = False
        self._kept_at = 0  # the service's definition_writes when the kept copy was taken
        self._frozen_above = False  # screens above the first were frozen with the heap
        self.project_id = settings.project_id if settings else None
        self.project_name: str | None = None
        # Definitions edited in this session: their values on a conversation may be out of
        # date until it is re-scored (R offers them as changed).
        self.edited_metrics: set[str] = set()
        self._key_order = KeyOrder(self, partial(App.on_event, self))

    async def on_event(self, event: events.Event) -> None:
        """Keys from the terminal act in the order typed (tui/key_order.py)."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self._key_order.key(event)
        else:
            await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "list_cursor":  # j/k: only where there is a cursor to move
            return cursor_action(self.focused, str(parameters[0])) is not None
        return True

    def action_list_cursor(self, direction: str) -> None:
        name = cursor_action(self.focused, direction)
        if name is not None:
            getattr(self.focused, name)()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        highlight_first(event.widget)

    def get_theme(self, theme_name: str) -> Theme | None:
        """Textual's copies every registered theme into a new dict on each call, and drawing
        asks for the current theme once per line; a single name is looked up directly."""
        if "," in theme_name:
            return super().get_theme(theme_name)
        return self._registered_themes.get(theme_name.strip())

    def get_driver_class(self) -> type[Driver]:
        """The platform's driver, writing no redundant style changes (tui/terse_output.py)."""
        from roark_tui.tui.terse_output import terse_driver

        return terse_driver(super().get_driver_class())

    def get_line_filters(self) -> Sequence[LineFilter]:
        """With NO_COLOR, greys that keep every mark readable (see tui/monochrome.py)."""
        filters = super().get_line_filters()
        if not self.no_color:
            return filters
        return [self._readable if type(f) is Monochrome else f for f in filters]

    # --- the service ------------------------------------------------------------------------

    @property
    def service(self) -> RoarkService:
        """The one RoarkService of this app, built from the factory on first use."""
        with self._service_lock:
            if self._service is None:
                self._service = self._service_factory()
            return self._service

    @property
    def verdicts(self) -> VerdictLoader:
        """The session's verdicts of conversations (fetched a few at a time, kept): the
        browser and the lookup's latest list share them."""
        if self._verdicts is None:
            from roark_tui.core.browse import VerdictLoader

            self._verdicts = VerdictLoader(
                lambda kind, conv_id: self.service.conversation_metrics(
                    kind, conv_id, status="all"
                ),
                lambda: self.service.all_definitions(),
            )
        return self._verdicts

    @property
    def known_definitions(self) -> list[MetricDefinition] | None:
        """The definitions this session last listed whole (RoarkService.known_definitions);
        None too while the service is still being built, rather than wait for it."""
        return None if self._service is None else self._service.known_definitions

    async def kept_definitions(self) -> list[MetricDefinition] | None:
        """The definitions kept from an earlier run (state/kept_definitions.py), read once, in
        a thread: a fresh start judges with them until its own walk is in. None once a
        definition was written since they were kept: judging with them would show the verdict
        from before the user's own change."""
        if not self._kept_read:
            from roark_tui.state import kept_definitions

            self._kept_read, self._kept_at = True, 0  # from before this session's writes
            self._kept = await asyncio.to_thread(kept_definitions.load)
        return self._kept if self._kept_at == self._definition_writes() else None

    def keep_definitions(self, definitions: list[MetricDefinition]) -> None:
        """Keep a fresh walk's definitions for the next run, when they changed (in a
        thread: it is a write to disk)."""
        self._kept_at = self._definition_writes()
        if definitions == self._kept:
            return
        from roark_tui.state import kept_definitions

        self._kept_read, self._kept = True, definitions
        self.run_worker(
            partial(kept_definitions.save, definitions),
            thread=True,
            group="keep-definitions",
            exit_on_error=False,
        )

    def _definition_writes(self) -> int:
        return 0 if self._service is None else self._service.definition_writes

    async def service_ready(self) -> RoarkService:
        """The service, for workers on the event loop: while the warm-up thread is building it,
        wait for it in a thread, so keys and frames are not held up behind the lock."""
        if self._service is not None:
            return self._service
        return await asyncio.to_thread(lambda: self.service)

    def _warm_service(self) -> None:
        """Build the service and its HTTP client in a thread, so the first request pays for
        neither the imports nor the TLS trust store. A failure here is left for the first
        real use to report on screen."""
        try:
            self.service.prepare()
        except Exception:
            return
        # What is alive now (the imported libraries, the built models and validators, the
        # first screen) lives as long as the app: kept out of the collector's full passes,
        # which would otherwise walk all of it each time, a pause of tens of ms that falls
        # on whatever parses next (a lookup's metrics).
        gc.freeze()
        self._frozen_above = len(self.screen_stack) > 1

    def _thaw_closed_screens(self, screen: Screen[object]) -> None:
        """Screens open above the first one when the heap was frozen (`roark-tui chat <id>`
        starts on a conversation) were frozen with it: once they are closed they are garbage
        the collector would never reach, the conversation's payload with them. Collected
        once, on the way back to the first screen, and the heap frozen again."""
        if self._frozen_above and len(self.screen_stack) == 1:
            self._frozen_above = False
            gc.unfreeze()
            gc.collect()
            gc.freeze()

    async def on_unmount(self) -> None:
        if self._service is not None:
            await self._service.aclose()

    # --- screens ----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        return LookupScreen(covered=self.start is not None)

    # --- the account ------------------------------------------------------------------------

    def account_text(self) -> str | None:
        """What the badge on every screen says (None without settings: no badge)."""
        if self.settings is None:
            return None
        from roark_tui.tui.widgets.account_badge import badge_text

        settings = self.settings
        return badge_text(
            base_url=settings.base_url,
            profile=settings.profile,
            project_id=self.project_id,
            project_name=self.project_name,
            demo=settings.demo,
        )

    def pick_project(self) -> None:
        """Choose the project to work in (GET /v1/projects), from any screen."""
        from roark_tui.tui.widgets.project_picker import ProjectPicker

        self.push_screen(ProjectPicker(self.project_id), self.switch_project)

    def switch_project(self, project: Any) -> None:
        """Work in `project` from now on: every request names it, verdicts are fetched anew,
        and the lookup screen lists its conversations."""
        if project is None or project.id == self.project_id:
            return
        self.service.set_project(project.id)
        self.project_id, self.project_name = project.id, project.name or None
        if self.settings is not None:
            from roark_tui.state import account

            account.use_settings(self.settings, project.id)
        self._verdicts = None
        self._kept_read, self._kept = False, None  # the kept definitions are a project's own
        self.open_lookup()
        self._show_account(self.screen)
        lookup = self.screen
        if isinstance(lookup, LookupScreen):
            lookup.action_reload()
        self.notify(f"Project: {project.name or project.id}", timeout=3)

    def _show_account(self, screen: Screen[object]) -> None:
        """Put the account badge on `screen` (or bring its text up to date)."""
        from textual.screen import ModalScreen

        from roark_tui.tui.widgets.account_badge import AccountBadge

        text = self.account_text()
        if text is None or isinstance(screen, ModalScreen):
            return
        badges = screen.query(AccountBadge)
        if badges:
            badges.first().show(text)
        else:
            screen.mount(AccountBadge(text))

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_account, self.screen)  # once the screen has its size

    def on_mount(self) -> None:
        """Open the start screen now (its first frame is what the user waits for) and build
        the service once that frame is out."""
        from roark_tui.tui import hard_exit

        hard_exit.install(self)
        self._apply_user_keymap()
        self._apply_saved_theme()
        self.screen_change_signal.subscribe(self, self._show_account)
        self.screen_change_signal.subscribe(self, self._thaw_closed_screens)
        self._show_account(self.screen)
        self.call_after_refresh(
            self.run_worker, self._warm_service, thread=True, name="warm-service", group="service"
        )
        if self.start is None:
            return
        kind, value = self.start
        if kind in ("chat", "call"):
            self.open_conversation(kind, value)
        elif kind in ("chats", "calls"):
            self.open_browser("chat" if kind == "chats" else "call", self.start_filters)
        elif kind == "definitions":
            self.open_definitions()
        elif kind == "definition-wizard":
            self.open_definition_wizard()
        elif kind == "runs":  # the value is the filters as a query: status=...&plan=...
            filters = dict(parse_qsl(value))
            self.open_runs(filters.get("status"), filters.get("plan"))
        elif kind == "run":
            self.open_run(value)
        else:
            self.open_threshold_wizard(source=value or None, conversation=self.start_conversation)

    # --- the theme ----------------------------------------------------------------------------

    def _apply_saved_theme(self) -> None:
        """The theme chosen last time (one no longer known keeps the default), and each new
        choice kept for the next start."""
        from roark_tui.state import theme

        saved = theme.load()
        if saved and saved in self.available_themes:
            self.theme = saved
        self.theme_changed_signal.subscribe(self, lambda chosen: theme.save(chosen.name))

    # --- the user's keymap ---------------------------------------------------------------------

    def _apply_user_keymap(self) -> None:
        """The config file's [keymap], each entry that cannot be used a warning on screen (its
        binding keeps the default key). Unknown ids, and keys taken from other bindings, are
        looked for after the first frame."""
        keymap, notes = load_keymap()
        if keymap:
            from roark_tui.tui.keymap import usable_keys

            keymap, more = usable_keys(keymap)
            notes += more
            self.set_keymap(keymap)
            check = partial(self._warn_keymap_problems, keymap)
            self.call_after_refresh(self.run_worker, check, thread=True, name="keymap-ids")
        for note in notes:
            self._warn_keymap(note)

    def _warn_keymap_problems(self, keymap: dict[str, str]) -> None:
        from roark_tui.tui.keymap import taken_keys, unknown_ids

        for note in unknown_ids(keymap) + taken_keys(keymap):
            self.call_from_thread(self._warn_keymap, note)

    def _warn_keymap(self, note: str) -> None:
        self.notify(note, title="Keymap", severity="warning", timeout=15)

    def open_conversation(
        self, kind: str, conv_id: str, *, detect: bool = False, focus_metric: str | None = None
    ) -> None:
        """Show a conversation's metrics. With `detect`, a chat id the API does not know is
        tried as a call (the lookup's auto mode); `focus_metric` starts on that metric."""
        from roark_tui.tui.screens.metrics import MetricsScreen

        self.push_screen(MetricsScreen(kind, conv_id, detect=detect, focus_metric=focus_metric))

    def open_runs(self, status: str | None = None, plan: str | None = None) -> None:
        from roark_tui.tui.screens.runs import RunsScreen

        self.push_screen(RunsScreen(status=status or None, plan=plan or None))

    def open_run(self, job_id: str) -> None:
        from roark_tui.tui.screens.run_report import RunReportScreen

        self.push_screen(RunReportScreen(job_id))

    def open_browser(self, kind: str, filters: Filters | None = None) -> None:
        """The conversation browser on calls or chats, with their verdicts."""
        from roark_tui.tui.screens.browser import BrowserScreen

        self.push_screen(BrowserScreen("chat" if kind == "chat" else "call", filters))

    def open_definitions(self) -> None:
        from roark_tui.tui.screens.definitions import DefinitionsScreen

        self.push_screen(DefinitionsScreen())

    def open_definition_wizard(self) -> None:
        from roark_tui.tui.screens.definition_wizard import DefinitionWizardScreen

        self.push_screen(DefinitionWizardScreen())

    def open_threshold_wizard(
        self,
        source: str | None = None,
        conversation: tuple[str, str] | None = None,
        *,
        tuning: MetricDefinition | None = None,
    ) -> None:
        """`tuning`: a threshold check to tune (a new threshold from its settings)."""
        from roark_tui.tui.screens.threshold_wizard import ThresholdWizardScreen

        self.push_screen(
            ThresholdWizardScreen(source=source, conversation=conversation, tuning=tuning)
        )

    def open_definition_editor(self, definition: MetricDefinition) -> None:
        """Edit `definition`; once saved, every screen that shows it hears of the new version
        (`definition_updated`) and R offers it as changed."""
        from roark_tui.core.definition_diff import read_only
        from roark_tui.tui.screens.definition_edit import DefinitionEditScreen

        why = read_only(definition)
        if why is not None:
            self.notify(why, severity="warning", markup=False)
            return

        def saved(updated: MetricDefinition | None) -> None:
            if updated is None:
                return
            self.edited_metrics.add(updated.id)
            for screen in self.screen_stack:
                announce = getattr(screen, "definition_updated", None)
                if callable(announce):
                    announce(updated)

        self.push_screen(DefinitionEditScreen(definition), saved)

    def open_lookup(self) -> None:
        """Back to the lookup screen, whatever is stacked above it."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    # --- keys and commands --------------------------------------------------------------------

    def action_command_bar(self) -> None:
        """`:` as in k9s: a command line at the bottom (tui/widgets/command_bar.py)."""
        from roark_tui.tui.widgets.command_bar import CommandBar

        if isinstance(self.screen, CommandBar):
            return
        self.push_screen(CommandBar(ids=_looked_up), self.run_command)

    def run_command(self, command: Command | None) -> None:
        """Do what a `:` command says."""
        if command is None:
            return
        name, argument = command.name, command.argument
        if name in ("calls", "chats"):
            self.open_browser(name[:-1])
        elif name == "runs":
            self.open_runs()
        elif name == "defs":
            self.open_definitions()
        elif name in ("chat", "call") and argument:
            from roark_tui.core.conversation_ref import parse_ref

            try:
                told, conv_id = parse_ref(argument)
            except ValueError as exc:
                self.notify(str(exc), severity="error", timeout=6)
                return
            self.open_conversation(told or name, conv_id)
        elif name == "project":
            self.pick_project()
        elif name == "lookup":
            self.open_lookup()
        elif name == "quit":
            self.exit()

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's Screenshot: into the state dir (not ~/Downloads), naming the file."""
        from roark_tui.tui.screenshot import save_screenshot

        saved = save_screenshot(self, filename, path)
        return str(saved) if saved else None

    def action_help(self) -> None:
        """Help for the current screen, generated from its live bindings."""
        from roark_tui.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen.for_screen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from roark_tui.tui.system_commands import roark_commands

        yield from super().get_system_commands(screen)
        yield from roark_commands(self)


def _looked_up(kind: str) -> list[str]:
    """Ids of earlier lookups of `kind` (what `:chat ` and `:call ` complete)."""
    from roark_tui.state import history

    return [entry.id for entry in history.load() if entry.kind == kind]
