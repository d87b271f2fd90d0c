"""Response bodies into models: straight from the bytes, with the collector kept out of the
parse, and a failed parse said in words."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol, Self, TypeVar

import httpx
from pydantic_core import (  # ValidationError: what pydantic raises (pydantic.ValidationError)
    ErrorDetails,
    ValidationError,
    from_json,
)

from roark_tui.api import errors


class Readable(Protocol):
    """What `parse_model` reads a body into: a pydantic model, or a class that reads like one."""

    @classmethod
    def model_validate_json(cls, json_data: bytes, /) -> Self: ...


M = TypeVar("M", bound=Readable)


NOT_JSON = "the body is not valid JSON (cut short or not JSON at all)"
TOO_DEEP = "the body is JSON nested deeper than can be read"


class UnreadableJson(ValueError):
    """A body that is not JSON we can read, said in one sentence."""

    def __init__(self, too_deep: bool) -> None:
        super().__init__(TOO_DEEP if too_deep else NOT_JSON)
        self.too_deep = too_deep


def read_json(body: bytes | str) -> Any:
    """A JSON body as Python data, read by the parser the models use: its nesting limit turns a
    body of a thousand nested brackets into an UnreadableJson, where the standard library's
    parser would exhaust the interpreter's recursion limit and crash the caller."""
    try:
        return from_json(body)
    except ValueError as exc:
        raise UnreadableJson(_too_deep(str(exc))) from None


def _too_deep(problem: str) -> bool:
    return "recursion limit" in problem


def parse_model(model: type[M], response: httpx.Response) -> M:
    """The response body as `model`, or a ResponseError saying in words what is wrong."""
    try:
        with gc_paused():
            return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise errors.ResponseError(
            f"The Roark API sent a response that could not be read: {_problem(exc, response)}",
            status=response.status_code,
            method=response.request.method,
            path=response.request.url.path,
        ) from None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector out of a parse.

    A large payload allocates tens of thousands of objects in one go; each allocation burst
    triggers collections that walk everything already alive (earlier conversations, the UI), which
    multiplies the parse time of a large conversation. Parsed models hold no cycles, so
    nothing is lost by collecting after the parse instead of during it.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _problem(exc: ValidationError, response: httpx.Response) -> str:
    if not response.content.strip():
        return "the body was empty"
    problems = exc.errors(include_url=False, include_input=False)
    first: ErrorDetails = (
        problems[0] if problems else {"type": "", "loc": (), "msg": "", "input": None}
    )
    if first["type"] == "json_invalid":
        return TOO_DEEP if _too_deep(str(first.get("ctx", {}).get("error", ""))) else NOT_JSON
    where = ".".join(str(p) for p in first["loc"]) or "the body"
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{where}: {first['msg'].lower()}{more}"
