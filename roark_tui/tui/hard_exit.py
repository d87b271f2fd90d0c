"""SIGTERM and SIGHUP (a closed terminal, a dropped SSH link) end the app as ctrl+q does.

Left to their default, both kill the process where it stands: the terminal stays in the
alternate screen with mouse reporting on and echo off, and whatever was typed since the last
draft save (a wizard writes its draft a moment after typing) is lost. Here each one makes every
open screen that keeps a draft write it at once (`save_draft_now`), then asks the app to exit,
which restores the terminal; the exit code is 128 + the signal's number, as a shell reports it.

Should the process not be gone within `GRACE` seconds (output to a terminal that is gone
blocking, say), the terminal's modes are put back directly and it ends there: after one of these
signals the process ends, whatever else happens. The loop drops the handlers when it closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

SIGNALS = (signal.SIGTERM, signal.SIGHUP)
GRACE = 3.0
# Leave the alternate screen, show the cursor, and turn off what Textual turned on: mouse
# reporting (all its modes), bracketed paste, focus events, the kitty keyboard protocol.
RESTORE = (
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[?1004l\x1b[<u"
    "\x1b[?1049l\x1b[?25h\x1b[?7h"
)


def install(app: App[Any]) -> None:
    """Handle SIGTERM and SIGHUP for `app` while it runs on a real terminal (from its mount:
    the loop is running). Without a terminal (tests) or off the main thread, nothing is done."""
    if app.is_headless:
        return
    loop = asyncio.get_running_loop()
    with contextlib.suppress(RuntimeError, ValueError, NotImplementedError):
        for signum in SIGNALS:
            loop.add_signal_handler(signum, _ended, app, signum)


def save_drafts(app: App[Any]) -> None:
    """Every open screen that keeps a draft writes it now; one that fails does not stop the
    others (a full disk is no reason to keep the process alive)."""
    for screen in reversed(app.screen_stack):
        save = getattr(screen, "save_draft_now", None)
        if callable(save):
            with contextlib.suppress(Exception):
                save()


def _ended(app: App[Any], signum: int) -> None:
    code = 128 + signum
    save_drafts(app)
    watchdog = threading.Timer(GRACE, _force_exit, (app, code))
    watchdog.daemon = True
    watchdog.start()
    app.exit(return_code=code)


def _force_exit(app: App[Any], code: int) -> None:
    """The process did not end in time: restore the terminal by hand and end it."""
    driver: Any = getattr(app, "_driver", None)
    attrs = getattr(driver, "attrs_before", None)
    with contextlib.suppress(Exception):
        import termios

        if attrs is not None:
            termios.tcsetattr(driver.fileno, termios.TCSANOW, attrs)
    with contextlib.suppress(Exception):
        os.write(2, RESTORE.encode())  # where Textual draws
    os._exit(code)
