"""A metric's values: read-only views over the JSON objects the API sent.

A conversation can carry 100k values. As pydantic models they cost about 3 KB each and most of a
lookup's time; kept as the parsed JSON (short strings shared through the parser's cache) they
cost what the JSON does, and a view, one small object, is made only when a value is read. Reading
is as tolerant as the models are: a field of the wrong type reads as absent, never raises, and a
value that is not an object at all reads as an error row saying so.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

from pydantic_core import core_schema

Raw = dict[str, Any]

# How much of a payload a repr shows. Python formats reprs where nobody asked (asyncio's task
# bookkeeping, tracebacks, debuggers), so a repr that grew with the data would make each of
# those cost what the whole conversation does, and repeated, its square.
SHORT = reprlib.Repr()
SHORT.maxlevel, SHORT.maxstring, SHORT.maxother = 3, 80, 120
SHORT.maxdict = SHORT.maxlist = SHORT.maxtuple = SHORT.maxset = 6


def text_field(raw: Raw, key: str) -> str | None:
    """A string field; a number is read as its text (an id sent as 17), anything else is absent."""
    found = raw.get(key)
    if isinstance(found, str):
        return found
    if isinstance(found, int | float) and not isinstance(found, bool):
        return str(found)
    return None


def number_field(raw: Raw, key: str) -> float | None:
    """A finite number, or a string holding one; anything else is absent."""
    found = raw.get(key)
    if isinstance(found, bool):
        return None
    if isinstance(found, str):
        try:
            found = float(found)
        except ValueError:
            return None
    if isinstance(found, int | float) and math.isfinite(found):
        return float(found)
    return None


def _text_or_empty(raw: Raw, key: str) -> str:
    return text_field(raw, key) or ""


def _as_sent(raw: Raw, key: str) -> Any:
    return raw.get(key)


def _texts(raw: Raw, key: str) -> list[str]:
    found = raw.get(key)
    return [item for item in found if isinstance(item, str)] if isinstance(found, list) else []


def _objects(raw: Raw, key: str) -> list[Raw]:
    found = raw.get(key)
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


def capture_of(raw: Raw, key: str = "captureStatus") -> str:
    """A value's capture status; SUCCESS when the API leaves it out."""
    return text_field(raw, key) or "SUCCESS"


T = TypeVar("T")


class Field(Generic[T]):
    """A view's attribute: the field `key` of the object as sent, through `read`."""

    __slots__ = ("key", "read")

    def __init__(self, key: str, read: Callable[[Raw, str], T]) -> None:
        self.key = key
        self.read = read

    @overload
    def __get__(self, view: None, owner: type) -> Field[T]: ...
    @overload
    def __get__(self, view: View, owner: type) -> T: ...
    def __get__(self, view: View | None, owner: type) -> Field[T] | T:
        return self if view is None else self.read(view.raw, self.key)


class View:
    """The shared part of every view: the object as sent, equality by content, and keyword
    construction (`MetricValue(capture_status="ERROR")`) for code that makes values itself."""

    __slots__ = ("raw",)

    def __init__(self, raw: Raw | None = None, /, **fields: Any) -> None:
        if fields:
            from pydantic.alias_generators import to_camel

            raw = {**(raw or {}), **{to_camel(k): _unview(v) for k, v in fields.items()}}
        self.raw: Raw = raw if raw is not None else {}

    def to_api(self) -> Raw:
        """The object as the API spelled it, unknown fields included."""
        return self.raw

    def __eq__(self, other: object) -> bool:
        return isinstance(other, View) and type(other) is type(self) and other.raw == self.raw

    __hash__ = None  # type: ignore[assignment]  # unhashable; typeshed types it as a method

    def __repr__(self) -> str:
        return f"{type(self).__name__}({SHORT.repr(self.raw)})"


def _unview(value: Any) -> Any:
    if isinstance(value, View):
        return value.raw
    if isinstance(value, list):
        return [_unview(item) for item in value]
    return value


V = TypeVar("V", bound=View)


def _one(cls: type[V]) -> Callable[[Raw, str], V | None]:
    def read(raw: Raw, key: str) -> V | None:
        found = raw.get(key)
        return cls(found) if isinstance(found, dict) else None

    return read


def _many(cls: type[V]) -> Callable[[Raw, str], list[V]]:
    def read(raw: Raw, key: str) -> list[V]:
        return [cls(item) for item in _objects(raw, key)]

    return read


class Segment(View):
    __slots__ = ()
    id = Field("id", text_field)
    text = Field("text", _text_or_empty)
    start_offset_ms = Field("startOffsetMs", number_field)
    end_offset_ms = Field("endOffsetMs", number_field)


_segment = _one(Segment)


class EvidenceSpan(View):
    __slots__ = ()
    from_segment = Field("fromSegment", _segment)
    to_segment = Field("toSegment", _segment)
    reason = Field("reason", text_field)


class PropertyVerdict(View):
    __slots__ = ()
    property_name = Field("propertyName", _text_or_empty)
    expected_value = Field("expectedValue", _as_sent)
    verdict = Field("verdict", _text_or_empty)
    observed_value = Field("observedValue", _as_sent)
    reasoning = Field("reasoning", text_field)
    segment = Field("segment", _segment)


class MetricValue(View):
    __slots__ = ()
    capture_status = Field("captureStatus", capture_of)
    computed_at = Field("computedAt", text_field)
    context = Field("context", text_field)
    value = Field("value", _as_sent)
    confidence = Field("confidence", number_field)
    value_reasoning = Field("valueReasoning", text_field)
    error_message = Field("errorMessage", text_field)
    participant_role = Field("participantRole", text_field)
    policy_ids = Field("policyIds", _texts)
    segment = Field("segment", _segment)
    from_segment = Field("fromSegment", _segment)
    to_segment = Field("toSegment", _segment)
    evidence_spans = Field("evidenceSpans", _many(EvidenceSpan))
    property_verdicts = Field("propertyVerdicts", _many(PropertyVerdict))
    call_id = Field("callId", text_field)
    chat_id = Field("chatId", text_field)


def _readable(item: Any) -> Raw:
    if isinstance(item, dict):
        return item
    kind = "null" if item is None else type(item).__name__
    return {"captureStatus": "ERROR", "errorMessage": f"the API sent this value as {kind}"}


class ValueList(Sequence[MetricValue]):
    """The values of one metric, as sent; `values[i]` is a view made on the spot."""

    __slots__ = ("raw",)

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self.raw: list[Any] = [item.raw if isinstance(item, View) else item for item in items]

    def __len__(self) -> int:
        return len(self.raw)

    @overload
    def __getitem__(self, index: int) -> MetricValue: ...
    @overload
    def __getitem__(self, index: slice) -> list[MetricValue]: ...
    def __getitem__(self, index: int | slice) -> MetricValue | list[MetricValue]:
        if isinstance(index, slice):
            return [MetricValue(_readable(item)) for item in self.raw[index]]
        return MetricValue(_readable(self.raw[index]))

    def __iter__(self) -> Iterator[MetricValue]:
        return (MetricValue(_readable(item)) for item in self.raw)

    def outcomes(self) -> Iterator[tuple[str, Any]]:
        """(capture status, value) of each value, without making views: what statuses need."""
        for item in self.raw:
            raw = _readable(item)
            yield capture_of(raw), raw.get("value")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ValueList):
            return other.raw == self.raw
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # unhashable; typeshed types it as a method

    def __repr__(self) -> str:
        return f"ValueList(<{len(self.raw)} values>)"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda values: values.raw
            ),
        )

    @classmethod
    def _validate(cls, data: Any) -> ValueList:
        if isinstance(data, ValueList):
            return data
        if isinstance(data, list | tuple):
            return cls(data)
        raise ValueError("values must be a list")
