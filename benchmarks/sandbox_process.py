"""The loopback sandbox the lookup figures fetch from, in a process of its own.

A separate process, so the server's work (building and sending the payload) never shares a GIL
with the app or the reference being measured, and both sides fetch from the same server alike.
`python -m benchmarks.sandbox_process METRICS VALUES [CALLS CHECKS] [--crowd] [--latency S]`
serves a sandbox whose BIG_CHAT_ID has METRICS x VALUES values (0 0: the plain demo data), with
CALLS CHECKS, whose benchmark run (sandbox/big_run.py) has CALLS calls of CHECKS checks, with
--crowd the crowd of calls and chats (sandbox/crowd.py; --chats N: only N chats), with
--latency S seconds added to every request; prints one JSON line (base_url, token) and serves
until its stdin closes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

from benchmarks.children import PYTHON, child_env


class SandboxProcess:
    """`with SandboxProcess(100, 100, home) as server:` then server.base_url, server.token."""

    def __init__(
        self,
        metrics: int,
        values: int,
        home: Path,
        run: tuple[int, int] = (0, 0),
        *,
        crowd: bool = False,
        chats: int = 0,
        latency: float = 0.0,
    ) -> None:
        self.metrics = metrics
        self.values = values
        self.run = run
        self.options = [*(["--crowd"] if crowd else []), "--latency", str(latency)]
        self.options += ["--chats", str(chats)] if chats else []
        self._home = home
        self._process: subprocess.Popen[str] | None = None
        self.base_url = ""
        self.token = ""

    def __enter__(self) -> SandboxProcess:
        self._process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "benchmarks.sandbox_process",
                *(str(n) for n in (self.metrics, self.values, *self.run)),
                *self.options,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=child_env(self._home),
            text=True,
        )
        stdout: IO[str] | None = self._process.stdout
        assert stdout is not None
        line = stdout.readline()
        if not line:
            self._process.wait(timeout=30)
            raise RuntimeError(f"the sandbox did not start (exit {self._process.returncode})")
        info: dict[str, Any] = json.loads(line)
        self.base_url = info["base_url"]
        self.token = info["token"]
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._process is None:
            return
        assert self._process.stdin is not None
        self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def main(argv: list[str]) -> None:
    import argparse
    from datetime import UTC, datetime

    from roark_tui.sandbox import SandboxConfig
    from roark_tui.sandbox.demo_ids import DEMO_TOKEN
    from roark_tui.sandbox.server import running_server

    parser = argparse.ArgumentParser(prog="python -m benchmarks.sandbox_process")
    parser.add_argument("sizes", nargs="*", type=int, help="METRICS VALUES [CALLS CHECKS]")
    parser.add_argument("--crowd", action="store_true")
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--chats", type=int, default=0, help="the crowd's chats (--crowd)")
    args = parser.parse_args(argv)
    metrics, values, calls, checks = (*args.sizes, 0, 0, 0, 0)[:4]
    big = (metrics, values) if metrics and values else None
    run = (calls, checks) if calls and checks else None
    config = SandboxConfig(
        token=DEMO_TOKEN,
        big_conversation=big,
        big_run=run,
        latency=args.latency,
        crowd_until=datetime.now(UTC) if args.crowd else None,
        crowd_size=(0, args.chats) if args.chats else None,
    )
    with running_server(config) as base_url:
        print(json.dumps({"base_url": str(base_url), "token": DEMO_TOKEN}), flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main(sys.argv[1:])
