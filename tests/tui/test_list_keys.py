"""j/k move in lists, tables and trees; a list opens on its first row (#18 item 5)."""

from __future__ import annotations

from typing import Any

from pilot_support import metrics_app, until
from textual.widgets import DataTable, Input, OptionList

from roark_tui.tui.screens.lookup import LookupScreen


async def test_j_and_k_move_everywhere_and_lists_open_on_their_first_row(
    sandbox_app: Any,
) -> None:
    app = metrics_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: getattr(app.screen, "loaded", False), "the metrics")
        tree = app.screen.metric_tree  # type: ignore[attr-defined]
        line = tree.cursor_line
        await pilot.press("j")
        assert tree.cursor_line == line + 1
        await pilot.press("k")
        assert tree.cursor_line == line

        # The lookup's input types j; from it, ↓ lands on the first row of a list.
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LookupScreen), "the lookup")
        box = app.screen.query_one("#lookup-input", Input)
        await until(pilot, lambda: app.focused is box, "the input")
        await pilot.press("j", "k")
        assert box.value == "jk"
        latest = app.screen.query_one("#latest-conversations", OptionList)
        await until(pilot, lambda: latest.option_count > 2, "the latest conversations")
        await pilot.press("down")  # to the recent lookups (the chat just seen), highlighted
        recent = app.screen.query_one("#recent-lookups", OptionList)
        await until(pilot, lambda: app.focused is recent and recent.highlighted == 0, "row 1")
        await pilot.press("tab")  # the other list: its first row too
        await until(pilot, lambda: app.focused is latest and latest.highlighted == 0, "row 1")
        await pilot.press("j", "j", "k")
        assert latest.highlighted == 1

        # The threshold wizard's hint: "Enter takes X, ↓ lists N"; ↓ then Enter takes X too,
        # and j picks the next one.
        app.open_threshold_wizard()
        await until(pilot, lambda: getattr(app.screen, "definitions_loaded", False), "wizard")
        screen = app.screen
        matches = screen.query_one("#source-matches", OptionList)
        await pilot.press(*"emp")
        await until(pilot, lambda: matches.option_count > 1, "the matches")
        assert "↓ lists" in str(screen.query_one("#error-source").render())
        first, second = (matches.get_option_at_index(i).id for i in (0, 1))
        await pilot.press("down")
        await until(pilot, lambda: matches.highlighted == 0, "the first match highlighted")
        await pilot.press("j", "enter")
        await until(pilot, lambda: getattr(screen, "source_def", None) is not None, "a pick")
        assert screen.source_def.id == second != first  # type: ignore[attr-defined]

        # Tables too: the definitions browser.
        app.open_definitions()
        await until(pilot, lambda: bool(app.screen.query(DataTable)), "the definitions")
        table = app.screen.query_one(DataTable)
        await until(pilot, lambda: table.row_count > 2, "the definitions' rows")
        table.focus()
        await until(pilot, lambda: app.focused is table, "the table focused")
        row = table.cursor_row
        await pilot.press("j")
        assert table.cursor_row == row + 1
