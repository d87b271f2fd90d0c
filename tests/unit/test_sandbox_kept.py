"""A sandbox given a file keeps what was created or edited across runs (`--demo`): the next
sandbox on that file lists it, ids never repeat, and a damaged file is a fresh start.
`--demo-reset` removes the file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx

from roark_tui.cli import build_app, common
from roark_tui.sandbox import SandboxConfig, create_app
from roark_tui.state import kept_definitions

DEFINITIONS = "/v1/metric/definitions"
THRESHOLD = {"name": "Calm enough", "operator": "LESS_THAN", "value": "4"}
JUDGE_EDIT = {"llmPrompt": "Did the agent verify the caller — by name?", "changeReason": "try"}


def client(kept: Path) -> httpx.AsyncClient:
    app = create_app(SandboxConfig(token=None, kept_in=kept))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s.local")


async def listed(http: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    params: dict[str, Any] = {"limit": 50}
    while True:
        page = (await http.get(DEFINITIONS, params=params)).json()
        found.update({d["id"]: d for d in page["data"]})
        if not page["pagination"]["hasMore"]:
            return found
        params["after"] = page["pagination"]["nextCursor"]


async def test_what_a_run_made_is_there_at_the_next_start(tmp_path: Path) -> None:
    kept = tmp_path / "state" / "demo_sandbox.json"
    async with client(kept) as first:
        made = await first.post(f"{DEFINITIONS}/frustration_score/thresholds", json=THRESHOLD)
        assert made.status_code == 201, made.text
        made_id = made.json()["data"]["id"]
        edited = await first.put(f"{DEFINITIONS}/agent_verified_caller", json=JUDGE_EDIT)
        assert edited.status_code == 200, edited.text
    assert kept.stat().st_mode & 0o777 == 0o600

    async with client(kept) as second:
        again = await listed(second)
        assert again[made_id]["name"] == "Calm enough"
        judge = (await second.get(f"{DEFINITIONS}/agent_verified_caller")).json()["data"]
        assert judge["llmPrompt"] == JUDGE_EDIT["llmPrompt"]
        assert judge["versionId"] == edited.json()["data"]["versionId"]
        other = await second.post(
            f"{DEFINITIONS}/frustration_score/thresholds", json={**THRESHOLD, "name": "Other"}
        )
        assert other.status_code == 201 and other.json()["data"]["id"] != made_id

    kept.write_text('{"created": "many", "definitions": [')  # damaged: a fresh start
    async with client(kept) as third:
        assert made_id not in await listed(third)


async def test_a_kept_path_that_is_no_regular_file_is_a_fresh_start(tmp_path: Path) -> None:
    """A FIFO at the kept path would block the start on open or read; it is left unread."""
    kept = tmp_path / "demo_sandbox.json"
    os.mkfifo(kept)
    async with client(kept) as http:
        assert (await http.get(f"{DEFINITIONS}/agent_verified_caller")).status_code == 200


def test_demo_reset_forgets_what_the_demo_kept(isolated_dirs: Path) -> None:
    kept = common.demo_kept_file()
    assert kept == isolated_dirs / "state" / "demo_sandbox.json"
    kept.parent.mkdir(parents=True)
    kept.write_text("{}")
    build_app(["--demo"])
    assert kept.exists()
    copy = kept_definitions.store.path  # the demo account's, as its lookups kept them
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text('{"definitions": []}')
    app = build_app(["--demo-reset"])
    assert not kept.exists() and app.settings is not None and app.settings.demo
    assert not copy.exists()
