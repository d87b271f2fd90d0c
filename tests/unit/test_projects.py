"""Projects: the sandbox's GET /v1/projects in the SDK's shape, switching the project header,
the 400 for a missing project explained, `roark-tui projects`, and the account badge's words."""

from __future__ import annotations

import io
import sys
from typing import Any

import httpx
import pytest
from roark_analytics.types.project_list_response import ProjectListResponse

from roark_tui.api import errors
from roark_tui.api.project_hint import MISSING_PROJECT
from roark_tui.api.service import RoarkService
from roark_tui.cli import main
from roark_tui.sandbox import SandboxConfig, create_app
from roark_tui.sandbox.demo_ids import DEMO_PROJECT_ID, DEMO_TOKEN, VOICE_PROJECT_ID
from roark_tui.tui.widgets.account_badge import badge_text


def service_on(app: Any, project_id: str | None = None) -> RoarkService:
    return RoarkService(
        base_url="http://sandbox.local",
        token=DEMO_TOKEN,
        project_id=project_id,
        transport=httpx.ASGITransport(app=app),
        allow_insecure=True,
        max_retries=0,
    )


async def test_the_sandbox_lists_projects_as_the_sdk_reads_them(sandbox_http: Any) -> None:
    answer = await sandbox_http.get("/v1/projects")
    parsed = ProjectListResponse.model_validate(answer.json())
    assert [p.id for p in parsed.data.projects] == [DEMO_PROJECT_ID, VOICE_PROJECT_ID]


async def test_switching_the_project_header(sandbox_app: Any) -> None:
    seen: list[str | None] = []
    real = sandbox_app.__call__

    async def spy(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            seen.append((headers.get(b"x-roark-project-id") or b"").decode() or None)
        await real(scope, receive, send)

    service = service_on(spy)
    projects = await service.list_projects()
    assert [p.name for p in projects] == ["Support agents (sandbox)", "Voice agents (sandbox)"]
    service.set_project(VOICE_PROJECT_ID)
    await service.list_chats(limit=1)
    service.set_project(None)
    await service.list_chats(limit=1)
    assert seen == [None, VOICE_PROJECT_ID, None]
    service.set_project("not-a-project")
    with pytest.raises(errors.NotFound, match="not one this credential may act on"):
        await service.list_chats(limit=1)
    await service.aclose()


async def test_a_missing_project_says_how_to_choose_one() -> None:
    app = create_app(SandboxConfig(require_project=True))
    service = service_on(app)
    with pytest.raises(errors.RequestRejected) as caught:
        await service.list_calls()
    assert str(caught.value).startswith(MISSING_PROJECT)
    assert "roark-tui projects" in str(caught.value) and "--project" in str(caught.value)
    assert await service.list_projects()  # the list itself needs no project
    service.set_project(DEMO_PROJECT_ID)
    assert (await service.list_calls()).data
    await service.aclose()


def test_the_projects_command(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["--demo", "--project", VOICE_PROJECT_ID, "projects"]) == 0
    rows = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [(r[0], r[1], r[3]) for r in rows] == [
        (" ", DEMO_PROJECT_ID, "Support agents (sandbox)"),
        ("*", VOICE_PROJECT_ID, "Voice agents (sandbox)"),
    ]


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"base_url": "http://sandbox.local", "profile": "default", "demo": True}, "demo"),
        (
            {"base_url": "https://api.roark.ai", "profile": "default", "project_id": None},
            "default project",
        ),
        (
            {
                "base_url": "https://staging.example.com",
                "profile": "work",
                "project_id": DEMO_PROJECT_ID,
            },
            "staging.example.com · work · project 5d1f0b8e",
        ),
        (
            {
                "base_url": "https://api.roark.ai",
                "profile": "default",
                "project_id": DEMO_PROJECT_ID,
                "project_name": "Support [bold]agents[/]",
            },
            "Support [bold]agents[/]",
        ),
    ],
)
def test_badge_words(kwargs: dict[str, Any], text: str) -> None:
    kwargs.setdefault("project_id", None)
    assert badge_text(**kwargs) == text


LONG = "staging-api.customer-exam… · customer-succes… · project 5d1f0b8e"


@pytest.mark.parametrize(
    ("text", "cells", "shown"),
    [
        ("demo", 10, "demo"),
        (LONG, 80, LONG),
        (LONG, 50, "staging-api… · customer-succes… · project 5d1f0b8e"),
        (LONG, 30, "… · custo… · project 5d1f0b8e"),
        (LONG, 20, "… · project 5d1f0b8e"),
        (LONG, 10, "project 5…"),
        ("api.example.com · 支持团队项目名称很长", 24, "… · 支持团队项目名称很长"),
        ("api.example.com · 支持团队项目名称很长", 12, "支持团队项…"),
    ],
)
def test_the_badge_fits_its_share_of_the_width(text: str, cells: int, shown: str) -> None:
    from rich.cells import cell_len

    from roark_tui.tui.widgets.account_badge import fit_badge

    fitted = fit_badge(text, cells)
    assert fitted == shown and cell_len(fitted) <= cells
    assert fitted.split(" · ")[-1][:4] == text.split(" · ")[-1][:4]  # the project stays
