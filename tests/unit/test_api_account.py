"""The answer of GET /v1/me read without pydantic's models: the fields, the one-line description,
tolerance of what it does not know, and answers that do not fit told in words as for any model."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx
import pytest

from roark_tui.api import errors
from roark_tui.api.account import Me, MeAnswer
from roark_tui.api.parsing import parse_model


def answer(body: Any) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.Response(200, content=content, request=httpx.Request("GET", "http://x/v1/me"))


def me(**fields: Any) -> Me:
    return parse_model(MeAnswer, answer({"data": fields})).data


def test_the_documented_fields_as_the_api_spells_them() -> None:
    """Only what the SDK's `me_get_response` lists is read: an undocumented `project` beside
    `defaultProject` is ignored like any newer field."""
    got = me(
        tokenScope="PROJECT",
        grantedPermissions=["metrics:read"],
        scopes=["read"],
        defaultProject={"id": "p0", "name": "Default", "slug": "default"},
        organization={"name": "Acme"},
        user={"email": "a@b.c"},
        project={"id": "p1", "name": "Support"},
        somethingNewer={"x": 1},
    )
    assert got.token_scope == "PROJECT" and got.granted_permissions == ["metrics:read"]
    assert got.scopes == ["read"] and got.default_project == {
        "id": "p0",
        "name": "Default",
        "slug": "default",
    }
    assert not hasattr(got, "project")
    assert got.describe() == "a@b.c, org Acme, project Default"


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({}, "unknown credential"),
        ({"tokenScope": "ORGANIZATION"}, "ORGANIZATION"),
        ({"user": {"name": "Ada"}, "defaultProject": {"name": "Main"}}, "Ada, project Main"),
        ({"user": None, "organization": {"name": "Acme"}, "defaultProject": None}, "org Acme"),
    ],
)
def test_the_one_line_description(fields: dict[str, Any], said: str) -> None:
    got = me(**fields)
    assert got.describe() == said
    assert got.granted_permissions == [] and got.scopes == []


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b'{"data": {"tokenSc', "not valid JSON"),
        (b"", "the body was empty"),
        ({"nothing": 1}, "data: field required"),
        ({"data": ["a"]}, "data: input should be an object"),
    ],
)
def test_answers_that_do_not_fit_are_response_errors(body: Any, said: str) -> None:
    with pytest.raises(errors.ResponseError) as caught:
        parse_model(MeAnswer, answer(body))
    assert said in str(caught.value) and caught.value.path == "/v1/me"


@pytest.mark.parametrize("odd", [5, True, ["a@b.c"], {"x": 1}, None, 1e308])
def test_fields_of_any_type_are_read_tolerantly(odd: Any) -> None:
    got = me(tokenScope=odd, scopes=odd, user={"email": odd, "name": odd}, organization=odd)
    said = got.describe()
    assert isinstance(said, str) and said
    assert all(isinstance(s, str) for s in got.scopes) and got.granted_permissions == []
    assert me(user=odd, defaultProject={"name": "Main"}).describe() in {"project Main", said}


def test_the_description_is_clean_one_line_text() -> None:
    hostile = "ada\x1b]52;c;SGk=\x07\x1b[2J\x9b31m\u202eevil\u2066\r\nroot"
    said = me(user={"email": hostile}, organization={"name": hostile}).describe()
    assert said == "adaevil root, org adaevil root"
    assert len(me(user={"name": "x" * 500}).describe()) <= 80


def test_reading_it_loads_no_pydantic_model_machinery() -> None:
    script = (
        "import sys, httpx\n"
        "from roark_tui.api.service import me_request\n"
        "from roark_tui.api.parsing import parse_model\n"
        "model, path = me_request()\n"
        "request = httpx.Request('GET', 'http://x' + path)\n"
        'body = b\'{"data": {"tokenScope": "PROJECT"}}\'\n'
        "answer = httpx.Response(200, content=body, request=request)\n"
        "print(parse_model(model, answer).data.describe())\n"
        "print([m for m in ('pydantic.main', 'roark_tui.api.models') if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.splitlines() == ["PROJECT", "[]"], done.stderr
