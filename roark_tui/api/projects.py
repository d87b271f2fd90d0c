"""GET /v1/projects: the projects a credential may act on (SDK: ProjectListResponse).

A user-scoped credential names its project per request with X-Roark-Project-Id
(RoarkService.set_project); what a missing one means is in `project_hint`.
"""

from __future__ import annotations

from pydantic import Field

from roark_tui.api.models import ApiModel


class Organization(ApiModel):
    id: str = ""
    name: str = ""


class Project(ApiModel):
    id: str
    name: str = ""
    slug: str = ""
    granted_permissions: list[str] = Field(default_factory=list)
    organization: Organization | None = None


class ProjectList(ApiModel):
    projects: list[Project] = Field(default_factory=list)


class ProjectsAnswer(ApiModel):
    data: ProjectList = Field(default_factory=ProjectList)
