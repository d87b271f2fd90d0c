"""The arrows of the design, checked at run time in fresh interpreters: the non-UI layers never
pull in textual, and the sandbox never leans on the client code it is meant to check. The
import-linter contracts in pyproject.toml check the same arrows statically (`./dev check`);
this test also sees modules imported by name (importlib), which no static check can."""

from __future__ import annotations

import json
import subprocess
import sys

IMPORT_ALL = """
import importlib, json, pkgutil, sys
for root in {roots!r}:
    package = importlib.import_module(root)
    if hasattr(package, "__path__"):
        for info in pkgutil.walk_packages(package.__path__, root + "."):
            importlib.import_module(info.name)
print(json.dumps(sorted(sys.modules)))
"""


def loaded_after_importing(*roots: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL.format(roots=roots)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_non_ui_layers_never_import_textual() -> None:
    modules = loaded_after_importing(
        "roark_tui.api",
        "roark_tui.core",
        "roark_tui.auth",
        "roark_tui.config",
        "roark_tui.state",
        "roark_tui.sandbox",
        "roark_tui.cli",
    )
    assert (
        "roark_tui.state.drafts" in modules
        and "roark_tui.config" in modules
        and "roark_tui.cli.auth_cmd" in modules
    )
    assert "textual" not in modules


def test_sandbox_is_independent_of_the_client() -> None:
    modules = loaded_after_importing("roark_tui.sandbox")
    assert not {m for m in modules if m.startswith(("roark_tui.api", "roark_tui.core"))}
    assert "textual" not in modules
