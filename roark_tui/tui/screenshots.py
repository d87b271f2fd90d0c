"""Regenerate screenshots/*.svg from the demo: `python -m roark_tui.tui.screenshots [DIR]`.

Each screenshot is taken from the app `roark-tui --demo ...` builds (cli.build_app), with the
clock pinned and a throwaway state dir, so they come out the same on every machine and never
show (or change) the user's own lookups.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot

from roark_tui.config import STATE_DIR_ENV
from roark_tui.core import formatting
from roark_tui.sandbox.demo_ids import (
    BOOKING_CHAT_ID,
    FAILING_CALL_ID,
    FAILING_CHAT_ID,
    REFUND_CHAT_ID,
)

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
DEFAULT_DIR = Path("screenshots")
Steps = Callable[[Pilot[None]], Awaitable[None]]


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_transcript(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("T")
    await settle(pilot)


def threshold_what_if(
    operator: str, value: str, mode: str, count: str = "", *, recent: bool = False
) -> Steps:
    """The threshold wizard on Response Time: ctrl+t and the failing call's id (the what-if
    answers on it), the rule filled in, and with `recent` ctrl+r (the last conversations)."""

    async def steps(pilot: Pilot[None]) -> None:
        from textual.widgets import Input, Select

        await settle(pilot)
        await pilot.press("ctrl+t", *FAILING_CALL_ID, "enter")
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#operator", Select).value = operator
        screen.query_one("#value", Input).value = value
        screen.query_one("#aggregationMode", Select).value = mode
        await settle(pilot)
        if count:
            screen.query_one("#countThreshold", Input).value = count
        if recent:
            await pilot.press("ctrl+r")
        # Focus on a select: an input's cursor would be caught mid-blink.
        screen.query_one("#aggregationMode", Select).focus()
        await settle(pilot)

    return steps


THRESHOLD = ["--demo", "thresholds", "new", "--source", "response_time"]

# name, command line, terminal size, what to do before the picture
SHOTS: tuple[tuple[str, Sequence[str], tuple[int, int], Steps], ...] = (
    ("lookup", ["--demo"], (120, 40), settle),
    ("metrics", ["--demo", "chat", FAILING_CHAT_ID], (120, 40), settle),
    ("metrics-80x24", ["--demo", "chat", FAILING_CHAT_ID], (80, 24), settle),
    ("transcript", ["--demo", "chat", FAILING_CHAT_ID], (120, 40), open_transcript),
    (
        "threshold-wizard",
        THRESHOLD,
        (120, 40),
        threshold_what_if("GREATER_THAN_OR_EQUALS", "1500", "AVERAGE", recent=True),
    ),
    (
        "threshold-wizard-80x24",
        THRESHOLD,
        (80, 24),
        threshold_what_if("GREATER_THAN", "3000", "COUNT", count="2"),
    ),
)


def seed_history() -> None:
    """A few earlier lookups, so the lookup screen shows what it looks like in use."""
    from roark_tui import history

    opened = [
        ("call", FAILING_CALL_ID, "Claim follow-up: adjuster never called", 40),
        ("chat", REFUND_CHAT_ID, "Refund refused for blender damaged in transit", 95),
        ("chat", BOOKING_CHAT_ID, "Terrace table for 4 on Saturday", 300),
    ]
    for kind, conv_id, title, minutes in reversed(opened):
        when = datetime.fromtimestamp(NOW.timestamp() - minutes * 60, UTC)
        history.record(kind, conv_id, when=when, title=title)


async def take(
    name: str, argv: Sequence[str], size: tuple[int, int], steps: Steps, out: Path
) -> Path:
    """One picture, in a state dir of its own (the seeded lookups, no draft of an earlier
    shot's wizard)."""
    from roark_tui.cli import build_app

    with tempfile.TemporaryDirectory(prefix="roark-tui-shots-") as state:
        os.environ[STATE_DIR_ENV] = state
        seed_history()
        app: App[object] = build_app(list(argv))
        async with app.run_test(size=size) as pilot:
            await steps(pilot)
            path = out / f"{name}.svg"
            app.save_screenshot(str(path))
    return path


async def take_all(out: Path) -> list[Path]:
    return [await take(name, argv, size, steps, out) for name, argv, size, steps in SHOTS]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    out = Path(args[0]) if args else DEFAULT_DIR
    out.mkdir(parents=True, exist_ok=True)
    formatting.set_clock(NOW)
    previous = os.environ.get(STATE_DIR_ENV)
    try:
        written = asyncio.run(take_all(out))
    finally:
        if previous is None:
            os.environ.pop(STATE_DIR_ENV, None)
        else:
            os.environ[STATE_DIR_ENV] = previous
        formatting.set_clock(None)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
