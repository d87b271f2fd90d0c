"""A local, Roark-compatible API server with seeded demo data and fault knobs.

`create_app(SandboxConfig())` is an ASGI app (app.SandboxApp, on the small HTTP layer of
http.py): `--demo` runs it in process, `roark-tui sandbox` and the loopback tests serve it over
a socket (`server.serve`, `server.running_server`). It implements the contract (docs/contract.md)
on its own and never imports the client code (roark_tui.api, roark_tui.core) it is there to
check.
`app.state.sandbox` is the running state (`state.SandboxState`): request_log, post_counts,
definitions, faults.

Importing this package is cheap; the routes and the demo data load on the first create_app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from roark_tui.sandbox.config import SandboxConfig
from roark_tui.sandbox.faults import Fault

if TYPE_CHECKING:
    from roark_tui.sandbox.app import SandboxApp

__all__ = ["Fault", "SandboxConfig", "create_app"]


def create_app(config: SandboxConfig | None = None) -> SandboxApp:
    """A fresh sandbox app for `config` (the default: token DEMO_TOKEN, no faults)."""
    from roark_tui.sandbox.app import create_app as build

    return build(config or SandboxConfig())
