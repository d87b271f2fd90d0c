"""The footer fits its keys to the width, help first, each key whole (#18 item 3)."""

from __future__ import annotations

from typing import Any

from pilot_support import metrics_app, screen_text, until

from roark_tui.tui.screens.help import HelpScreen
from roark_tui.tui.screens.lookup import LookupScreen
from roark_tui.tui.widgets.footer import KeysFooter


def footer_line(app: Any) -> str:
    return screen_text(app).splitlines()[-1]


def shown(app: Any) -> list[str]:
    """`key description` of each key the footer shows, as on screen."""
    footer = app.screen.query_one(KeysFooter)
    return [f"{shown_as} {description}" for _key, shown_as, description, _on in footer._shown]


def on_screen(app: Any) -> bool:
    """Whether the footer's last line shows the keys it holds (it is drawn after a rebuild)."""
    return "  ".join(shown(app)) in footer_line(app)


async def test_the_footer_drops_whole_keys_keeps_help_and_names_f1_in_a_field(
    sandbox_app: Any,
) -> None:
    app = metrics_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "T Transcript" in shown(app) and on_screen(app), "the keys")
        narrow = shown(app)
        line = footer_line(app)
        assert narrow[0] == "? Help" and line.startswith(" ? Help  ")
        # Each key shown whole and in order (on_screen); the row ends before the palette with
        # room to spare, not in a cut word.
        assert line.split("▏")[0].endswith("  ")
        assert "Quit" not in line  # the app's quit goes first; help lists it

        await pilot.resize_terminal(120, 40)
        more = lambda: len(shown(app)) > len(narrow) and on_screen(app)  # noqa: E731
        await until(pilot, more, "more keys at 120 columns")
        assert shown(app)[: len(narrow)] == narrow  # the same keys first, then more

        # In the lookup's input, ? would be typed: help is f1 there, and / (Find, back to the
        # input) is not offered; in the lists they are ? and / again.
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LookupScreen), "the lookup")
        await until(pilot, lambda: shown(app)[:1] == ["f1 Help"], "f1 in the input")
        assert not any(key.startswith("/ ") for key in shown(app))
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        assert app.screen.title_text == "Open a conversation: keys"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.press("escape")  # to the lists
        await until(pilot, lambda: shown(app)[:1] == ["? Help"], "? in the lists")
        assert "/ Find" in shown(app)


def test_every_screen_has_a_human_name_for_its_help() -> None:
    """#18 item 12: help's title names the screen in words (`New threshold: keys`)."""
    from textual.screen import Screen

    from roark_tui.tui.keymap import tui_nodes
    from roark_tui.tui.screens.help import SCREEN_NAMES

    # The screens the app shows: bases a screen is built from (RoarkScreen, the wizards'
    # mixins) are never on screen themselves.
    shown = [c for c in tui_nodes() if issubclass(c, Screen)]
    screens = {c.__name__ for c in shown if not any(o is not c and issubclass(o, c) for o in shown)}
    assert screens and screens <= SCREEN_NAMES.keys(), screens - SCREEN_NAMES.keys()
