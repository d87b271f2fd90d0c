"""The app shell: what a user's command line builds, what importing it costs, the start
screens, the service built once, help on the lookup screen, and palette entries."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from pilot_support import sandbox_service, screen_text, settle, until

from roark_tui.api.service import RoarkService
from roark_tui.cli import build_app
from roark_tui.sandbox.demo_ids import FAILING_CHAT_ID
from roark_tui.tui.app import RoarkApp
from roark_tui.tui.screens.lookup import LookupScreen
from roark_tui.tui.screens.metrics import MetricsScreen

LAZY = (
    "httpx",
    "roark_tui.sandbox.app",
    "roark_tui.api.service",
    "roark_tui.api.models",
    "pydantic",
    "roark_tui.tui.screens.metrics",
    "roark_tui.tui.screens.definitions",
    "roark_tui.tui.screens.threshold_wizard",
)


def test_importing_the_app_loads_only_what_the_lookup_needs() -> None:
    code = "import json, sys; import roark_tui.tui.app; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    loaded = set(json.loads(out))
    assert "roark_tui.tui.screens.lookup" in loaded
    assert not loaded & set(LAZY)


async def test_demo_chat_opens_on_the_failing_check_with_no_keystroke() -> None:
    app = build_app(["--demo", "chat", FAILING_CHAT_ID])
    assert isinstance(app, RoarkApp)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        ref = screen.metric_tree.selected
        assert ref is not None and ref.value is not None
        assert ref.value.value.value_reasoning
        detail = screen.query_one("#detail")
        assert detail.region.height > 5 and detail.display
        # The tree, the detail and the segment pane are all on the 80x24 screen.
        for pane in ("#metric-tree", "#detail", "#segment"):
            region = screen.query_one(pane).region
            assert region.width > 20 and region.height >= 5, (pane, region)
            assert region.right <= 80 and region.bottom <= 24
        # The footer cannot show every key at 80 columns; it shows the one that lists them.
        assert "? Help" in screen_text(app).splitlines()[-1]


async def test_plain_command_opens_the_lookup() -> None:
    app = build_app(["--demo"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        assert len(app.screen_stack) == 1
        await pilot.press("f1")  # `?` would be typed into the input
        from roark_tui.tui.screens.help import HelpScreen

        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")


async def test_the_service_is_built_once_and_not_before_the_app_runs(sandbox_app: Any) -> None:
    built: list[RoarkService] = []

    def factory() -> RoarkService:
        built.append(sandbox_service(sandbox_app))
        return built[-1]

    app = RoarkApp(factory)
    assert built == []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_conversation("chat", FAILING_CHAT_ID)
        await settle(pilot)
        assert len(built) == 1


@pytest.mark.parametrize(
    ("start", "screen_name"),
    [
        (("definitions", ""), "DefinitionsScreen"),
        (("threshold-wizard", ""), "ThresholdWizardScreen"),
    ],
)
async def test_start_screens(sandbox_app: Any, start: tuple[str, str], screen_name: str) -> None:
    app = RoarkApp(lambda: sandbox_service(sandbox_app), start=start)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ == screen_name, screen_name)
        assert isinstance(app.screen_stack[0], LookupScreen)


def test_an_unknown_start_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown start screen"):
        RoarkApp(lambda: None, start=("nonsense", ""))  # type: ignore[arg-type,return-value]


async def test_palette_offers_app_commands_and_screen_keys(sandbox_app: Any) -> None:
    from roark_tui.tui.commands import BindingCommands

    app = build_app(["--demo"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Metric definitions", "New metric definition", "New threshold"} <= set(titles)
        provider = BindingCommands(app.screen)
        lookup_titles = [title for title, _help, _active in provider._commands()]
        assert any(title.startswith("Chat/call") for title in lookup_titles)


async def test_no_color_keeps_the_status_marks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = build_app(["--demo", "chat", FAILING_CHAT_ID])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color
        tree = app.screen.metric_tree
        labels = [str(node.label) for node in tree.root.children]
        assert labels[0].startswith("✘")  # the failure reads without colour


def saved_notices(app: Any) -> int:
    return sum(1 for n in app._notifications if str(n.message).startswith("Saved to"))


async def test_the_theme_is_kept_and_a_screenshot_says_where_it_went(
    sandbox_app: Any, isolated_dirs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from roark_tui.state import theme

    theme.save("nord")
    monkeypatch.setenv("HOME", str(isolated_dirs / "home-without-downloads"))
    app = RoarkApp(lambda: sandbox_service(sandbox_app))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"  # the choice of the last run
        app.theme = "gruvbox"
        await until(pilot, lambda: theme.load() == "gruvbox", "the theme kept for the next start")

        app.deliver_screenshot()  # what the palette's Screenshot calls
        shots_dir = isolated_dirs / "state" / "screenshots"
        await until(pilot, lambda: saved_notices(app) == 1, "the screenshot's notice")
        shots = list(shots_dir.glob("*.svg"))
        assert len(shots) == 1 and shots[0].read_text().startswith("<svg")
        said = [n.message for n in app._notifications]
        assert f"Saved to {shots[0]}" in said

        # A state dir that cannot be written: the working directory, named all the same.
        blocked = isolated_dirs / "blocked"
        blocked.write_text("a file where the state dir should be")
        monkeypatch.setenv("ROARK_TUI_STATE_DIR", str(blocked))
        monkeypatch.chdir(isolated_dirs)
        app.deliver_screenshot("here.svg")
        await until(pilot, lambda: saved_notices(app) == 2, "the second screenshot's notice")
        assert (isolated_dirs / "here.svg").exists()
        assert f"Saved to {isolated_dirs / 'here.svg'}" in [n.message for n in app._notifications]
