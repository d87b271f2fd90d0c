"""Fixtures of the reliability suite: a loopback sandbox with its fault knobs, a service on it
whose transport can refuse connections or cut timeouts short, and the shared helpers in
rel_support.py (importable by the tests of this folder)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

sys.path.insert(0, str(Path(__file__).parent))

import rel_support


@pytest.fixture(scope="module")
def live_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[rel_support.LiveSandbox]:
    """One sandbox over a real loopback socket for the module (token rel_support.TOKEN)."""
    from roark_tui.sandbox import SandboxConfig, create_app
    from roark_tui.sandbox.server import running_server

    app = create_app(SandboxConfig(token=rel_support.TOKEN))
    with running_server(app=app) as base_url:
        yield rel_support.LiveSandbox(base_url, app.state.sandbox)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def live_app(
    live_sandbox: rel_support.LiveSandbox, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Any]:
    """One RoarkApp on the loopback sandbox for the module, driven by a Pilot (120x40).
    Its config and state dirs are private to the module (tests override them per test)."""
    from roark_tui.tui.app import RoarkApp

    home = tmp_path_factory.mktemp("app-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROARK_TUI_CONFIG_DIR", str(home / "config"))
        patch.setenv("ROARK_TUI_STATE_DIR", str(home / "state"))
        transport = rel_support.SwitchTransport()
        service = rel_support.make_service(live_sandbox.base_url, transport)
        app = RoarkApp(lambda: service)
        async with app.run_test(size=(100, 30)) as pilot:
            await rel_support.settle(pilot)
            yield rel_support.Driven(app, pilot, transport, service, live_sandbox)
        await transport.aclose()
