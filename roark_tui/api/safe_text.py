"""Text from the API made safe to put on a terminal: escape sequences and controls defused.

Transcripts, reasoning and names are data. A terminal would act on an escape sequence inside
them (OSC 52 writes the clipboard, OSC 0 retitles the window, CSI moves the cursor or clears the
screen), a carriage return would overwrite what came before, and bidi overrides can make text
read differently from what it is. `clean` removes whole escape sequences, shows any other
control character as a visible symbol, drops bidi overrides and isolates, and leaves everything
else (emoji, combining marks, right-to-left letters, zero-width joiners) alone. It does not
touch Rich markup: callers still wrap the result in `rich.text.Text`, never in markup.

The one rule for every layer: it sits in `api`, the lowest, so the api's own messages built
from server text (redaction) are cleaned exactly as the screens and the CLI clean theirs.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

# Complete escape sequences (7-bit ESC forms and their 8-bit C1 twins), removed whole:
# OSC/DCS/SOS/PM/APC strings up to their terminator (BEL or ST), CSI with its parameters and
# final byte, and two-character ESC sequences (charset selection, RIS, keypad modes...).
_SEQUENCE = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"
)
# What is left: lone controls (an unterminated sequence's introducer among them), bidi
# overrides/embeddings/isolates, line and paragraph separators, and lone surrogates (which a
# terminal's encoder would choke on).
_LEFTOVER = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
TAB_SIZE = 4
ELLIPSIS = "…"
# What JSON leaves raw but a terminal could act on or that reorders text: DEL and C1 controls,
# bidi overrides and isolates, line and paragraph separators.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
# Characters that must not end a shortened line: they only make sense joined to what follows.
_JOINERS = "\u200d\ufe0e\ufe0f"


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _BIDI:
        return ""
    if char in "\u2028\u2029":
        return "\n"
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ␀ … ␛ …
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls and lone surrogates have no picture


def clean(text: object) -> str:
    """`text` as a string that is safe to show: no escape sequences, controls made visible.

    Newlines stay (CRLF and lone CR become LF, so nothing overwrites a line), tabs become
    spaces. Idempotent.
    """
    if text is None:
        return ""
    out = text if isinstance(text, str) else str(text)
    if out.isprintable():  # the common case: nothing to do, no regex pass
        return out
    out = out.replace("\r\n", "\n").replace("\r", "\n")
    out = _SEQUENCE.sub("", out)
    out = _LEFTOVER.sub(_visible, out)
    if "\t" in out:
        out = "\n".join(line.expandtabs(TAB_SIZE) for line in out.split("\n"))
    return out


def one_line(text: object, limit: int | None = None) -> str:
    """`clean(text)` on one line (whitespace runs collapsed), shortened to `limit` characters
    with a trailing ellipsis when longer."""
    flat = " ".join(clean(text).split())
    if limit is None or len(flat) <= limit:
        return flat
    if limit <= 1:
        return ELLIPSIS[:limit]
    return flat[: limit - 1].rstrip().rstrip(_JOINERS) + ELLIPSIS


def escape_json(text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with the characters a terminal
    could act on written as \\uXXXX escapes. These only occur inside JSON strings, so the
    document means exactly the same; C0 controls are already escaped by `json.dumps`."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def dumps(data: Any, *, pretty: bool = False) -> str:
    """`data` as JSON that any parser reads and a terminal cannot act on: indented for a person,
    compact for a program. A number JSON cannot spell (NaN, Infinity, or one beyond a double's
    range such as 1e999, which parsers read as infinity) is written as null."""
    shape: dict[str, Any] = {"indent": 2} if pretty else {"separators": (",", ":")}
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, **shape)
    except ValueError:  # a non-finite number somewhere: the rare case pays for the walk
        text = json.dumps(_finite(data), ensure_ascii=False, allow_nan=False, **shape)
    return escape_json(text)


def _finite(data: Any) -> Any:
    if isinstance(data, float) and not math.isfinite(data):
        return None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(value) for value in data]
    return data
