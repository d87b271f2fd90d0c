"""Hostile text: strings an API may hand a terminal client, each one a way to break it.

Text from the API is data. A client that renders any of these as markup, passes an escape
sequence through to the terminal (OSC 52 writes the user's clipboard, OSC 0 retitles the
window), lets a bidi override reorder what the user reads, or lets a 10,000-character line wreck
its layout has a bug. The demo chat HOSTILE_CHAT_ID carries these strings in its transcript,
value reasoning and a metric name; tests elsewhere reuse the corpus
(`for name, text in HOSTILE_STRINGS.items()`).
"""

from __future__ import annotations

_LONG_PHRASE = "the customer pasted their whole order history into one message again and "
LONG_LINE = (_LONG_PHRASE * (10_000 // len(_LONG_PHRASE) + 1))[:10_000]

HOSTILE_STRINGS: dict[str, str] = {
    "rich_markup": "[bold red]CHECK FAILED[/] please "
    "[link=https://evil.example/login]sign in[/link]",
    "rich_markup_broken": "[/][bold][blink]unterminated [red on white",
    "rich_emoji_code": ":warning: :skull: [reverse]inverted[/reverse]",
    "ansi_csi": "\x1b[31mred alert\x1b[0m then \x1b[2J\x1b[H the screen is cleared",
    "osc52_clipboard": "copy this \x1b]52;c;SGVsbG8=\x07 and your clipboard is mine",
    "osc0_title": "\x1b]0;rm -rf ~ (your new window title)\x07 title changed",
    "osc8_hyperlink": "\x1b]8;;https://evil.example\x1b\\an innocent link\x1b]8;;\x1b\\",
    "c0_controls": "bell\x07 back\x08\x08 nul\x00 vtab\x0b feed\x0c carriage\rreturn",
    "c1_controls": "csi\x9b31m osc\x9d0;title\x9c next-line\x85 end",
    "rtl_override": "refund \u202eDEVORPPA TON\u202c for order A-20931",
    "bidi_isolates": "\u2067\u05e9\u05dc\u05d5\u05dd\u2069 mixed \u200fdirection\u200e marks",
    "zero_width": "pass\u200bword\u200c re\u200dset\ufeff\u2060done",
    "combining": "Z\u0338\u0322\u031b\u031ea\u0337\u032c\u034cl\u0338\u0359\u0308"
    "g\u0336\u0323o text",
    "emoji": "\U0001f469\U0001f3fd\u200d\U0001f4bb refund \U0001f4b8 family "
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 flag \U0001f1fa\U0001f1e6",
    "wide_cjk": "\u9867\u5ba2\u306f\u8fd4\u91d1\u3092\u8981\u6c42\u3057\u307e\u3057\u305f",
    "newlines_tabs": "line one\n\tline two\r\nline three",
    "long_line": LONG_LINE,
}
