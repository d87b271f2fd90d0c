"""One sandbox's metric definitions: the seeded catalogue plus what clients create or edit.

Lookup by id or slug; creation of LLM_JUDGE / FORMULA / PATTERN metrics
and of thresholds; partial updates (PUT or PATCH) that bump `versionId`. Everything created
lives as long as the app, or, given a file to keep it in (`--demo`), across runs: what was
created or edited is written there after each change and read back at the next start. Ids of
created definitions are deterministic (the n-th creation always gets the same id, counting the
kept ones), so runs and snapshots repeat and a kept sandbox never hands out an id twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
import uuid
from pathlib import Path
from typing import Any

from roark_tui.sandbox import body_fields, catalog, threshold_checks, validation
from roark_tui.sandbox.operators import CODES, WORDS
from roark_tui.sandbox.problems import Problem, not_found

_CREATED = uuid.UUID("3e1f7a9c-5b2d-4c8e-a6f0-7d9b1c3e5a20")
# What a kept file may weigh: a demo's own definitions are kilobytes; more is not ours.
KEPT_MAX_BYTES = 16 * 1024 * 1024


class DefinitionStore:
    """The definitions a project sees, ordered by id as the list endpoint serves them."""

    def __init__(
        self, extra: list[dict[str, Any]] | None = None, kept_in: Path | None = None
    ) -> None:
        """The seeded catalogue, plus `extra` definitions (the benchmark chat's), by id, plus
        what earlier runs created or edited when `kept_in` holds it."""
        seeded = sorted([*catalog.seeded(), *(extra or [])], key=lambda d: d["id"])
        self._by_id: dict[str, dict[str, Any]] = {d["id"]: d for d in seeded}
        self._by_slug: dict[str, str] = {d["slug"]: d["id"] for d in seeded}
        self._order: list[str] = [d["id"] for d in seeded]
        self._versions: dict[str, int] = {}
        self._created = 0
        self._changed: list[str] = []  # ids created or edited, in order: what is kept
        self._kept_in = kept_in
        if kept_in is not None:
            self._restore(kept_in)

    def __len__(self) -> int:
        return len(self._order)

    def ordered(self) -> list[dict[str, Any]]:
        return [self._by_id[i] for i in self._order]

    def lookup(self, id_or_slug: str) -> dict[str, Any] | None:
        key = id_or_slug.strip()
        found = self._by_id.get(key.lower())
        if found is None and key in self._by_slug:
            found = self._by_id[self._by_slug[key]]
        return found

    def require(self, id_or_slug: str) -> dict[str, Any]:
        found = self.lookup(id_or_slug)
        if found is None:
            raise not_found("metric definition", id_or_slug, "idOrSlug")
        return found

    def slug_taken(self, slug: str) -> bool:
        return slug in self._by_slug

    # --- creating ------------------------------------------------------------------------

    def create(self, body: Any) -> dict[str, Any]:
        """POST /v1/metric/definitions."""
        fields = validation.check_create(body, self.lookup)
        slug = self._claim_slug(fields["slug"], fields["name"])
        kind = fields["calculationType"]
        definition = catalog.base_definition(
            def_id=self._next_id(),
            slug=slug,
            name=fields["name"],
            description=fields["description"],
            calculation=kind,
            output_type=fields["outputType"],
            scope=fields.get("scope", "GLOBAL"),
            contexts=fields.get("supportedContexts"),
        )
        if kind == "LLM_JUDGE":
            definition.update(
                llmPrompt=fields["llmPrompt"],
                booleanTrueLabel=fields.get("booleanTrueLabel"),
                booleanFalseLabel=fields.get("booleanFalseLabel"),
            )
            if fields["participantRole"] is not None:
                definition["participantRole"] = fields["participantRole"]
            for key in (
                "scaleMin",
                "scaleMax",
                "scaleLabels",
                "classificationOptions",
                "maxClassifications",
                "toolDefinitionIds",
            ):
                if fields.get(key) is not None:
                    definition[key] = fields[key]
        elif kind == "FORMULA":
            definition["formula"] = {"expression": fields["formula"], "sources": fields["sources"]}
        else:
            definition["pattern"] = fields["pattern"]
        return self._store(definition)

    def create_threshold(self, id_or_slug: str, body: Any) -> dict[str, Any]:
        """POST /v1/metric/definitions/{idOrSlug}/thresholds."""
        source = self.require(id_or_slug)
        fields = threshold_checks.check_threshold(body, source)
        slug = fields["slug"]
        if slug is None:
            slug = body_fields.derive_slug(_threshold_slug_words(source, fields), self.slug_taken)
        slug = self._claim_slug(slug, fields["name"])
        words = WORDS[fields["operator"]]
        definition = catalog.threshold_definition(
            def_id=self._next_id(),
            slug=slug,
            name=fields["name"],
            description=f"Passes when {source['name']} is {words} {fields['value']}"
            + _aggregation_words(fields)
            + ".",
            source=source,
            operator=fields["operator"],
            value=fields["value"],
            aggregation=fields["aggregationMode"],
            count_threshold=fields["countThreshold"],
            role=fields["sourceParticipantRole"],
            variant=fields["sourceVariantId"],
        )
        return self._store(definition)

    def _claim_slug(self, requested: str | None, name: str) -> str:
        if requested is None:
            return body_fields.derive_slug(name, self.slug_taken)
        if self.slug_taken(requested):
            raise body_fields.slug_taken(requested)
        return requested

    def _next_id(self) -> str:
        self._created += 1
        return str(uuid.uuid5(_CREATED, f"created:{self._created}"))

    def _store(self, definition: dict[str, Any]) -> dict[str, Any]:
        def_id = definition["id"]
        self._by_id[def_id] = definition
        self._by_slug[definition["slug"]] = def_id
        self._order.append(def_id)
        self._order.sort()
        self._changed.append(def_id)
        self._keep()
        return definition

    # --- kept across runs ------------------------------------------------------------------

    def _keep(self) -> None:
        """Write what was created or edited to `kept_in`, whole or not at all (a temp file
        renamed over it, 0600). A disk that refuses only costs the next run the changes."""
        if self._kept_in is None:
            return
        doc = {
            "created": self._created,
            "versions": self._versions,
            "definitions": [self._by_id[i] for i in dict.fromkeys(self._changed)],
        }
        folder = self._kept_in.parent
        with contextlib.suppress(OSError):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{self._kept_in.name}.")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(doc, handle, ensure_ascii=False)
                os.replace(tmp, self._kept_in)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise

    def _restore(self, path: Path) -> None:
        """What an earlier run kept; a missing or unreadable file is a fresh start, and so is
        anything but a regular file of at most KEPT_MAX_BYTES (a FIFO there would hang the
        start, /dev/zero would fill the memory)."""
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            with os.fdopen(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > KEPT_MAX_BYTES:
                    return
                doc = json.loads(handle.read(KEPT_MAX_BYTES + 1))
            created = int(doc["created"])
            versions = {str(k): int(v) for k, v in dict(doc["versions"]).items()}
            kept = [d for d in doc["definitions"] if _is_definition(d)]
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return
        for definition in kept:
            def_id = definition["id"]
            if def_id not in self._by_id:
                self._order.append(def_id)
            self._by_id[def_id] = definition
            self._by_slug[definition["slug"]] = def_id
            self._changed.append(def_id)
        self._order.sort()
        self._created, self._versions = created, versions

    # --- updating ------------------------------------------------------------------------

    @property
    def edited(self) -> bool:
        """Whether any definition moved past its first version (the metrics then name it as
        it is now)."""
        return bool(self._versions)

    def current_header(self, group: dict[str, Any]) -> dict[str, Any]:
        """A metrics group with its metric's current name (a rename shows at once)."""
        found = self._by_id.get(group["metricDefinitionId"])
        if found is None or found["name"] == group["name"]:
            return group
        return {**group, "name": found["name"]}

    def update(self, id_or_slug: str, body: Any) -> dict[str, Any]:
        """PUT/PATCH: a partial update; every change makes a new version."""
        current = self.require(id_or_slug)
        if catalog.is_system(current) or current["calculationType"] == "PROVIDER":
            raise Problem(
                403,
                "Roark's system metrics cannot be edited; create a variant instead",
                code="system_metric_read_only",
            )
        kind = current["calculationType"]
        changes = validation.check_update(body, kind)
        updated = dict(current)
        if kind in ("LLM_JUDGE", "FORMULA"):
            merged = {**_as_create_body(current), **changes}
            fields = validation.check_definition(merged, self.lookup)
            if kind == "LLM_JUDGE":
                for key in (
                    "name",
                    "llmPrompt",
                    "supportedContexts",
                    "booleanTrueLabel",
                    "booleanFalseLabel",
                    "scaleMin",
                    "scaleMax",
                    "scaleLabels",
                    "classificationOptions",
                    "maxClassifications",
                    "toolDefinitionIds",
                ):
                    if key in fields and (fields[key] is not None or key in updated):
                        updated[key] = fields[key]
            else:
                updated["name"] = fields["name"]
                updated["formula"] = {"expression": fields["formula"], "sources": fields["sources"]}
        else:
            updated["name"] = body_fields.text(changes, "name", high=body_fields.NAME_MAX)
        version = self._versions.get(current["id"], 1) + 1
        self._versions[current["id"]] = version
        updated["versionId"] = catalog.version_id(current["id"], version)
        self._by_id[current["id"]] = updated
        self._changed.append(current["id"])
        self._keep()
        return updated


def _is_definition(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("id"), str)
        and isinstance(value.get("slug"), str)
        and isinstance(value.get("name"), str)
    )


def _as_create_body(definition: dict[str, Any]) -> dict[str, Any]:
    """A stored LLM_JUDGE or FORMULA definition as the create body that would make it."""
    body: dict[str, Any] = {
        "calculationType": definition["calculationType"],
        "name": definition["name"],
        "outputType": definition["type"],
    }
    if definition["calculationType"] == "FORMULA":
        body["formula"] = definition["formula"]["expression"]
        body["sources"] = [
            {k: v for k, v in s.items() if v is not None} for s in definition["formula"]["sources"]
        ]
        return body
    body.update(scope=definition["scope"], supportedContexts=definition["supportedContexts"])
    for key in (
        "participantRole",
        "llmPrompt",
        "booleanTrueLabel",
        "booleanFalseLabel",
        "scaleMin",
        "scaleMax",
        "scaleLabels",
        "classificationOptions",
        "maxClassifications",
        "toolDefinitionIds",
    ):
        if definition.get(key) is not None:
            body[key] = definition[key]
    return body


def _aggregation_words(fields: dict[str, Any]) -> str:
    mode = fields["aggregationMode"]
    if mode == "EACH":
        return ""
    if mode == "COUNT":
        count = fields["countThreshold"]
        return f" for at least {count} value{'' if count == 1 else 's'}"
    return f" ({mode.lower()} of the values)"


def _threshold_slug_words(source: dict[str, Any], fields: dict[str, Any]) -> str:
    parts = [
        source["slug"],
        fields["aggregationMode"].lower(),
        CODES[fields["operator"]],
        fields["value"],
    ]
    if fields["sourceParticipantRole"]:
        parts.append(fields["sourceParticipantRole"].lower())
    return " ".join(parts)
