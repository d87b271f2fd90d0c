"""What the reliability tests share: the distinctive token, the fault matrix, a transport that
can refuse or time out on demand, and ways to read what the user sees (the screen as text and
as the bytes a terminal would receive)."""

from __future__ import annotations

import asyncio
import io
import re
import socket
import threading
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from pilot_support import WAIT_LIMIT, until
from pilot_support import settle as settle
from rich.console import Console
from rich.segment import Segments

from roark_tui.api.service import RoarkService
from roark_tui.sandbox import Fault
from roark_tui.sandbox.state import SandboxState

# Distinctive, so a leak anywhere is found by a plain substring search.
TOKEN = "tok_SECRET_rel_9f3c7a1e5d2b4c6a"
# The "timeout" case: the client gives up CUT_TIMEOUT s after the server recorded the request,
# the server answers SLOW_SERVER s after recording it; the gap is wide enough that a loaded
# machine cannot blur the two.
CUT_TIMEOUT = 0.5
SLOW_SERVER = 2.0
# The limits a cut request is sent with: its cut is the transport's own, and these must outlast
# the wait for the server to record it (WAIT_LIMIT), so that wait is what fails loudly.
PATIENT = httpx.Timeout(5.0, read=2 * WAIT_LIMIT)
POLL = 0.01  # how often a cut request looks whether the server has recorded it
RETRY_AFTER = 1.0  # the 429's Retry-After, honoured through a recording sleep


# --- the sandbox and the service -------------------------------------------------------------


@dataclass
class LiveSandbox:
    base_url: str
    state: SandboxState

    def reset(self) -> None:
        self.state.faults.clear()
        self.state.faults.restore_token()

    def mark(self) -> int:
        return len(self.state.request_log)

    def requests_since(self, mark: int, method: str, path_glob: str) -> int:
        """Requests the server received since `mark` matching method and path glob."""
        probe = Fault("status", method=method, path=path_glob)
        return sum(1 for m, p in self.state.request_log[mark:] if probe.matches(m, p))

    def received(self, method: str, path: str) -> int:
        """How many requests of exactly this method and path the server has recorded (read
        from the test's thread while the server's thread appends: list.count is atomic)."""
        return self.state.request_log.count((method, path))


# How many requests of a method and path the live sandbox has recorded (LiveSandbox.received).
Received = Callable[[str, str], int]


def _route(method: str, path_glob: str) -> Fault:
    """A probe matching requests by method and path glob, as fault rules match them."""
    return Fault("status", method=method, path=path_glob)


async def cut_short(
    inner: httpx.AsyncBaseTransport,
    request: httpx.Request,
    received: Received,
    after: float = CUT_TIMEOUT,
) -> httpx.Response:
    """Send `request` with ordinary limits and give up on its answer `after` s once the server
    has recorded it: httpx.ReadTimeout, the request cancelled (httpcore then closes its
    connection). A client's own read timeout starts when it has sent the request; on a starved
    machine it can run out before the server's thread has even read it, and a case that counts
    the server's requests then loses one. Starting the clock at the server makes the outcome
    depend on the server's delay alone."""
    method, path = request.method, request.url.path
    before = received(method, path)
    request.extensions = {**request.extensions, "timeout": PATIENT.as_dict()}
    sending = asyncio.ensure_future(inner.handle_async_request(request))
    try:
        deadline = time.monotonic() + WAIT_LIMIT
        while received(method, path) == before and not sending.done():
            if time.monotonic() > deadline:
                raise AssertionError(f"the sandbox never recorded {method} {path}")
            await asyncio.sleep(POLL)
        await asyncio.wait({sending}, timeout=after)
        if sending.done():
            return sending.result()  # answered in time, or failed before the server saw it
    finally:
        if not sending.done():
            sending.cancel()
            await asyncio.wait({sending})
            if not sending.cancelled() and sending.exception() is None:
                await sending.result().aclose()  # answered just as it was given up
    raise httpx.ReadTimeout("timed out", request=request)


class SwitchTransport(httpx.AsyncBaseTransport):
    """The real loopback transport, which can be told to send to a port that refuses
    connections, or to give up on one route's answer soon after the server recorded the
    request (`cut`; `received` is how it sees that)."""

    def __init__(self, received: Received) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.received = received
        self.refuse = False
        self.cut_route: Fault | None = None
        self.answer: Callable[[httpx.Request], httpx.Response] | None = None
        self.sent: list[tuple[str, str, dict[str, str]]] = []
        # Bound but never listening: connecting to it is refused by the kernel.
        self._dead = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._dead.bind(("127.0.0.1", 0))
        self.dead_port = self._dead.getsockname()[1]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path, dict(request.headers)))
        if self.answer is not None:  # a made-up server answer, e.g. one echoing the token
            return self.answer(request)
        if self.refuse:
            request.url = request.url.copy_with(port=self.dead_port)
        route = self.cut_route
        if route is not None and route.matches(request.method, request.url.path):
            return await cut_short(self.inner, request, self.received)
        return await self.inner.handle_async_request(request)

    def cut(self, method: str, path_glob: str) -> None:
        """Give up on the answers to this route CUT_TIMEOUT s after the server recorded each
        request; other requests (a read-back, a list) keep their ordinary limits."""
        self.cut_route = _route(method, path_glob)

    def attempts(self, method: str, path_glob: str) -> int:
        probe = _route(method, path_glob)
        return sum(1 for m, p, _ in self.sent if probe.matches(m, p))

    def reset(self) -> None:
        self.refuse = False
        self.cut_route = None
        self.answer = None

    async def aclose(self) -> None:
        await self.inner.aclose()
        self._dead.close()


class CutTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """httpx's own transports, of both kinds, giving up on one route's answers `after` s once
    the server recorded each request, as `cut_short` does: for the command line, whose async
    and blocking services are built from the same defaults."""

    def __init__(
        self, received: Received, method: str, path_glob: str, after: float = CUT_TIMEOUT
    ) -> None:
        self.received = received
        self.route = _route(method, path_glob)
        self.after = after
        self.inner = httpx.HTTPTransport()
        self.async_inner = httpx.AsyncHTTPTransport()
        self._senders: list[threading.Thread] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self.route.matches(request.method, request.url.path):
            return await self.async_inner.handle_async_request(request)
        return await cut_short(self.async_inner, request, self.received, self.after)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """The blocking cut: a blocking read cannot be cancelled, so a thread of its own sends
        the request, and an answer that comes after the cut is closed there when it comes."""
        if not self.route.matches(request.method, request.url.path):
            return self.inner.handle_request(request)
        method, path = request.method, request.url.path
        before = self.received(method, path)
        request.extensions = {**request.extensions, "timeout": PATIENT.as_dict()}
        lock = threading.Lock()
        answered = threading.Event()
        outcome: list[httpx.Response | Exception] = []
        given_up = False

        def send() -> None:
            try:
                found: httpx.Response | Exception = self.inner.handle_request(request)
            except Exception as exc:  # raised in the caller's thread if it still waits
                found = exc
            with lock:
                if not given_up:
                    outcome.append(found)
                    answered.set()
                    return
            if isinstance(found, httpx.Response):
                found.close()

        sender = threading.Thread(target=send, name="cut-transport-send", daemon=True)
        self._senders.append(sender)
        sender.start()
        try:
            deadline = time.monotonic() + WAIT_LIMIT
            while self.received(method, path) == before and not answered.is_set():
                if time.monotonic() > deadline:
                    raise AssertionError(f"the sandbox never recorded {method} {path}")
                time.sleep(POLL)
            answered.wait(self.after)
        finally:
            with lock:
                given_up = not outcome
        if given_up:
            raise httpx.ReadTimeout("timed out", request=request)
        if isinstance(outcome[0], Exception):
            raise outcome[0]
        return outcome[0]

    def close(self) -> None:
        """Once the answers given up on have come and been closed (the server's delay)."""
        for sender in self._senders:
            sender.join(WAIT_LIMIT)
        self.inner.close()

    async def aclose(self) -> None:
        await self.async_inner.aclose()


@dataclass
class Sleeps:
    """The service's sleep between retries, recorded and skipped (tests never really wait)."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0)


class _Skipped:
    """What AnySleeps returns: an async client awaits it, a blocking one drops it."""

    def __await__(self) -> Generator[None, None, None]:
        return iter(())


@dataclass
class AnySleeps(Sleeps):
    """The recorder for a service of either kind: called by a blocking one, awaited by an
    async one."""

    def __call__(self, delay: float) -> _Skipped:  # type: ignore[override]
        self.delays.append(delay)
        return _Skipped()


def make_service(base_url: str, transport: httpx.AsyncBaseTransport, **kw: Any) -> RoarkService:
    service = RoarkService(
        base_url=base_url,
        token=TOKEN,
        transport=transport,
        timeout=httpx.Timeout(10, connect=5),
        sleep=Sleeps(),
        **kw,
    )
    return service


def echo_token(status: int) -> Callable[[httpx.Request], httpx.Response]:
    """A server answer that repeats the request's Authorization header back (a careless proxy
    or debug page): JSON for 4xx, an HTML page for 5xx."""

    def answer(request: httpx.Request) -> httpx.Response:
        said = f"bad request from {request.headers.get('authorization', '')}"
        if status >= 500:
            page = f"<html><title>{status} {said}</title><body>{said}</body></html>"
            return httpx.Response(status, text=page, headers={"content-type": "text/html"})
        body = {"type": "internal", "code": "echo", "message": said, "parameter": said}
        return httpx.Response(status, json=body)

    return answer


@contextmanager
def plain_server(answer: Callable[[Any], None]) -> Iterator[tuple[str, list[Any]]]:
    """A bare HTTP server on a free loopback port (not the sandbox) whose GET/POST handler is
    `answer(handler)`; yields its base URL and the requests it received."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[Any] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append((self.command, self.path, dict(self.headers)))
            answer(self)

        do_POST = do_GET

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# What no CLI output may hold: controls but tab and newline, DEL, C1 controls, bidi overrides
# and isolates.
UNSAFE_OUTPUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def cli(capsys: Any, *args: str, stdin: str = "") -> tuple[int, str]:
    """Run `roark-tui ARGS` with `stdin` piped in; (exit code, stdout + stderr)."""
    from roark_tui.cli import main

    fake = io.StringIO(stdin)
    fake.isatty = lambda: False  # type: ignore[method-assign]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", fake)
        code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


# --- the fault matrix --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One way the API or the network fails, and what a correct client does about it.

    attempts_get: how often a GET is sent in all (1 + retries); attempts_post likewise for a
    POST, counting tries the server never saw. server_posts: how many of those POSTs reach the
    sandbox. route_runs: the server acted on the request (a create may have happened).
    """

    name: str
    apply: Callable[[LiveSandbox, SwitchTransport, str, str], None]
    attempts_get: int
    attempts_post: int
    server_posts: int
    route_runs: bool
    ok: bool = False  # the request succeeds (a tolerant reader copes)


def _fault(kind: str, **params: Any) -> Callable[[LiveSandbox, SwitchTransport, str, str], None]:
    def apply(sandbox: LiveSandbox, transport: SwitchTransport, method: str, path: str) -> None:
        sandbox.state.faults.add(Fault(kind, method=method, path=path, **params))

    return apply


def _slow(sandbox: LiveSandbox, transport: SwitchTransport, method: str, path: str) -> None:
    sandbox.state.faults.add(Fault("latency", method=method, path=path, delay=SLOW_SERVER))
    transport.cut(method, path)


def _refuse(sandbox: LiveSandbox, transport: SwitchTransport, method: str, path: str) -> None:
    transport.refuse = True


def _revoke(sandbox: LiveSandbox, transport: SwitchTransport, method: str, path: str) -> None:
    sandbox.state.faults.revoke_token()


CASES = (
    Case("timeout", _slow, 3, 1, 1, True),
    Case("refused", _refuse, 3, 3, 0, False),
    Case("dropped", _fault("drop"), 3, 1, 1, True),
    Case("http_500", _fault("status", status=500), 3, 1, 1, False),
    Case("http_502", _fault("status", status=502), 3, 1, 1, False),
    Case("http_503", _fault("status", status=503), 3, 1, 1, False),
    Case("rate_limited", _fault("rate_limit", retry_after=RETRY_AFTER), 3, 1, 1, False),
    Case("html_page", _fault("html"), 3, 1, 1, False),
    Case("truncated_json", _fault("truncate"), 1, 1, 1, True),
    Case("wrong_shape", _fault("wrong_shape"), 1, 1, 1, True),
    Case("unknown_enums", _fault("extra_fields"), 1, 1, 1, True, ok=True),
    Case("revoked_401", _revoke, 1, 1, 1, False),
    Case("not_found_404", _fault("status", status=404), 1, 1, 1, False),
)
CASE_IDS = [case.name for case in CASES]


# --- what the user sees ------------------------------------------------------------------------


def _strips(app: Any) -> list[Any]:
    """The current screen's lines as Textual composited them for the terminal."""
    return list(app.screen._compositor.render_strips())


def screen_text(app: Any) -> str:
    """The current screen as plain text, as a person would read it."""
    return "\n".join("".join(segment.text for segment in strip) for strip in _strips(app))


def terminal_output(app: Any) -> str:
    """The current screen as the escape-coded text a terminal receives for a full repaint:
    each line's segments with their styles, the text written as it is (as Textual's driver
    writes it)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
        safe_box=False,
    )
    for strip in _strips(app):
        console.print(Segments(list(strip)), soft_wrap=True)
    return console.file.getvalue()  # type: ignore[attr-defined]


def layout_problems(app: Any) -> list[str]:
    """What is wrong with the screen's geometry: lines of the wrong width, or too many."""
    width, height = app.size
    strips = _strips(app)
    found = [f"{len(strips)} lines on a {height}-line screen"] if len(strips) != height else []
    found += [
        f"line {y} is {strip.cell_length} cells wide"
        for y, strip in enumerate(strips)
        if strip.cell_length != width
    ]
    return found


def flat(text: str) -> str:
    """Screen text with whitespace runs collapsed, for phrases that may wrap."""
    return " ".join(text.split())


# Sequences a terminal acts on that Textual itself never sends when painting a screen.
FOREIGN_SEQUENCES = {
    "OSC (clipboard, title, hyperlink...)": re.compile(r"\x1b\]|\x9d"),
    "BEL": re.compile(r"\x07"),
    "clear screen / cursor home": re.compile(r"\x1b\[2J|\x1b\[H|\x1b\[[0-9;]*[ABCDfJK]"),
    "C1 control": re.compile(r"[\x80-\x9f]"),
    "other C0 control": re.compile(r"[\x00-\x06\x08\x0b\x0c\x0e-\x1a\x1c-\x1f]"),
    "ESC not starting a CSI": re.compile(r"\x1b(?!\[)"),
}


def foreign_sequences(output: str) -> list[str]:
    """Which kinds of sequence in `output` did not come from Textual's own painting."""
    return [name for name, pattern in FOREIGN_SEQUENCES.items() if pattern.search(output)]


# --- driving the app ---------------------------------------------------------------------------


async def saved_draft(pilot: Any, store: Any, holding: str) -> dict[str, Any] | None:
    """The draft on disk once one of its fields is `holding` (wizards write drafts a moment
    after the last change, so wait for it), else None."""

    def draft() -> dict[str, Any] | None:
        saved = store.load()
        fields = saved.get("draft") if saved else None
        return saved if isinstance(fields, dict) and holding in fields.values() else None

    try:
        await until(pilot, lambda: draft() is not None, "the draft saved", poll=0.05)
    except AssertionError:
        return None
    return draft()


async def server_did(pilot: Any, done: Callable[[], bool]) -> bool:
    """Whether the server did it, waiting while a slow request may still be at work there
    (the client gave up on it before the server finished)."""
    try:
        await until(pilot, done, "the server's slow answer", workers=False, poll=0.01)
    except AssertionError:
        return False
    return True


@dataclass
class Driven:
    """The module's app with what drives and observes it."""

    app: Any
    pilot: Any
    transport: SwitchTransport
    service: RoarkService
    sandbox: LiveSandbox

    def reset(self) -> None:
        self.sandbox.reset()
        self.transport.reset()
        self.service._sleep.delays.clear()  # type: ignore[attr-defined]

    @property
    def sleeps(self) -> list[float]:
        return self.service._sleep.delays  # type: ignore[attr-defined]

    async def home(self) -> None:
        """Back to the lookup screen, whatever is open."""
        self.app.open_lookup()
        await settle(self.pilot)

    def text(self) -> str:
        return screen_text(self.app)

    async def until(self, ready: Callable[[], bool], what: str) -> None:
        """Let the app run until `ready()` holds; the screen goes into the failure message."""
        try:
            await until(self.pilot, ready, what)
        except AssertionError as gave_up:
            raise AssertionError(f"{gave_up}; screen: {flat(self.text())[:400]}") from None


# What a list screen (definitions, a run's report) says after each case of a failed load.
LIST_SAYS = {
    "timeout": "did not answer within",
    "refused": "Could not reach 127.0.0.1",
    "dropped": "Could not reach 127.0.0.1",
    "http_500": "HTTP 500",
    "http_502": "HTTP 502",
    "http_503": "HTTP 503",
    "rate_limited": f"retry in {RETRY_AFTER:g} s",
    "html_page": "502 Bad Gateway",
    "truncated_json": "could not be read",
    "wrong_shape": "could not be read",
    "revoked_401": "The token was refused",
    "not_found_404": "HTTP 404",
}


# What a wizard's status line (or its screen) says after each case of a failed create.
WIZARD_SAYS = {
    "timeout": "did not answer",
    "refused": "Could not reach 127.0.0.1",
    "dropped": "Could not reach 127.0.0.1",
    "http_500": "HTTP 500",
    "http_502": "HTTP 502",
    "http_503": "HTTP 503",
    "rate_limited": "Rate limited",
    "html_page": "502 Bad Gateway",
    "truncated_json": "could not be read",
    "wrong_shape": "could not be read",
    "revoked_401": "HTTP 401",
    "not_found_404": "Not found",
}


def status_line(screen: Any) -> str:
    """A wizard's status line (#status), as plain text."""
    return flat(str(screen.query_one("#status").render()))
