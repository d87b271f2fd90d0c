"""Fewer bytes per frame on the wire: a driver whose output carries no redundant style changes.

Textual writes every run of text as `ESC[0m ESC[<whole style>m text`, the full truecolor style
again after a reset, even when only the foreground changed or nothing did. Over a slow link
(SSH) those bytes are the lag of every key. `TerseStyles` rewrites the stream as it is written:
it keeps the style the terminal is in and emits, before each run of text, only the change from
it to the style the original stream asked for (nothing when they are equal). The picture is
unchanged: a run of plain spaces, where the foreground colour, bold, dim, italic and blink
cannot show, keeps the terminal's foreground and those attributes instead of switching them
back and forth. Cursor positioning and newlines carry the style across (they draw nothing);
any other control or escape sequence first brings the terminal to the asked-for style, and
every write ends with the terminal in the asked-for style, so the rewrite never leaks a style
into what the driver writes outside frames.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from textual.driver import Driver

# SGR (group 1: its parameters), cursor positioning and line feeds (group 2: they draw nothing).
_TOKEN = re.compile(r"\x1b\[([0-9;:]*)m|(\x1b\[[0-9;]*H|\n)")
# Attributes that show on a space: the underlines, reverse video, strike-through, frames,
# overline. Any of them on either side turns off the plain-space shortcut.
_SHOW_ON_SPACE = frozenset({"4", "7", "9", "21", "51", "52", "53"})
_ATTRIBUTES = frozenset({"1", "2", "3", "5", "6", "8"}) | _SHOW_ON_SPACE
_OFF = {
    "22": ("1", "2"),
    "23": ("3",),
    "24": ("4", "21"),
    "25": ("5", "6"),
    "27": ("7",),
    "28": ("8",),
    "29": ("9",),
    "54": ("51", "52"),
    "55": ("53",),
}
_COLOUR_SLOTS = {"38": "fg", "48": "bg", "58": "ul"}
_DEFAULT_COLOUR = {"39": "fg", "49": "bg", "59": "ul"}


class Style(NamedTuple):
    """A terminal's text style: attribute codes, and each colour as its SGR codes ("" = the
    terminal's default)."""

    attributes: frozenset[str] = frozenset()
    fg: str = ""
    bg: str = ""
    ul: str = ""


DEFAULT = Style()


def apply_sgr(style: Style, params: str) -> Style | None:
    """The style after an SGR with these parameters; None when a parameter is not understood
    (the caller then passes that sequence through and forgets what the terminal is in)."""
    codes = params.split(";") if params else ["0"]
    attributes = set(style.attributes)
    colours = {"fg": style.fg, "bg": style.bg, "ul": style.ul}
    i = 0
    while i < len(codes):
        code = codes[i]
        if code in ("0", ""):
            attributes.clear()
            colours = {"fg": "", "bg": "", "ul": ""}
        elif code in _ATTRIBUTES:
            attributes.add(code)
        elif code in _OFF:
            attributes.difference_update(_OFF[code])
        elif code in _DEFAULT_COLOUR:
            colours[_DEFAULT_COLOUR[code]] = ""
        elif code in _COLOUR_SLOTS:
            size = {"2": 5, "5": 3}.get(codes[i + 1] if i + 1 < len(codes) else "", 0)
            if not size or i + size > len(codes):
                return None
            colours[_COLOUR_SLOTS[code]] = ";".join(codes[i : i + size])
            i += size
            continue
        elif code.isdigit() and (30 <= int(code) <= 37 or 90 <= int(code) <= 97):
            colours["fg"] = code
        elif code.isdigit() and (40 <= int(code) <= 47 or 100 <= int(code) <= 107):
            colours["bg"] = code
        else:
            return None
        i += 1
    return Style(frozenset(attributes), **colours)


def change(current: Style | None, wanted: Style) -> str:
    """The shortest plain SGR taking a terminal from `current` (None: not known) to `wanted`."""
    if wanted == current:
        return ""
    if wanted == DEFAULT:
        return "\x1b[0m"
    if current is None or not current.attributes <= wanted.attributes:
        codes = ["0", *sorted(wanted.attributes), wanted.fg, wanted.bg, wanted.ul]
    else:
        codes = sorted(wanted.attributes - current.attributes)
        for slot, default in (("fg", "39"), ("bg", "49"), ("ul", "59")):
            if getattr(wanted, slot) != getattr(current, slot):
                codes.append(getattr(wanted, slot) or default)
    return "\x1b[" + ";".join(code for code in codes if code) + "m"


def for_spaces(current: Style | None, wanted: Style) -> Style:
    """What plain spaces need of `wanted`, given the terminal is in `current`: the background,
    and the foreground only where an attribute makes it show."""
    if current is None or (current.attributes | wanted.attributes) & _SHOW_ON_SPACE:
        return wanted
    return Style(current.attributes | wanted.attributes, current.fg, wanted.bg, wanted.ul)


class TerseStyles:
    """Rewrites a terminal stream, write by write, without redundant style changes.

    An app uses a few dozen styles: each is numbered when first seen, and each parse and each
    change between two of them is worked out once and remembered (all of it is dropped, between
    writes, if it ever grows past CACHE_SIZE entries)."""

    CACHE_SIZE = 4096
    UNKNOWN = -1  # the style number of "not known"

    def __init__(self) -> None:
        self._forget()

    def _forget(self) -> None:
        self._styles: list[Style] = []
        self._numbers: dict[Style, int] = {}
        self._applied: dict[tuple[int, str], int] = {}
        self._changes: dict[tuple[int, int, bool], tuple[str, int]] = {}
        self._actual = self._wanted = self._number(DEFAULT)  # the terminal's and the stream's

    def forget_terminal(self) -> None:
        """The terminal's style is not known (another program wrote to it)."""
        self._actual = self.UNKNOWN

    def _number(self, style: Style | None) -> int:
        if style is None:
            return self.UNKNOWN
        if style not in self._numbers:
            self._numbers[style] = len(self._styles)
            self._styles.append(style)
        return self._numbers[style]

    def __call__(self, data: str) -> str:
        if len(self._applied) + len(self._changes) > self.CACHE_SIZE:
            kept = self._styles[self._wanted] if self._wanted != self.UNKNOWN else None
            self._forget()
            self._actual = self._wanted = self._number(kept)  # where the last write left it
        parts = _TOKEN.split(data)
        out: list[str] = []
        applied, changes, unknown = self._applied, self._changes, self.UNKNOWN
        actual, wanted = self._actual, self._wanted
        # parts: text, (SGR parameters, other token), text, ...
        for i in range(0, len(parts), 3):
            text = parts[i]
            if text:
                if wanted != unknown:
                    key = (actual, wanted, not text.strip(" "))
                    found = changes.get(key) or self._change(*key)
                    out.append(found[0])
                    actual = found[1]
                out.append(text)
            if i + 1 == len(parts):
                break
            params = parts[i + 1]
            if params is None:  # cursor positioning or a line feed: draws nothing
                out.append(parts[i + 2])
                continue
            known = wanted
            if known == unknown and params.split(";")[0] in ("", "0"):
                known = self._number(DEFAULT)  # a reset: what follows is known again
            if known == unknown:
                after = unknown
            else:
                after = applied.get((known, params), -2)
                if after == -2:
                    after = applied[known, params] = self._number(
                        apply_sgr(self._styles[known], params)
                    )
            if after == unknown:  # not understood: pass it on, and know nothing more
                if wanted != unknown:
                    out.append(self._change(actual, wanted, False)[0])
                out.append(f"\x1b[{params}m")
                actual = unknown
            wanted = after
        if wanted != unknown:  # end the write with the terminal in the asked-for style
            out.append(self._change(actual, wanted, False)[0])
            actual = wanted
        self._actual, self._wanted = actual, wanted
        return "".join(out)

    def _change(self, actual: int, wanted: int, spaces: bool) -> tuple[str, int]:
        key = (actual, wanted, spaces)
        if key not in self._changes:
            current = self._styles[actual] if actual != self.UNKNOWN else None
            goal = self._styles[wanted]
            if spaces:
                goal = for_spaces(current, goal)
            self._changes[key] = (change(current, goal), self._number(goal))
        return self._changes[key]


def terse_driver(base: type[Driver]) -> type[Driver]:
    """`base` with its output rewritten by `TerseStyles`."""

    class TerseDriver(base):  # type: ignore[valid-type,misc]
        _terse: TerseStyles | None = None

        def write(self, data: str) -> None:
            if self._terse is None:
                self._terse = TerseStyles()
            super().write(self._terse(data))

        def start_application_mode(self) -> None:
            # Back from a suspend (a pager, an editor), the terminal's style is whatever the
            # other program left: the first style written is a whole one again.
            if self._terse is not None:
                self._terse.forget_terminal()
            super().start_application_mode()

    TerseDriver.__name__ = TerseDriver.__qualname__ = f"Terse{base.__name__}"
    return TerseDriver
