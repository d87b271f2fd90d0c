"""Serving the sandbox over a real socket with hypercorn (asyncio).

`serve` blocks until Ctrl+C or SIGTERM (the `roark-tui sandbox` command). `running_server` runs
it on a free loopback port in a background thread for tests and benchmarks:

    with running_server(SandboxConfig()) as base_url:
        ...  # base_url == "http://127.0.0.1:<port>"

The listening socket is bound before the thread starts (so the port is known and taken at
once) and readiness is confirmed by a request to the admin endpoint, never by sleeping.
"""

from __future__ import annotations

import asyncio
import http.client
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from roark_tui.sandbox.config import SandboxConfig

log = logging.getLogger(__name__)
READY_TIMEOUT = 10.0


class _NotDeliberateDrops(logging.Filter):
    """The drop fault ends responses by raising; that is the point, not a server error."""

    def filter(self, record: logging.LogRecord) -> bool:
        from roark_tui.sandbox.middleware import dropped_type

        kind = record.exc_info[0] if record.exc_info else None
        return not (kind is not None and issubclass(kind, dropped_type()))


log.addFilter(_NotDeliberateDrops())
access_log = logging.getLogger(__name__ + ".access")
access_log.propagate = False


def _hypercorn_config(bind: str, *, quiet: bool) -> Any:
    from hypercorn.config import Config

    config = Config()
    config.bind = [bind]
    config.graceful_timeout = 1.0
    config.errorlog = log
    config.accesslog = None if quiet else access_log
    config.access_log_format = '%(h)s "%(R)s" %(s)s %(b)s'
    return config


def serve(host: str, port: int, config: SandboxConfig) -> None:
    """Serve a sandbox on host:port until interrupted (raises OSError if the port is busy)."""
    from hypercorn.asyncio import serve as hypercorn_serve

    from roark_tui.sandbox import create_app

    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    for logger in (log, access_log):  # one line per request and per problem, on stderr
        if not logger.handlers:
            logger.addHandler(logging.StreamHandler())
            logger.setLevel(logging.INFO)
    app = create_app(config)
    # hypercorn types an ASGI app by its own scope TypedDicts; ours is plain ASGI on dicts.
    asyncio.run(hypercorn_serve(app, _hypercorn_config(bind, quiet=False)))  # type: ignore[arg-type]


class _ServerThread(threading.Thread):
    def __init__(self, app: Any, fd: int) -> None:
        super().__init__(name="roark-sandbox-server", daemon=True)
        self.app = app
        self.fd = fd
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stop_event: asyncio.Event | None = None
        self.error: BaseException | None = None
        self.loop_ready = threading.Event()

    def run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported to the thread that waits on readiness
            self.error = exc
        finally:
            self.loop_ready.set()

    async def _main(self) -> None:
        from hypercorn.asyncio import serve as hypercorn_serve

        self.loop = asyncio.get_running_loop()
        self.stop_event = asyncio.Event()
        self.loop_ready.set()
        config = _hypercorn_config(f"fd://{self.fd}", quiet=True)
        await hypercorn_serve(self.app, config, shutdown_trigger=self.stop_event.wait)

    def stop(self) -> None:
        if self.loop is not None and self.stop_event is not None and self.loop.is_running():
            self.loop.call_soon_threadsafe(self.stop_event.set)
        self.join(timeout=10)


@contextmanager
def running_server(config: SandboxConfig | None = None, *, app: Any = None) -> Iterator[str]:
    """Serve a sandbox (a new one for `config`, or the given `app`) on a free 127.0.0.1 port
    in a background thread; yields the base URL and shuts the server down on exit."""
    from roark_tui.sandbox import create_app

    config = config or SandboxConfig()
    app = app if app is not None else create_app(config)
    token = app.state.sandbox.config.token
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    fd = os.dup(listener.fileno())  # hypercorn owns (and closes) the duplicate
    listener.close()
    thread = _ServerThread(app, fd)
    thread.start()
    try:
        _wait_ready(thread, port, token)
        yield f"http://127.0.0.1:{port}"
    finally:
        thread.stop()
        if thread.loop is None:  # hypercorn never took the socket over
            os.close(fd)


def _wait_ready(thread: _ServerThread, port: int, token: str | None) -> None:
    """Until the admin endpoint answers; re-raises the server thread's error if it died."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    deadline = time.monotonic() + READY_TIMEOUT
    thread.loop_ready.wait(READY_TIMEOUT)
    while True:
        if thread.error is not None:
            raise RuntimeError("the sandbox server failed to start") from thread.error
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1.0)
        try:
            connection.request("GET", "/_sandbox/faults", headers=headers)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the sandbox server on port {port} did not become ready")
