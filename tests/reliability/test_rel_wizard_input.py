"""Whatever is typed or left on disk, the wizards keep working.

Random text (control characters, markup, escapes, right-to-left and zero-width characters,
emoji, long lines, number-like strings) is typed into every field of the threshold and
definition wizards of the in-process demo: no crash, the field holds what was typed, the
rules answer with messages, and the draft is saved. A damaged draft file (cut short, not
UTF-8, nested too deep, or JSON of the wrong shape) gives a clear message and a fresh start,
never a crash, and the next keystroke saves a good draft again.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from rel_support import flat, saved_draft, screen_text, settle
from textual.widgets import Input, TextArea

from roark_tui.cli import build_app
from roark_tui.sandbox.hostile import HOSTILE_STRINGS
from roark_tui.state.drafts import DraftStore
from roark_tui.state.store import SET_ASIDE_SUFFIX
from roark_tui.tui.screens.definition_wizard import DefinitionWizardScreen
from roark_tui.tui.screens.threshold_wizard import ThresholdWizardScreen
from roark_tui.tui.widgets.dialogs import ConfirmScreen

TEXTS_PER_FIELD = 3  # counted in the README (Reliability): keep the two in step
THRESHOLD_FIELDS = ("source", "value", "countThreshold", "sourceVariantId", "slug", "name")
DEFINITION_FIELDS = ("name", "slug", "analysisPackageId")
DAMAGE = {
    "truncated": b'{"draft": {"value": "15',
    "deep_nesting": b"[" * 100_000,
    "wrong_types": b'{"draft": {"value": 5, "operator": ["X"], "scale_labels": "no"}, '
    b'"conversation": {"a": 1}, "step": 99}',
}
UNREADABLE = ("truncated", "deep_nesting")  # more kinds of damage: test_rel_corrupt_files


def random_texts(seed: int, count: int) -> list[str]:
    """Text a user may paste: hostile strings, random code points (controls included, no
    surrogates), number-like strings, long runs."""
    rng = random.Random(seed)
    pool = [t[:300] for t in HOSTILE_STRINGS.values()]
    pool += ["-0", "1e999", "nan", "\u0661\u0662", "  12  ", "9" * 40, "{{id:x}}", "a_b_c"]
    texts = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.4:
            texts.append(rng.choice(pool))
        elif roll < 0.8:
            codes = [rng.randrange(0x0, 0x2FFFF) for _ in range(rng.randrange(1, 40))]
            texts.append("".join(chr(c) for c in codes if not 0xD800 <= c <= 0xDFFF))
        else:
            texts.append(rng.choice("ab_9 [") * rng.randrange(50, 400))
    return texts


@pytest_asyncio.fixture
async def demo() -> AsyncIterator[Any]:
    """A demo app (in-process sandbox) of the test's own."""
    app = build_app(["--demo"])
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        yield pilot


async def open_wizard(pilot: Any, kind: type) -> Any:
    pilot.app.open_lookup()
    pilot.app.clear_notifications()
    await settle(pilot)
    if kind is ThresholdWizardScreen:
        pilot.app.open_threshold_wizard()
    else:
        pilot.app.open_definition_wizard()
    await settle(pilot)
    return pilot.app.screen


def shows(app: Any) -> str:
    """The screen's text without whitespace or the glyphs framing toasts and panes, so a
    phrase is found however it wraps."""
    lines = (line.strip(" ▌▐│▏▕▁▔") for line in screen_text(app).splitlines())
    return "".join("".join(lines).split())


def alive(pilot: Any) -> None:
    assert pilot.app.is_running and pilot.app._exception is None


async def type_everywhere(pilot: Any, screen: Any, fields: tuple[str, ...], seed: int) -> int:
    """Random text into each field (pasted, plus a few real key presses); returns how many."""
    typed = 0
    for offset, field in enumerate(fields):
        widget = screen.query_one(f"#{field}", Input)
        widget.focus()
        await pilot.pause()  # focusing selects the text: let it happen before typing
        for text in random_texts(seed + offset, TEXTS_PER_FIELD):
            widget.clear()
            widget.insert_text_at_cursor(text)
            await pilot.press("x")
            await pilot.pause()
            alive(pilot)
            assert pilot.app.screen is screen
            if widget.type == "text":  # number inputs refuse what is not a number, by design
                assert widget.value == text + "x", f"#{field} lost what was typed"
            typed += 1
        widget.clear()
        await pilot.pause()
    await settle(pilot)
    assert isinstance(screen.errors, dict)
    assert all(isinstance(m, str) and m for m in screen.errors.values())
    return typed


async def test_random_text_in_every_threshold_field(demo: Any) -> None:
    screen = await open_wizard(demo, ThresholdWizardScreen)
    assert isinstance(screen, ThresholdWizardScreen)
    typed = await type_everywhere(demo, screen, THRESHOLD_FIELDS, seed=1)
    assert typed == len(THRESHOLD_FIELDS) * TEXTS_PER_FIELD
    screen.query_one("#name", Input).insert_text_at_cursor("kept")
    assert await saved_draft(demo, DraftStore("threshold"), "kept") is not None


async def test_random_text_in_every_definition_field(demo: Any) -> None:
    screen = await open_wizard(demo, DefinitionWizardScreen)
    assert isinstance(screen, DefinitionWizardScreen)
    await demo.press("ctrl+s")  # the highlighted kind (LLM judge): to the basics
    await settle(demo)
    typed = await type_everywhere(demo, screen, DEFINITION_FIELDS, seed=2)
    prompt = screen.query_one("#llmPrompt", TextArea)
    for text in random_texts(3, TEXTS_PER_FIELD):
        prompt.clear()
        prompt.insert(text)
        await demo.pause()
        alive(demo)
        assert prompt.text == text
        typed += 1
    assert typed == (len(DEFINITION_FIELDS) + 1) * TEXTS_PER_FIELD
    assert await saved_draft(demo, DraftStore("definition"), prompt.text) is not None


@pytest.mark.parametrize("how", DAMAGE)
@pytest.mark.parametrize("kind", [ThresholdWizardScreen, DefinitionWizardScreen])
async def test_a_damaged_draft_gives_a_message_and_a_fresh_start(
    demo: Any, kind: type, how: str
) -> None:
    store = DraftStore("threshold" if kind is ThresholdWizardScreen else "definition")
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_bytes(DAMAGE[how])

    screen = await open_wizard(demo, kind)

    alive(demo)
    if isinstance(screen, ConfirmScreen):  # a readable (if odd) draft: offered, then taken
        assert how == "wrong_types"
        await demo.press("y")
        await settle(demo)
        screen = demo.app.screen
    assert isinstance(screen, kind), f"{how}: {flat(screen_text(demo.app))[:300]}"
    if how in UNREADABLE:
        shown = shows(demo.app)
        assert "Thesaveddraftwasdamaged" in shown
        assert list(store.path.parent.glob(store.path.name + SET_ASIDE_SUFFIX + "*"))
    field = "#name" if kind is ThresholdWizardScreen else "#analysisPackageId"
    if kind is DefinitionWizardScreen and screen.step == "kind":
        await demo.press("ctrl+s")
        await settle(demo)
    screen.query_one(field, Input).insert_text_at_cursor("fresh start")
    saved = await saved_draft(demo, store, "fresh start")
    assert saved is not None and store.problem is None, "typing after the damage saved no draft"
    demo.app.open_lookup()
    await settle(demo)
