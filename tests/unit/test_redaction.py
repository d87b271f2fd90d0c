"""redaction: the token is taken out of server text in every form a server may echo it, and the
text is cleaned by the same rule as everything else shown (safe_text)."""

from __future__ import annotations

import base64
from urllib.parse import quote

import pytest

from roark_tui.api.redaction import HIDDEN, Secret, clean, safe_line
from roark_tui.api.safe_text import one_line

TOKEN = "tok_SECRET+rel/9f3c7a1e5d2b4c6a"


def leaked(text: str) -> bool:
    """Would a person reading `text` learn a good part of the token?"""
    flat = "".join(c for c in text.lower() if c.isalnum())
    core = "".join(c for c in TOKEN.lower() if c.isalnum())
    return any(core[i : i + 8] in flat for i in range(len(core) - 8))


@pytest.mark.parametrize(
    "echoed",
    [
        TOKEN,
        TOKEN.lower(),
        TOKEN.upper(),
        quote(TOKEN, safe=""),
        "".join(f"%{ord(c):02X}" for c in TOKEN),
        base64.b64encode(TOKEN.encode()).decode(),
        base64.b64encode(b"Bearer " + TOKEN.encode()).decode(),
        base64.urlsafe_b64encode(b"x:" + TOKEN.encode()).decode(),
        TOKEN[:6] + "\x00" + TOKEN[6:],
        TOKEN[:6] + "\x1b" + TOKEN[6:],
        TOKEN[:6] + "\x1b[2J" + TOKEN[6:],
        TOKEN[:6] + "\u202e" + TOKEN[6:12] + "\u200b" + TOKEN[12:],
    ],
    ids=[
        "exact", "lower", "upper", "url", "url-every-char", "base64", "base64-bearer",
        "base64-urlsafe-shifted", "nul", "esc", "csi", "bidi-zero-width",
    ],
)  # fmt: skip
def test_every_echoed_form_of_the_token_is_hidden(echoed: str) -> None:
    said = clean(f"denied for {echoed} (again)", Secret(TOKEN))
    assert not leaked(said), said
    assert said.startswith("denied for ") and said.endswith("(again)")
    assert HIDDEN in said


def test_server_text_is_cleaned_as_safe_text_cleans_it() -> None:
    hostile = "a\x1b]0;t\x07b\x1b[2J\x9b31m\u202eevil\u2066\r\nnext\x00"
    assert clean(hostile, None) == one_line(hostile) == "abevil next\u2400"
    assert safe_line(hostile, Secret(TOKEN)) == one_line(hostile)
    assert safe_line("x" * 500, None, 20) == one_line("x" * 500, 20)


def test_a_short_token_is_hidden_only_where_it_is_exact() -> None:
    assert clean("ab12 and AB12", Secret("ab12")) == f"{HIDDEN} and AB12"


def test_the_secret_never_shows_itself() -> None:
    secret = Secret(TOKEN)
    assert TOKEN not in repr(secret) + str(secret) + repr(vars(type(secret)))
