"""Killed while a create is in flight: the next start reads back before anything is sent again.

A kill leaves on disk what the draft store held when the POST went out, so each wizard's create
is wrapped to copy the draft file at that moment; the create then completes on the server (as
it does when the process dies after sending). With that copy put back, the wizard opened again
must find the created item by its slug and show it, and send nothing: before, the draft came
back as unfinished and a second create answered 409 on our own threshold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pilot_support import settle, until
from textual.widgets import Input, Select, Static, TextArea

from roark_tui.cli import build_app
from roark_tui.state.drafts import DraftStore
from roark_tui.tui.screens.created import CreatedScreen
from roark_tui.tui.screens.definition_wizard import DefinitionWizardScreen
from roark_tui.tui.screens.threshold_wizard import ThresholdWizardScreen
from roark_tui.tui.widgets.dialogs import ReviewScreen


def posts(sandboxes: list[Any], ending: str) -> int:
    counts = sandboxes[0].state.sandbox.post_counts
    return sum(n for (path, _), n in counts.items() if path.endswith(ending))


def on_disk_when_sent(app: Any, method: str, store: DraftStore) -> list[bytes | None]:
    """Wrap the service's `method`: the draft file as it is when the request goes out."""
    taken: list[bytes | None] = []
    real = getattr(app.service, method)

    async def sending(*args: Any, **kwargs: Any) -> Any:
        taken.append(store.path.read_bytes() if store.path.exists() else None)
        return await real(*args, **kwargs)

    setattr(app.service, method, sending)
    return taken


def put_back(store: DraftStore, taken: list[bytes | None]) -> None:
    assert len(taken) == 1 and taken[0] is not None, "no draft on disk when the POST went out"
    Path(store.path).write_bytes(taken[0])


async def read_back_shown(pilot: Any) -> None:
    await until(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, CreatedScreen)
            and "read back" in str(pilot.app.screen.query_one("#created-note", Static).render())
        ),
        "the created item, read back",
    )


async def test_a_create_cut_off_by_a_kill_is_read_back_not_sent_again(sandboxes):
    app = build_app(["--demo", "thresholds", "new", "--source", "response_time"])
    async with app.run_test(size=(120, 40)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, ThresholdWizardScreen) and app.screen.definitions_loaded,
            "the threshold wizard",
        )
        wizard = app.screen
        wizard.query_one("#operator", Select).value = "GREATER_THAN"
        wizard.query_one("#value", Input).value = "2500"
        await settle(pilot)
        thresholds = DraftStore("threshold")
        taken = on_disk_when_sent(app, "create_threshold", thresholds)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CreatedScreen), "the created screen")
        assert posts(sandboxes, "/thresholds") == 1

        put_back(thresholds, taken)  # the process died here; the server had created it
        await pilot.press("escape")
        await settle(pilot)
        app.open_threshold_wizard(source="response_time")
        await read_back_shown(pilot)
        assert app.screen.created.threshold is not None
        assert posts(sandboxes, "/thresholds") == 1, "the create was sent again"
        assert thresholds.load() is None, "a create read back leaves no draft behind"
        await pilot.press("escape")
        await settle(pilot)

        app.open_definition_wizard()
        await until(
            pilot,
            lambda: isinstance(app.screen, DefinitionWizardScreen) and bool(app.screen.by_id),
            "the definition wizard",
        )
        definer = app.screen
        await pilot.press("ctrl+s")  # the highlighted kind: an LLM judge
        await until(pilot, lambda: definer.step == "basics", "the basics")
        definer.query_one("#name", Input).value = "Caller verified (in flight)"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: definer.step == "details", "the details")
        definer.query_one("#outputType", Select).value = "BOOLEAN"
        definer.query_one("#llmPrompt", TextArea).text = "Did the agent verify the caller?"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: definer.step == "review", "the review")
        definitions = DraftStore("definition")
        taken = on_disk_when_sent(app, "create_definition", definitions)
        before = posts(sandboxes, "/v1/metric/definitions")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CreatedScreen), "the created screen")

        put_back(definitions, taken)
        await pilot.press("escape")
        await settle(pilot)
        app.open_definition_wizard()
        await read_back_shown(pilot)
        assert app.screen.created.name == "Caller verified (in flight)"
        assert posts(sandboxes, "/v1/metric/definitions") == before + 1
        assert definitions.load() is None
