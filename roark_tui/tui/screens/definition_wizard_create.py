"""The definition wizard's create: sent once (api.write_once) with the draft on disk saying
so, read back after a kill instead of sent again, a rejection put next to the field it names,
and the created screen's ways on."""

from __future__ import annotations

from typing import Any

from textual import work

from roark_tui.api import errors, write_once
from roark_tui.api.models import MetricDefinition
from roark_tui.core import definition_rules as rules
from roark_tui.core.safe_text import one_line
from roark_tui.state import recent_packages
from roark_tui.tui.screens.created import SENT_BEFORE, CreatedScreen, find_sent_create
from roark_tui.tui.screens.definition_wizard_draft import DefinitionWizardDraft


class DefinitionWizardCreate(DefinitionWizardDraft):
    """The draft sent, found again, or refused."""

    @work(group="create", exclusive=True, exit_on_error=False)
    async def create(self, body: dict[str, Any]) -> None:
        """POST once (api.write_once); the draft on disk says it was sent, so a kill before the
        answer does not send it again on the next start."""
        self.creating = True
        self.refresh_bindings()
        self._status("Creating the metric definition…")
        self._sent = {"slug": str(body["slug"]), "body": body}
        self._save()
        service = self.app.service
        try:
            written = await write_once.create_definition(
                service,
                lambda: service.create_definition(body),
                str(body["slug"]),
                lambda found: rules.created_from(found, body),
                "definition",
            )
        except errors.Unconfirmed as exc:
            self._status(f"{exc}. Everything you typed is kept.", error=True)
            return
        except errors.ApiError as exc:
            self._sent = None  # a clear answer: it was not created
            self._save()
            self._rejected(exc)
            return
        finally:
            self.creating = False
            self.refresh_bindings()
        self._show_created(written.value, written.note)

    def _show_created(self, created: MetricDefinition, note: str = "") -> None:
        self.created = created
        if self.draft.analysis_package_id.strip():
            recent_packages.remember(self.draft.analysis_package_id)
        self._forget_draft()
        self._status(f"Created {one_line(created.key, 60)}" + (f" ({note})." if note else "."))
        self.by_id[created.id] = created
        self.definitions.append(created)
        for screen in self.app.screen_stack:
            announce = getattr(screen, "definition_created", None)
            if callable(announce) and screen is not self:
                announce(created)
        shown = CreatedScreen(
            created,
            self.by_id,
            title="Metric definition created",
            note=note,
            offers_threshold=True,
        )
        self.app.push_screen(shown, self._after_created)

    @work(group="create", exclusive=True, exit_on_error=False)
    async def recover(self, saved: dict[str, Any], sent: dict[str, Any]) -> None:
        """A create the draft says was sent before the app stopped (created.find_sent_create)."""
        body: dict[str, Any] = sent["body"] if isinstance(sent.get("body"), dict) else {}
        slug = one_line(str(sent["slug"]), 60)
        found = await find_sent_create(
            self, saved, sent, slug, lambda d: rules.created_from(d, body)
        )
        if found is not None:
            self._show_created(found, SENT_BEFORE)

    def _rejected(self, exc: errors.ApiError) -> None:
        """A server rejection goes next to the field it names; anything else to the status
        line. Nothing typed is touched either way."""
        key = rules.server_field(exc.field, self.draft)
        if not key and isinstance(exc, errors.Conflict):
            key = "slug"
        said = one_line(exc.message or str(exc), 200)
        if not key:
            self._status(f"Not created: {exc}. Everything you typed is kept.", error=True)
            return
        self._go(rules.step_of(key))
        if self._error_target(key) is not None:
            # Shown by its field until that field is edited (a field the form does not have
            # would hold Next back for good, so those stay on the status line only).
            self.server_errors[key] = said
            self._refresh()
        self._status(f"The server rejected {key}: {said}", error=True)
        self.call_after_refresh(self._focus_field, key)

    def _browser_on(self, created: MetricDefinition) -> None:
        """The definitions browser with the cursor on `created`: the one this wizard was opened
        from (it already has it), else a new one."""
        from roark_tui.tui.screens.definitions import DefinitionsScreen

        if isinstance(self.app.screen, DefinitionsScreen):
            return
        self.app.open_definitions()
        browser = self.app.screen
        if isinstance(browser, DefinitionsScreen):
            browser.call_after_refresh(browser.definition_created, created)

    async def _after_created(self, choice: str | None) -> None:
        created = self.created
        if choice == "threshold" and created is not None:
            self.dismiss()
            self._browser_on(created)  # where the threshold wizard's esc then lands
            self.app.open_threshold_wizard(source=created.slug or created.id)
        elif choice == "open" and created is not None:
            self.dismiss()
            self._browser_on(created)
        elif choice == "another":
            self.draft = rules.DefinitionDraft()
            self._initial = rules.DefinitionDraft()
            self.touched.clear()
            self.attempted.clear()
            self.server_errors.clear()
            self._show_kinds()
            await self._mount_forms()
            self._go("kind")
        else:
            self.dismiss()
