"""The app in a real pseudo-terminal, for test_key_bursts.py (run as a script, not collected).

The keys come from the terminal, as a user's do: the test writes them to the pty. This process
only takes orders on a pipe (open a text field, tell its value, quit) and answers on another,
one JSON line each, so the test can tell what the keys did without reading the screen.

    python burst_child.py ORDERS_FD ANSWERS_FD
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

from pilot_support import make_app
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input, TextArea

from roark_tui.sandbox import create_app
from roark_tui.tui.app import RoarkApp


def definition_prompt(app: RoarkApp) -> None:
    """The judge's prompt (a TextArea) on the details step of a new LLM judge."""
    app.screen.query_one("#steps", ContentSwitcher).current = "step-details"


# field: (what opens its screen, the field's id, what shows the field once the screen is up)
FIELDS: dict[str, tuple[Callable[[RoarkApp], None], str, Callable[[RoarkApp], None] | None]] = {
    "lookup": (lambda app: app.open_lookup(), "lookup-input", None),
    "browser": (
        lambda app: app.open_browser("chat"),
        "browser-prompt",
        lambda app: app.screen.action_prompt("search"),  # type: ignore[attr-defined]
    ),
    "definitions": (lambda app: app.open_definitions(), "definitions-filter", None),
    "definition-name": (lambda app: app.open_definition_wizard(), "name", None),
    "definition-prompt": (lambda app: None, "llmPrompt", definition_prompt),
    "threshold-source": (lambda app: app.open_threshold_wizard(), "source", None),
    "threshold-name": (lambda app: None, "name", None),
}


def text_of(widget: Widget | None) -> str | None:
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    return None


def main() -> None:
    orders = os.fdopen(int(sys.argv[1]), "r")
    answers = os.fdopen(int(sys.argv[2]), "w")
    app = make_app(create_app())

    def answer(**reply: Any) -> None:
        answers.write(json.dumps(reply) + "\n")
        answers.flush()

    def open_field(name: str) -> None:
        opener, _field_id, _show = FIELDS[name]
        opener(app)

    def show_field(name: str) -> bool:
        """Focus the field once its screen is up and it is mounted; empty it."""
        _opener, field_id, show = FIELDS[name]
        found = app.screen.query(f"#{field_id}")
        if not found:
            return False
        if show is not None:
            show(app)
        field = found.first()
        field.focus()
        if isinstance(field, Input):
            field.value = ""
        elif isinstance(field, TextArea):
            field.text = ""
        return True

    async def state() -> dict[str, Any]:
        """The focused field's text once it and its screen have handled what they were sent
        (a late `Changed` may still rewrite a field)."""
        for pump in (app.focused, app.screen, app.focused):
            if pump is not None:
                done = asyncio.Event()
                pump.call_later(done.set)
                await done.wait()
        focused = app.focused
        return {"focused": focused.id if focused else None, "text": text_of(focused)}

    def serve() -> None:
        answer(ready=True)
        for line in orders:
            word, _, argument = line.strip().partition(" ")
            if word == "open":
                app.call_from_thread(open_field, argument)
                answer(opened=argument)
            elif word == "show":
                answer(shown=app.call_from_thread(show_field, argument))
            elif word == "state":
                answer(**app.call_from_thread(state))
            elif word == "quit":
                break
        app.call_from_thread(app.exit)

    def start_serving() -> None:
        threading.Thread(target=serve, daemon=True).start()

    app.call_later(start_serving)
    app.run()


if __name__ == "__main__":
    main()
