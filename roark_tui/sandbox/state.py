"""What one running sandbox remembers: requests seen, POSTs per body, definitions, collection
jobs and the values they wrote, faults, and the clock of the computing scenario. Tests reach it
as `app.state.sandbox`."""

from __future__ import annotations

import hmac
import json
from collections import Counter
from datetime import datetime
from typing import Any

from roark_tui.sandbox.collection_jobs import CollectionJobs
from roark_tui.sandbox.config import SandboxConfig
from roark_tui.sandbox.definitions import DefinitionStore
from roark_tui.sandbox.faults import Faults


class SandboxState:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.request_log: list[tuple[str, str]] = []
        self.post_counts: Counter[tuple[str, str]] = Counter()
        self.faults = Faults(
            latency=config.latency,
            error_rate=config.error_rate,
            error_seed=config.error_seed,
            error_status=config.error_status,
            rules=config.faults,
        )
        self.definitions = DefinitionStore(_extra_definitions(config), config.kept_in)
        self.jobs = CollectionJobs(self.definitions, config.clock, config.wall)
        self._clock = config.clock
        self._origin: float | None = None
        self.in_flight = 0
        self._crowd_until: datetime | None = None
        self.max_in_flight = 0
        self._runs_origin: float | None = None

    # --- clock -----------------------------------------------------------------------------

    def elapsed(self) -> float:
        """Seconds on the sandbox clock since the computing chat's metrics were first asked
        for (or since the last restart_computing). The conversation "ends" when someone first
        looks: a demo user who opens it minutes after starting the app still sees its rows
        arrive."""
        now = self._clock()
        if self._origin is None:
            self._origin = now
        return now - self._origin

    def restart_computing(self) -> None:
        """Start the computing scenario over: its metric rows arrive again from t=0."""
        self._origin = self._clock()

    def run_elapsed(self) -> float:
        """Seconds on the sandbox clock since the running demo run was first asked about: it
        settles SETTLE_SECONDS later (sandbox/demo_runs.py), whenever the user looks."""
        now = self._clock()
        if self._runs_origin is None:
            self._runs_origin = now
        return now - self._runs_origin

    # --- auth ------------------------------------------------------------------------------

    def revoke_token(self) -> None:
        self.faults.revoke_token()

    def token_ok(self, authorization: str | None, *, admin: bool = False) -> bool:
        """Is this Authorization header the configured bearer token (and not revoked)?"""
        expected = self.config.token
        if expected is None:
            return True
        if self.faults.token_revoked and not admin:
            return False
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(token.strip().encode(), expected.encode())

    # --- bookkeeping ----------------------------------------------------------------------

    def started(self) -> None:
        """A request is being answered; `max_in_flight` is the most ever answered at once
        (how a test proves a client bounds its concurrency)."""
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def finished(self) -> None:
        self.in_flight -= 1

    @property
    def crowd(self) -> Any:
        """The crowd conversations of this sandbox (crowd.Crowd), or None."""
        if self._crowd_until is None:
            wanted = self.config.crowd_until
            if wanted is None:
                return None
            self._crowd_until = wanted if isinstance(wanted, datetime) else wanted()
        from roark_tui.sandbox.crowd import crowd

        return crowd(self._crowd_until, *(self.config.crowd_size or ()))

    def record(self, method: str, path: str, body: bytes | None) -> None:
        self.request_log.append((method, path))
        if method == "POST":
            self.post_counts[(path, canonical(body or b""))] += 1

    def posts(self, path: str | None = None) -> int:
        """How many POSTs arrived (to `path`, or anywhere)."""
        return sum(n for (p, _), n in self.post_counts.items() if path is None or p == path)


def canonical(body: bytes) -> str:
    """A POST body as compact, key-sorted JSON (or as text when it is not JSON)."""
    try:
        parsed: Any = json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _extra_definitions(config: SandboxConfig) -> list[dict[str, Any]]:
    """The benchmark chat's definitions, listed only while it is served."""
    if config.big_conversation is None:
        return []
    from roark_tui.sandbox.big import definitions

    return definitions(config.big_conversation[0])
