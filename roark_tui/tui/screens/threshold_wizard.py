"""The threshold wizard: one form, a live sentence, and a what-if on real conversations.

Every change re-validates the draft (core.threshold_rules), re-words it (core.describe), saves it
(DraftStore) and re-evaluates it locally (core.whatif) on the loaded conversation's values of the
source metric, so the user sees whether the threshold would pass before anything is sent.
All network work runs in workers on `app.service`; API text is made safe (core.safe_text) and
rendered as rich Text.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from roark_tui.api import errors, write_once
from roark_tui.api.models import (
    AGGREGATION_MODES,
    OPERATORS,
    PARTICIPANT_ROLES,
    MetricDefinition,
    MetricGroup,
    ThresholdSpec,
)
from roark_tui.core import threshold_rules as rules
from roark_tui.core import tune
from roark_tui.core.describe import threshold_sentence
from roark_tui.core.safe_text import one_line
from roark_tui.core.seen_values import value_help
from roark_tui.core.whatif import (
    WhatIf,
)
from roark_tui.state.drafts import DraftStore
from roark_tui.tui.screens.created import CreatedScreen
from roark_tui.tui.screens.threshold_tryon import RECENT_LIMIT, Conversation, ThresholdTryOn
from roark_tui.tui.widgets.definition_form import offer, operator_options
from roark_tui.tui.widgets.dialogs import ConfirmScreen, ReviewScreen
from roark_tui.tui.widgets.focus_mark import FOCUS_CSS, follow_focus
from roark_tui.tui.widgets.footer import KeysFooter
from roark_tui.tui.widgets.threshold_fields import (
    FIELD_LABELS,
    NAME_SHOWN,
    SourceInput,
    mode_options,
    name_of,
    ranked_matches,
    value_hint,
    value_options,
)
from roark_tui.tui.widgets.whatif_panel import WhatIfPanel

DRAFT_NAME = "threshold"
MAX_MATCHES = 30
SAVE_DELAY = 0.5  # seconds: a draft is written at most this often while typing (fsync is slow)
# Server field names that mean one of our widgets.
FIELD_ALIASES = {
    "metricId": "slug",
    "idOrSlug": "source",
    "metricDefinitionId": "source",
    "sourceMetricDefinitionId": "source",
    "thresholdValue": "value",
}


class ThresholdWizardScreen(ThresholdTryOn):
    """Create a threshold on a source metric, with a live what-if."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="threshold.back"),
        Binding(
            "ctrl+s",
            "review",
            "Review",
            tooltip="Show the exact request, then create",
            id="threshold.review",
        ),
        Binding(
            "ctrl+t",
            "conversation",
            "Try on",
            tooltip="Try the draft on a chat or call (id or dashboard URL)",
            id="threshold.try",
        ),
        Binding(
            "ctrl+r",
            "recent",
            "Recent",
            tooltip="Would it pass on the recent conversations?",
            id="threshold.recent",
        ),
    ]
    HELP = (
        "A threshold turns a metric into a pass/fail check. Pick the source metric (type to "
        "search by name or slug), the operator and the value; the aggregation mode says how a "
        "conversation's values are read: EACH passes if any one value matches, COUNT if at least "
        "countThreshold do, AVERAGE, MIN, MAX, MEDIAN, P95, P99 and SUM if that figure of the "
        "values does. Thresholds watch SCALE, NUMERIC, COUNT, BOOLEAN and CLASSIFICATION "
        "metrics. The name follows the rule until you edit it (Enter in an empty name takes "
        "the suggestion back). The sentence on top and the what-if follow every change: ctrl+t "
        "tries the draft on a chat or call, ctrl+r on the recent conversations; values that "
        "were not computed (not SUCCESS) are skipped and counted. ctrl+s shows the exact "
        "request, and c there creates it (ctrl+s and enter never do). esc asks before "
        "discarding; an unfinished draft is kept for next time."
    )
    DEFAULT_CSS = (
        FOCUS_CSS
        + """
    ThresholdWizardScreen { layout: vertical; }
    ThresholdWizardScreen #sentence { height: auto; padding: 0 1; background: $boost;
        text-style: bold; }
    ThresholdWizardScreen #verdict { height: auto; padding: 0 1; background: $boost; }
    ThresholdWizardScreen.-wide #verdict { display: none; }
    ThresholdWizardScreen #body { height: 1fr; }
    ThresholdWizardScreen.-wide #body { layout: horizontal; }
    ThresholdWizardScreen.-wide #form { width: 1fr; height: 100%; overflow-y: auto; }
    ThresholdWizardScreen.-wide #preview { width: 1fr; height: 100%; overflow-y: auto;
        border-left: vkey $primary-darken-2; }
    ThresholdWizardScreen.-narrow #body { layout: vertical; overflow-y: auto; }
    ThresholdWizardScreen.-narrow #form, ThresholdWizardScreen.-narrow #preview { height: auto; }
    ThresholdWizardScreen.-narrow #preview { border-top: solid $primary-darken-2; }
    ThresholdWizardScreen .row { height: auto; }
    ThresholdWizardScreen .row > Label { width: 14; padding: 0 1 0 0; color: $text-muted; }
    ThresholdWizardScreen .row > Input, ThresholdWizardScreen .row > Select { width: 1fr; }
    ThresholdWizardScreen #value-unit { width: auto; padding: 0 1; }
    ThresholdWizardScreen .help { padding: 0 0 0 14; color: $text-muted; height: auto; }
    ThresholdWizardScreen .error { padding: 0 0 0 14; color: $error; height: auto; }
    ThresholdWizardScreen #source-matches { height: auto; max-height: 8; margin: 0 0 0 14; }
    ThresholdWizardScreen #form, ThresholdWizardScreen #preview { padding: 0 1; }
    ThresholdWizardScreen #recent { height: auto; max-height: 12; }
    ThresholdWizardScreen #recent-summary { height: auto; padding: 0 1; color: $text-muted; }
    ThresholdWizardScreen #status { height: auto; padding: 0 1; }
    """
    )

    def __init__(
        self,
        source: str | None = None,
        conversation: Conversation | None = None,
        *,
        tuning: MetricDefinition | None = None,
    ) -> None:
        """`tuning`: a threshold check to tune; the form starts from its settings, the what-if
        shows it beside the draft, and creating offers to mark it replaced."""
        super().__init__()
        self.tuning = tuning
        start = tune.draft_fields(tuning, None) if tuning is not None else {}
        if source or not start:
            start["source"] = source or ""
        self.draft = rules.ThresholdDraft.from_dict(start)
        self._initial = rules.ThresholdDraft.from_dict(start)
        source = self.draft.source or None
        self.conversation = conversation
        self.definitions: list[MetricDefinition] = []
        self.definitions_loaded = False
        self.source_def: MetricDefinition | None = None
        self.groups: list[MetricGroup] | None = None
        self.recent: list[tuple[Conversation, str, list[MetricGroup] | None]] = []
        self.server_errors: dict[str, str] = {}
        # Errors show once a field was edited (or a review was attempted), not on a blank form.
        self.touched: set[str] = {"source"} if source else set()
        self.errors: dict[str, str] = {}
        self.whatif: WhatIf | None = None
        self.created: MetricDefinition | None = None
        self.creating = False
        # The create sent and not yet answered (slug, source id, body): saved with
        # the draft, so that after a kill the next start reads it back instead of sending again.
        self._sent: dict[str, Any] | None = None
        self._value_kind = "input"
        self._value_lock = asyncio.Lock()
        self._store = DraftStore(DRAFT_NAME)
        self._save_timer: Timer | None = None
        self._shown: dict[str, tuple[object, ...]] = {}

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="sentence")
        yield Static(id="verdict")
        with Container(id="body"):
            with Vertical(id="form"):
                with Horizontal(classes="row"):
                    yield Label(FIELD_LABELS["source"])
                    yield SourceInput(
                        self.draft.source,
                        placeholder="search by name or slug",
                        id="source",
                        compact=True,
                    )
                yield OptionList(id="source-matches", compact=True)
                yield Static(id="source-info", classes="help")
                yield self._error("source")
                with Horizontal(classes="row"):
                    yield Label(FIELD_LABELS["operator"])
                    yield Select(
                        operator_options(OPERATORS),
                        prompt="pick an operator",
                        id="operator",
                        compact=True,
                    )
                yield self._error("operator")
                with Horizontal(classes="row", id="value-row"):
                    yield Label(FIELD_LABELS["value"])
                    yield Input(placeholder="value", id="value", compact=True)
                    yield Static(id="value-unit")
                yield Static(id="value-help", classes="help")
                yield self._error("value")
                with Horizontal(classes="row"):
                    yield Label(FIELD_LABELS["aggregationMode"])
                    yield Select(
                        mode_options(AGGREGATION_MODES),
                        value="EACH",
                        allow_blank=False,
                        id="aggregationMode",
                        compact=True,
                    )
                yield self._error("aggregationMode")
                with Horizontal(classes="row", id="count-row"):
                    yield Label(FIELD_LABELS["countThreshold"])
                    yield Input(
                        placeholder="how many values must match (0 or more)",
                        id="countThreshold",
                        type="integer",
                        compact=True,
                    )
                yield self._error("countThreshold")
                with Horizontal(classes="row", id="role-row"):
                    yield Label(FIELD_LABELS["sourceParticipantRole"])
                    yield Select(
                        [(r, r) for r in PARTICIPANT_ROLES],
                        prompt="any participant",
                        id="sourceParticipantRole",
                        compact=True,
                    )
                yield self._error("sourceParticipantRole")
                with Horizontal(classes="row"):
                    yield Label(FIELD_LABELS["sourceVariantId"])
                    yield Input(placeholder="the source's own", id="sourceVariantId", compact=True)
                yield self._error("sourceVariantId")
                with Horizontal(classes="row"):
                    yield Label(FIELD_LABELS["slug"])
                    yield Input(placeholder="derived", id="slug", compact=True)
                yield self._error("slug")
                with Horizontal(classes="row"):
                    yield Label(FIELD_LABELS["name"])
                    yield Input(placeholder="what people will see", id="name", compact=True)
                yield self._error("name")
            with Vertical(id="preview"):
                with Horizontal(classes="row"):
                    yield Label("Try it on")
                    yield Input(
                        placeholder="chat or call id, Enter", id="conversation", compact=True
                    )
                yield WhatIfPanel(id="whatif")
                yield Static(id="recent-summary")
                yield OptionList(id="recent", compact=True)
        yield Static(id="status")
        yield KeysFooter()

    @staticmethod
    def _error(field: str) -> Static:
        return Static(id=f"error-{field}", classes="error")

    def on_mount(self) -> None:
        follow_focus(self)
        self.title = "New threshold"
        if self.tuning is not None:
            self.title = f"Tune {name_of(self.tuning)}"
            self._status(
                f"Tuning {name_of(self.tuning)}: change the rule, then ctrl+s and c create a new "
                "threshold (Roark has no threshold update); the old one can then be renamed."
            )
        self.query_one("#source-matches").display = False
        self.query_one("#recent").display = False
        self._put(
            "#recent-summary",
            Text(f"ctrl+r: would it pass on the last {RECENT_LIMIT} conversations?"),
        )
        self._sync_widgets()
        self._refresh()
        self.query_one("#source").focus()
        saved = self._store.load()
        if self._store.problem:  # a damaged draft file: say so, start afresh
            self.notify(self._store.problem, severity="warning", timeout=10, markup=False)
        sent = saved.get("sent") if isinstance(saved, dict) else None
        if isinstance(saved, dict) and isinstance(sent, dict) and sent.get("slug"):
            self.recover(saved, sent)
        elif (
            isinstance(saved, dict)
            and saved.get("draft")
            and saved.get("draft") != self._initial.to_dict()
        ):
            self._offer_resume(saved)
        self.load_definitions()
        if self.draft.source:
            self.load_source(self.draft.source)
        if self.conversation:
            self.load_conversation(*self.conversation)

    def _offer_resume(self, saved: dict[str, Any]) -> None:
        resumed = rules.ThresholdDraft.from_dict(saved.get("draft"))
        conversation = saved.get("conversation")
        what = one_line(resumed.source or "no source yet", NAME_SHOWN)
        self.app.push_screen(
            ConfirmScreen(f"Resume the unfinished threshold draft ({what})?"),
            lambda yes: self._resume(resumed, conversation) if yes else self._forget_draft(),
        )

    def _resume(self, draft: rules.ThresholdDraft, conversation: Any = None) -> None:
        self.draft = draft
        self.touched.update(rules.FIELDS)
        self._set_source(self._resolve(draft.source))
        if draft.source and self.source_def is None:
            self.load_source(draft.source)
        self._sync_widgets()
        self._refresh()
        if self.conversation is None and isinstance(conversation, list) and len(conversation) == 2:
            self.load_conversation(str(conversation[0]), str(conversation[1]))

    # --- workers -----------------------------------------------------------------------------

    @work(group="definitions", exclusive=True, exit_on_error=False)
    async def load_definitions(self) -> None:
        self._status("Loading metric definitions…")
        try:
            self.definitions = await self.app.service.all_definitions()
        except errors.ApiError as exc:
            self._status(f"Could not load the definitions list: {exc}", error=True)
            return
        self.definitions_loaded = True
        self._status("")
        if self.source_def is None and self.draft.source:
            self._set_source(self._resolve(self.draft.source))
        self._show_matches()
        self._refresh()

    @work(group="source", exclusive=True, exit_on_error=False)
    async def load_source(self, id_or_slug: str) -> None:
        try:
            definition = await self.app.service.get_definition(id_or_slug)
        except errors.NotFound:
            return
        except errors.ApiError as exc:
            self._status(f"Could not load {one_line(id_or_slug)}: {exc}", error=True)
            return
        if self.source_def is None and self.draft.source.strip() == id_or_slug.strip():
            self._set_source(definition)
            self._refresh()

    @work(group="create", exclusive=True, exit_on_error=False)
    async def create(self, source: MetricDefinition, body: dict[str, Any]) -> None:
        """POST once (api.write_once). `creating` keeps a second review from starting while this
        one runs; the draft on disk says the POST was sent, so a kill before the answer does
        not send it again on the next start."""
        self.creating = True
        self._status("Creating the threshold…")
        slug = str(body["slug"])
        self._sent = {"slug": slug, "source": source.id, "body": body}
        self._save_draft()
        service = self.app.service
        try:
            written = await write_once.create_definition(
                service,
                lambda: service.create_threshold(source.id, body),
                slug,
                lambda found: rules.created_from(found, source.id, body),
                "threshold",
            )
        except errors.Unconfirmed as exc:
            self._status(str(exc), error=True)  # still sent: the draft keeps saying so
            return
        except errors.ApiError as exc:
            self._sent = None  # a clear answer: it was not created
            self._save_draft()
            self._rejected(exc)
            return
        finally:
            self.creating = False
        self._show_created(written.value, written.note)

    def _show_created(self, created: MetricDefinition, note: str = "") -> None:
        self.created = created
        self._status(f"Created {one_line(created.key)}" + (f" ({note})." if note else "."))
        self._forget_draft()
        self._initial = rules.ThresholdDraft(**self.draft.to_dict())
        screen = CreatedScreen(
            created,
            {d.id: d for d in self.definitions},
            title="Threshold created",
            note=note,
        )
        self.app.push_screen(screen, self._after_created)
        if self.tuning is not None:
            self._offer_rename(self.tuning, created)

    @work(group="create", exclusive=True, exit_on_error=False)
    async def recover(self, saved: dict[str, Any], sent: dict[str, Any]) -> None:
        """The draft says a create was sent and the app stopped before its answer: the server
        decides. Created: it is shown, and nothing is sent. Not there: the draft is offered
        again. Unknown: the draft is offered again, and still says it was sent."""
        slug = one_line(str(sent["slug"]), NAME_SHOWN)
        body: dict[str, Any] = sent["body"] if isinstance(sent.get("body"), dict) else {}
        source_id = str(sent.get("source") or "")
        self._status(f"A create of {slug} was sent before the app stopped; looking for it…")
        try:
            found = await write_once.find_created(
                self.app.service,
                str(sent["slug"]),
                lambda d: rules.created_from(d, source_id, body),
            )
        except errors.Unconfirmed as exc:
            self._sent = sent  # still unknown: the draft keeps saying it was sent
            self._status(f"{exc}.", error=True)
            self._offer_resume(saved)
            return
        if found is not None:
            self.draft = rules.ThresholdDraft.from_dict(saved.get("draft"))
            self._show_created(found, "sent before the app stopped, read back now")
            return
        self._status(
            f"The create of {slug} sent before the app stopped did not reach the server: "
            "review the draft and create it again."
        )
        self._offer_resume(saved)

    def _offer_rename(self, old: MetricDefinition, created: MetricDefinition) -> None:
        """The old threshold stays (Roark has no threshold update): renamed, it reads as
        replaced in the tree and the browser."""
        renamed = tune.replaced_name(name_of(old))

        def answer(yes: bool | None) -> None:
            if yes:
                self.rename_replaced(old, renamed)

        self.app.push_screen(
            ConfirmScreen(
                f"{name_of(created)} is created. Rename the old threshold "
                f"“{name_of(old)}” to “{renamed}”, so that it reads as replaced?"
            ),
            answer,
        )

    @work(group="rename", exclusive=True, exit_on_error=False)
    async def rename_replaced(self, old: MetricDefinition, name: str) -> None:
        from roark_tui.core.definition_diff import applied

        body = {"name": name, "changeReason": "replaced by a tuned threshold"}
        try:
            written = await write_once.update_definition(self.app.service, old, body, applied)
        except errors.ApiError as exc:
            said = f"The old threshold keeps its name: {exc}"
            self.app.notify(said, severity="warning", markup=False)
            return
        self.app.notify(f"Renamed to {one_line(written.value.name)}", markup=False)

    # --- events ------------------------------------------------------------------------------

    def _edited(self, field: str, value: str) -> None:
        """One field of the draft changed (by typing or picking)."""
        attr = rules.ATTRS.get(field)
        if attr is None:
            return
        if field == "name":
            if value == self._name_shown():
                return
            self.draft.name_auto = False  # typed: kept as typed from now on
        elif getattr(self.draft, attr) == value:
            return
        setattr(self.draft, attr, value)
        self.touched.add(field)
        self.server_errors.pop(field, None)
        if field == "source":
            self._set_source(self._resolve(value))
            self._show_matches()
        self._refresh()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "conversation":
            # The field's value now, not the event's: keys typed in one burst change it again
            # before this event is handled, and the name field is rewritten from the draft.
            self._edited(event.input.id or "", event.input.value)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        # The select's value now, not the event's: when options are swapped (and the value
        # restored) the events in between are stale.
        current = event.select.value
        value = "" if current is Select.NULL else str(current)
        self._edited(event.select.id or "", value)

    @on(Input.Submitted, "#source")
    def _source_submitted(self) -> None:
        """Enter in the search box takes the first match."""
        if self.source_def is None:
            found = ranked_matches(self.definitions, self.draft.source)
            if found:
                self._choose_source(found[0])
                return
        self.query_one("#operator").focus()

    @on(OptionList.OptionSelected, "#source-matches")
    def _match_chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = next((d for d in self.definitions if d.id == event.option.id), None)
        if chosen is not None:
            self._choose_source(chosen)

    @on(Input.Submitted, "#name")
    def _name_submitted(self) -> None:
        """Enter in an emptied name takes the suggestion back (it follows the draft again)."""
        if not self.draft.name.strip() and not self.draft.name_auto:
            self.draft.name, self.draft.name_auto = "", True
            self._refresh()

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        self._show_matches()

    # --- actions -----------------------------------------------------------------------------

    def action_back(self) -> None:
        if self.draft == self._initial:
            self._forget_draft()
            self.dismiss()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._forget_draft()
                self.dismiss()

        self.app.push_screen(ConfirmScreen("Discard this threshold draft?"), answered)

    def action_review(self) -> None:
        if self.creating:
            self._status("Still creating the threshold…")
            return
        self.touched.update(rules.FIELDS)
        self._refresh()
        if self.errors or self.source_def is None:
            field = next(iter(self.errors), "source")
            named = ", ".join(FIELD_LABELS.get(f, f) for f in self.errors or ["source"])
            self._status(f"Not ready: fix {named} first.", error=True)
            self._focus_field(field)
            return
        source = self.source_def
        self._status("")
        body = rules.to_body(self.draft, source)
        sentence = self._sentence()
        path = f"/v1/metric/definitions/{source.id}/thresholds"

        def answered(go: bool | None) -> None:
            if go and not self.creating:
                self.creating = True  # before the worker starts: a second answer cannot POST
                self.create(source, body)

        self.app.push_screen(ReviewScreen(path, body, sentence), answered)

    def _after_created(self, choice: str | None) -> None:
        if choice == "open" and self.created is not None:
            self._open_in_definitions(self.created)
        elif choice == "another":
            self.draft = rules.ThresholdDraft(source=self.draft.source)
            self._initial = rules.ThresholdDraft(source=self.draft.source)
            self.server_errors.clear()
            self._sync_widgets()
            self._refresh()
        else:
            self.dismiss()

    def _open_in_definitions(self, created: MetricDefinition) -> None:
        """Leave the wizard for the definitions browser with the cursor on `created`: the one
        the wizard was opened from, else a new one."""
        from roark_tui.tui.screens.definitions import DefinitionsScreen

        self.dismiss()
        browser = self.app.screen
        if not isinstance(browser, DefinitionsScreen):
            self.app.open_definitions()
            browser = self.app.screen
        if isinstance(browser, DefinitionsScreen):
            browser.call_after_refresh(browser.definition_created, created)

    # --- state -------------------------------------------------------------------------------

    def _resolve(self, text: str) -> MetricDefinition | None:
        """The definition `text` names exactly: id, slug, or (case-insensitively) name."""
        text = text.strip()
        if not text:
            return None
        pool = list(self.definitions)
        if self.source_def is not None:
            pool.append(self.source_def)
        for definition in pool:
            if text in (definition.id, definition.slug, definition.metric_id):
                return definition
        lowered = text.lower()
        return next((d for d in pool if d.name.lower() == lowered), None)

    def _choose_source(self, definition: MetricDefinition) -> None:
        self._set_source(definition)
        source_input = self.query_one("#source", Input)
        source_input.value = definition.key
        self.draft.source = definition.key
        self._show_matches()
        self._refresh()
        self.query_one("#operator").focus()

    def _set_source(self, definition: MetricDefinition | None) -> None:
        self.source_def = definition
        self._sync_choices()
        self._sync_value_widget()

    def _sync_choices(self) -> None:
        """Offer only the operators and aggregation modes the source's values can take: = and
        ≠, EACH and COUNT for true/false, classes and text."""
        source = self.source_def
        modes = AGGREGATION_MODES if rules.is_numeric(source) else rules.COUNTING_MODES
        operators = operator_options(rules.operators_for(source))
        offer(self.query_one("#operator", Select), operators, self.draft.operator)
        mode = self.draft.aggregation_mode
        offer(self.query_one("#aggregationMode", Select), mode_options(modes), mode)

    def _sync_widgets(self) -> None:
        """Put the draft into the widgets (on mount, resume, reset)."""
        for field, attr in rules.ATTRS.items():
            widget = self.query_one(f"#{field}", Widget)
            value = getattr(self.draft, attr)
            if isinstance(widget, Input) and field not in ("value", "name"):
                widget.value = value
        self._show_name()
        for field in ("operator", "aggregationMode", "sourceParticipantRole"):
            self._set_select(field)
        self._sync_value_widget(force=True)

    def _set_select(self, field: str) -> None:
        """Show the draft's value in the Select #field; a value it does not offer (a resumed
        draft on a source that cannot take it) gives way to the blank, or first, choice."""
        select = self.query_one(f"#{field}", Select)
        value = getattr(self.draft, rules.ATTRS[field])
        offered = [v for _, v in select._options if v is not Select.NULL]
        if value not in offered:
            value = "" if select._allow_blank else offered[0]
            setattr(self.draft, rules.ATTRS[field], value)
        if value:
            select.value = value
        else:
            select.clear()

    def _sync_value_widget(self, force: bool = False) -> None:
        """#value is a Select for true/false, else an Input."""
        unit = rules.value_unit(self.source_def)
        self._put("#value-unit", Text(unit or ""), bool(unit))
        options = value_options(self.source_def)
        kind = "select:" + "|".join(v for _, v in options) if options else "input"
        if kind != self._value_kind or force:
            self._value_kind = kind
            self.call_next(self._swap_value_widget)
        elif kind == "input":
            for widget in self.query("#value").results(Input):
                widget.placeholder = value_hint(self.source_def)

    async def _swap_value_widget(self) -> None:
        async with self._value_lock:
            options = value_options(self.source_def)
            old = self.query_one("#value", Widget)
            had_focus = old.has_focus
            await old.remove()
            widget: Widget
            if options:
                values = {v for _, v in options}
                current = rules.normalized_value(self.draft, self.source_def)
                widget = Select(
                    options,
                    prompt="pick a value",
                    id="value",
                    compact=True,
                    value=current if current in values else Select.NULL,
                )
            else:
                hint = value_hint(self.source_def)
                widget = Input(self.draft.value, placeholder=hint, id="value", compact=True)
            await self.query_one("#value-row").mount(widget, before=self.query_one("#value-unit"))
            if had_focus:
                widget.focus()

    def _value_help(self) -> str:
        """Under the value, for a SCALE or CLASSIFICATION source: that the API gives no range or
        classes, and the values seen on the loaded conversation."""
        source = self.source_def
        if source is None:
            return ""
        group = rules.source_group(self.groups or [], source)
        return value_help(source.type, group)

    def _refresh(self) -> None:
        """Re-validate, re-word, re-evaluate and save after any change."""
        draft, source = self.draft, self.source_def
        self.errors = rules.validate(draft, source)
        if source is None and draft.source.strip():
            found = ranked_matches(self.definitions, draft.source)
            if not self.definitions_loaded:
                self.errors["source"] = "Looking it up…"
            elif found:
                first = name_of(found[0])
                self.errors["source"] = (
                    f"Not picked yet: Enter takes “{first}”, ↓ lists {len(found)}."
                )
        shown = {f: e for f, e in self.errors.items() if f in self.touched}
        shown.update(self.server_errors)
        counting = draft.aggregation_mode == "COUNT"
        # The role row shows for TURN/SEGMENT sources, and whenever a role is set, so a role the
        # source cannot take stays visible (with its error) until it is cleared.
        role_row = rules.supports_role(source) or bool(draft.source_participant_role)
        hidden = {"countThreshold": not counting, "sourceParticipantRole": not role_row}
        for field in rules.FIELDS:
            message = Text(one_line(shown.get(field, "")))
            self._put(f"#error-{field}", message, field in shown and not hidden.get(field))
        self.query_one("#count-row").display = counting
        self.query_one("#role-row").display = role_row
        info = self._source_info()
        self._put("#source-info", info, bool(info))
        variant = rules.default_variant(source)
        self.query_one("#sourceVariantId", Input).placeholder = (
            f"default {one_line(variant)}" if variant else "none (optional UUID)"
        )
        suggested = rules.suggested_slug(draft, source)
        self.query_one("#slug", Input).placeholder = (
            f"derived: {suggested}" if suggested else "derived"
        )
        self._show_name()
        self._put("#sentence", Text(self._sentence()))
        help_text = self._value_help()
        self._put("#value-help", Text(help_text), bool(help_text))
        self._show_whatif()
        if self.recent:
            self._show_recent()
        if draft != self._initial and self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self._save_draft)

    def _name_shown(self) -> str:
        """What the name field holds: the default while it follows the draft, else the user's."""
        if self.draft.name_auto:
            return rules.default_name(self.draft, self.source_def)
        return self.draft.name

    def _show_name(self) -> None:
        """Put the following default into the name field (without it reading as typing); an
        emptied name offers the suggestion as its placeholder."""
        name = self.query_one("#name", Input)
        shown = self._name_shown()
        if name.value != shown:
            with self.prevent(Input.Changed):
                name.value = shown
            name.cursor_position = len(shown)  # typing after Enter took it goes at the end
        suggestion = rules.default_name(self.draft, self.source_def)
        name.placeholder = f"Enter: {suggestion}" if suggestion else "what people will see"

    def _save_draft(self) -> None:
        """Write the draft (at most every SAVE_DELAY while typing, and when the screen goes)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.draft == self._initial and self._sent is None:
            return
        saved: dict[str, Any] = {"draft": self.draft.to_dict()}
        if self.conversation is not None:
            saved["conversation"] = list(self.conversation)
        if self._sent is not None:
            saved["sent"] = self._sent
        self._store.save(saved)

    def _forget_draft(self) -> None:
        """The draft was sent or discarded: nothing pending, nothing on disk."""
        self._sent = None
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        self._store.clear()

    def on_unmount(self) -> None:
        self.save_draft_now()

    def save_draft_now(self) -> None:
        """Write a pending draft at once (also when the app is ending: tui/hard_exit.py)."""
        if self._save_timer is not None:
            self._save_draft()

    def _source_info(self) -> Text:
        source = self.source_def
        if source is None:
            return Text("")
        unit = rules.value_unit(source)
        parts = [] if self.draft.source.strip() == source.key else [source.key]
        parts.append(f"{source.type or '?'} ({unit})" if unit else source.type or "?")
        if (source.scope or "").upper() == "PER_PARTICIPANT":
            parts.append("per participant")
        parts.append("/".join(source.supported_contexts) or "CALL")
        text = Text(name_of(source), style="bold")
        text.append("  " + one_line(" · ".join(parts)))
        return text

    def _sentence(self) -> str:
        source = self.source_def
        name = name_of(source) if source else one_line(self.draft.source or "…", NAME_SHOWN)
        spec = ThresholdSpec(
            operator=self.draft.operator or None,
            threshold_value=one_line(rules.normalized_value(self.draft, source)) or None,
            aggregation_mode=self.draft.aggregation_mode or "EACH",
            count_threshold=rules.parse_count_threshold(self.draft.count_threshold),
            source_participant_role=self.draft.source_participant_role or None,
        )
        return threshold_sentence(spec, name, rules.value_unit(source))

    def _show_matches(self) -> None:
        """The search results under #source, while it has focus and names nothing exactly."""
        box = self.query_one("#source-matches", OptionList)
        focused = self.app.focused.id if self.app.focused else None
        if focused == "source-matches":
            return
        if focused != "source" or self.source_def is not None:
            box.display = False
            return
        found = ranked_matches(self.definitions, self.draft.source)[:MAX_MATCHES]
        box.set_options(
            Option(
                Text.assemble(
                    (name_of(d), "bold"), f"  {one_line(d.key)} · {one_line(d.type or '?')}"
                ),
                id=d.id,
            )
            for d in found
        )
        box.display = bool(found)

    def _rejected(self, exc: errors.ApiError) -> None:
        """Put a server rejection next to the field it names; otherwise on the status line."""
        field = FIELD_ALIASES.get(exc.field or "", exc.field or "")
        if isinstance(exc, errors.Conflict) and not field:
            field = "slug"
        if isinstance(exc, errors.NotFound) and not field:
            field = "source"
        message = one_line(exc.message or str(exc))
        if field in rules.FIELDS:
            self.server_errors[field] = message
            self._refresh()
            self._focus_field(field)
            self._status(f"The server rejected {field}: {message}", error=True)
        else:
            self._status(f"Not created: {one_line(str(exc))}", error=True)

    def _focus_field(self, field: str) -> None:
        with contextlib.suppress(NoMatches):
            self.query_one(f"#{field}").focus()

    def _status(self, message: str, error: bool = False) -> None:
        self._put("#status", Text(message, style="bold red" if error else ""))
