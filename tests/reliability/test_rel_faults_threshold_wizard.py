"""The fault matrix on the threshold wizard's submit path, driving the real app over a loopback
sandbox: fill the form, review, create, and the create fails in each way.

For every case: no crash, a message on the wizard's status line, the POST never repeated once
it may have reached the server (the sandbox counts POSTs per body), nothing typed lost (the
fields and the draft on disk still hold it), and the wizard usable: with the fault gone the
same review creates the threshold, or, when the first POST did reach the server and created
it, says that the slug is taken. When the server did create it, the wizard reads it back
and shows it created, and never claims "Not created".
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from rel_support import (
    CASE_IDS,
    CASES,
    RETRY_AFTER,
    WIZARD_SAYS,
    Case,
    Driven,
    flat,
    saved_draft,
    server_did,
    settle,
    status_line,
)
from textual.widgets import Input, Select, Static

from roark_tui.state.drafts import DraftStore
from roark_tui.tui.screens.created import CreatedScreen
from roark_tui.tui.screens.threshold_wizard import ThresholdWizardScreen
from roark_tui.tui.widgets.dialogs import ReviewScreen

SOURCE = "talk_to_listen_ratio"  # a NUMERIC system metric graded per CALL
POST_GLOB = "/v1/metric/definitions/*/thresholds"


def typed(screen: ThresholdWizardScreen) -> dict[str, Any]:
    """What the form holds, read off its widgets."""
    return {
        "operator": screen.query_one("#operator", Select).value,
        "value": screen.query_one("#value", Input).value,
        "slug": screen.query_one("#slug", Input).value,
    }


async def fill(driven: Driven, slug: str) -> ThresholdWizardScreen:
    """The module's wizard (opened once, on SOURCE), its form filled anew for `slug`."""
    screen = driven.app.screen
    if not isinstance(screen, ThresholdWizardScreen):
        await driven.home()
        driven.app.open_threshold_wizard(source=SOURCE)
        await driven.until(
            lambda: (
                isinstance(driven.app.screen, ThresholdWizardScreen)
                and driven.app.screen.source_def is not None
                and driven.app.screen.definitions_loaded
            ),
            "the wizard with its source",
        )
        screen = driven.app.screen
    assert isinstance(screen, ThresholdWizardScreen)
    operator = screen.query_one("#operator", Select)
    if operator.value != "GREATER_THAN":
        operator.value = "GREATER_THAN"
        await driven.pilot.pause()
    for field, value in (("value", "1.5"), ("slug", slug)):
        widget = screen.query_one(f"#{field}", Input)
        if widget.value != value:
            widget.focus()
            widget.clear()
            widget.insert_text_at_cursor(value)
            await driven.pilot.pause()
    await settle(driven.pilot)
    assert not screen.errors, screen.errors
    return screen


async def submit(driven: Driven) -> dict[str, Any]:
    """ctrl+s, the exact body off the review, c; returns the body sent."""
    await driven.pilot.press("ctrl+s")
    await driven.until(lambda: isinstance(driven.app.screen, ReviewScreen), "the review")
    body = json.loads(str(driven.app.screen.query_one("#review-body", Static).render()))
    await driven.pilot.press("c")
    await settle(driven.pilot)
    return body


def server_posts(driven: Driven, body: dict[str, Any]) -> int:
    wanted = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return sum(
        n
        for (path, sent), n in driven.sandbox.state.post_counts.items()
        if path.endswith("/thresholds") and sent == wanted
    )


def created_on_server(driven: Driven, slug: str) -> bool:
    return driven.sandbox.state.definitions.lookup(slug) is not None


async def created_eventually(driven: Driven, slug: str, case: Case) -> bool:
    """Whether the server created it; in the timeout case the slow server acts after the
    client gave up, so wait (at most the server's delay) for it to finish."""
    if case.name == "timeout":
        return await server_did(driven.pilot, lambda: created_on_server(driven, slug))
    return created_on_server(driven, slug)


async def still_usable(driven: Driven, screen: ThresholdWizardScreen, before: Any) -> None:
    """Keys still work (tab moves the focus) and nothing typed moved. Going on from here,
    with the fault gone, is the test after this one:
    test_after_the_fault_the_same_review_creates_or_names_the_taken_slug."""
    focused = driven.app.focused
    await driven.pilot.press("tab")
    await driven.pilot.pause()
    assert driven.app.screen is screen and driven.app.focused is not focused
    assert typed(screen) == before


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_create_fails_clearly_posts_once_and_keeps_the_form(
    live_app: Driven, case: Case
) -> None:
    driven = live_app
    driven.reset()
    slug = f"rel_ratio_{case.name}"
    screen = await fill(driven, slug)
    before = typed(screen)
    sent_before = driven.transport.attempts("POST", POST_GLOB)
    case.apply(driven.sandbox, driven.transport, "POST", POST_GLOB)

    body = await submit(driven)

    assert driven.app.is_running
    tried = driven.transport.attempts("POST", POST_GLOB) - sent_before
    assert tried == case.attempts_post, "a POST that may have reached the server was repeated"
    assert server_posts(driven, body) == case.server_posts
    if case.name == "rate_limited":
        assert RETRY_AFTER not in driven.sleeps  # a POST does not wait and try again
    if isinstance(driven.app.screen, CreatedScreen):
        # Read back after an unclear answer (or simply read): only what the server has.
        assert case.ok or case.route_runs, f"{case.name}: shown as created"
        assert created_on_server(driven, slug)
        await another(driven, screen)
        return
    assert not case.ok, f"a tolerant reader should create it: {status_line(screen)!r}"

    assert driven.app.screen is screen, "the wizard was left (or the app crashed)"
    said = status_line(screen)
    assert WIZARD_SAYS[case.name] in said + " " + flat(driven.text()), f"{case.name}: {said!r}"
    assert typed(screen) == before, "something typed was lost"
    saved = await saved_draft(driven.pilot, DraftStore("threshold"), slug)
    assert saved is not None, "the draft on disk was lost"
    created = await created_eventually(driven, slug, case)
    assert created == case.route_runs
    assert not (created and "Not created" in said), "the server did create it"
    driven.reset()
    await still_usable(driven, screen, before)


async def another(driven: Driven, screen: ThresholdWizardScreen) -> None:
    """From the created screen, `n`: a fresh form on the same source."""
    await driven.pilot.press("n")
    await settle(driven.pilot)
    assert driven.app.screen is screen


@pytest.mark.parametrize(
    ("fault", "created_first"), [("http_503", False), ("timeout", True)], ids=["503", "timeout"]
)
async def test_after_the_fault_the_same_review_creates_or_names_the_taken_slug(
    live_app: Driven, fault: str, created_first: bool
) -> None:
    """With the fault gone, the same review again: created, or (the first POST did create it)
    the slug is named as taken; one more POST of the same body, no more."""
    driven = live_app
    driven.reset()
    slug = f"rel_ratio_retry_{fault}"
    screen = await fill(driven, slug)
    case = next(c for c in CASES if c.name == fault)
    case.apply(driven.sandbox, driven.transport, "POST", POST_GLOB)
    body = await submit(driven)
    assert await created_eventually(driven, slug, case) == created_first
    if isinstance(driven.app.screen, CreatedScreen):  # read back: nothing left to retry
        assert created_first
        await another(driven, screen)
        return
    driven.reset()

    assert await submit(driven) == body

    assert server_posts(driven, body) == 2
    if created_first:
        assert driven.app.screen is screen
        assert "slug" in status_line(screen).lower(), status_line(screen)
    else:
        assert isinstance(driven.app.screen, CreatedScreen), status_line(screen)
        assert created_on_server(driven, slug)
        assert DraftStore("threshold").load() is None  # a created draft is done with
        await another(driven, screen)
