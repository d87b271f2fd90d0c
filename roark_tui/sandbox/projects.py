"""GET /v1/projects: the projects the credential may act on, and the project header's rules.

The sandbox has the demo project and a second, empty-handed one ("Voice agents"), so switching
projects can be tried; both see the same demo data. A request naming a project the credential
does not have is refused (404), as an X-Roark-Project-Id of someone else's project would be.
With `SandboxConfig.require_project`, a request without the header is answered 400, as Roark
answers a user-scoped credential that names no project.
"""

from __future__ import annotations

from typing import Any

from roark_tui.sandbox import catalog
from roark_tui.sandbox.demo_ids import DEMO_PROJECT_ID, VOICE_PROJECT_ID
from roark_tui.sandbox.problems import Problem

PERMISSIONS = ["call:read", "chat:read", "metric:read", "metric:create"]
PROJECTS = (
    (DEMO_PROJECT_ID, "Support agents (sandbox)", "support-agents"),
    (VOICE_PROJECT_ID, "Voice agents (sandbox)", "voice-agents"),
)
OPEN = frozenset({"/health", "/v1/me", "/v1/projects"})  # need no project


def listing() -> dict[str, Any]:
    """The body of GET /v1/projects (SDK: ProjectListResponse)."""
    organization = {"id": catalog.ORGANIZATION_ID, "name": "Lumen Demo Co"}
    return {
        "data": {
            "projects": [
                {
                    "id": project_id,
                    "name": name,
                    "slug": slug,
                    "grantedPermissions": list(PERMISSIONS),
                    "organization": organization,
                }
                for project_id, name, slug in PROJECTS
            ]
        }
    }


def check(path: str, header: str | None, *, required: bool) -> Problem | None:
    """Why a request's project header is refused, if it is."""
    if header is None:
        if required and path not in OPEN:
            return Problem(
                400,
                "No project selected: send X-Roark-Project-Id with one of your projects "
                "(GET /v1/projects lists them)",
                parameter="X-Roark-Project-Id",
                code="project_required",
            )
        return None
    if header.strip() not in {p[0] for p in PROJECTS}:
        return Problem(
            404,
            f"Project {header.strip()[:40]!r} is not one this credential may act on",
            parameter="X-Roark-Project-Id",
            code="project_not_found",
        )
    return None
