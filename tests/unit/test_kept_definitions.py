"""The definitions kept between runs (state/kept_definitions.py): read back whole, equal to what
was kept, kept per account, and a file that cannot be read back whole counts as none."""

from __future__ import annotations

import json
from typing import Any

import pytest

from roark_tui.api.models import MetricDefinition
from roark_tui.state import kept_definitions
from roark_tui.state.store import SET_ASIDE_SUFFIX

DEFINITIONS = [
    MetricDefinition.model_validate(
        {
            "id": "m1",
            "slug": "greeting_check",
            "name": "Greeting",
            "type": "BOOLEAN",
            "booleanTrueLabel": "greeted",
            "threshold": {"operator": "GTE", "value": 3},
            "somethingNew": {"kept": [1, 2]},
        }
    ),
    MetricDefinition.model_validate({"id": "m2", "name": "Empathy", "type": "SCALE"}),
]


def test_nothing_kept_reads_as_none() -> None:
    assert kept_definitions.load() is None


def test_what_is_kept_reads_back_equal() -> None:
    assert kept_definitions.save(DEFINITIONS)
    assert kept_definitions.load() == DEFINITIONS
    assert kept_definitions.store.path.stat().st_mode & 0o777 == 0o600


def test_an_empty_list_is_kept_as_such() -> None:
    assert kept_definitions.save([])
    assert kept_definitions.load() == []


@pytest.mark.parametrize(
    "content",
    [
        {"definitions": [{"id": "m1"}, "not an object"]},
        {"definitions": [{"id": "m1"}, {"name": "no id"}]},
        {"definitions": {"id": "m1"}},
        {"other": []},
        [],
    ],
    ids=["a-string-item", "an-item-without-id", "not-a-list", "no-definitions", "a-list"],
)
def test_a_copy_not_read_back_whole_is_none(content: Any) -> None:
    path = kept_definitions.store.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content))
    assert kept_definitions.load() is None


def test_a_damaged_copy_is_set_aside() -> None:
    path = kept_definitions.store.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"definitions": [')
    assert kept_definitions.load() is None
    assert kept_definitions.store.problem
    assert [p.name for p in path.parent.iterdir() if SET_ASIDE_SUFFIX in p.name]


def test_kept_per_account(monkeypatch: pytest.MonkeyPatch) -> None:
    from roark_tui.state import account

    def use(project: str) -> None:
        key = account.key(base_url="https://api.example.test", profile="p", project_id=project)
        account.use(key)

    monkeypatch.setattr(account, "_current", None)  # put back after the test
    use("project-a")
    kept_definitions.save(DEFINITIONS)
    use("project-b")
    assert kept_definitions.load() is None
    use("project-a")
    assert kept_definitions.load() == DEFINITIONS
