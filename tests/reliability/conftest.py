"""Fixtures of the reliability suite: a loopback sandbox with its fault knobs, a service on it
whose transport can refuse connections or cut timeouts short, and the shared helpers in
rel_support.py (importable by the tests of this folder)."""

from __future__ import annotations

import socket
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

sys.path.insert(0, str(Path(__file__).parent))

import rel_support


@pytest.fixture
def live_sandbox() -> Iterator[rel_support.LiveSandbox]:
    """A sandbox of the test's own over a real loopback socket (token rel_support.TOKEN)."""
    from roark_tui.sandbox import SandboxConfig, create_app
    from roark_tui.sandbox.server import running_server

    app = create_app(SandboxConfig(token=rel_support.TOKEN))
    with running_server(app=app) as base_url:
        yield rel_support.LiveSandbox(base_url, app.state.sandbox)


@pytest_asyncio.fixture
async def live_app(live_sandbox: rel_support.LiveSandbox) -> AsyncIterator[Any]:
    """A RoarkApp of the test's own on its loopback sandbox, driven by a Pilot (100x30), so no
    case inherits another's screens, workers or requests still in flight."""
    from roark_tui.tui.app import RoarkApp

    transport = rel_support.SwitchTransport(live_sandbox.received)
    service = rel_support.make_service(live_sandbox.base_url, transport)
    app = RoarkApp(lambda: service)
    async with app.run_test(size=(100, 30)) as pilot:
        await rel_support.settle(pilot)
        yield rel_support.Driven(app, pilot, transport, service, live_sandbox)
    await transport.aclose()


@pytest.fixture(scope="module")
def sleeps() -> Iterator[rel_support.Sleeps]:
    """Every service built in the requesting module sleeps through a recorder (no real waits):
    for the command-line faults, whose services the commands build themselves."""
    recorder = rel_support.AnySleeps()
    from roark_tui.api.service import RoarkService

    defaults = RoarkService.__init__.__kwdefaults__
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(defaults, "sleep", recorder)
        yield recorder


@pytest.fixture(scope="module")
def dead_port() -> Iterator[int]:
    """A loopback port that refuses connections (bound, never listening)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
