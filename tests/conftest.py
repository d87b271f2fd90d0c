"""Shared fixtures. Every test runs with its own config/state dirs and no ROARK_* env vars, so
nothing a developer has configured (or a real token) can leak into, or be changed by, a test.

The machine's own settings are pinned too, before any app is built: the time zone is UTC, and
NO_COLOR, every TEXTUAL_* variable, COLUMNS and LINES are cleared. This is done on the process
environment, so subprocesses the tests spawn inherit it.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

# pilot_support.py (helpers of the Pilot and snapshot tests) is importable by every test.
sys.path.insert(0, str(Path(__file__).parent))

ISOLATED_ENV = ("ROARK_API_BEARER_TOKEN", "ROARK_BASE_URL", "ROARK_PROJECT_ID")
MACHINE_ENV = ("NO_COLOR", "COLUMNS", "LINES")
PLUGIN_ENV = "TEXTUAL_SNAPSHOT_"  # pytest-textual-snapshot's own hand-over to its xdist workers


def pin_machine_environment() -> None:
    """UTC, colour on, Textual's defaults and the terminal's own size, whatever the shell says."""
    textual = [n for n in os.environ if n.startswith("TEXTUAL_") and not n.startswith(PLUGIN_ENV)]
    for name in [*MACHINE_ENV, *textual]:
        os.environ.pop(name, None)
    os.environ["TZ"] = "UTC"
    time.tzset()
    # Textual reads TEXTUAL_* once, when textual.constants is first imported; a pytest plugin
    # (pytest-textual-snapshot) imports it before this file, so read them again, now cleared.
    if "textual.constants" in sys.modules:
        importlib.reload(sys.modules["textual.constants"])


pin_machine_environment()


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the config and state dirs at tmp dirs and clear ROARK_* variables."""
    monkeypatch.setenv("ROARK_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("ROARK_TUI_STATE_DIR", str(tmp_path / "state"))
    for name in ISOLATED_ENV:
        monkeypatch.delenv(name, raising=False)
    from roark_tui.state import account

    account.use(None)  # an app built by an earlier test named its account
    return tmp_path


@pytest.fixture(autouse=True)
def heap_unfrozen() -> Iterator[None]:
    """An app freezes the heap once its service is warm (tui/app.py): in a test process that
    would keep every earlier test's app from ever being collected."""
    yield
    gc.unfreeze()


@pytest.fixture
def sandbox_app() -> Any:
    """A fresh in-process sandbox (token DEMO_TOKEN) as an ASGI app."""
    from roark_tui.sandbox import SandboxConfig, create_app

    return create_app(SandboxConfig())


@pytest.fixture
async def demo_service(sandbox_app: Any) -> AsyncIterator[Any]:
    """A RoarkService talking to `sandbox_app` through httpx.ASGITransport with DEMO_TOKEN."""
    import httpx

    from roark_tui.api.service import RoarkService
    from roark_tui.sandbox.demo_ids import DEMO_TOKEN

    service = RoarkService(
        base_url="http://sandbox.local",
        token=DEMO_TOKEN,
        transport=httpx.ASGITransport(app=sandbox_app),
        allow_insecure=True,
    )
    try:
        yield service
    finally:
        await service.aclose()


@pytest.fixture
async def sandbox_http(sandbox_app: Any) -> AsyncIterator[Any]:
    """A raw httpx.AsyncClient on `sandbox_app` sending DEMO_TOKEN: for tests of the server."""
    import httpx

    from roark_tui.sandbox.demo_ids import DEMO_TOKEN

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox_app),
        base_url="http://sandbox.local",
        headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
    ) as client:
        yield client


@pytest.fixture
def loopback_sandbox(sandbox_app: Any) -> Iterator[tuple[str, Any]]:
    """`sandbox_app` served over a real socket on 127.0.0.1 (hypercorn in a background
    thread): yields (base_url, app); knobs are set on `app.state.sandbox.faults`."""
    from roark_tui.sandbox.server import running_server

    with running_server(app=sandbox_app) as base_url:
        yield base_url, sandbox_app


class FakeClock:
    """A sandbox clock (`SandboxConfig.clock`) that moves only when a test moves it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def clocked_http(clock: FakeClock) -> AsyncIterator[Any]:
    """A raw client on a fresh sandbox running on `clock`; the app is its `.app`."""
    import httpx

    from roark_tui.sandbox import SandboxConfig, create_app
    from roark_tui.sandbox.demo_ids import DEMO_TOKEN

    app = create_app(SandboxConfig(clock=clock))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://sandbox.local",
        headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
    ) as http:
        http.app = app  # type: ignore[attr-defined]
        yield http
