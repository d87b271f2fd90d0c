"""`roark-tui definitions`: the browser, `new` the wizard, `--json` / `--print` for scripts
(over the demo sandbox, without Textual)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from roark_tui.api.models import MetricDefinition
from roark_tui.cli import build_app, main
from roark_tui.cli.definitions_cmd import print_text


def test_json_lists_every_definition(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "definitions", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    slugs = {d["slug"] for d in document["data"]}
    assert {"agent_verified_caller", "friction_events", "interruption_sours_customer"} <= slugs
    kinds = {d["calculationType"] for d in document["data"]}
    assert kinds == {"LLM_JUDGE", "FORMULA", "PATTERN", "THRESHOLD", "PROVIDER"}


def test_print_is_aligned_sorted_and_safe(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "definitions", "--print"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "SLUG", "KIND", "OUTPUT", "SCOPE", "CONTEXTS"]
    assert lines[-1].endswith("metric definitions")
    assert "\x1b" not in out and "\x07" not in out
    row = next(line for line in lines if " agent_verified_caller " in line)
    assert row.split()[-4:] == ["LLM_JUDGE", "BOOLEAN", "PER_PARTICIPANT", "CALL,SEGMENT"]
    slug_column = lines[0].index("SLUG")
    assert all(line[slug_column - 2 : slug_column] == "  " for line in lines[1:-1])


def test_print_text_shortens_long_names_and_cleans_them() -> None:
    definitions = [
        MetricDefinition(id="b", slug="b_slug", name="B" * 60, type="COUNT"),
        MetricDefinition(id="a", slug="a\x1b[2Jslug", name="a\u202eevil", supportedContexts=[]),
    ]
    lines = print_text(definitions).splitlines()
    assert lines[1].startswith("aevil ") and "\x1b" not in lines[1] and "\u202e" not in lines[1]
    assert lines[2].startswith("B" * 39 + "…")
    assert lines[-1] == "2 metric definitions"


def test_json_and_print_do_not_import_textual() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from roark_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--demo', 'definitions', '--print']) == 0\n"
        "print('textual' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(
    ("argv", "start"),
    [
        (["definitions"], ("definitions", "")),
        (["definitions", "new"], ("definition-wizard", "")),
    ],
)
def test_the_app_opens_on_the_browser_or_the_wizard(argv: list[str], start: tuple[str, str]):
    app = build_app(["--demo", *argv])
    assert app.start == start


def test_json_and_print_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "definitions", "--json", "--print"]) == 2
    assert "not allowed with" in capsys.readouterr().err


def test_no_token_exits_3_before_anything(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["definitions", "--json"]) == 3
    assert "no token" in capsys.readouterr().err
