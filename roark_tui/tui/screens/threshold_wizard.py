"""The threshold wizard: one form, a live sentence, and a what-if on real conversations.

Every change re-validates the draft (core.threshold_rules), re-words it (core.describe), saves it
(DraftStore) and re-evaluates it locally (core.whatif) on the loaded conversation's values of the
source metric, so the user sees whether the threshold would pass before anything is sent.
All network work runs in workers on `app.service`; API text is made safe (core.safe_text) and
rendered as rich Text.

The screen is this module's layout, start and key actions over a chain of bases, one concern
each: ThresholdTryOn (the what-if), ThresholdForm (fields and draft), ThresholdDrafts (the draft
on disk), ThresholdCreate (the create and what follows it).
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Select, Static

from roark_tui.api.models import (
    AGGREGATION_MODES,
    OPERATORS,
    PARTICIPANT_ROLES,
    MetricDefinition,
    MetricGroup,
)
from roark_tui.core import threshold_rules as rules
from roark_tui.core import tune
from roark_tui.core.whatif import WhatIf
from roark_tui.state.drafts import DraftStore
from roark_tui.tui.screens.threshold_create import ThresholdCreate
from roark_tui.tui.screens.threshold_drafts import DRAFT_NAME
from roark_tui.tui.screens.threshold_tryon import RECENT_LIMIT, Conversation
from roark_tui.tui.widgets.definition_form import operator_options
from roark_tui.tui.widgets.dialogs import ConfirmScreen, ReviewScreen
from roark_tui.tui.widgets.focus_mark import FOCUS_CSS, follow_focus
from roark_tui.tui.widgets.footer import KeysFooter
from roark_tui.tui.widgets.threshold_fields import (
    FIELD_LABELS,
    SourceInput,
    mode_options,
    name_of,
)
from roark_tui.tui.widgets.whatif_panel import WhatIfPanel


class ThresholdWizardScreen(ThresholdCreate):
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
