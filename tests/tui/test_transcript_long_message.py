"""A transcript message of megabytes: the transcript opens at once with the start of it, `v`
shows the whole of it in a view that draws only what is in sight, and leaving is immediate."""

from __future__ import annotations

import httpx
from pilot_support import screen_text, settle, until

from roark_tui.api.service import RoarkService
from roark_tui.tui.app import RoarkApp
from roark_tui.tui.screens.transcript import PART_SHOWN, MessageScreen, TranscriptScreen

CHAT = "chat-long-message"
TAIL = "THE VERY END OF THE MESSAGE"
# 5 MB in one message: an escape sequence, lines of 200 characters, then the tail.
LONG = "order line \x1b[31mred\x1b[0m\n" + ("x" * 199 + "\n") * 25_000 + TAIL


def answer(request: httpx.Request) -> httpx.Response:
    if request.url.path != f"/v1/chat/{CHAT}/transcript":  # the lookup screen's lists
        return httpx.Response(200, json={"data": []})
    entries = [
        {"role": "CUSTOMER", "text": LONG, "startOffsetMs": 0},
        {"role": "AGENT", "text": "Thanks, looking into it.", "startOffsetMs": 5000},
    ]
    return httpx.Response(200, json={"data": {"entries": entries}})


async def test_a_five_megabyte_message_opens_cut_and_reads_whole() -> None:
    service = RoarkService(
        base_url="http://sandbox.local",
        token="t",
        transport=httpx.MockTransport(answer),
        allow_insecure=True,
    )
    app = RoarkApp(lambda: service)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = TranscriptScreen("chat", CHAT)
        app.push_screen(screen)
        said = PART_SHOWN.format(len(LONG))
        await until(pilot, lambda: said in screen_text(app), "the start of the message, cut")
        text = screen_text(app)
        assert "\x1b" not in text and TAIL not in text
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, MessageScreen), "the message view")
        log = app.screen.query_one("#message")
        await until(pilot, lambda: log.line_count > 25_000, "every line in the view")
        assert log.lines[-1] == TAIL and "\x1b" not in log.lines[0]
        await pilot.press("end")
        await until(pilot, lambda: TAIL in screen_text(app), "the end of the message in sight")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back on the transcript")
        await pilot.press("end", "enter")  # enter reads the highlighted message too
        await until(pilot, lambda: isinstance(app.screen, MessageScreen), "the second message")
        await until(pilot, lambda: "Thanks, looking into it." in screen_text(app), "its text")
    await service.aclose()
