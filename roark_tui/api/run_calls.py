"""A run's calls: its bulk (1,000 calls of 30 checks and values each is tens of thousands of
objects), so they stay the parsed JSON, read through views as tolerant as the models."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

from pydantic_core import core_schema

from roark_tui.api.metric_values import Field as ViewField
from roark_tui.api.metric_values import Raw, View, _many, number_field, text_field
from roark_tui.api.run_fields import as_flag, as_integer, as_objects


def _flag_field(raw: Raw, key: str) -> bool | None:
    return as_flag(raw.get(key))


def _integer_field(raw: Raw, key: str) -> int | None:
    return as_integer(raw.get(key))


def _raw_list(raw: Raw, key: str) -> list[Any]:
    found = raw.get(key)
    return found if isinstance(found, list) else []


class CallCheck(View):
    __slots__ = ()
    metric_definition_id = ViewField("metricDefinitionId", text_field)
    metric_name = ViewField("metricName", text_field)
    passed = ViewField("passed", _flag_field)


_checks = _many(CallCheck)


class RunCall(View):
    """One simulation of the run; `values` are the call-level values as sent (not read here:
    GET /v1/call/{callId}/metrics has them all)."""

    __slots__ = ()
    simulation_job_id = ViewField("simulationJobId", text_field)
    call_id = ViewField("callId", text_field)
    status = ViewField("status", text_field)
    passed = ViewField("passed", _flag_field)
    counted = ViewField("counted", _flag_field)
    attempt_number = ViewField("attemptNumber", _integer_field)
    retry_of_simulation_job_id = ViewField("retryOfSimulationJobId", text_field)
    agent_name = ViewField("agentName", text_field)
    persona_name = ViewField("personaName", text_field)
    duration_ms = ViewField("durationMs", number_field)
    checks = ViewField("checks", _checks)
    values = ViewField("values", _raw_list)

    @property
    def failed_checks(self) -> list[CallCheck]:
        """The checks it failed; views only for those (most checks of most calls pass)."""
        return [
            CallCheck(check)
            for check in _raw_list(self.raw, "checks")
            if isinstance(check, dict) and check.get("passed") is False
        ]


class CallList(Sequence[RunCall]):
    """A run's calls as sent (objects only); `calls[i]` is a view made on the spot."""

    __slots__ = ("raw",)

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self.raw: list[Raw] = [i.raw if isinstance(i, View) else i for i in as_objects(list(items))]

    def __len__(self) -> int:
        return len(self.raw)

    @overload
    def __getitem__(self, index: int) -> RunCall: ...
    @overload
    def __getitem__(self, index: slice) -> list[RunCall]: ...
    def __getitem__(self, index: int | slice) -> RunCall | list[RunCall]:
        if isinstance(index, slice):
            return [RunCall(item) for item in self.raw[index]]
        return RunCall(self.raw[index])

    def __iter__(self) -> Iterator[RunCall]:
        return (RunCall(item) for item in self.raw)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            lambda data: data if isinstance(data, CallList) else cls(as_objects(data)),
            serialization=core_schema.plain_serializer_function_ser_schema(lambda c: c.raw),
        )
