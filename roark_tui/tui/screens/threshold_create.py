"""The threshold wizard's create: the POST sent once (api.write_once) and its answer shown, a
rejection put next to the field it names, a create cut short by a kill looked up on the next
start, and, when tuning, the old threshold renamed as replaced.

`ThresholdCreate` is a base of ThresholdWizardScreen, above ThresholdDrafts.
"""

from __future__ import annotations

from typing import Any

from textual import work

from roark_tui.api import errors, write_once
from roark_tui.api.models import MetricDefinition
from roark_tui.core import threshold_rules as rules
from roark_tui.core import tune
from roark_tui.core.safe_text import one_line
from roark_tui.tui.screens.created import SENT_BEFORE, CreatedScreen, find_sent_create
from roark_tui.tui.screens.threshold_drafts import ThresholdDrafts
from roark_tui.tui.widgets.dialogs import ConfirmScreen
from roark_tui.tui.widgets.threshold_fields import NAME_SHOWN, name_of

# Server field names that mean one of our widgets.
FIELD_ALIASES = {
    "metricId": "slug",
    "idOrSlug": "source",
    "metricDefinitionId": "source",
    "sourceMetricDefinitionId": "source",
    "thresholdValue": "value",
}


class ThresholdCreate(ThresholdDrafts):
    """Send the reviewed draft, and what follows its answer."""

    created: MetricDefinition | None
    creating: bool

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
        """A create the draft says was sent before the app stopped (created.find_sent_create):
        once found, shown with the draft it was made from."""
        body: dict[str, Any] = sent["body"] if isinstance(sent.get("body"), dict) else {}
        source_id = str(sent.get("source") or "")
        slug = one_line(str(sent["slug"]), NAME_SHOWN)
        found = await find_sent_create(
            self, saved, sent, slug, lambda d: rules.created_from(d, source_id, body)
        )
        if found is not None:
            self.draft = rules.ThresholdDraft.from_dict(saved.get("draft"))
            self._show_created(found, SENT_BEFORE)

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
