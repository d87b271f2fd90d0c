"""Who a token belongs to: the answer of GET /v1/me, read without pydantic's models.

`auth login` and `auth status` ask only this, then exit. Read as a pydantic model, the answer
would cost them pydantic's model machinery, the payload models and a validator built on the spot:
as much again as all the rest they do. A pydantic_core schema (pydantic_core is loaded
with pydantic anyway) checks it as a model would, so the service's `_parse` reads it and words its
problems like any other answer's, and the fields land on a small plain object.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import SchemaValidator
from pydantic_core import core_schema as cs

from roark_tui.api.metric_values import text_field
from roark_tui.api.safe_text import one_line


def _optional() -> cs.TypedDictField:
    return cs.typed_dict_field(cs.any_schema(), required=False)


# The documented fields (SDK 7.6.0 `me_get_response.py`) as the API spells them; anything else in
# the answer is ignored. Only `data` must be an object: each field is read tolerantly by `Me`, a
# field of the wrong type reading as absent, so an odd account field never stops a login.
_ME = cs.typed_dict_schema(
    {
        name: _optional()
        for name in (
            "tokenScope",
            "grantedPermissions",
            "scopes",
            "defaultProject",
            "organization",
            "user",
        )
    }
)
_ANSWER = SchemaValidator(cs.typed_dict_schema({"data": cs.typed_dict_field(_ME)}))
NAME_WIDTH = 80


class Me:
    """Who a credential belongs to: its scope, permissions, user, organization and default
    project. Its texts are as sent; `describe` is what may be printed."""

    __slots__ = (
        "default_project",
        "granted_permissions",
        "organization",
        "scopes",
        "token_scope",
        "user",
    )

    def __init__(self, fields: dict[str, Any]) -> None:
        self.token_scope = text_field(fields, "tokenScope")
        self.granted_permissions = _names(fields.get("grantedPermissions"))
        self.scopes = _names(fields.get("scopes"))
        self.default_project = _object(fields.get("defaultProject"))
        self.organization = _object(fields.get("organization"))
        self.user = _object(fields.get("user"))

    def describe(self) -> str:
        """Who the credential belongs to, in one line, safe to print."""
        who = text_field(self.user, "email") or text_field(self.user, "name")
        org = text_field(self.organization, "name")
        project = text_field(self.default_project, "name")
        parts = [
            one_line(part, NAME_WIDTH)
            for part in (who, org and f"org {org}", project and f"project {project}")
            if part
        ]
        shown = ", ".join(p for p in parts if p)
        return shown or one_line(self.token_scope or "", NAME_WIDTH) or "unknown credential"


def _names(found: Any) -> list[str]:
    return [item for item in found if isinstance(item, str)] if isinstance(found, list) else []


def _object(found: Any) -> dict[str, Any]:
    return found if isinstance(found, dict) else {}


class MeAnswer:
    """The body of GET /v1/me, `{"data": {...}}`, read as `_parse` reads a model: through
    `model_validate_json`, which raises pydantic_core's ValidationError when it does not fit."""

    __slots__ = ("data",)

    def __init__(self, data: Me) -> None:
        self.data = data

    @classmethod
    def model_validate_json(cls, body: bytes | str) -> MeAnswer:
        return cls(Me(_ANSWER.validate_json(body)["data"]))
