"""The metrics screen against the in-process sandbox: opens on the first failure with its
reasoning and segment, builds children on expand, and every key does what it says.

Long because each of the screen's keys has its test here, on one shared sandbox fixture.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pilot_support import metrics_app as make_app
from pilot_support import rendered, screen_text, settle, until
from textual.widgets import Input, OptionList

from roark_tui.api.models import MetricGroup
from roark_tui.core.metric_tree import Status, build_rows
from roark_tui.sandbox import Fault
from roark_tui.sandbox.demo_ids import (
    FAILING_CALL_ID,
    FAILING_CHAT_ID,
    HOSTILE_CHAT_ID,
    RESCHEDULE_CHAT_ID,
)
from roark_tui.tui.app import RoarkApp
from roark_tui.tui.screens import metrics as metrics_module
from roark_tui.tui.screens.metrics import MetricsScreen
from roark_tui.tui.screens.transcript import TranscriptScreen
from roark_tui.tui.widgets.metric_tree import CHUNK
from roark_tui.tui.widgets.rendered_pane import RenderedPane


def pane_text(screen: MetricsScreen, pane_id: str) -> str:
    return rendered(screen.query_one(pane_id, RenderedPane).content)


def metrics_screen(app: RoarkApp) -> MetricsScreen:
    screen = app.screen
    assert isinstance(screen, MetricsScreen), app.screen_stack
    return screen


async def test_opens_on_the_first_failing_check_with_reasoning_and_segment(
    sandbox_app: Any,
) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = metrics_screen(app)
        ref = screen.metric_tree.selected
        assert ref is not None and ref.value is not None
        assert ref.value.status is Status.FAIL
        assert ref.row.check
        assert app.focused is screen.metric_tree
        detail = pane_text(screen, "#detail")
        assert ref.row.name in detail
        assert ref.value.value.value_reasoning
        assert ref.value.value.value_reasoning.split()[0] in detail
        assert "Reasoning" in detail
        assert "check failed" in detail and "✔" not in detail
        segment = pane_text(screen, "#segment")
        assert "This value is about the whole conversation" not in segment
        assert "Select a value" not in segment
        # Its evidence is one line: shown as that line, not as a from → to range.
        evidence = ref.value.value.evidence_spans[0].from_segment
        assert evidence is not None and evidence.text.split()[0] in segment
        assert "→" not in segment.splitlines()[0] and "from " not in segment

        # Children exist only under the metric that was opened for the first failure.
        tree = screen.metric_tree
        groups = tree.root.children
        assert [node for node in groups if node.is_expanded] == [tree.cursor_node.parent]
        assert all(not node.children for node in groups if not node.is_expanded)
        many = next(n for n in groups if n.data and len(n.data.row.group.values) > 1)
        tree.move_cursor(many)
        await pilot.press("enter")
        assert len(many.children) == len(many.data.row.group.values)

        # A metric with more values than a chunk: a chunk, then a "more" node for the rest.
        values = [{"captureStatus": "SUCCESS", "context": "CALL", "value": i} for i in range(450)]
        group = MetricGroup.model_validate(
            {"metricDefinitionId": "m1", "slug": "many", "name": "Many", "values": values}
        )
        tree.show_rows(build_rows([group]), flat=False)
        node = tree.root.children[0]
        tree.expand_node(node)
        assert len(node.children) == CHUNK + 1
        more = node.children[-1]
        assert more.data is not None and more.data.is_more
        tree.move_cursor(more)
        await pilot.press("enter")
        assert len(node.children) == 2 * CHUNK + 1
        assert tree.selected is not None and tree.selected.value is not None
        assert tree.selected.value.index == CHUNK


def marks(screen: MetricsScreen) -> dict[str, str]:
    """Each metric's mark in the tree, by slug."""
    return {
        node.data.row.key: str(node.label)[0]
        for node in screen.metric_tree.root.children
        if node.data is not None
    }


async def test_an_authored_yes_no_check_fails_and_a_provider_boolean_stays_plain(
    sandbox_app: Any,
) -> None:
    """The reschedule chat's only failing check is `booking_read_back`, a yes/no LLM judge the
    project wrote: it opens there. Roark's own yes/no readings beside it carry no ✔ or ✘."""
    app = make_app(sandbox_app, conv_id=RESCHEDULE_CHAT_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = metrics_screen(app)
        ref = screen.metric_tree.selected
        assert ref is not None and ref.row.key == "booking_read_back"
        assert ref.value is not None and ref.value.status is Status.FAIL
        shown = marks(screen)
        assert shown["booking_read_back"] == "✘" and shown["agent_verified_caller"] == "✔"
        assert shown["comprehension_failure"] == shown["instruction_follow"] == "·"
        assert shown["instruction_follow_check"] == "✔"  # a threshold
        assert list(shown.values()).count("✘") == 1 and "?" not in shown.values()
        assert screen.metric_tree.border_title.endswith("1 failing · 2 n/a")
        # the panes follow the cursor a moment later (a timer): wait for what they say
        await until(pilot, lambda: "check failed" in pane_text(screen, "#detail"), workers=False)
        reading = next(
            n for n in screen.metric_tree.root.children if n.data.row.key == "comprehension_failure"
        )
        screen.metric_tree.move_cursor(reading)
        said = "a reading, not a check: no pass or fail"
        await until(pilot, lambda: said in pane_text(screen, "#detail"), workers=False, poll=0.02)


async def test_without_definitions_yes_no_metrics_are_unknown_not_guessed(
    sandbox_app: Any,
) -> None:
    """Definitions that cannot be listed leave every yes/no metric `?`: neither passed nor
    failed, counted as unknown in the header, explained in the detail pane and a note."""
    sandbox_app.state.sandbox.faults.add(
        Fault("status", status=403, path="/v1/metric/definitions", method="GET")
    )
    app = make_app(sandbox_app, conv_id=RESCHEDULE_CHAT_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = metrics_screen(app)
        shown = marks(screen)
        assert shown["booking_read_back"] == shown["instruction_follow_check"] == "?"
        assert shown["customer_intent"] == "·"  # TEXT: never a check, definition or not
        assert "✘" not in shown.values() and "✔" not in shown.values()
        assert (
            "unknown" in screen.metric_tree.border_title
            and "failing" not in screen.metric_tree.border_title
        )
        notes = [n.message for n in app._notifications]
        assert any("Could not list metric definitions" in n for n in notes)
        node = next(
            n for n in screen.metric_tree.root.children if n.data.row.key == "booking_read_back"
        )
        screen.metric_tree.move_cursor(node)
        said = "unknown: definition not found"
        await until(pilot, lambda: said in pane_text(screen, "#detail"), workers=False, poll=0.02)


async def test_order_all_statuses_and_flat(sandbox_app: Any) -> None:
    state = sandbox_app.state.sandbox
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = metrics_screen(app)
        tree = screen.metric_tree
        assert tree.border_subtitle.startswith("failures first")
        await pilot.press("s")
        assert screen.order == "name"
        names = [n.data.row.name.casefold() for n in tree.root.children if n.data]
        assert names == sorted(names)
        await pilot.press("s", "s")
        assert screen.order == "failures"

        all_rows = sum(len(g.values) for g in screen.groups or [])
        before = len(state.request_log)
        await pilot.press("a")
        await settle(pilot)
        assert not screen.show_all
        assert len(state.request_log) > before
        ok_rows = sum(len(g.values) for g in screen.groups or [])
        assert ok_rows < all_rows
        assert all(
            (v.capture_status or "SUCCESS") == "SUCCESS"
            for g in screen.groups or []
            for v in g.values
        )
        await pilot.press("a")
        await settle(pilot)
        assert sum(len(g.values) for g in screen.groups or []) == all_rows

        other = tree.root.children[3]
        other.expand()
        assert other.data is not None
        opened = other.data.metric
        await pilot.press("f")
        assert screen.flat
        leaves = [n for n in tree.root.children if n.data and not n.data.is_more]
        assert all(n.data.value is not None for n in leaves)
        assert len(leaves) == all_rows
        ref = tree.selected
        assert ref is not None and ref.value is not None and ref.value.status is Status.FAIL
        await pilot.press("f")
        assert not screen.flat
        # Back to the grouped tree: the metrics open before are open again, the cursor on the
        # value it was on in the flat list.
        back = tree.selected
        assert back is not None and back.value_key == ref.value_key
        assert {back.metric, opened} <= tree.place().expanded


async def test_filter_narrows_and_escape_clears(sandbox_app: Any) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = metrics_screen(app)
        everything = len(screen.metric_tree.root.children)
        await pilot.press("slash")
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        await pilot.press(*"refund", "enter")
        assert screen.filter_text == "refund"
        kept = screen.metric_tree.root.children
        assert 0 < len(kept) < everything
        assert app.focused is screen.metric_tree
        await pilot.press("slash")
        await pilot.press("z", "q", "enter")
        assert not screen.metric_tree.root.children
        assert "nothing matches" in rendered(screen.query_one("#metrics-status").content)
        await pilot.press("escape")
        assert screen.filter_text == ""
        assert len(screen.metric_tree.root.children) == everything
        assert isinstance(app.screen, MetricsScreen)  # esc cleared, did not leave
        assert screen.query_one("#filter").display is False


async def test_z_zooms_and_the_cursor_stays_in_view_when_the_tree_is_made_smaller(
    sandbox_app: Any,
) -> None:
    """z gives the focused pane the screen and z or esc gives it back. A resize, an un-zoom
    and the filter shown all shrink the tree: its cursor row (the one the detail pane
    describes) stays on screen without another key."""
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = metrics_screen(app)
        tree = screen.metric_tree

        def cursor_in_view() -> bool:
            top = tree.scroll_offset.y
            return top <= tree.cursor_line < top + tree.scrollable_content_region.height

        async def shown_after(what: str) -> None:
            await until(pilot, cursor_in_view, f"the cursor in view after {what}", timeout=5)
            ref = tree.selected
            assert ref is not None and ref.row.name in screen_text(app)
            await until(pilot, lambda: ref.row.name in pane_text(screen, "#detail"))

        await pilot.press("end")  # the last row: below the fold once the tree is smaller
        await shown_after("moving")
        await pilot.resize_terminal(80, 24)
        small = 12  # rows: the tree's height at 80x24, about half the screen
        await until(pilot, lambda: tree.scrollable_content_region.height < small, "the layout")
        await shown_after("the resize to 80x24")

        shown = tree.scrollable_content_region.height
        await pilot.press("z")
        assert screen.maximized is tree
        assert tree.scrollable_content_region.height > 2 * shown
        await pilot.press("escape")
        assert screen.maximized is None and app.screen is screen  # un-zoomed, did not leave
        await pilot.press("tab", "z")
        assert screen.maximized is screen.query_one("#detail")
        await pilot.press("z", "shift+tab")
        assert screen.maximized is None and app.focused is tree

        await pilot.press("z", "home", *["down"] * 8)
        await shown_after("moving in the zoomed tree")
        await pilot.press("z")
        await shown_after("un-zooming")
        await pilot.press("slash")
        await shown_after("the filter appearing above the tree")


async def test_keys_typed_right_after_slash_go_into_the_filter(sandbox_app: Any) -> None:
    """Over a slow link `/refund` arrives in one burst: none of it may reach the tree (where
    r would refresh, f go flat and d open the definitions)."""
    from textual import events

    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = metrics_screen(app)
        requests = len(sandbox_app.state.sandbox.request_log)
        for key, char in [("slash", "/"), *((c, c) for c in "refund")]:
            app.post_message(events.Key(key, char))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and not screen.flat
        assert screen.filter_text == "refund"
        assert len(sandbox_app.state.sandbox.request_log) == requests


async def test_transcript_marks_the_segment_and_scrolls_to_it(sandbox_app: Any) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TranscriptScreen)
        assert screen.marked
        options = screen.query_one("#transcript", OptionList)
        assert options.id == "transcript"
        assert options.highlighted == screen.marked[0]
        assert options.scroll_y > 0 or screen.marked[0] < 3
        assert screen.focus_on is not None and screen.focus_on.spans
        await pilot.press("escape")
        assert isinstance(app.screen, MetricsScreen)


async def test_transcript_of_a_call_range(sandbox_app: Any) -> None:
    app = make_app(sandbox_app, "call", FAILING_CALL_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = metrics_screen(app)
        tree = screen.metric_tree
        # A value with a from → to range, wherever it is.
        for node in list(tree.root.children):
            tree.expand_node(node)
        ranged = next(
            child
            for node in tree.root.children
            for child in node.children
            if child.data and child.data.value and child.data.value.value.from_segment
        )
        tree.move_cursor(ranged)
        await pilot.pause()
        await pilot.press("T")
        await settle(pilot)
        transcript = app.screen
        assert isinstance(transcript, TranscriptScreen)
        value = ranged.data.value.value
        entries = transcript.transcript.entries
        first, last = transcript.marked[0], transcript.marked[-1]
        assert entries[first].start_offset_ms == value.from_segment.start_offset_ms
        assert transcript.marked == list(range(first, last + 1))


async def test_api_text_is_shown_literally(sandbox_app: Any) -> None:
    app = make_app(sandbox_app, "chat", HOSTILE_CHAT_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = metrics_screen(app)
        tree = screen.metric_tree
        for node in list(tree.root.children):
            tree.expand_node(node)
        texts = []
        for node in tree.root.children:
            for child in [node, *node.children]:
                tree.move_cursor(child)
                screen._show_selected()
                texts.append(pane_text(screen, "#detail") + pane_text(screen, "#segment"))
        everything = "\n".join(texts) + rendered(screen.query_one("#conversation-header").content)
        assert "\x1b" not in everything
        assert "\x07" not in everything
        assert "[" in everything  # markup in the data stays visible as text


async def test_refresh_keeps_the_place(sandbox_app: Any) -> None:
    state = sandbox_app.state.sandbox
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = metrics_screen(app)
        await pilot.press("down", "down", "down")
        before = screen.metric_tree.selected
        assert before is not None
        requests = len(state.request_log)
        await pilot.press("r")
        await settle(pilot)
        assert len(state.request_log) > requests
        after = screen.metric_tree.selected
        assert after is not None
        assert (after.metric, after.value_key) == (before.metric, before.value_key)
        notes = [n.message for n in app._notifications]
        assert notes.count(f"Reloaded: {len(screen.groups)} metrics") == 1  # r says it worked


async def test_watch_merges_arriving_metrics_and_keeps_the_place() -> None:
    """The computing demo chat on a fake clock: the header says more may come and offers w;
    each wait between polls moves the sandbox's clock 3 s on (its metrics arrive every 4 s
    until 16 s), rows arrive, the node the user moved to stays selected, and once checks are
    in the header stops saying so."""
    import asyncio

    from roark_tui.sandbox import SandboxConfig, create_app
    from roark_tui.sandbox.demo_ids import COMPUTING_CHAT_ID
    from roark_tui.tui.watch import ExpectPrompt

    now = [0.0]
    sandbox = create_app(SandboxConfig(clock=lambda: now[0]))

    async def fast_sleep(seconds: float) -> None:
        now[0] += 3.0
        await asyncio.sleep(0)

    app = make_app(sandbox, "chat", COMPUTING_CHAT_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = metrics_screen(app)
        assert len(screen.groups or []) == 3
        await until(pilot, lambda: bool(screen.definitions), "the definitions in")
        header = screen_text(app).splitlines()[1]
        assert "No checks yet, 3 metrics in: more may be computing" in header
        assert header.rstrip().endswith("· w watch for more")
        await pilot.press("down")
        assert screen.moved
        before = screen.metric_tree.selected
        assert before is not None
        screen.watcher.sleep = fast_sleep
        now[0] = 3.9
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ExpectPrompt)
        await pilot.press("enter")
        await until(
            pilot, lambda: not screen.watcher.watching, "the watch ended", workers=False, poll=0.05
        )
        await settle(pilot)
        assert len(screen.groups or []) == 20
        assert len(screen.metric_tree.root.children) == 20
        after = screen.metric_tree.selected
        assert after is not None and (after.metric, after.value_key) == (
            before.metric,
            before.value_key,
        )
        labels = [str(node.label) for node in screen.metric_tree.root.children]
        assert any("● new" in label for label in labels)
        assert "settled" in screen.watcher.status()
        assert "may be computing" not in screen_text(app)
        await pilot.press("w")  # a second watch asks again, prefilled
        await pilot.pause()
        assert isinstance(app.screen, ExpectPrompt)
        await pilot.press("escape")
        assert not screen.watcher.watching


async def test_node_keys_copy_page_and_open(
    sandbox_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """y and c copy (and say what), o pages the full text, t and d open the wizards with
    the selected metric and this conversation, esc goes back to the lookup."""
    from roark_tui.tui.screens.lookup import LookupScreen

    paged: list[str] = []
    monkeypatch.setattr(metrics_module, "open_in_pager", lambda app, text: paged.append(text))
    app = make_app(sandbox_app)
    opened: list[tuple[str, Any]] = []
    app.open_threshold_wizard = lambda source=None, conversation=None, tuning=None: opened.append(  # type: ignore[method-assign]
        ("threshold", (source, conversation, tuning and tuning.key))
    )
    app.open_definitions = lambda: opened.append(("definitions", None))  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = metrics_screen(app)
        ref = screen.metric_tree.selected
        assert ref is not None and ref.value is not None
        await pilot.press("y")
        assert json.loads(app.clipboard) == ref.value.value.to_api()
        await pilot.press("c")
        segment = ref.value.value.segment
        expected = segment.id if segment and segment.id else ref.row.group.metric_definition_id
        assert app.clipboard == expected
        notes = [n.message for n in app._notifications]
        assert any("clipboard (OSC 52)" in note and ref.row.name in note for note in notes)

        await pilot.press("o")
        reasoning = ref.value.value.value_reasoning or ""
        assert len(paged) == 1
        assert " ".join(reasoning.split()[:5]) in " ".join(paged[0].split())
        assert 100 < max(len(line) for line in paged[0].splitlines()) <= 120  # the terminal width

        # On a metric node: the metric with all its values, and its definition id; collapsed,
        # it still says why it failed, in the pane and in the pager.
        screen.metric_tree.move_cursor(screen.metric_tree.cursor_node.parent)
        await pilot.press("left")
        assert not screen.metric_tree.cursor_node.is_expanded
        words = " ".join(reasoning.split()[:5])
        await until(pilot, lambda: "Why it failed" in pane_text(screen, "#detail"))
        assert words in " ".join(pane_text(screen, "#detail").split())
        await pilot.press("o")
        assert len(paged) == 2 and "Why it failed" in paged[1]
        assert words in " ".join(paged[1].split())
        await pilot.press("y")
        assert json.loads(app.clipboard)["values"] == [v.to_api() for v in ref.row.group.values]
        await pilot.press("c")
        assert app.clipboard == ref.row.group.metric_definition_id

        await pilot.press("t", "d")
        # t on a threshold check tunes it: a new threshold from it, on its source
        check = screen.definition_of(ref.row.group)
        assert check is not None and check.threshold is not None
        source = next(
            d for d in screen.definitions if d.id == check.threshold.source_metric_definition_id
        )
        assert opened == [
            ("threshold", (source.key, ("chat", FAILING_CHAT_ID), ref.row.group.slug)),
            ("definitions", None),
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LookupScreen)


async def test_help_and_palette_come_from_the_live_keys(sandbox_app: Any) -> None:
    from textual.command import CommandList, CommandPalette

    from roark_tui.tui.commands import screen_bindings
    from roark_tui.tui.screens.help import HelpScreen

    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = metrics_screen(app)
        actions = {active.binding.action for active in screen_bindings(screen)}
        assert {"copy_id", "copy_json", "transcript", "cycle_order", "toggle_all"} <= actions
        assert {"toggle_flat", "filter", "refresh", "pager", "watch", "threshold"} <= actions

        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = rendered(app.screen.query_one("#help-keys").content)
        for word in ("Transcript", "Copy JSON", "Copy id", "Filter", "Watch", "Threshold"):
            assert word in keys
        assert "Other kind" not in keys  # only offered when the id was not found
        await pilot.press("escape")
        assert app.screen is screen

        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        palette = app.screen
        palette.query_one(Input).value = "Copy id"

        def found() -> bool:  # until the search has answered: before, the list is discovery's
            hits = palette.query_one(CommandList)
            first = hits.get_option_at_index(0).prompt if hits.option_count else ""
            return hits.option_count == 1 and "Copy id" in str(first)

        await until(pilot, found, "Copy id alone in the palette", workers=False, poll=0.02)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        ref = screen.metric_tree.selected
        assert ref is not None and ref.value is not None
        segment = ref.value.value.segment
        expected = segment.id if segment and segment.id else ref.row.group.metric_definition_id
        assert app.clipboard == expected
