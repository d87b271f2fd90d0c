"""Copy (`c`, `y`): what is sent, where it goes, and what the user is told.

A terminal app can only ask the terminal to set the clipboard (OSC 52), and cannot learn whether
it did: tmux drops the request unless `set -g set-clipboard on`, GNU screen does not pass it on,
and some terminals refuse it. So every copy is also written to a file in the state dir, and the
message says both, naming the file, never just "Copied". The text is cleaned first
(`safe_text.clean`): server data on the clipboard carries no control character, escape sequence
or bracketed-paste marker, so pasting it into a shell runs nothing.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from roark_tui.core.safe_text import clean
from roark_tui.state.files import atomic_write, ensure_private_dir, state_dir

if TYPE_CHECKING:
    from pathlib import Path

    from textual.app import App

CLIPBOARD_FILE = "clipboard.txt"
TMUX_HINT = "Under tmux it reaches the clipboard only with `set -g set-clipboard on`."
SCREEN_HINT = "GNU screen does not pass it on: paste from the file."
COPY_HELP = (
    "Copying (c, y) sends the text to the terminal's clipboard (OSC 52) and saves it to "
    f"{CLIPBOARD_FILE} in the state dir, named in the message: read that file when the "
    "paste comes up empty. tmux passes it on only with `set -g set-clipboard on` in "
    "~/.tmux.conf (its default, external, drops it); GNU screen does not pass it on, so use "
    "the file there."
)


def clipboard_path() -> Path:
    return state_dir() / CLIPBOARD_FILE


def copy_text(app: App[Any], text: str, what: str) -> str:
    """Send `text` (cleaned) to the terminal's clipboard and the clipboard file; tell the user
    what was done in a message starting with `what`; return the text sent."""
    sent = clean(text)
    app.copy_to_clipboard(sent)
    path = clipboard_path()
    try:
        ensure_private_dir(path.parent)
        atomic_write(path, sent.encode("utf-8", "replace"))
    except OSError as exc:
        kept = f"; it could not be saved to {path} ({exc.strerror or type(exc).__name__})"
    else:
        kept = f" and saved to {path}"
    hint = _multiplexer_hint()
    app.notify(
        f"{what}: sent to the terminal's clipboard (OSC 52){kept}." + (f" {hint}" if hint else ""),
        markup=False,
    )
    return sent


def _multiplexer_hint() -> str | None:
    """What the multiplexer this runs in (if any) does with OSC 52."""
    if os.environ.get("TMUX"):
        return TMUX_HINT
    if os.environ.get("STY"):
        return SCREEN_HINT
    return None
