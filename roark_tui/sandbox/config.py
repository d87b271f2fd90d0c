"""How a sandbox is set up: its token, its data size and the faults it starts with.

Everything here can also be changed while it runs (`app.state.sandbox.faults`, or
`POST /_sandbox/faults` over a socket); the config is only the starting point.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from roark_tui.sandbox.demo_ids import DEMO_PROJECT_ID, DEMO_TOKEN
from roark_tui.sandbox.faults import Fault


@dataclass(frozen=True)
class SandboxConfig:
    """A sandbox's starting state.

    token: the bearer token accepted; None turns authentication off (used by `--demo`).
    latency: seconds added to every request (not to the admin endpoint).
    error_rate, error_seed, error_status: answer that share of requests with `error_status`,
        drawn from a random generator seeded with `error_seed` (the same seed, the same
        requests fail).
    faults: rules applied from the start, see `faults.Fault`.
    big_conversation: (metrics, values per metric) adds the chat BIG_CHAT_ID for benchmarks.
    big_run: (calls, checks) adds the simulation run big_run.BIG_RUN_ID for benchmarks.
    clock: seconds, monotonic; the computing scenario measures time on it from the first
        request for that chat's metrics, and collection jobs progress on it (tests pass a fake
        one).
    wall: the date and time the sandbox starts at, for the timestamps of collection jobs and
        the values they write (None: the real time; pictures pass a fixed one).
    crowd_until: adds the crowd (crowd.py), a few hundred calls and chats over the week before
        this moment (aware), or before what this function answers when the crowd is first
        needed; None leaves only the hand-written demo conversations.
    crowd_size: (calls, chats) of the crowd instead of its few hundred (benchmarks page through
        ten thousand).
    require_project: answer 400 to a request without X-Roark-Project-Id (as Roark answers a
        user-scoped credential that names no project); GET /v1/projects lists them.
    kept_in: a JSON file the definitions created or edited are kept in between runs, read at
        the start (`--demo` passes one in the user's state dir); None keeps them in memory.
    """

    token: str | None = DEMO_TOKEN
    latency: float = 0.0
    error_rate: float = 0.0
    error_seed: int = 0
    error_status: int = 500
    faults: tuple[Fault, ...] = ()
    big_conversation: tuple[int, int] | None = None
    big_run: tuple[int, int] | None = None
    clock: Callable[[], float] = time.monotonic
    wall: datetime | None = None
    project_id: str = DEMO_PROJECT_ID
    crowd_until: datetime | Callable[[], datetime] | None = None
    crowd_size: tuple[int, int] | None = None
    require_project: bool = False
    kept_in: Path | None = None

    def __post_init__(self) -> None:
        if self.big_conversation is not None:
            metrics, per_metric = self.big_conversation
            if metrics < 1 or per_metric < 1:
                raise ValueError("big_conversation needs at least 1 metric and 1 value each")
        if not 0.0 <= self.error_rate <= 1.0:
            raise ValueError("error_rate is a share between 0 and 1")
