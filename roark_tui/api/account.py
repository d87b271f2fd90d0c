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


def _optional(schema: cs.CoreSchema, *, nullable: bool = True) -> cs.TypedDictField:
    return cs.typed_dict_field(cs.nullable_schema(schema) if nullable else schema, required=False)


_OBJECT = cs.dict_schema(cs.str_schema(), cs.any_schema())
_NAMES = cs.list_schema(cs.str_schema())
# The documented fields (SDK 7.6.0 `me_get_response.py`) as the API spells them; anything else in
# the answer is ignored.
_ME = cs.typed_dict_schema(
    {
        "tokenScope": _optional(cs.str_schema()),
        "grantedPermissions": _optional(_NAMES, nullable=False),
        "scopes": _optional(_NAMES, nullable=False),
        "defaultProject": _optional(_OBJECT),
        "organization": _optional(_OBJECT),
        "user": _optional(_OBJECT),
    }
)
_ANSWER = SchemaValidator(cs.typed_dict_schema({"data": cs.typed_dict_field(_ME)}))


class Me:
    """Who a credential belongs to: its scope, permissions, user, organization and default
    project."""

    __slots__ = (
        "default_project",
        "granted_permissions",
        "organization",
        "scopes",
        "token_scope",
        "user",
    )

    def __init__(self, fields: dict[str, Any]) -> None:
        self.token_scope: str | None = fields.get("tokenScope")
        self.granted_permissions: list[str] = fields.get("grantedPermissions", [])
        self.scopes: list[str] = fields.get("scopes", [])
        self.default_project: dict[str, Any] | None = fields.get("defaultProject")
        self.organization: dict[str, Any] | None = fields.get("organization")
        self.user: dict[str, Any] | None = fields.get("user")

    def describe(self) -> str:
        """Who the credential belongs to, in one line."""
        who = (self.user or {}).get("email") or (self.user or {}).get("name")
        org = (self.organization or {}).get("name")
        project = (self.default_project or {}).get("name")
        parts = [p for p in (who, org and f"org {org}", project and f"project {project}") if p]
        return ", ".join(parts) or (self.token_scope or "unknown credential")


class MeAnswer:
    """The body of GET /v1/me, `{"data": {...}}`, read as `_parse` reads a model: through
    `model_validate_json`, which raises pydantic_core's ValidationError when it does not fit."""

    __slots__ = ("data",)

    def __init__(self, data: Me) -> None:
        self.data = data

    @classmethod
    def model_validate_json(cls, body: bytes | str) -> MeAnswer:
        return cls(Me(_ANSWER.validate_json(body)["data"]))
