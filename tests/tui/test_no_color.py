"""NO_COLOR keeps the marks readable: a failing check's ✘ (drawn red) must not turn into a grey
lost on its dark panel, while greys (borders, muted text) stay as Textual makes them."""

from __future__ import annotations

from typing import Any

import pytest
from pilot_support import make_app, settle
from rich.style import Style
from textual.color import Color
from textual.filter import monochrome_style

from roark_tui.sandbox.demo_ids import FAILING_CHAT_ID
from roark_tui.tui.monochrome import MIN_CONTRAST, ReadableMonochrome, readable_style

PANEL = Color.parse("#1e1e1e")


def contrast(style: Style, background: Color) -> float:
    assert style.color is not None and style.color.triplet is not None
    back = style.bgcolor.triplet if style.bgcolor is not None else None
    under = Color(*back) if back is not None else background
    return abs(Color(*style.color.triplet).brightness - under.brightness)


def test_a_colour_that_meant_something_stays_readable() -> None:
    red = readable_style(Style(color="#f4005f", bold=True), PANEL)
    assert red.bold and contrast(red, PANEL) >= MIN_CONTRAST
    assert red.color is not None and red.color.triplet is not None
    assert len(set(red.color.triplet)) == 1  # a grey: no colour is left


def test_greys_stay_as_textual_makes_them() -> None:
    quiet = Style(color="#242f38", bgcolor="#1e1e1e")  # an unfocused border
    assert readable_style(quiet, PANEL) == monochrome_style(quiet)


async def test_the_failing_mark_is_readable_without_colour(
    sandbox_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(sandbox_app, ("chat", FAILING_CHAT_ID))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert any(isinstance(f, ReadableMonochrome) for f in app.get_line_filters())
        marks = [
            segment
            for strip in app.screen._compositor.render_strips()
            for segment in strip
            if segment.text.strip() == "✘" and segment.style is not None
        ]
        assert marks, "no failing mark on screen"
        for mark in marks:
            assert contrast(mark.style, PANEL) >= MIN_CONTRAST


async def test_the_focused_form_field_is_marked_without_colour(
    sandbox_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wizard's focused field is told by a bar at its left edge and its label reversed, not
    by a background shade that NO_COLOR greys away; moving the focus moves both."""
    from roark_tui.tui.screens.threshold_wizard import ThresholdWizardScreen

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(sandbox_app, ("definitions", ""))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_threshold_wizard(source="response_time")
        await settle(pilot)
        wizard = app.screen
        assert isinstance(wizard, ThresholdWizardScreen)
        lines = {}
        for field in ("value", "slug"):
            wizard.query_one(f"#{field}").focus()
            await settle(pilot)
            strips = app.screen._compositor.render_strips()
            for row in ("Value", "Slug"):
                y = wizard.query_one(f"#{row.lower()}").region.y
                segments = list(strips[y])
                label = next(s for s in segments if s.text.strip() == row)
                bar = any(s.text == "█" for s in segments)  # the thick left edge
                lines[field, row] = (bool(label.style and label.style.reverse), bar)
        assert lines["value", "Value"] == (True, True)
        assert lines["value", "Slug"] == (False, False)
        assert lines["slug", "Slug"] == (True, True)
        assert lines["slug", "Value"] == (False, False)
