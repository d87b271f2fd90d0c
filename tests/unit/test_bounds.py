"""Bounded time and memory without a socket: reprs that stay short whatever the payload, a
command's result kept out of asyncio's bookkeeping, the limits read from the environment, and
list walks that stop."""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.api import errors
from roark_tui.api.limits import MB, Limits, PageWalk
from roark_tui.api.metric_values import MetricValue
from roark_tui.api.models import MetricDefinition, MetricGroup, Page, Pagination, Transcript
from roark_tui.cli import common
from roark_tui.cli.gate import Outcome
from roark_tui.core.browse import Filters, iter_listed
from roark_tui.core.verdict import gate

REASONING = "why " * 250_000  # a megabyte of reasoning in one value


def big_group(values: int) -> MetricGroup:
    raw = [
        {"value": i % 2 == 0, "context": "SEGMENT", "valueReasoning": f"reason {i} " * 20}
        for i in range(values)
    ]
    return MetricGroup.model_validate(
        {"metricDefinitionId": "d1", "slug": "bench_check", "type": "BOOLEAN", "values": raw}
    )


def test_reprs_stay_short_whatever_the_payload() -> None:
    group = big_group(4000)
    page = Page[MetricDefinition].model_validate(
        {"data": [{"id": f"d{i}", "name": "n" * 1000} for i in range(5000)]}
    )
    transcript = Transcript.model_validate({"entries": [{"text": REASONING}] * 10})
    shown = {
        "values": repr(group.values),
        "group": repr(group),
        "value": repr(MetricValue({"valueReasoning": REASONING, "value": True})),
        "page": repr(page),
        "transcript": repr(transcript),
        "outcome": repr(Outcome("chat", "c1", [group], gate([group], definitions=[]))),
    }
    assert {name: len(text) for name, text in shown.items() if len(text) > 2000} == {}
    assert shown["values"] == "ValueList(<4000 values>)"
    assert "slug='bench_check'" in shown["group"]


def test_a_command_result_is_never_formatted_by_asyncio() -> None:
    """asyncio.run formats repr(task), its result included, when it puts back the SIGINT
    handler: a result that is a whole conversation made that cost its square."""

    class Watched:
        reprs = 0

        def __repr__(self) -> str:
            Watched.reprs += 1
            return "Watched()"

    async def command() -> Watched:
        return Watched()

    assert isinstance(common.run_async(command()), Watched)
    assert Watched.reprs == 0


def test_limits_come_from_the_environment() -> None:
    assert Limits.from_env({}) == Limits()
    env = {
        "ROARK_MAX_RESPONSE_MB": "1.5",
        "ROARK_REQUEST_DEADLINE": "2",
        "ROARK_MAX_PAGES": "3",
        "ROARK_MAX_ITEMS": "40",
    }
    assert Limits.from_env(env) == Limits(int(1.5 * MB), 2.0, 3, 40)
    for bad in ("0", "-1", "lots", "inf", "nan"):
        with pytest.raises(errors.ApiError, match="ROARK_MAX_PAGES must be a positive number"):
            Limits.from_env({"ROARK_MAX_PAGES": bad})


def test_a_page_walk_stops_at_its_limits() -> None:
    walk = PageWalk("/v1/things", Limits(pages=3, items=1000))
    assert walk.next_cursor(10, True, "a") == "a"
    assert walk.next_cursor(10, False, "b") is None  # the last page
    repeat = PageWalk("/v1/things", Limits())
    repeat.next_cursor(1, True, "a")
    with pytest.raises(errors.ResponseError, match="same page cursor twice"):
        repeat.next_cursor(1, True, "a")
    by_items = PageWalk("/v1/things", Limits(pages=100, items=25))
    by_items.next_cursor(20, True, "a")
    with pytest.raises(errors.ResponseError, match="after 2 pages and 40 items"):
        by_items.next_cursor(20, True, "b")


async def test_the_browser_list_walk_stops_at_the_page_limit() -> None:
    """core/browse.iter_listed (the browser and `chats`) against a list that never ends."""
    from roark_tui.api.models import Chat

    asked: list[str | None] = []

    async def endless(after: str | None) -> Any:
        asked.append(after)
        cursor = f"c{len(asked)}"
        chats = [Chat.model_validate({"id": f"{cursor}-{i}"}) for i in range(2)]
        return Page[Chat](data=chats, pagination=Pagination(has_more=True, next_cursor=cursor))

    with pytest.raises(errors.ResponseError, match="still had more after 4 pages"):
        async for _ in iter_listed(endless, Filters(), limits=Limits(pages=4)):
            pass
    assert len(asked) == 4
