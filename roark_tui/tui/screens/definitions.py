"""The definitions browser: every metric definition of the project, and each one in words.

Pages are walked in a worker (service.iter_definitions) and rows appear as each page arrives, so
the list is usable while it loads; the status line says how far it got. `/` filters on name,
slug, kind, output, scope and contexts; the detail pane (beside the list when the terminal is
wide, in place of it when narrow) says what the highlighted definition measures. Names, slugs
and prompts come from the API: they are cleaned and rendered as rich Text only.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from roark_tui.api import errors
from roark_tui.api.models import MetricDefinition
from roark_tui.core.definition_search import matches
from roark_tui.core.safe_text import dumps, one_line
from roark_tui.tui.clipboard import COPY_HELP, copy_text
from roark_tui.tui.screens.base import RoarkScreen
from roark_tui.tui.widgets.definition_detail import DefinitionDetail
from roark_tui.tui.widgets.footer import KeysFooter

# Sized so the six columns fit 120 cells; narrower terminals scroll sideways.
COLUMNS = (
    ("Name", "name", 25),
    ("Slug", "slug", 24),
    ("Kind", "kind", 9),
    ("Output", "output", 14),
    ("Scope", "scope", 15),
    ("Contexts", "contexts", 17),
)
SCOPE_WORDS = {"GLOBAL": "global", "PER_PARTICIPANT": "per participant"}


def row_cells(definition: MetricDefinition) -> list[Text]:
    """One table row: every cell is API text, cleaned, on one line and cut to its column."""
    values = (
        definition.name or definition.key,
        definition.key,
        definition.calculation_type or "",
        definition.type or "",
        SCOPE_WORDS.get(definition.scope or "", definition.scope or ""),
        ",".join(definition.supported_contexts),
    )
    return [
        Text(one_line(value, width), no_wrap=True, overflow="ellipsis")
        for value, (_, _, width) in zip(values, COLUMNS, strict=True)
    ]


class DefinitionsScreen(RoarkScreen[None]):
    """Browse metric definitions; details in words; new definition or threshold from here."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    AUTO_FOCUS = "#definitions-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", key_display="/", id="definitions.filter"),
        Binding("enter", "details", "Details", show=False, id="definitions.details"),
        Binding("n", "new", "New", tooltip="Create a metric definition", id="definitions.new"),
        Binding(
            "t",
            "threshold",
            "Threshold",
            tooltip="Create a threshold (a pass/fail check) on the highlighted metric; on a "
            "threshold, tune it",
            id="definitions.threshold",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            tooltip="Edit the highlighted definition (a new version; fixed fields stay locked)",
            id="definitions.edit",
        ),
        Binding("y", "copy_json", "Copy JSON", show=False, id="definitions.copy_json"),
        Binding("c", "copy_id", "Copy id", show=False, id="definitions.copy_id"),
        Binding("r", "reload", "Reload", show=False, id="definitions.reload"),
        Binding("escape", "back", "Back", id="definitions.back"),
    ]
    HELP = (
        "Every metric definition of the project: Roark's own, your organization's and your "
        "project's. The list fills in page by page while you use it. / filters by any word of "
        "the name, slug, kind, output, scope or contexts; enter shows the highlighted definition "
        "in words. n starts the new-definition wizard; t creates a threshold (a pass/fail check) "
        "on the highlighted metric; y copies its JSON and c its id. " + COPY_HELP
    )
    DEFAULT_CSS = """
    DefinitionsScreen { layout: vertical; }
    DefinitionsScreen #definitions-status { height: auto; max-height: 3; padding: 0 1;
        background: $boost; }
    DefinitionsScreen #definitions-status.-error { color: $text-error; }
    DefinitionsScreen #definitions-filter { margin: 0 1; }
    DefinitionsScreen #definitions-body { height: 1fr; }
    DefinitionsScreen #definitions-table { height: 1fr; }
    DefinitionsScreen #definitions-detail { height: 1fr; border-top: hkey $primary-darken-2; }
    DefinitionsScreen.-wide #definitions-table { height: 1fr; }
    DefinitionsScreen.-narrow #definitions-detail { display: none; border-top: none; }
    DefinitionsScreen.-narrow.-detail #definitions-table { display: none; }
    DefinitionsScreen.-narrow.-detail #definitions-detail { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.definitions: dict[str, MetricDefinition] = {}
        self.fetching = False  # not `loading`: that is Textual's reactive (covers, disables)
        self.load_error: str | None = None
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Static(id="definitions-status")
        yield Input(
            placeholder="/ filter: words of the name, slug, kind, output, scope…",
            id="definitions-filter",
            compact=True,
        )
        with Vertical(id="definitions-body"):
            table: DataTable[Text] = DataTable(
                id="definitions-table", cursor_type="row", zebra_stripes=True
            )
            for label, key, width in COLUMNS:
                table.add_column(label, key=key, width=width)
            yield table
            yield DefinitionDetail(id="definitions-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Metric definitions"
        self.query_one(DefinitionDetail).show_message("Loading metric definitions…")
        self.load()

    # --- loading -----------------------------------------------------------------------------

    @work(group="definitions", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        """Walk every page; each page's rows appear at once, the status counts them."""
        self.fetching, self.load_error = True, None
        self._show_status()
        try:
            async for page in self.app.service.iter_definitions():
                self._add(page)
                self._show_status()
        except errors.ApiError as exc:
            self.load_error = str(exc)
        finally:
            self.fetching = False
        self._show_status()
        if not self.definitions and self.load_error is None:
            self.query_one(DefinitionDetail).show_message("This project has no metric definitions.")

    def _add(self, found: list[MetricDefinition]) -> None:
        """Add definitions (new or updated) and keep the table sorted, the cursor in place."""
        table = self.query_one("#definitions-table", DataTable)
        current = self.highlighted()
        fresh = []
        for definition in found:
            if definition.id in self.definitions:
                self.definitions[definition.id] = definition
                if definition.id in table.rows:
                    table.remove_row(definition.id)
            self.definitions[definition.id] = definition
            fresh.append(definition)
        for definition in matches(fresh, self.query_text):
            table.add_row(*row_cells(definition), key=definition.id)
        self._sort(current)

    def _sort(self, keep: MetricDefinition | None) -> None:
        """Rows by name (then slug); the cursor stays on the definition it was on."""
        table = self.query_one("#definitions-table", DataTable)
        table.sort("name", "slug", key=lambda cells: (cells[0].plain.lower(), cells[1].plain))
        self._restore(keep)

    def _restore(self, keep: MetricDefinition | None, *, scroll: bool = False) -> None:
        """The cursor back on `keep`; scrolled to only when asked (rows arriving while the
        user reads must not move the view)."""
        table = self.query_one("#definitions-table", DataTable)
        if keep is not None and keep.id in table.rows:
            table.move_cursor(row=table.get_row_index(keep.id), scroll=scroll)
        self._show_detail()

    def _show_status(self) -> None:
        status = self.query_one("#definitions-status", Static)
        total = len(self.definitions)
        shown = self.query_one("#definitions-table", DataTable).row_count
        if self.fetching:
            text = f"Loading metric definitions… {total} so far"
        else:
            text = f"{total} metric definition" + ("" if total == 1 else "s")
        if self.query_text.strip():
            text += f" · {shown} match “{one_line(self.query_text, 40)}”"
        if self.load_error:
            text += f" · stopped (r retries): {self.load_error}"
        status.update(Text(text))
        status.set_class(bool(self.load_error), "-error")

    # --- the highlighted definition -------------------------------------------------------------

    def highlighted(self) -> MetricDefinition | None:
        table = self.query_one("#definitions-table", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.definitions.get(str(row_key.value))

    def _show_detail(self) -> None:
        detail = self.query_one(DefinitionDetail)
        definition = self.highlighted()
        if definition is not None:
            detail.show(definition, self.definitions)
        elif self.query_text.strip() and self.definitions:
            detail.show_message(f"No definition matches “{one_line(self.query_text, 40)}”.")
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#definitions-table")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected, "#definitions-table")
    def _selected(self) -> None:
        self.action_details()

    def definition_created(self, created: MetricDefinition) -> None:
        """The wizard created `created`: list it and put the cursor on it."""
        self._add([created])
        self._restore(created, scroll=True)
        self._show_status()

    # --- filter ------------------------------------------------------------------------------

    @on(Input.Changed, "#definitions-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        table = self.query_one("#definitions-table", DataTable)
        current = self.highlighted()
        table.clear()
        for definition in matches(self.definitions.values(), self.query_text):
            table.add_row(*row_cells(definition), key=definition.id)
        self._sort(current)
        if current is None or current.id not in table.rows:
            table.move_cursor(row=0)
        self._show_status()
        self._show_detail()

    @on(Input.Submitted, "#definitions-filter")
    def _filter_submitted(self) -> None:
        self.query_one("#definitions-table").focus()

    # --- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("threshold", "copy_json", "copy_id", "details", "edit"):
            return True if self.highlighted() is not None else None
        return True

    def action_filter(self) -> None:
        self.remove_class("-detail")
        self.query_one("#definitions-filter").focus()

    def action_details(self) -> None:
        if self.highlighted() is None:
            return
        self.add_class("-detail")
        self.query_one(DefinitionDetail).focus()

    def action_new(self) -> None:
        self.app.open_definition_wizard()

    def action_edit(self) -> None:
        definition = self.highlighted()
        if definition is not None:
            self.app.open_definition_editor(definition)

    def definition_updated(self, updated: MetricDefinition) -> None:
        """A new version was saved: the row and the detail show it."""
        self._add([updated])
        self._restore(updated)
        self._show_detail()

    def action_threshold(self) -> None:
        """On a threshold: tune it (a new threshold from its settings); else a threshold on
        the highlighted metric."""
        definition = self.highlighted()
        if definition is None:
            return
        spec = definition.threshold
        if definition.calculation_type == "THRESHOLD" and spec is not None:
            source = self.definitions.get(spec.source_metric_definition_id or "")
            self.app.open_threshold_wizard(
                source=source.key if source is not None else None, tuning=definition
            )
            return
        self.app.open_threshold_wizard(source=definition.slug or definition.id)

    def action_copy_json(self) -> None:
        definition = self.highlighted()
        if definition is not None:
            text = dumps(definition.to_api(), pretty=True)
            copy_text(self.app, text, f"The JSON of {one_line(definition.key, 50)}")

    def action_copy_id(self) -> None:
        definition = self.highlighted()
        if definition is not None:
            copy_text(self.app, one_line(definition.id), f"The id {one_line(definition.id, 60)}")

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        """Step back one level: filter → list, details → list, filter text → none, → leave."""
        focused = self.focused
        table = self.query_one("#definitions-table")
        if focused is not None and focused.id == "definitions-filter":
            table.focus()
        elif self.has_class("-detail") or isinstance(focused, DefinitionDetail):
            self.remove_class("-detail")
            table.focus()
        elif self.query_text:
            self.query_one("#definitions-filter", Input).value = ""
        else:
            self.dismiss()
