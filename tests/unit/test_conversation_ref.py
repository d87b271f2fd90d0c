"""parse_ref: ids as typed or pasted (spaces, quotes, dashboard URLs), bad ones refused."""

from __future__ import annotations

import pytest

from roark_tui.core.conversation_ref import parse_ref

ID = "232a693b-fd7d-4d2a-a032-7a81471a07e5"
PROJECT = "5d1f0b8e-2c47-4a93-8e6b-0f3a9c7d2e10"


@pytest.mark.parametrize(
    ("text", "kind", "conv_id"),
    [
        (ID, None, ID),
        (f"  {ID}\n", None, ID),
        (f"'{ID}'", None, ID),
        (f'"{ID}" ', None, ID),
        (f"\u201c{ID}\u201d", None, ID),
        (f"<{ID}>", None, ID),
        ("chat_123", None, "chat_123"),
        (f"https://app.roark.ai/projects/{PROJECT}/chats/{ID}", "chat", ID),
        (f"https://app.roark.ai/projects/{PROJECT}/calls/{ID}?tab=metrics", "call", ID),
        (f"https://app.roark.ai/call/{ID}/metrics#x", "call", ID),
        (f"app.roark.ai/chats/{ID}", "chat", ID),
        (f"https://app.roark.ai/conversations?chatId={ID}", "chat", ID),
        (f"https://app.roark.ai/conversations?callId={ID}", "call", ID),
        (f"https://app.roark.ai/x?id={ID}", None, ID),
        (f"https://app.roark.ai/projects/{PROJECT}/calls/view/{ID}", "call", ID),
        (f"https://app.roark.ai/projects/{PROJECT}/{ID}", None, ID),
        (f"'https://app.roark.ai/chats/{ID}'", "chat", ID),
    ],
)
def test_accepted(text: str, kind: str | None, conv_id: str) -> None:
    assert parse_ref(text) == (kind, conv_id)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a chat or call id"),
        ("  '' ", "Enter a chat or call id"),
        ("two words", "cannot be an id"),
        ("semi;colon", "cannot be an id"),
        ("-leading-dash", "cannot be an id"),
        ("x" * 129, "too long"),
        ("a\x1b[31mb", "cannot be an id"),
        (f"https://app.roark.ai/projects/{PROJECT}/calls", "No chat or call id"),
        ("https://app.roark.ai/", "No chat or call id"),
        ("https://app.roark.ai/chats/has%20space", "No chat or call id"),
    ],
)
def test_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_ref(text)
    assert "\x1b" not in str(caught.value)
