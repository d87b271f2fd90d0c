"""What every route handler uses: its sandbox's running state, the JSON body it was sent, and a
JSON answer (compact, UTF-8 as sent by the API)."""

from __future__ import annotations

import json
from typing import Any

from roark_tui.sandbox import payloads
from roark_tui.sandbox.http import Request, Response
from roark_tui.sandbox.problems import invalid
from roark_tui.sandbox.state import SandboxState


def state_of(request: Request) -> SandboxState:
    state: SandboxState = request.state
    return state


def json_response(data: Any, status: int = 200) -> Response:
    return Response(payloads.dumps(data), status)


def json_body(request: Request) -> Any:
    raw = request.body
    if not raw.strip():
        raise invalid(None, "the request body must be a JSON object", "invalid_json")
    try:
        return json.loads(raw)
    except ValueError:
        raise invalid(None, "the request body is not valid JSON", "invalid_json") from None
