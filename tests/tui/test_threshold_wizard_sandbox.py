"""The threshold wizard end to end against the in-process sandbox, opened the ways a user opens
it: `roark-tui --demo thresholds new ...` and `t` on a metric in `roark-tui --demo chat <id>`.

What-if answers are checked against an oracle computed here from the raw metrics payload, and
what was created is read back from the server (and from the sandbox's own bookkeeping)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from pilot_support import until
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static

from roark_tui.cli import build_app
from roark_tui.sandbox.demo_ids import FAILING_CALL_ID, FAILING_CHAT_ID
from roark_tui.state.drafts import DraftStore
from roark_tui.tui.screens import threshold_wizard
from roark_tui.tui.screens.created import CreatedScreen
from roark_tui.tui.screens.threshold_wizard import ThresholdWizardScreen
from roark_tui.tui.widgets.dialogs import ReviewScreen


async def open_wizard(pilot: Pilot[Any], *, with_conversation: bool) -> ThresholdWizardScreen:
    def ready() -> bool:
        screen = pilot.app.screen
        return (
            isinstance(screen, ThresholdWizardScreen)
            and screen.source_def is not None
            and (screen.groups is not None or not with_conversation)
            and screen.definitions_loaded
        )

    await until(pilot, ready, "the wizard with its source and conversation loaded")
    return pilot.app.screen  # type: ignore[return-value]


def posts(sandbox: Any) -> int:
    state = sandbox.state.sandbox
    return sum(n for (path, _), n in state.post_counts.items() if path.endswith("/thresholds"))


def text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def pick(pilot: Pilot[Any], field: str, value: str, *, keyboard: bool = False) -> None:
    """Choose `value` in the Select #field; with `keyboard`, as a user would (enter opens the
    list, down moves to the option, enter takes it), else directly (same Changed event)."""
    select = pilot.app.screen.query_one(f"#{field}", Select)
    if not keyboard:
        select.value = value
        await pilot.pause()
        return
    values = [v for _, v in select._options]
    select.focus()
    await pilot.press("enter")
    await pilot.pause()
    overlay = select.query_one("SelectOverlay", OptionList)
    for _ in range(len(values)):
        if overlay.highlighted is not None and values[overlay.highlighted] == value:
            break
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert select.value == value, f"could not pick {value!r} in #{field}"


async def type_into(pilot: Pilot[Any], field: str, value: str) -> None:
    """Replace the text of the Input #field: short values key by key, long ones pasted."""
    widget = pilot.app.screen.query_one(f"#{field}", Input)
    widget.focus()
    widget.clear()
    if len(value) <= 4:
        await pilot.press(*value)
    else:
        widget.insert_text_at_cursor(value)
    await pilot.pause()


async def review_and_create(pilot: Pilot[Any]) -> dict[str, Any]:
    """ctrl+s, read the exact body off the review, c; the created screen follows."""
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), "the review")
    shown = text(pilot.app.screen, "#review-body")
    assert "\\u" not in shown  # each character as itself
    body = json.loads(shown)
    await pilot.press("c")
    await until(pilot, lambda: isinstance(pilot.app.screen, CreatedScreen), "the created screen")
    return body


async def conversation_rows(
    service: Any, kind: str, conv_id: str, slug: str
) -> list[dict[str, Any]]:
    """The raw values of one metric on one conversation (status=all), for the oracle."""
    raw = json.loads(await service.get_json(f"/v1/{kind}/{conv_id}/metrics", {"status": "all"}))
    group = next(g for g in raw["data"] if g["slug"] == slug)
    return group["values"]


async def test_the_chat_option_loads_the_conversation(sandboxes):
    app = build_app(
        ["--demo", "thresholds", "new", "--source", "response_time", "--chat", FAILING_CHAT_ID]
    )
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_wizard(pilot, with_conversation=True)
        assert wizard.conversation == ("chat", FAILING_CHAT_ID)
        assert "chat 232a693b…" in text(wizard, "#verdict")


async def test_count_threshold_from_the_command_line(sandboxes):
    app = build_app(["--demo", "thresholds", "new", "--source", "response_time"])
    async with app.run_test(size=(120, 40)) as pilot:
        wizard = await open_wizard(pilot, with_conversation=False)
        # Try it on a pasted id: tried as a chat first, then as a call.
        await pilot.press("ctrl+t")
        assert app.focused is wizard.query_one("#conversation")
        app.focused.insert_text_at_cursor(FAILING_CALL_ID)
        await pilot.press("enter")
        await until(pilot, lambda: wizard.groups is not None, "the pasted call's metrics")
        assert wizard.conversation == ("call", FAILING_CALL_ID)
        assert not wizard.query_one("#count-row").display
        await pick(pilot, "operator", "GREATER_THAN", keyboard=True)
        await type_into(pilot, "value", "2000")
        await pick(pilot, "aggregationMode", "COUNT", keyboard=True)
        assert wizard.query_one("#count-row").display
        await type_into(pilot, "countThreshold", "2")

        # The oracle: per-turn (SEGMENT_RANGE) rows of a successful capture; the CALL row is the
        # conversation's roll-up of the same turns and is not counted again.
        rows = await conversation_rows(app.service, "call", FAILING_CALL_ID, "response_time")
        turns = [
            r["value"] for r in rows if r["captureStatus"] == "SUCCESS" and r["context"] != "CALL"
        ]
        over = sum(1 for v in turns if v > 2000)
        assert turns and wizard.whatif is not None
        assert wizard.whatif.count == over
        assert wizard.whatif.fires is (over >= 2)
        panel = wizard.query_one("#whatif").plain
        assert f"{over} of {len(turns)} values > 2000 ms; needs at least 2." in panel
        assert f"COUNT {over} matching vs countThreshold 2" in panel
        assert text(wizard, "#sentence") == (
            "Passes when at least 2 values of Response Time are > 2000 ms"
        )

        body = await review_and_create(pilot)
        assert body == {
            "operator": "GREATER_THAN",
            "value": "2000",
            "aggregationMode": "COUNT",
            "countThreshold": 2,
            "sourceVariantId": wizard.source_def.variant_id,
            "slug": "response_time_count_gt_2000",
            "name": "Response Time greater than 2000 ms (2+ values)",
        }
        assert posts(sandboxes[0]) == 1
        created = await app.service.get_definition("response_time_count_gt_2000")
        assert created.calculation_type == "THRESHOLD" and created.type == "BOOLEAN"
        assert created.name == body["name"]
        spec = created.threshold
        assert spec is not None and spec.source_metric_definition_id == wizard.source_def.id
        assert (spec.operator, spec.threshold_value) == ("GREATER_THAN", "2000")
        assert (spec.aggregation_mode, spec.count_threshold) == ("COUNT", 2)

        # "o": the definitions browser, with the cursor on the new threshold.
        from roark_tui.tui.screens.definitions import DefinitionsScreen

        await pilot.press("o")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, DefinitionsScreen)
                and not app.screen.fetching
                and app.screen.highlighted() is not None
                and app.screen.highlighted().id == created.id
            ),
            "the definitions browser on the created threshold",
        )
    assert posts(sandboxes[0]) == 1


async def test_t_on_metrics_in_the_tree(sandboxes):
    from roark_tui.tui.screens.metrics import MetricsScreen
    from roark_tui.tui.widgets.dialogs import TuneChoiceScreen

    app = build_app(["--demo", "chat", FAILING_CHAT_ID])
    async with app.run_test(size=(120, 40)) as pilot:
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, MetricsScreen)
                and app.screen.metric_tree.selected is not None
            ),
            "the metrics tree on its first failure",
        )
        metrics = app.screen
        # t on the first failing check (a threshold): tuning it, from its settings, on this chat.
        failing = metrics.metric_tree.selected.row
        await pilot.press("t")
        wizard = await open_wizard(pilot, with_conversation=True)
        assert wizard.tuning is not None and wizard.tuning.key == failing.key
        assert wizard.source_def.id == wizard.tuning.threshold.source_metric_definition_id
        assert wizard.draft.value == wizard.tuning.threshold.threshold_value
        assert wizard.conversation == ("chat", FAILING_CHAT_ID)
        assert "What-if on chat 232a693b…" in wizard.query_one("#whatif").plain
        assert "today fails" in wizard.query_one("#whatif").plain
        await pilot.press("escape")  # nothing typed: back to the tree without a question
        await until(pilot, lambda: app.screen is metrics, "back on the metrics screen")

        # A role on a per-segment source: Agent Verified Caller grades each agent message.
        await pilot.press("slash")
        app.screen.query_one("#filter", Input).insert_text_at_cursor("Agent Verified Caller")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: (
                metrics.metric_tree.selected is not None
                and metrics.metric_tree.selected.row.key == "agent_verified_caller"
            ),
            "Agent Verified Caller selected",
        )
        await pilot.press("t")  # an authored yes/no check: edit it, or a threshold on it
        await until(pilot, lambda: isinstance(app.screen, TuneChoiceScreen), "the choice")
        await pilot.press("t")
        wizard = await open_wizard(pilot, with_conversation=True)
        source = wizard.source_def
        assert source.key == "agent_verified_caller"
        assert "SEGMENT" in source.supported_contexts
        assert wizard.query_one("#role-row").display
        failing = metrics.metric_tree.selected.row

        await pick(pilot, "operator", "EQUALS")
        await pick(pilot, "value", "false")
        await pick(pilot, "sourceParticipantRole", "AGENT", keyboard=True)
        rows = await conversation_rows(app.service, "chat", FAILING_CHAT_ID, failing.key)
        units = [r for r in rows if r["captureStatus"] == "SUCCESS" and r["context"] != "CALL"]
        inputs = units or [r for r in rows if r["captureStatus"] == "SUCCESS"]
        agent = [r for r in inputs if r.get("participantRole") == "agent"]
        assert wizard.whatif is not None
        assert len(wizard.whatif.judged) == len(agent)
        assert wizard.whatif.fires is any(r["value"] is False for r in agent)
        assert "(AGENT only)" in text(wizard, "#sentence")

        body = await review_and_create(pilot)
        assert body["sourceParticipantRole"] == "AGENT"
        created = await app.service.get_definition(body["slug"])
        assert created.threshold.source_participant_role == "AGENT"
        assert created.supported_contexts == source.supported_contexts
        assert posts(sandboxes[0]) == 1


async def test_a_role_on_a_call_only_source_is_refused_here_and_by_the_server(
    sandboxes, monkeypatch
):
    app = build_app(["--demo", "thresholds", "new", "--source", "loop_count"])
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_wizard(pilot, with_conversation=False)
        assert wizard.source_def.supported_contexts == ["CALL"]
        assert not wizard.query_one("#role-row").display
        # A role picked on a per-segment source stays when the source changes to a CALL-only one.
        await type_into(pilot, "source", "agent_verified_caller")
        await until(pilot, lambda: wizard.query_one("#role-row").display, "the role row")
        await pick(pilot, "sourceParticipantRole", "AGENT")
        await type_into(pilot, "source", "loop_count")
        await pick(pilot, "operator", "GREATER_THAN")
        await type_into(pilot, "value", "1")
        assert wizard.query_one("#role-row").display
        error = text(wizard, "#error-sourceParticipantRole")
        assert error == "Only for sources graded per SEGMENT or TURN (this one: CALL)."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ThresholdWizardScreen)
        assert "Not ready: fix Role first." in text(wizard, "#status")
        assert app.focused is wizard.query_one("#sourceParticipantRole")
        assert posts(sandboxes[0]) == 0

        # Forced through (as a client with stale rules would): the server's 400 lands on the
        # same field.
        real = threshold_wizard.rules.validate

        def lenient(draft: Any, source: Any) -> dict[str, str]:
            found = real(draft, source)
            found.pop("sourceParticipantRole", None)
            return found

        monkeypatch.setattr(threshold_wizard.rules, "validate", lenient)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        assert '"sourceParticipantRole": "AGENT"' in text(app.screen, "#review-body")
        await pilot.press("c")
        await until(pilot, lambda: "rejected" in text(wizard, "#status"), "the rejection")
        assert isinstance(app.screen, ThresholdWizardScreen)
        server_says = text(wizard, "#error-sourceParticipantRole")
        assert "TURN or SEGMENT" in server_says and "CALL" in server_says
        assert app.focused is wizard.query_one("#sourceParticipantRole")
        assert wizard.draft.source_participant_role == "AGENT"  # nothing typed is lost
        assert posts(sandboxes[0]) == 1
        definitions = await app.service.all_definitions()
        assert not [d for d in definitions if d.key.startswith("loop_count_each_gt_1")]


def saved_name() -> str | None:
    saved = DraftStore(threshold_wizard.DRAFT_NAME).load() or {}
    return (saved.get("draft") or {}).get("name")


async def test_the_name_follows_the_rule_until_edited_and_is_sent(sandboxes):
    app = build_app(["--demo", "thresholds", "new", "--source", "empathy_score"])
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_wizard(pilot, with_conversation=False)
        name = wizard.query_one("#name", Input)
        assert name.value == "Agent Empathy"
        await pick(pilot, "operator", "GREATER_THAN_OR_EQUALS")
        await type_into(pilot, "value", "3")
        assert name.value == "Agent Empathy at least 3"
        assert not wizard.query_one("#error-name").display

        # Emptied: a live error under the field, the suggestion offered; Enter takes it back.
        name.focus()
        name.clear()
        await pilot.pause()
        assert text(wizard, "#error-name") == (
            "Name the check (1 to 100 characters); Enter takes the suggestion."
        )
        assert name.placeholder == "Enter: Agent Empathy at least 3"
        await pilot.press("enter")
        await pilot.pause()
        assert name.value == "Agent Empathy at least 3"
        assert name.cursor_position == len(name.value)  # more typing goes at the end
        assert not wizard.query_one("#error-name").display
        await type_into(pilot, "value", "4")
        assert name.value == "Agent Empathy at least 4"  # following again

        # Edited: kept as typed while the rule changes, and saved with the draft.
        await type_into(pilot, "name", "Kind enough — mostly")
        await type_into(pilot, "value", "2")
        assert name.value == "Kind enough — mostly"
        assert not wizard.query_one("#error-name").display
        await until(
            pilot, lambda: saved_name() == "Kind enough — mostly", "the name in the saved draft"
        )

        body = await review_and_create(pilot)
        assert body["name"] == "Kind enough — mostly" and body["value"] == "2"
        assert posts(sandboxes[0]) == 1
        created = await app.service.get_definition(body["slug"])
        assert created.name == "Kind enough — mostly"


async def test_a_text_source_is_refused_here_and_by_the_server(sandboxes, monkeypatch):
    app = build_app(["--demo", "thresholds", "new", "--source", "customer_intent"])
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_wizard(pilot, with_conversation=False)
        refusal = (
            "Customer Intent is TEXT: thresholds exist only on "
            "SCALE, NUMERIC, COUNT, BOOLEAN and CLASSIFICATION metrics."
        )
        await until(pilot, lambda: text(wizard, "#error-source") == refusal, "the refusal")
        await pick(pilot, "operator", "EQUALS")
        await type_into(pilot, "value", "refund")
        assert text(wizard, "#error-source") == refusal
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ThresholdWizardScreen)
        assert text(wizard, "#status").startswith("Not ready: fix Source metric")
        assert app.focused is wizard.query_one("#source")
        assert posts(sandboxes[0]) == 0

        # Forced through (a client with stale rules): the server's 400 names the path's source,
        # and lands under the same field with the draft kept.
        real = threshold_wizard.rules.validate

        def lenient(draft: Any, source: Any) -> dict[str, str]:
            found = real(draft, source)
            found.pop("source", None)
            return found

        monkeypatch.setattr(threshold_wizard.rules, "validate", lenient)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        await pilot.press("c")
        await until(pilot, lambda: "rejected" in text(wizard, "#status"), "the rejection")
        assert "thresholds exist only on" in text(wizard, "#error-source")
        assert wizard.draft.value == "refund" and posts(sandboxes[0]) == 1


async def test_from_the_definitions_browser_one_post_and_back_on_the_new_threshold(
    sandboxes, monkeypatch
):
    from roark_tui.tui.screens.definitions import DefinitionsScreen

    app = build_app(["--demo", "definitions"])
    async with app.run_test(size=(80, 24)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, DefinitionsScreen) and not app.screen.fetching,
            "the definitions browser",
        )
        browser = app.screen
        await pilot.press("slash")
        app.focused.insert_text_at_cursor("loop_count")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: browser.highlighted() is not None and browser.highlighted().key == "loop_count",
            "Conversation Loops highlighted",
        )
        await pilot.press("t")
        wizard = await open_wizard(pilot, with_conversation=False)
        assert wizard.source_def.key == "loop_count"
        await pick(pilot, "operator", "GREATER_THAN")
        await type_into(pilot, "value", "3")
        # A slow server: the POST is held until the test lets it go.
        release = asyncio.Event()
        real = app.service.create_threshold

        async def slow(*args: Any, **kwargs: Any) -> Any:
            await release.wait()
            return await real(*args, **kwargs)

        monkeypatch.setattr(app.service, "create_threshold", slow)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        await pilot.press("c")
        await until(pilot, lambda: wizard.creating, "the POST under way")
        for _ in range(2):
            await pilot.press("ctrl+s")
            assert not isinstance(app.screen, ReviewScreen)
            assert text(wizard, "#status") == "Still creating the threshold…"
            await pilot.press("enter")
        release.set()
        await until(pilot, lambda: isinstance(app.screen, CreatedScreen), "the created screen")
        created = wizard.created
        # "o": back in the browser it was opened from (not a second one), on the new threshold.
        depth = len(app.screen_stack)
        await pilot.press("o")
        await until(
            pilot,
            lambda: (
                app.screen is browser
                and browser.highlighted() is not None
                and browser.highlighted().id == created.id
            ),
            "the browser on the new threshold",
        )
        assert len(app.screen_stack) == depth - 2
    assert posts(sandboxes[0]) == 1


async def test_a_class_threshold_from_the_classes_seen_and_one_the_server_refuses(sandboxes):
    """The API lists no classes: the wizard takes a typed label, shows the ones seen on the
    conversation, and a label the server does not know comes back under the value, kept."""
    app = build_app(
        ["--demo", "thresholds", "new", "--source", "escalation_reason", "--chat", FAILING_CHAT_ID]
    )
    async with app.run_test(size=(120, 40)) as pilot:
        wizard = await open_wizard(pilot, with_conversation=True)
        assert isinstance(wizard.query_one("#value"), Input)
        assert text(wizard, "#value-help") == (
            "Classes not listed by the API; seen here: billing_error."
        )
        await pick(pilot, "operator", "EQUALS", keyboard=True)
        await type_into(pilot, "value", "refund_denied")
        await type_into(pilot, "slug", "escalated_for_refunds")
        assert "value" not in wizard.errors
        assert wizard.whatif is not None and wizard.whatif.fires is False
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        await pilot.press("c")
        await until(pilot, lambda: "value" in wizard.server_errors, "the server's answer")
        assert app.screen is wizard and wizard.draft.value == "refund_denied"
        assert "billing_error" in wizard.server_errors["value"]
        await type_into(pilot, "value", "billing_error")
        assert wizard.whatif is not None and wizard.whatif.fires is True
        body = await review_and_create(pilot)
        assert (body["operator"], body["value"]) == ("EQUALS", "billing_error")
        created = await app.service.get_definition("escalated_for_refunds")
        assert (
            created.threshold is not None and created.threshold.threshold_value == "billing_error"
        )
    assert posts(sandboxes[0]) == 2
