"""The sandbox's fault knobs in process: each kind of misbehaviour, how long it lasts, which
requests it hits, the seeded 5xx share, token revocation and the admin endpoint."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from roark_tui.sandbox import Fault, SandboxConfig, create_app
from roark_tui.sandbox import demo_ids as ids

METRICS = f"/v1/chat/{ids.FAILING_CHAT_ID}/metrics"


def client_for(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://sandbox.local",
        headers={"Authorization": f"Bearer {ids.DEMO_TOKEN}"},
    )


async def statuses(client: httpx.AsyncClient, n: int, path: str = "/v1/me") -> list[int]:
    return [(await client.get(path)).status_code for _ in range(n)]


async def test_a_configured_fault_answers_the_next_n_matching_requests() -> None:
    app = create_app(SandboxConfig(faults=(Fault("status", status=503, times=2, path="/v1/*"),)))
    async with client_for(app) as client:
        assert (await client.get("/health")).status_code == 200  # does not match the path
        first = await client.get("/v1/chat")
        assert first.status_code == 503
        assert first.json() == {
            "type": "internal",
            "code": "service_unavailable",
            "message": "Service temporarily unavailable",
        }
        assert await statuses(client, 2) == [503, 200]
    assert app.state.sandbox.faults.rules == []


@pytest.mark.parametrize("status", [500, 502, 503, 504, 404, 401, 403, 409, 422])
async def test_forced_status_until_cleared(sandbox_app: Any, status: int) -> None:
    faults = sandbox_app.state.sandbox.faults
    faults.add("status", status=status, path="/v1/chat/*/metrics")
    async with client_for(sandbox_app) as client:
        for _ in range(3):
            response = await client.get(METRICS)
            assert response.status_code == status
            assert response.json()["type"] and response.json()["code"]
        assert (await client.get("/v1/me")).status_code == 200
        faults.clear()
        assert (await client.get(METRICS)).status_code == 200


async def test_method_filter(sandbox_app: Any) -> None:
    sandbox_app.state.sandbox.faults.add(Fault("status", status=500, method="POST"))
    async with client_for(sandbox_app) as client:
        assert (await client.get("/v1/metric/definitions")).status_code == 200
        body = {"operator": "EQUALS", "value": "0"}
        path = "/v1/metric/definitions/loop_count/thresholds"
        assert (await client.post(path, json=body)).status_code == 500
    # the POST reached the server and is counted although the fault answered it
    assert sandbox_app.state.sandbox.posts(path) == 1


async def test_rate_limit_sends_retry_after(sandbox_app: Any) -> None:
    sandbox_app.state.sandbox.faults.add("rate_limit", retry_after=0.25, times=1)
    async with client_for(sandbox_app) as client:
        limited = await client.get("/v1/chat")
        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "0.25"
        assert limited.json() == {
            "type": "rate_limit",
            "code": "too_many_requests",
            "message": "Rate limit exceeded",
        }
        assert (await client.get("/v1/chat")).status_code == 200


async def test_html_error_page(sandbox_app: Any) -> None:
    sandbox_app.state.sandbox.faults.add("html", times=1)
    async with client_for(sandbox_app) as client:
        page = await client.get("/v1/chat")
    assert page.status_code == 502
    assert page.headers["content-type"].startswith("text/html")
    assert "<title>502 Bad Gateway</title>" in page.text


async def test_truncated_json_is_a_complete_message_with_half_a_body(sandbox_app: Any) -> None:
    async with client_for(sandbox_app) as client:
        whole = (await client.get(METRICS)).content
        sandbox_app.state.sandbox.faults.add("truncate", times=1)
        cut = await client.get(METRICS)
    assert cut.status_code == 200
    assert int(cut.headers["content-length"]) == len(cut.content) == len(whole) // 2
    assert whole.startswith(cut.content)
    with pytest.raises(ValueError):
        json.loads(cut.content)


async def test_wrong_shape(sandbox_app: Any) -> None:
    sandbox_app.state.sandbox.faults.add("wrong_shape", path="/v1/chat*", times=2)
    async with client_for(sandbox_app) as client:
        for path in ("/v1/chat", METRICS):
            response = await client.get(path)
            assert response.status_code == 200
            assert response.json()["data"] == 42


async def test_extra_fields_and_unknown_enum_values(sandbox_app: Any) -> None:
    async with client_for(sandbox_app) as client:
        plain = (await client.get(METRICS, params={"status": "all"})).json()["data"]
        sandbox_app.state.sandbox.faults.add("extra_fields", times=1)
        newer = (await client.get(METRICS, params={"status": "all"})).json()["data"]
    assert len(newer) == len(plain)
    assert all("xRoarkPreview" in group for group in newer)
    assert all("xRoarkPreview" in value for group in newer for value in group["values"])
    assert {g["type"] for g in newer} - {g["type"] for g in plain} == {"DURATION"}
    assert "PARTIAL" in {v["captureStatus"] for g in newer for v in g["values"]}
    assert newer[0]["slug"] == plain[0]["slug"]  # known values are kept on the others


async def test_drop_raises_a_transport_error_in_process(sandbox_app: Any) -> None:
    sandbox_app.state.sandbox.faults.add("drop", times=1)
    async with client_for(sandbox_app) as client:
        with pytest.raises(httpx.TransportError):
            await client.get(METRICS)
        assert (await client.get(METRICS)).status_code == 200


async def test_latency_standing_and_per_rule(sandbox_app: Any) -> None:
    faults = sandbox_app.state.sandbox.faults
    async with client_for(sandbox_app) as client:
        faults.latency = 0.05
        started = time.perf_counter()
        await client.get("/v1/me")
        assert time.perf_counter() - started >= 0.05
        faults.clear()
        faults.add("latency", delay=0.05, times=1)
        started = time.perf_counter()
        assert (await client.get("/v1/me")).status_code == 200
        assert time.perf_counter() - started >= 0.05


async def fail_pattern(seed: int, rate: float, n: int = 40) -> list[int]:
    app = create_app(SandboxConfig(error_rate=rate, error_seed=seed, error_status=502))
    async with client_for(app) as client:
        return await statuses(client, n)


async def test_error_share_is_seeded_and_deterministic() -> None:
    first = await fail_pattern(7, 0.3)
    assert first == await fail_pattern(7, 0.3)
    assert set(first) == {200, 502} and 4 <= first.count(502) <= 24
    assert first != await fail_pattern(8, 0.3)
    assert set(await fail_pattern(1, 0.0, 10)) == {200}
    assert set(await fail_pattern(1, 1.0, 10)) == {502}


async def test_revoked_token_is_refused_until_restored(sandbox_app: Any) -> None:
    state = sandbox_app.state.sandbox
    async with client_for(sandbox_app) as client:
        assert (await client.get("/v1/me")).status_code == 200
        state.revoke_token()
        refused = await client.get("/v1/me")
        assert refused.status_code == 401 and refused.json()["type"] == "authentication"
        assert (await client.get("/_sandbox/faults")).json()["data"]["tokenRevoked"] is True
        state.faults.restore_token()
        assert (await client.get("/v1/me")).status_code == 200


async def test_admin_endpoint_drives_every_knob(sandbox_app: Any) -> None:
    state = sandbox_app.state.sandbox
    async with client_for(sandbox_app) as client:
        knobs = {
            "latency": 0.01,
            "errorRate": 0.5,
            "errorSeed": 3,
            "errorStatus": 503,
            "add": [{"kind": "rate_limit", "retryAfter": 2, "path": "/v1/call*", "times": 1}],
            "revokeToken": True,
        }
        answer = await client.post("/_sandbox/faults", json=knobs)
        assert answer.status_code == 200, answer.text
        snapshot = answer.json()["data"]
        assert snapshot["latency"] == 0.01 and snapshot["errorRate"] == 0.5
        assert snapshot["errorStatus"] == 503 and snapshot["tokenRevoked"] is True
        assert snapshot["rules"][0]["kind"] == "rate_limit"
        assert snapshot["rules"][0]["retryAfter"] == 2
        assert state.faults.latency == 0.01
        cleared = await client.post("/_sandbox/faults", json={"clear": True, "restoreToken": True})
        assert cleared.json()["data"] == {
            "latency": 0.0,
            "errorRate": 0.0,
            "errorSeed": 3,
            "errorStatus": 503,
            "tokenRevoked": False,
            "rules": [],
        }
        assert (await client.get("/v1/me")).status_code == 200
    assert ("GET", "/v1/me") in state.request_log
    assert not [r for r in state.request_log if r[1].startswith("/_sandbox")]


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"speed": 1}, "speed"),
        ({"add": [{"kind": "explode"}]}, None),
        ({"add": [{"kind": "status", "status": 700}]}, None),
        ({"add": [{"kind": "status", "times": 0}]}, None),
        ({"add": [{"kind": "status", "colour": "red"}]}, None),
        ({"add": ["status"]}, None),
        ({"latency": -1}, None),
        ({"errorRate": 2}, None),
    ],
)
async def test_admin_endpoint_refuses_bad_knobs(
    sandbox_http: Any, body: dict[str, Any], parameter: str | None
) -> None:
    response = await sandbox_http.post("/_sandbox/faults", json=body)
    assert response.status_code == 400, response.text
    assert response.json().get("parameter") == parameter


async def test_admin_endpoint_needs_the_token_and_ignores_faults(sandbox_app: Any) -> None:
    sandbox_app.state.sandbox.faults.add("status", status=500)
    transport = httpx.ASGITransport(app=sandbox_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://s") as anonymous:
        assert (await anonymous.get("/_sandbox/faults")).status_code == 401
        assert (await anonymous.get("/_sandbox/requests")).status_code == 401
    async with client_for(sandbox_app) as client:
        assert (await client.get("/_sandbox/requests")).status_code == 200
        assert (await client.get("/v1/me")).status_code == 500


def test_fault_rules_validate_themselves() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault("explode")
    with pytest.raises(ValueError):
        Fault("status", times=0)
    with pytest.raises(ValueError):
        Fault("status", status=99)
    with pytest.raises(ValueError):
        SandboxConfig(error_rate=1.5)
    assert Fault("html").status == 502 and Fault("status").status == 500
    assert Fault("status", path="/v1/chat/*/metrics").matches("GET", METRICS)
    assert not Fault("status", path="/v1/chat/*/metrics").matches("GET", "/v1/chat")
    assert not Fault("status", method="POST").matches("GET", "/v1/me")
