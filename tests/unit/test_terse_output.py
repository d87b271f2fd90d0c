"""The terse output rewrite: fewer bytes, the same picture (checked cell by cell on a small
terminal model of our own), and no style left behind at the end of a write."""

from __future__ import annotations

import re

from roark_tui.tui.terse_output import TerseStyles

RED = "38;2;244;0;95"
GREY = "38;2;224;224;224"
PANEL = "48;2;18;18;18"
CURSOR = "48;2;39;39;39"


def textual_run(text: str, *codes: str) -> str:
    """A run of text as Textual writes it: the whole style, the text, a reset."""
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"


class Terminal:
    """Just enough of a terminal: cursor positioning, line feeds, SGR, one cell per character.
    Each cell keeps its character, background and visible attributes, and its foreground,
    bold, dim and italic unless it is a plain space (where they cannot show)."""

    def __init__(self, width: int = 40, height: int = 6) -> None:
        self.cells: dict[tuple[int, int], tuple[object, ...]] = {}
        self.row = self.col = 0
        self.attrs: set[str] = set()
        self.fg = self.bg = ""
        self.width, self.height = width, height

    def feed(self, data: str) -> None:
        for token in re.findall(r"\x1b\[[0-9;]*[mH]|\n|[^\x1b\n]", data):
            if token == "\n":
                self.row += 1
            elif token.startswith("\x1b[") and token.endswith("H"):
                row, col = token[2:-1].split(";")
                self.row, self.col = int(row) - 1, int(col) - 1
            elif token.startswith("\x1b"):
                self._sgr(token[2:-1].split(";"))
            else:
                shows = {"4", "7", "9"} & self.attrs
                ink = (self.fg, frozenset(self.attrs)) if token != " " or shows else None
                self.cells[(self.row, self.col)] = (token, self.bg, ink)
                self.col += 1

    def _sgr(self, codes: list[str]) -> None:
        while codes:
            code = codes.pop(0)
            if code in ("", "0"):
                self.attrs, self.fg, self.bg = set(), "", ""
            elif code in ("38", "48"):
                colour = ";".join([code, *codes[:4]])
                del codes[:4]
                if code == "38":
                    self.fg = colour
                else:
                    self.bg = colour
            elif code == "39":
                self.fg = ""
            elif code == "49":
                self.bg = ""
            else:
                self.attrs.add(code)


def frame() -> str:
    """A tree row with the cursor on it, a bordered pane line, a blank underlined heading."""
    return "".join(
        [
            "\x1b[1;1H",
            textual_run("│", "38;2;254;166;43", CURSOR),
            textual_run("▶ ", GREY, CURSOR),
            textual_run("✘", "1", RED, CURSOR),
            textual_run(" ", GREY, CURSOR),
            textual_run("Caller", "1", GREY, CURSOR),
            textual_run("  2 failing  ", "1", RED, CURSOR),
            "\n\x1b[2;1H",
            textual_run("│", "38;2;36;47;56", PANEL),
            textual_run(" ", PANEL),
            textual_run("slug   ", "38;2;153;153;153", PANEL),
            textual_run("caller_check", GREY, PANEL),
            textual_run("      ", GREY, PANEL),
            textual_run("│", "38;2;36;47;56", PANEL),
            "\n\x1b[3;1H",
            textual_run("Heading", "1;4", GREY, PANEL),
            textual_run("   ", "4", GREY, PANEL),
            textual_run("   ", GREY, PANEL),
            "plain",
        ]
    )


def test_the_same_picture_in_far_fewer_bytes() -> None:
    original = frame()
    terse = TerseStyles()(original)
    before, after = Terminal(), Terminal()
    before.feed(original)
    after.feed(terse)
    assert after.cells == before.cells
    assert len(terse) < 0.65 * len(original)
    # the underlined spaces kept their underline: the shortcut never applies to them
    assert after.cells[(2, 8)][2] is not None


def test_only_the_change_is_written() -> None:
    write = TerseStyles()
    out = write(textual_run("a", GREY, PANEL) + textual_run("b", GREY, PANEL))
    assert out == f"\x1b[{GREY};{PANEL}mab\x1b[0m"
    out = write(textual_run("a", GREY, PANEL) + textual_run("b", RED, PANEL))
    assert out == f"\x1b[{GREY};{PANEL}ma\x1b[{RED}mb\x1b[0m"
    # dropping an attribute needs a reset; adding one does not
    out = write(textual_run("a", "1", GREY) + textual_run("b", GREY) + textual_run("c", "3", GREY))
    assert out == f"\x1b[1;{GREY}ma\x1b[0;{GREY}mb\x1b[3mc\x1b[0m"


def test_plain_spaces_keep_the_foreground_and_cursor_moves_keep_the_style() -> None:
    out = TerseStyles()(
        textual_run("x", GREY, PANEL)
        + textual_run("   ", RED, PANEL)
        + "\x1b[2;1H\n"
        + textual_run("y", GREY, PANEL)
    )
    assert out == f"\x1b[{GREY};{PANEL}mx   \x1b[2;1H\ny\x1b[0m"


def test_every_write_ends_in_the_asked_for_style_and_other_sequences_get_it_first() -> None:
    write = TerseStyles()
    assert write(f"\x1b[{GREY}mx").endswith("x")  # the stream asked to stay grey
    assert write("\x1b[0m\x1b[2J") == "\x1b[0m\x1b[2J"  # an erase uses the background
    assert write("y") == "y"


def test_a_sequence_it_does_not_understand_passes_through_until_a_reset() -> None:
    write = TerseStyles()
    odd = "\x1b[4:3m"  # a curly underline, colon form
    out = write(textual_run("a", GREY) + odd + "b" + "\x1b[0m" + textual_run("c", GREY))
    assert out == f"\x1b[{GREY}ma\x1b[0m{odd}b\x1b[0;{GREY}mc\x1b[0m"


def test_what_it_remembers_is_bounded_and_forgetting_changes_nothing_drawn() -> None:
    bounded, unbounded = TerseStyles(), TerseStyles()
    bounded.CACHE_SIZE = 3
    for shade in range(20):
        data = textual_run("x", f"38;2;{shade};0;0", PANEL) + f"\x1b[{GREY}m" + "y"
        assert bounded(data) == unbounded(data)
        assert len(bounded._applied) + len(bounded._changes) <= 3 + 6


def test_after_another_program_the_first_style_is_a_whole_one() -> None:
    write = TerseStyles()
    write(textual_run("a", GREY))
    write.forget_terminal()
    assert write(textual_run("b", GREY)) == f"\x1b[0;{GREY}mb\x1b[0m"
