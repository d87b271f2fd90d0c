"""The threshold wizard's draft on disk: written at most every SAVE_DELAY while the form changes
(and at once when the screen or the app goes), cleared once sent or discarded, and offered back
on the next start.

`ThresholdDrafts` is a base of ThresholdWizardScreen, above ThresholdForm.
"""

from __future__ import annotations

from typing import Any

from textual.timer import Timer

from roark_tui.core import threshold_rules as rules
from roark_tui.core.safe_text import one_line
from roark_tui.state.drafts import DraftStore
from roark_tui.tui.screens.threshold_form import ThresholdForm
from roark_tui.tui.widgets.dialogs import ConfirmScreen
from roark_tui.tui.widgets.threshold_fields import NAME_SHOWN

DRAFT_NAME = "threshold"
SAVE_DELAY = 0.5  # seconds: a draft is written at most this often while typing (fsync is slow)


class ThresholdDrafts(ThresholdForm):
    """The draft kept on disk until it is created or discarded."""

    _initial: rules.ThresholdDraft
    # The create sent and not yet answered (slug, source id, body): saved with
    # the draft, so that after a kill the next start reads it back instead of sending again.
    _sent: dict[str, Any] | None
    _store: DraftStore
    _save_timer: Timer | None

    def _refresh(self) -> None:
        """After every change the draft is written within SAVE_DELAY, so a kill loses little."""
        super()._refresh()
        if self.draft != self._initial and self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self._save_draft)

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
