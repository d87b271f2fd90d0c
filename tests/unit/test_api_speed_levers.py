"""The fast parse path of metrics responses: the grouped shape straight from the bytes, flat rows
regrouped after validation, and the garbage collector paused only for the parse."""

from __future__ import annotations

import gc
import json

import httpx
import pytest

from roark_tui.api import errors
from roark_tui.api.metric_values import ValueList
from roark_tui.api.models import MetricsResponse
from roark_tui.api.parsing import parse_model

GROUP = {
    "metricDefinitionId": "d1",
    "slug": "resolved_check",
    "name": "Resolved",
    "type": "BOOLEAN",
}


def response(body: object) -> httpx.Response:
    content = json.dumps(body).encode()
    return httpx.Response(200, content=content, request=httpx.Request("GET", "http://x/m"))


def test_flat_rows_mixed_with_groups_are_regrouped_in_order() -> None:
    flat = [
        {**GROUP, "value": False, "segment": {"id": "s1", "text": "hi"}},
        {"metricDefinitionId": "d2", "name": "Latency", "outputType": "NUMERIC", "value": 812},
        {"metricDefinitionId": "d3", "name": "Turns", "type": "COUNT", "values": [{"value": 9}]},
        {**GROUP, "captureStatus": "ERROR", "errorMessage": "judge timed out"},
    ]
    groups = parse_model(MetricsResponse, response({"data": flat})).data
    assert [(g.key, g.type) for g in groups] == [
        ("resolved_check", "BOOLEAN"),
        ("d2", "NUMERIC"),
        ("d3", "COUNT"),
    ]
    assert groups[2].values[0].value == 9
    first, errored = groups[0].values
    assert first.value is False and first.segment is not None and first.segment.text == "hi"
    assert errored.capture_status == "ERROR" and errored.error_message == "judge timed out"
    assert groups[0].model_extra == {}  # value fields went to the value, not the group


def test_grouped_shape_keeps_unknown_fields() -> None:
    body = {"data": [{**GROUP, "futureField": 1, "values": [{"value": True, "newThing": "x"}]}]}
    group = parse_model(MetricsResponse, response(body)).data[0]
    assert group.model_extra == {"futureField": 1}
    assert group.values[0].to_api() == {"value": True, "newThing": "x"}


def test_values_stay_the_parsed_json_with_short_strings_shared() -> None:
    """The lever behind 100k-value conversations: no object per value beyond the JSON's own,
    and the parser's string cache makes repeated short strings one object."""
    values = [{"captureStatus": "SUCCESS", "context": "SEGMENT", "value": i} for i in range(3)]
    group = parse_model(MetricsResponse, response({"data": [{**GROUP, "values": values}]})).data[0]
    assert isinstance(group.values, ValueList)
    first, second = group.values.raw[0], group.values.raw[1]
    assert type(first) is dict and first == values[0]
    assert first["captureStatus"] is second["captureStatus"]
    assert [v.value for v in group.values] == [0, 1, 2]


@pytest.mark.parametrize("was_enabled", [True, False])
def test_parse_leaves_the_collector_as_it_found_it(
    was_enabled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    original = MetricsResponse.model_validate_json.__func__  # type: ignore[attr-defined]

    def spy(cls: type[MetricsResponse], data: bytes) -> MetricsResponse:
        seen.append(gc.isenabled())
        return original(cls, data)

    (gc.enable if was_enabled else gc.disable)()
    monkeypatch.setattr(MetricsResponse, "model_validate_json", classmethod(spy))
    try:
        parse_model(MetricsResponse, response({"data": [GROUP]}))
        with pytest.raises(errors.ResponseError):
            parse_model(MetricsResponse, response({"data": "not a list"}))
        assert seen == [False, False]
        assert gc.isenabled() is was_enabled
    finally:
        gc.enable()


async def test_plain_http_clients_skip_the_trust_store_but_verify_nothing_open() -> None:
    import ssl

    from roark_tui.api.service import RoarkService

    local = RoarkService(base_url="http://127.0.0.1:8765", token="t")
    remote = RoarkService(base_url="https://api.roark.ai", token="t")
    try:
        local_ctx = local._client_for_requests()._transport._pool._ssl_context  # type: ignore[attr-defined]
        remote_ctx = remote._client_for_requests()._transport._pool._ssl_context  # type: ignore[attr-defined]
        assert local_ctx.verify_mode is ssl.CERT_REQUIRED and local_ctx.check_hostname
        assert local_ctx.cert_store_stats()["x509_ca"] == 0  # TLS through it fails closed
        assert remote_ctx.verify_mode is ssl.CERT_REQUIRED
        assert remote_ctx.cert_store_stats()["x509_ca"] > 0
    finally:
        await local.aclose()
        await remote.aclose()


async def test_prepare_builds_the_one_client_once_from_any_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading
    import time

    from roark_tui.api import service as service_module

    built: list[object] = []

    class SlowClient(httpx.AsyncClient):
        def __init__(self, **kwargs: object) -> None:
            time.sleep(0.01)  # widen the window in which a second thread could also build one
            super().__init__(**kwargs)  # type: ignore[arg-type]
            built.append(self)

    monkeypatch.setattr(service_module.httpx, "AsyncClient", SlowClient)
    service = service_module.RoarkService(base_url="http://127.0.0.1:8765", token="t")
    threads = [threading.Thread(target=service.prepare) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        service.prepare()
        assert len(built) == 1 and service._client_for_requests() is built[0]
    finally:
        await service.aclose()


async def test_the_apps_service_factory_hands_over_a_prepared_service() -> None:
    from roark_tui.cli.common import service_factory
    from roark_tui.config import Settings

    service = service_factory(Settings(base_url="http://127.0.0.1:8765", token="t"))()
    try:
        assert service._client is not None  # built by the factory, not by the first request
    finally:
        await service.aclose()


def test_validators_are_built_on_first_use_or_by_prepare() -> None:
    import subprocess
    import sys

    script = """
from roark_tui.api import models
from roark_tui.api.service import RoarkService, first_screen_models
built = lambda m: m.__pydantic_complete__
print(built(models.MetricsResponse), built(models.MetricDefinition))
RoarkService(base_url="http://127.0.0.1:1", token="t").prepare()
print(all(built(m) for m in first_screen_models()), built(models.MetricDefinition))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    assert out == ["False", "False", "True", "False"]


HTTP1_ONLY = """
import sys
from roark_tui.api.blocking import BlockingRoarkService
service = BlockingRoarkService(base_url="http://127.0.0.1:9", token="t")
service._client_for_requests()
import httpcore
assert "h2" not in sys.modules, "httpcore brought h2 in"
import h2.connection
assert "h2" in sys.modules
try:
    httpcore.HTTP2Connection()
except RuntimeError as exc:
    assert "h2" in str(exc)
else:
    raise AssertionError("httpcore kept HTTP/2 support")
"""


def test_the_client_imports_httpcore_without_http2_and_leaves_h2_importable() -> None:
    """In a fresh interpreter: httpcore is what the first client imports, h2 (installed with
    hypercorn) stays out of it and is still importable afterwards."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", HTTP1_ONLY], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
