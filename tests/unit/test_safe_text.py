"""safe_text.clean against a hostile corpus: escapes defused, ordinary Unicode left alone."""

from __future__ import annotations

import time

import pytest
from rich.console import Console
from rich.text import Text

from roark_tui.core.safe_text import clean, escape_json, one_line

ESC = "\x1b"
HOSTILE = [
    # (name, input, expected)
    ("csi colour", f"{ESC}[31mred{ESC}[0m text", "red text"),
    ("csi clear screen", f"a{ESC}[2J{ESC}[Hb", "ab"),
    ("csi private mode", f"{ESC}[?1049hx{ESC}[?25l", "x"),
    ("osc 52 clipboard bel", f"ok{ESC}]52;c;ZXZpbA==\x07done", "okdone"),
    ("osc 52 clipboard st", f"ok{ESC}]52;c;ZXZpbA=={ESC}\\done", "okdone"),
    ("osc title", f"{ESC}]0;pwned\x07hi", "hi"),
    ("osc 8 hyperlink", f"{ESC}]8;;http://evil{ESC}\\link{ESC}]8;;{ESC}\\", "link"),
    ("dcs", f"{ESC}Pq#0;2;0;0;0{ESC}\\after", "after"),
    ("apc", f"{ESC}_Gf=24;payload{ESC}\\z", "z"),
    ("8-bit csi", "\x9b31mred", "red"),
    ("8-bit osc", "\x9d0;title\x9cz", "z"),
    ("two-char esc (RIS)", f"x{ESC}cy", "xy"),
    ("unterminated osc keeps its text", f"{ESC}]52;c;AAAA", "52;c;AAAA"),
    ("lone esc at end", f"end{ESC}", "end\u241b"),
    ("bell and backspace", "a\x07b\x08c", "a\u2407b\u2408c"),
    ("nul", "a\x00b", "a\u2400b"),
    ("del", "a\x7fb", "a\u2421b"),
    ("c1 control", "a\x85b", "a\ufffdb"),
    ("carriage return overwrite", "safe\rEVIL", "safe\nEVIL"),
    ("crlf", "one\r\ntwo", "one\ntwo"),
    ("tab", "a\tb", "a   b"),
    ("line separator", "a\u2028b", "a\nb"),
    ("rtl override", "file\u202eexe.txt", "fileexe.txt"),
    ("bidi isolates", "\u2066abc\u2069 \u2067d\u2068", "abc d"),
    ("lone surrogate", "a\ud800b", "a\ufffdb"),
]
INTACT = [
    "[bold red]not markup[/bold red] [link=http://x]y[/link]",
    "emoji 👩‍👩‍👧 👍🏽 🇳🇱 ❤️",
    "combining e\u0301 and a\u0308",
    "zero\u200bwidth\u200cnon\u200djoiner",
    "مرحبا بالعالم and עברית",
    "日本語テキスト",
    "multi\nline",
    "",
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE]
)
def test_hostile_text_is_defused(text: str, expected: str) -> None:
    cleaned = clean(text)
    assert cleaned == expected
    assert clean(cleaned) == cleaned  # idempotent
    assert not any((ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in cleaned)


@pytest.mark.parametrize("text", INTACT)
def test_ordinary_unicode_and_markup_stay_intact(text: str) -> None:
    assert clean(text) == text


def test_markup_stays_literal_when_rendered_as_text() -> None:
    console = Console(width=200, record=True, color_system=None, force_terminal=False)
    console.print(Text(clean(f"[bold]hi[/bold] {ESC}[31mx")))
    assert console.export_text().strip() == "[bold]hi[/bold] x"


def test_none_and_non_strings() -> None:
    assert clean(None) == ""
    assert clean(42) == "42"


def test_a_long_hostile_line_is_fast() -> None:
    line = ("word " * 2000) + f"{ESC}]52;c;" + "A" * 10_000 + "\x07" + "\u202e" * 1000
    started = time.perf_counter()
    cleaned = clean(line)
    assert time.perf_counter() - started < 0.05
    assert cleaned == "word " * 2000
    assert len(one_line(line, 60)) == 60


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("  a\n\n b\tc  ", None, "a b c"),
        ("abcdef", 6, "abcdef"),
        ("abcdefg", 6, "abcde…"),
        ("abc   defg", 5, "abc…"),
        ("ab👩\u200d👩", 4, "ab👩…"),
        (f"x{ESC}[31my", 10, "xy"),
        ("abc", 1, "…"),
        ("abc", 0, ""),
    ],
)
def test_one_line(text: str, limit: int | None, expected: str) -> None:
    assert one_line(text, limit) == expected


def test_escape_json_keeps_the_document_and_defuses_the_terminal() -> None:
    import json

    document = {"t": "a\x9b31m\u202eb\u2028c\x1b[2J", "emoji": "👍🏽"}
    text = escape_json(json.dumps(document, ensure_ascii=False))
    assert json.loads(text) == document
    assert not any(c in text for c in "\x9b\u202e\u2028\x1b")
    assert "👍🏽" in text


def test_dumps_writes_numbers_json_cannot_spell_as_null() -> None:
    import json
    import math

    from roark_tui.core.safe_text import dumps

    data = {"a": [math.nan, math.inf, -math.inf, 1.5], "b": {"c": math.inf}, "d": "\u202e"}
    for pretty in (False, True):
        text = dumps(data, pretty=pretty)
        assert json.loads(text, parse_constant=lambda name: 1 / 0) == {
            "a": [None, None, None, 1.5],
            "b": {"c": None},
            "d": "\u202e",
        }
        assert "\u202e" not in text
