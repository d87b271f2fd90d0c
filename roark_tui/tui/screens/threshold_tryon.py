"""The threshold wizard's "try it on" side: a pasted chat or call, or the recent ones, loaded
with their metrics, and the draft evaluated on them (core.whatif) as the form changes.

`ThresholdTryOn` is the lowest base of ThresholdWizardScreen: the form (the draft, its source,
the refresh after each change) lives above it in ThresholdForm, this class shows what the draft
would say.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from rich.text import Text
from textual import on, work
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from roark_tui.api import errors
from roark_tui.api.models import MetricDefinition, MetricGroup
from roark_tui.core import threshold_rules as rules
from roark_tui.core import tune
from roark_tui.core.conversation_ref import parse_ref
from roark_tui.core.safe_text import one_line
from roark_tui.core.whatif import WhatIf, evaluate
from roark_tui.tui.screens.base import RoarkScreen
from roark_tui.tui.widgets.threshold_fields import NAME_SHOWN, name_of, short_id
from roark_tui.tui.widgets.whatif_panel import WhatIfPanel, same_text, verdict_badge

RECENT_LIMIT = 20
RECENT_CONCURRENCY = 4
Conversation = tuple[str, str]


class ThresholdTryOn(RoarkScreen[None]):
    """What the draft would say on real conversations."""

    draft: rules.ThresholdDraft
    source_def: MetricDefinition | None
    tuning: MetricDefinition | None
    conversation: Conversation | None
    groups: list[MetricGroup] | None
    recent: list[tuple[Conversation, str, list[MetricGroup] | None]]
    whatif: WhatIf | None
    _shown: dict[str, tuple[object, ...]]

    def _refresh(self) -> None:
        """Re-validate and show everything after a change (the wizard's own)."""
        raise NotImplementedError

    @work(group="conversation", exclusive=True, exit_on_error=False)
    async def load_conversation(self, kind: str, conv_id: str) -> None:
        """Fetch a conversation's metrics (status=all); a pasted id is tried as chat, then call."""
        shown = one_line(conv_id, NAME_SHOWN)
        self.query_one(WhatIfPanel).show_message(f"Loading the metrics of {kind} {shown}…")
        kinds: tuple[Literal["chat", "call"], ...] = (
            ("chat",) if kind == "chat" else ("call",) if kind == "call" else ("chat", "call")
        )
        for attempt in kinds:
            try:
                groups = await self.app.service.conversation_metrics(attempt, conv_id, status="all")
            except errors.NotFound:
                continue
            except (errors.ApiError, ValueError) as exc:
                self.query_one(WhatIfPanel).show_message(f"Could not load {shown}: {exc}")
                return
            self.conversation = (attempt, conv_id)
            self.groups = groups
            self.query_one("#conversation", Input).value = conv_id
            self._refresh()
            return
        self.query_one(WhatIfPanel).show_message(f"No chat or call {shown} was found.")

    @work(group="recent", exclusive=True, exit_on_error=False)
    async def load_recent(self) -> None:
        """The latest chats and calls with their metrics, fetched a few at a time."""
        self._put("#recent-summary", Text("Loading recent conversations…"))
        service = self.app.service
        try:
            chats, calls = await asyncio.gather(
                service.list_chats(limit=RECENT_LIMIT), service.list_calls(limit=RECENT_LIMIT)
            )
        except errors.ApiError as exc:
            self._put("#recent-summary", Text(f"Could not list recent conversations: {exc}"))
            return
        found: list[tuple[Literal["chat", "call"], str, str, str]]
        found = [("chat", c.id, c.title or "", c.started or "") for c in chats.data]
        found += [("call", c.id, c.title or "", c.started or "") for c in calls.data]
        found.sort(key=lambda item: item[3], reverse=True)
        found = found[:RECENT_LIMIT]
        gate = asyncio.Semaphore(RECENT_CONCURRENCY)

        async def metrics(kind: Literal["chat", "call"], conv_id: str) -> list[MetricGroup] | None:
            async with gate:
                try:
                    return await service.conversation_metrics(kind, conv_id, status="all")
                except errors.ApiError:
                    return None

        fetched = await asyncio.gather(*(metrics(k, i) for k, i, _, _ in found))
        self.recent = [
            ((k, i), title, g) for (k, i, title, _), g in zip(found, fetched, strict=True)
        ]
        self.query_one("#recent").display = True
        self._show_recent()

    @on(Input.Submitted, "#conversation")
    def _conversation_submitted(self, event: Input.Submitted) -> None:
        """An id or a dashboard URL (core.conversation_ref); without a kind, chat then call."""
        try:
            kind, conv_id = parse_ref(event.value)
        except ValueError as exc:
            self.query_one(WhatIfPanel).show_message(str(exc))
            return
        self.load_conversation(kind or "", conv_id)

    @on(OptionList.OptionSelected, "#recent")
    def _recent_chosen(self, event: OptionList.OptionSelected) -> None:
        index = event.option_index
        if 0 <= index < len(self.recent):
            (kind, conv_id), _, groups = self.recent[index]
            self.conversation = (kind, conv_id)
            self.groups = groups
            self.query_one("#conversation", Input).value = conv_id
            self._refresh()

    def action_conversation(self) -> None:
        self.query_one("#conversation").focus()

    def action_recent(self) -> None:
        self.load_recent()

    def _recent_today(self) -> str:
        """When tuning: "fails today on 7 of 12; with the new value on 3 of 12"."""
        old = tune.rule_of(self.tuning) if self.tuning is not None else None
        source = self.source_def
        if old is None or source is None or self.tuning is None:
            return ""
        new = rules.to_rule(self.draft, source)
        groups = [g for _, _, g in self.recent]
        counts = tune.recent_counts(old, new, source.id, groups, source.type)
        return f". {name_of(self.tuning)} {counts}"

    def _today(self, group: MetricGroup) -> str:
        """When tuning: how the check being tuned reads on the same values."""
        tuning = self.tuning
        old = tune.rule_of(tuning) if tuning is not None else None
        if old is None or tuning is None or self.source_def is None:
            return ""
        new = rules.to_rule(self.draft, self.source_def)
        pair = tune.side_by_side(old, new, group.values, self.source_def.type or group.type)
        return (
            f" · today {tune.verdict_word(pair.old)} ({name_of(tuning)}), "
            f"with this draft {tune.verdict_word(pair.new)}"
        )

    def _evaluate(self, groups: list[MetricGroup]) -> tuple[WhatIf | None, MetricGroup | None]:
        source = self.source_def
        if source is None:
            return None, None
        group = rules.source_group(groups, source)
        if group is None:
            return None, None
        rule = rules.to_rule(self.draft, source)
        output_type = source.type or group.type
        return evaluate(
            rule, group.values, output_type=output_type, unit=rules.value_unit(source)
        ), group

    def _show_whatif(self) -> None:
        """The what-if panel, and its one-line summary under the sentence (narrow layout)."""
        panel = self.query_one(WhatIfPanel)
        self.whatif = None
        if self.conversation is None:
            message = "Paste a chat or call id above (Enter), or ctrl+r to try the recent ones."
            panel.show_message(message)
            self._put("#verdict", Text("No conversation to try it on: ctrl+t an id, ctrl+r recent"))
            return
        if self.groups is None:
            return
        kind, conv_id = self.conversation
        where = f"{kind} {short_id(conv_id)}"
        if self.source_def is None:
            panel.show_message(f"{where} is loaded; pick a source metric.")
            self._put("#verdict", Text(f"{kind} {short_id(conv_id)} loaded; pick a source metric"))
            return
        result, group = self._evaluate(self.groups)
        if group is None:
            message = f"{where} has no values of {name_of(self.source_def)}."
            panel.show_message(message)
            self._put("#verdict", Text(message, style="italic"))
            return
        self.whatif = result
        today = self._today(group)
        panel.show_result(f"What-if on {where}{today}", result)
        line = verdict_badge(result)
        if result is not None:
            line.append(f" {result.reason}")
        line.append(today, style="italic")
        line.append(f"  {kind} {short_id(conv_id)}", style="dim")
        self._put("#verdict", line)

    def _show_recent(self) -> None:
        passed = answered = without = 0
        options = []
        for (kind, conv_id), title, groups in self.recent:
            result, group = self._evaluate(groups) if groups is not None else (None, None)
            if group is None:
                without += 1
                mark = "-"
            elif result is None or result.fires is None:
                mark = "?"
            else:
                answered += 1
                passed += bool(result.fires)
                mark = "●" if result.fires else "○"
            line = Text(f"{mark} {kind} {short_id(conv_id)} ")
            line.append(one_line(title, 40), style="dim")
            options.append(Option(line))
        recent = self.query_one("#recent", OptionList)
        highlighted = recent.highlighted or 0
        recent.set_options(options)
        if options:
            recent.highlighted = min(highlighted, len(options) - 1)
        total = len(self.recent)
        summary = f"Would pass on {passed} of the last {total} conversations"
        notes = []
        if without:
            notes.append(f"{without} without values of this metric")
        if answered + without < total:
            notes.append(f"{total - answered - without} without an answer")
        if notes:
            summary += f" ({'; '.join(notes)})"
        summary += self._recent_today()
        self._put(
            "#recent-summary",
            Text(summary + ". ● passes ○ fails - no values ? no answer; Enter loads one."),
        )

    def _put(self, selector: str, text: Text, display: bool | None = None) -> None:
        """Show `text` in a Static, touching it only when it changed: every update costs a
        layout pass, and the form refreshes on each keystroke."""
        widget = self.query_one(selector, Static)
        key = same_text(text)
        if self._shown.get(selector) != key:
            self._shown[selector] = key
            widget.update(text)
        if display is not None:
            widget.display = display
