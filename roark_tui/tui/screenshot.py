"""The palette's Screenshot, saved where a server has room for it and named on screen.

Textual saves into ~/Downloads, which a server reached over SSH seldom has, and then says only
"Failed to save screenshot". Here the picture goes into the state dir's `screenshots/` (the
working directory when that cannot be written), and the toast names the file, or every place
tried and why each failed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from textual.app import App

from roark_tui.state.files import atomic_write, state_dir

FOLDER = "screenshots"


def places(directory: str | None = None) -> list[Path]:
    """Where a screenshot may go, in the order tried: the folder asked for, else the state
    dir's screenshots/ and then the working directory."""
    if directory:
        return [Path(directory).expanduser()]
    return [state_dir() / FOLDER, Path.cwd()]


def save_screenshot(
    app: App[Any], filename: str | None = None, directory: str | None = None
) -> Path | None:
    """Save an SVG of the screen and say where (or why not); the path, or None."""
    svg = app.export_screenshot().encode("utf-8")
    name = filename or f"roark-tui_{datetime.now():%Y%m%d-%H%M%S}.svg"
    failures: list[str] = []
    for folder in places(directory):
        target = folder / name
        try:
            atomic_write(target, svg, mode=0o600)
        except OSError as exc:
            failures.append(f"{folder} ({exc.strerror or type(exc).__name__})")
            continue
        app.notify(f"Saved to {target}", title="Screenshot", markup=False)
        return target
    app.notify(
        f"Not saved: could not write to {'; nor to '.join(failures)}",
        title="Screenshot",
        severity="error",
        timeout=10,
        markup=False,
    )
    return None
