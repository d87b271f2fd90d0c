"""Fixtures of the Pilot tests; their helpers are in tests/pilot_support.py."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def sandboxes(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every sandbox app `--demo` builds in this test, so its state can be inspected."""
    import roark_tui.sandbox as sandbox

    made: list[Any] = []
    real = sandbox.create_app

    def capture(config: Any = None) -> Any:
        app = real(config)
        made.append(app)
        return app

    monkeypatch.setattr(sandbox, "create_app", capture)
    return made
