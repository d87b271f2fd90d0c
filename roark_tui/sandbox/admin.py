"""The sandbox's admin endpoints (authenticated with the sandbox token, untouched by faults and
not recorded): GET/POST /_sandbox/faults reads and turns the fault knobs, GET /_sandbox/requests
the request log and the POST counts (see app.py for the knobs' JSON)."""

from __future__ import annotations

from typing import Any

from roark_tui.sandbox.faults import Fault
from roark_tui.sandbox.http import Request, Response
from roark_tui.sandbox.problems import invalid
from roark_tui.sandbox.route_kit import json_body, json_response, state_of
from roark_tui.sandbox.state import SandboxState


def admin_faults(request: Request) -> Response:
    state = state_of(request)
    if request.method == "POST":
        body = json_body(request)
        if not isinstance(body, dict):
            raise invalid(None, "send a JSON object of knobs")
        _apply_knobs(state, body)
    return json_response({"data": state.faults.snapshot()})


def _apply_knobs(state: SandboxState, body: dict[str, Any]) -> None:
    faults = state.faults
    known = {
        "clear",
        "latency",
        "errorRate",
        "errorSeed",
        "errorStatus",
        "add",
        "revokeToken",
        "restoreToken",
        "restartComputing",
    }
    for key in body:
        if key not in known:
            raise invalid(key, f"unknown knob {key!r}; known: {', '.join(sorted(known))}")
    try:
        if body.get("clear"):
            faults.clear()
        if body.get("latency") is not None:
            latency = float(body["latency"])
            if latency < 0:
                raise ValueError("latency is seconds >= 0")
            faults.latency = latency
        if body.get("errorRate") is not None or body.get("errorSeed") is not None:
            faults.set_error_rate(
                float(body.get("errorRate", faults.error_rate)),
                seed=body.get("errorSeed"),
                status=body.get("errorStatus"),
            )
        elif body.get("errorStatus") is not None:
            faults.error_status = int(body["errorStatus"])
        for raw in body.get("add") or []:
            faults.add(Fault.from_json(raw))
    except (TypeError, ValueError) as exc:
        raise invalid(None, f"bad knob value: {exc}") from None
    if body.get("revokeToken"):
        faults.revoke_token()
    if body.get("restoreToken"):
        faults.restore_token()
    if body.get("restartComputing"):
        state.restart_computing()


def admin_requests(request: Request) -> Response:
    state = state_of(request)
    counts = [
        {"path": path, "body": body, "count": count}
        for (path, body), count in state.post_counts.items()
    ]
    return json_response(
        {"data": {"requests": [list(r) for r in state.request_log], "postCounts": counts}}
    )
