"""The user's keymap: binding ids from the config file's [keymap] through Textual's keymap;
every binding has an id, the README lists them all, and a bad entry is a warning, not a crash."""

from __future__ import annotations

import re
from pathlib import Path

from pilot_support import metrics_app, rendered, until
from textual.binding import Binding
from textual.keys import key_to_character
from textual.widgets import Static

from roark_tui.tui.keymap import (
    binding_ids,
    declared_bindings,
    taken_keys,
    unknown_ids,
    usable_keys,
    valid_key,
)
from roark_tui.tui.watch import ExpectPrompt
from roark_tui.tui.widgets.dialogs import ConfirmScreen

README = Path(__file__).parents[2] / "README.md"
TABLE = re.compile(r"<!-- keymap-ids:start -->\n(.*?)\n<!-- keymap-ids:end -->", re.S)


def write_keymap(isolated_dirs: Path, body: str) -> None:
    config = isolated_dirs / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text("[keymap]\n" + body, encoding="utf-8")


def shown(keys: str) -> str:
    """`question_mark,f1` as the README shows it: `?` `f1`."""
    out = []
    for key in keys.split(","):
        char = key_to_character(key)
        out.append(f"`{char if char and char.isprintable() and char != ' ' else key}`")
    return " ".join(out)


def test_every_binding_has_an_id() -> None:
    missing = [
        f"{cls.__name__}: {binding}"
        for cls, binding in declared_bindings()
        if not (isinstance(binding, Binding) and binding.id)
    ]
    assert not missing, "bindings a keymap cannot reach:\n" + "\n".join(missing)
    assert {"metrics.watch", "metrics.expand", "help", "confirm.yes"} <= set(binding_ids())


def test_the_readme_lists_every_binding_id() -> None:
    rows = ["| id | default keys | what it does |", "|---|---|---|"]
    rows += [f"| `{b.id}` | {shown(b.key)} | {b.description} |" for b in binding_ids().values()]
    expected = "\n".join(rows)
    found = TABLE.search(README.read_text(encoding="utf-8"))
    assert found, "README.md has no keymap-ids table"
    assert found.group(1) == expected, f"README.md's keymap table should read:\n{expected}"


def test_key_names() -> None:
    for key in ("W", "?", "/", "ctrl+w", "shift+f5", "escape", "question_mark", "ctrl+slash"):
        assert valid_key(key), key
    for key in ("", "ctrl+", "foo", "cmd+w", "ctrl+foo", "+"):
        assert not valid_key(key), key


def test_usable_keys_named_as_textual_names_them() -> None:
    keymap, notes = usable_keys({"metrics.filter": "ctrl+/,f6", "metrics.zoom": "ctrl+nope"})
    assert keymap == {"metrics.filter": "ctrl+slash,f6"}
    assert len(notes) == 1 and "'ctrl+nope' is not a key name" in notes[0]
    assert "metrics.zoom keeps its default key" in notes[0]


def test_unknown_ids_suggest_the_nearest() -> None:
    notes = unknown_ids({"metrics.wach": "W", "metrics.watch": "W", "zzz": "x"})
    assert notes[0] == "keymap: no binding has the id 'metrics.wach'; did you mean 'metrics.watch'?"
    assert notes[1] == "keymap: no binding has the id 'zzz'"
    assert len(notes) == 2


def test_a_key_taken_from_a_binding_of_the_same_screen() -> None:
    assert taken_keys({"metrics.watch": "r", "metrics.refresh": "f5"}) == []
    assert taken_keys({"metrics.watch": "r,q"}) == [
        "keymap: r no longer does Refresh (metrics.refresh): metrics.watch has it now"
    ]
    assert taken_keys({"lookup.find": "r"}) == [
        "keymap: r no longer does Reload (lookup.reload): lookup.find has it now"
    ]
    assert taken_keys({"help.close": "x"}) == []  # its own keys, moved


async def test_a_moved_key_works_and_the_footer_says_so(
    isolated_dirs: Path, sandbox_app: object
) -> None:
    write_keymap(isolated_dirs, '"metrics.watch" = "W"\n"metrics.pager" = ["f7"]\n')
    app = metrics_app(sandbox_app)
    async with app.run_test(size=(160, 40)) as pilot:
        await until(pilot, lambda: getattr(app.screen, "loaded", False), "the metrics")
        keys = {active.binding.id: key for key, active in app.screen.active_bindings.items()}
        assert keys["metrics.watch"] == "W" and keys["metrics.pager"] == "f7"
        await pilot.press("w")  # the old key does nothing now
        await pilot.pause()
        assert not isinstance(app.screen, ExpectPrompt)
        await pilot.press("W")
        await until(pilot, lambda: isinstance(app.screen, ExpectPrompt), "the watch prompt")
        assert not app._notifications


async def test_bad_entries_are_warnings_and_the_rest_applies(
    isolated_dirs: Path, sandbox_app: object
) -> None:
    write_keymap(
        isolated_dirs,
        '"metrics.wach" = "x"\n"metrics.zoom" = "ctrl+"\n"metrics.filter" = 3\n'
        '"metrics.watch" = "W"\n',
    )
    app = metrics_app(sandbox_app)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await until(pilot, lambda: len(app._notifications) == 3, "three keymap warnings")
        notes = "\n".join(n.message for n in app._notifications)
        assert "'metrics.wach'; did you mean 'metrics.watch'?" in notes
        assert "'metrics.filter' needs a key" in notes
        assert "'ctrl+' is not a key name" in notes
        keys = {active.binding.id: key for key, active in app.screen.active_bindings.items()}
        assert keys["metrics.zoom"] == "z" and keys["metrics.watch"] == "W"


async def test_a_damaged_config_file_changes_no_key(
    isolated_dirs: Path, sandbox_app: object
) -> None:
    (isolated_dirs / "config").mkdir()
    (isolated_dirs / "config" / "config.toml").write_bytes(b"[keymap\n\xff")
    app = metrics_app(sandbox_app)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await until(pilot, lambda: bool(app._notifications), "the warning")
        assert "is not valid TOML" in next(iter(app._notifications)).message
        keys = {active.binding.id: key for key, active in app.screen.active_bindings.items()}
        assert keys["metrics.watch"] == "w"


async def test_a_key_taken_from_another_binding_is_told(
    isolated_dirs: Path, sandbox_app: object
) -> None:
    write_keymap(isolated_dirs, '"metrics.watch" = "r"\n"help.close" = "x"\n')
    app = metrics_app(sandbox_app)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await until(pilot, lambda: getattr(app.screen, "loaded", False), "the metrics")
        await until(pilot, lambda: bool(app._notifications), "the clash warning")
        notes = [n.message for n in app._notifications]
        assert notes == [
            "keymap: r no longer does Refresh (metrics.refresh): metrics.watch has it now"
        ]
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ExpectPrompt), "the watch prompt")


async def test_dialog_hints_name_the_keys_in_effect(
    isolated_dirs: Path, sandbox_app: object
) -> None:
    write_keymap(isolated_dirs, '"confirm.yes" = "j"\n')
    app = metrics_app(sandbox_app)
    answers: list[bool | None] = []
    async with app.run_test(size=(160, 40)) as pilot:
        await until(pilot, lambda: getattr(app.screen, "loaded", False), "the metrics")
        app.push_screen(ConfirmScreen("Discard?"), answers.append)
        await until(
            pilot,
            lambda: isinstance(app.screen, ConfirmScreen) and bool(app.screen.query(Static)),
            "the dialog",
        )
        hints = [rendered(static.content) for static in app.screen.query(Static)]
        assert any("j yes · n no" in text for text in hints), hints
        await pilot.press("j")
        await until(pilot, lambda: answers == [True], "the answer")
