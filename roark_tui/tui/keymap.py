"""The user's keymap: binding ids of our screens and widgets, fed to Textual's own keymap.

Every binding a user may want on another key has an id (`metrics.watch`); the config file's
`[keymap]` table maps ids to keys (see config.load_keymap) and Textual applies it wherever the
binding is active, footer, help and command palette included. The ids are read from the
classes themselves, so the list in the README is checked against the code by a test.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.keys import Keys, _character_to_key  # its own name for a typed character

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


@dataclass(frozen=True)
class BindingInfo:
    """One remappable binding: its id, default keys, what it does, and where it lives."""

    id: str
    key: str
    description: str
    owner: str


def tui_nodes() -> Iterator[type[DOMNode]]:
    """Every screen, widget and app class roark-tui defines (imports all of `roark_tui.tui`:
    only when there is a keymap to check, and by the tests)."""
    import roark_tui.tui as tui

    for info in pkgutil.walk_packages(tui.__path__, tui.__name__ + "."):
        module = importlib.import_module(info.name)
        classes = [c for c in vars(module).values() if isinstance(c, type)]
        for cls in classes:
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                yield cls


def declared_bindings() -> Iterator[tuple[type[DOMNode], BindingType]]:
    """Every entry of every BINDINGS of roark-tui's screens, widgets and app."""
    for cls in tui_nodes():
        for binding in cls.__dict__.get("BINDINGS", []):
            yield cls, binding


@cache
def binding_ids() -> dict[str, BindingInfo]:
    """Every binding id, sorted, with its default keys and what it does."""
    found = {
        binding.id: BindingInfo(binding.id, binding.key, binding.description, cls.__name__)
        for cls, binding in declared_bindings()
        if isinstance(binding, Binding) and binding.id
    }
    return dict(sorted(found.items()))


@cache
def _key_names() -> frozenset[str]:
    """The key names Textual knows, without modifiers (`escape`, `f5`, `question_mark`)."""
    names = {key.value.rsplit("+", 1)[-1] for key in Keys if not key.value.startswith("<")}
    names.update(_character_to_key(chr(code)) for code in range(33, 127))
    return frozenset(names)


def valid_key(key: str) -> bool:
    """`W`, `?`, `ctrl+w`, `shift+f5`: a key Textual can deliver (modifiers + one key)."""
    *modifiers, name = key.split("+")
    if not name or not set(modifiers) <= MODIFIERS:
        return False
    return (len(name) == 1 and name.isprintable()) or name in _key_names()


def normal_key(key: str) -> str:
    """`ctrl+/` as Textual names it when pressed, `ctrl+slash` (Textual itself renames only a
    key that is a single character)."""
    *modifiers, name = key.split("+")
    return "+".join([*modifiers, _character_to_key(name) if len(name) == 1 else name])


def usable_keys(keymap: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The entries whose keys Textual can deliver, named as Textual names them, and a note for
    each entry that has a key it cannot (that binding keeps its default key). Cheap: the
    app applies this before its first frame."""
    usable: dict[str, str] = {}
    notes: list[str] = []
    for binding_id, keys in keymap.items():
        bad = [key for key in keys.split(",") if not valid_key(key)]
        if bad:
            notes.append(
                f"keymap: {bad[0]!r} is not a key name (like W, ?, ctrl+w, f5, escape); "
                f"{binding_id} keeps its default key"
            )
            continue
        usable[binding_id] = ",".join(normal_key(key) for key in keys.split(","))
    return usable, notes


def unknown_ids(keymap: dict[str, str]) -> list[str]:
    """A note for each id no binding has, with the nearest one that exists (a typo in the
    config file would otherwise do nothing, silently). Imports every screen: not for the
    first frame."""
    known = binding_ids()
    notes = []
    for binding_id in keymap:
        if binding_id not in known:
            near = difflib.get_close_matches(binding_id, list(known), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            notes.append(f"keymap: no binding has the id {binding_id!r}{hint}")
    return notes


def taken_keys(keymap: dict[str, str]) -> list[str]:
    """A note for each default key the keymap gives to another binding of the same screen or
    widget: the binding that had it loses it (Textual's own clash report misses this case)."""
    known = binding_ids()
    notes = []
    for info in known.values():
        if info.id in keymap:
            continue
        defaults = set(info.key.split(","))
        for other_id, keys in keymap.items():
            other = known.get(other_id)
            if other is None or other.owner != info.owner:
                continue
            for key in sorted(defaults & set(keys.split(","))):
                notes.append(
                    f"keymap: {key} no longer does {info.description} ({info.id}): "
                    f"{other_id} has it now"
                )
    return notes
