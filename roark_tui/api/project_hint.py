"""Roark's answer to a request that names no project, and what the user should do about it.

A user-scoped credential names its project per request with X-Roark-Project-Id; without one,
Roark answers project-scoped paths with 400. That answer becomes `MISSING_PROJECT`: how to
choose a project, wherever the user is. No models here: error paths stay cheap to import.
"""

from __future__ import annotations

MISSING_PROJECT = (
    "The Roark API needs a project for this credential: list yours with `roark-tui projects`, "
    "then pass --project ID (or set ROARK_PROJECT_ID); in the app, :project picks one"
)


def is_missing_project(
    status: int, code: str | None, field: str | None, message: str | None
) -> bool:
    """Is this error Roark's "name a project" answer (400 about X-Roark-Project-Id)?"""
    if status != 400:
        return False
    words = " ".join(p for p in (code, field, message) if p).lower()
    return "project" in words and "empty" not in words
