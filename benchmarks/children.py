"""How the suite starts programs: which interpreter and script, with what environment.

Every child gets the same small, isolated environment (its own config and state dirs, no
ROARK_* settings of the person running the suite, a 256-colour TERM), so ours and the reference
start alike and nothing on the machine leaks into a figure.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ROARK_TUI = str(Path(sys.executable).with_name("roark-tui"))
MINIMAL_APP = str(Path(__file__).with_name("minimal_app.py"))
KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR")
KEPT_PREFIX = "ROARK_BENCH_"  # the profile settings reach the probe


def child_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a measured program; `home` holds its config and state dirs."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name in KEPT or name.startswith(KEPT_PREFIX)
    }
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        PYTHONPATH=str(REPO),
        ROARK_TUI_CONFIG_DIR=str(home / "config"),
        ROARK_TUI_STATE_DIR=str(home / "state"),
    )
    env.update(extra)
    return env
