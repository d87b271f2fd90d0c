"""`roark-tui sandbox`: serve the Roark-compatible demo API over a socket (loopback by default)."""

from __future__ import annotations

import argparse
from typing import Any

from roark_tui.cli import common
from roark_tui.config import Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def register(subparsers: Any) -> None:
    sandbox = subparsers.add_parser(
        "sandbox", help="serve the demo API locally for other clients and for testing"
    )
    sandbox.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})"
    )
    sandbox.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    sandbox.add_argument(
        "--token",
        dest="sandbox_token",
        metavar="TOKEN",
        help="bearer token the server accepts (default sandbox-token)",
    )
    sandbox.set_defaults(handler=sandbox_cmd)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def sandbox_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from roark_tui.sandbox import SandboxConfig
    from roark_tui.sandbox.demo_ids import DEMO_TOKEN, FAILING_CHAT_ID
    from roark_tui.sandbox.server import serve

    if not 0 < args.port < 65536:
        raise common.UsageError(f"invalid port {args.port}")
    token = args.sandbox_token or DEMO_TOKEN
    base_url = f"http://{_url_host(args.host)}:{args.port}"
    from roark_tui.api.plain_http import is_loopback

    if not is_loopback(args.host):
        common.print_note(f"serving demo data on {args.host}, reachable beyond this machine")
    print(f"Roark sandbox at {base_url}")
    print(f"Token: {token}")
    print(f"Try:   roark-tui --base-url {base_url} --token {token} chat {FAILING_CHAT_ID}")
    print("Ctrl+C stops it.", flush=True)
    try:
        serve(args.host, args.port, SandboxConfig(token=token, crowd_until=common.demo_now))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        common.print_error(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}")
        return common.EXIT_NETWORK
    return common.EXIT_OK
