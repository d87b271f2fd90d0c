"""Fuzzing the wizards' rules: any text in any field (and any saved draft) gives field errors
in words, never an exception; a draft the rules accept always becomes a JSON body the review
step can word; the lookup box's id reader either reads an id or says what is wrong.

These are the functions every keystroke in the definition and threshold wizards goes through
(validate, to_body, the live sentence and what-if), so a crash here is a crash while typing.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roark_tui.api.metric_values import MetricValue
from roark_tui.api.models import (
    AGGREGATION_MODES,
    DEFINITION_CONTEXTS,
    OPERATORS,
    OUTPUT_TYPES,
    PARTICIPANT_ROLES,
    PATTERN_OPERATIONS,
    MetricDefinition,
    ThresholdSpec,
)
from roark_tui.core import definition_rules as drules
from roark_tui.core import threshold_rules as trules
from roark_tui.core.conversation_ref import parse_ref
from roark_tui.core.describe import definition_in_words, threshold_sentence
from roark_tui.core.slugs import SLUG_MAX, slug_from, slug_problem
from roark_tui.core.whatif import evaluate, summarize
from roark_tui.sandbox.hostile import HOSTILE_STRINGS

# Counted in the README (Reliability): keep the figures there in step with these.
THRESHOLD_EXAMPLES = 150
DEFINITION_EXAMPLES = 150
SAVED_DRAFT_EXAMPLES = 100
SMALL_EXAMPLES = 100
FUZZ = settings(
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# The API's slug rule (core/slugs.py): lower snake case.
SLUG = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
UUID = "3f0e9c2a-5b7d-4e8f-a1c2-d3e4f5a6b7c8"
hostile = st.sampled_from(sorted(t[:300] for t in HOSTILE_STRINGS.values()))
typed = st.one_of(
    st.text(max_size=30),
    hostile,
    st.sampled_from(
        ["", " ", "0", "-1", "1e309", "nan", "inf", "\uff11\uff12", "3.5", "true", UUID]
    ),
    st.integers(-(10**30), 10**30).map(str),
    st.floats().map(str),
)


def one_of_or_text(known: tuple[str, ...]) -> st.SearchStrategy[str]:
    """A value a Select offers, or anything typed or left in a saved draft."""
    return st.one_of(st.sampled_from(known), typed)


sources = st.builds(
    lambda ident, rest: MetricDefinition.model_validate({"id": ident, **rest}),
    st.one_of(st.just(UUID), st.text(max_size=8)),
    st.fixed_dictionaries(
        {},
        optional={
            "slug": st.text(max_size=10),
            "name": typed,
            "type": one_of_or_text(OUTPUT_TYPES),
            "scope": one_of_or_text(("GLOBAL", "PER_PARTICIPANT")),
            "supportedContexts": st.lists(one_of_or_text(DEFINITION_CONTEXTS), max_size=3),
            "scaleMin": st.floats(allow_nan=False),
            "scaleMax": st.floats(allow_nan=False),
            "scaleLabels": st.lists(
                st.fixed_dictionaries(
                    {"label": typed},
                    optional={
                        "rangeMin": st.floats(allow_nan=False),
                        "rangeMax": st.floats(allow_nan=False),
                    },
                ),
                max_size=2,
            ),
            "classificationOptions": st.lists(st.fixed_dictionaries({"label": typed}), max_size=3),
            "booleanTrueLabel": typed,
            "variantId": st.one_of(st.just(UUID), typed),
            "unit": st.fixed_dictionaries({}, optional={"name": typed, "symbol": typed}),
        },
    ),
)
threshold_drafts = st.builds(
    trules.ThresholdDraft,
    source=typed,
    operator=one_of_or_text(OPERATORS),
    value=typed,
    aggregation_mode=one_of_or_text(AGGREGATION_MODES),
    count_threshold=typed,
    source_participant_role=one_of_or_text(PARTICIPANT_ROLES),
    source_variant_id=typed,
    slug=typed,
    name=typed,
)
metric_values = st.lists(
    st.builds(
        lambda status, value, role: MetricValue(
            {"captureStatus": status, "value": value, "participantRole": role, "context": "CALL"}
        ),
        st.sampled_from(["SUCCESS", "SUCCESS", "ERROR", "NOT_APPLICABLE", "odd"]),
        st.one_of(st.none(), st.booleans(), st.floats(), st.integers(), typed),
        st.one_of(st.none(), st.sampled_from(PARTICIPANT_ROLES).map(str.lower), typed),
    ),
    max_size=5,
)


def assert_field_errors(found: Any) -> None:
    """Errors are {field key: one non-empty sentence}."""
    assert isinstance(found, dict)
    for key, message in found.items():
        assert isinstance(key, str) and key
        assert isinstance(message, str) and message.strip()


@settings(FUZZ, max_examples=THRESHOLD_EXAMPLES)
@given(draft=threshold_drafts, source=st.one_of(st.none(), sources), rows=metric_values)
def test_threshold_rules_take_any_text(
    draft: trules.ThresholdDraft, source: MetricDefinition | None, rows: list[MetricValue]
) -> None:
    """What the threshold wizard runs on every change: validate, sentence, what-if, slug."""
    found = trules.validate(draft, source)
    assert_field_errors(found)
    assert set(found) <= set(trules.FIELDS)
    slug = trules.suggested_slug(draft, source)
    assert len(slug) <= SLUG_MAX
    rule = trules.to_rule(draft, source)
    result = evaluate(rule, rows, output_type=source.type if source else None, unit="ms")
    summarize(result)
    spec = ThresholdSpec(
        operator=draft.operator or None,
        threshold_value=trules.normalized_value(draft, source) or None,
        aggregation_mode=draft.aggregation_mode or "EACH",
        count_threshold=trules.parse_count_threshold(draft.count_threshold),
        source_participant_role=draft.source_participant_role or None,
    )
    assert isinstance(threshold_sentence(spec, draft.source or "…", None), str)
    if source is not None and not found:
        body = trules.to_body(draft, source)
        json.dumps(body)  # the review dialog shows it as JSON
        assert body["operator"] in OPERATORS and isinstance(body["value"], str)
    assert trules.ThresholdDraft.from_dict(draft.to_dict()) == draft


def row_lists() -> dict[str, st.SearchStrategy[Any]]:
    def rows(cls: type[Any]) -> st.SearchStrategy[list[Any]]:
        names = [f.name for f in fields(cls)]
        return st.lists(st.builds(cls, **{n: typed for n in names}), max_size=3)

    return {
        "scale_labels": rows(drules.ScaleLabelRow),
        "classification_options": rows(drules.ClassificationRow),
        "sources": rows(drules.SourceRow),
        "triggers": rows(drules.TriggerRow),
    }


definition_drafts = st.builds(
    drules.DefinitionDraft,
    calculation_type=one_of_or_text(drules.KINDS),
    name=typed,
    slug=typed,
    slug_auto=st.booleans(),
    description=typed,
    analysis_package_id=typed,
    output_type=one_of_or_text(OUTPUT_TYPES),
    llm_prompt=st.one_of(typed, st.integers(0, 2100).map(lambda n: "x" * n)),
    scope=one_of_or_text(("GLOBAL", "PER_PARTICIPANT")),
    participant_role=one_of_or_text(PARTICIPANT_ROLES),
    supported_contexts=st.lists(one_of_or_text(DEFINITION_CONTEXTS), max_size=3),
    boolean_true_label=typed,
    boolean_false_label=typed,
    scale_min=typed,
    scale_max=typed,
    max_classifications=typed,
    formula=st.one_of(
        typed,
        st.lists(
            st.sampled_from(["{{id:" + UUID + "}}", "1", "2.5", "+", "-", "*", "/", "(", ")"])
            | st.sampled_from(["==", "!=", ">=", "<", "{{id:", "}}", "{{id:x}}", " "]),
            max_size=12,
        ).map("".join),
    ),
    operation=one_of_or_text(PATTERN_OPERATIONS),
    window_mode=one_of_or_text(("seconds", "segments")),
    trigger_combinator=one_of_or_text(drules.COMBINATORS),
    outcome=st.builds(drules.OutcomeRow, **{f.name: typed for f in fields(drules.OutcomeRow)}),
    **row_lists(),
)


@settings(FUZZ, max_examples=DEFINITION_EXAMPLES)
@given(draft=definition_drafts, known=st.lists(sources, max_size=2), key=typed)
def test_definition_rules_take_any_text(
    draft: drules.DefinitionDraft, known: list[MetricDefinition], key: str
) -> None:
    """What the definition wizard runs on every change and on review."""
    by_id = {d.id: d for d in known}
    found = drules.validate(draft, by_id)
    assert_field_errors(found)
    for step in drules.STEPS:
        assert set(drules.step_errors(found, step)) <= set(found)
    slug = drules.effective_slug(draft)
    assert isinstance(slug, str)
    body = drules.to_body(draft)  # built for the live preview even while invalid
    json.dumps(body)
    if not found:
        preview = drules.preview_definition(body)
        definition_in_words(preview, by_id)
    # A server error naming any field lands somewhere, or nowhere, without raising.
    target = drules.server_field(key, draft)
    drules.get_field(draft, target)
    drules.set_field(draft, target, "x")
    assert drules.DefinitionDraft.from_dict(json.loads(json.dumps(draft.to_dict()))) is not None


saved_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), typed),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.one_of(
                st.sampled_from(
                    [f.name for f in fields(drules.DefinitionDraft)]
                    + [f.name for f in fields(trules.ThresholdDraft)]
                ),
                st.text(max_size=6),
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=15,
)


@settings(FUZZ, max_examples=SAVED_DRAFT_EXAMPLES)
@given(raw=saved_json)
def test_any_saved_draft_resumes_as_a_draft(raw: Any) -> None:
    """A draft file edited by hand, from an older version, or half-valid: a draft comes back,
    and the rules can judge it."""
    definition = drules.DefinitionDraft.from_dict(raw)
    assert_field_errors(drules.validate(definition))
    threshold = trules.ThresholdDraft.from_dict(raw)
    assert_field_errors(trules.validate(threshold, None))


@settings(FUZZ, max_examples=SMALL_EXAMPLES)
@given(name=typed)
def test_derived_slugs_are_always_valid_or_empty(name: str) -> None:
    slug = slug_from(name)
    assert slug == "" or (len(slug) <= SLUG_MAX and SLUG.match(slug) and slug_problem(slug) is None)


@settings(FUZZ, max_examples=SMALL_EXAMPLES)
@given(text=st.one_of(typed, typed.map(lambda t: f"https://app.roark.ai/chat/{t}")))
def test_lookup_reads_an_id_or_says_why_not(text: str) -> None:
    try:
        kind, conv_id = parse_ref(text)
    except ValueError as exc:
        assert str(exc).strip()
    else:
        assert kind in (None, "chat", "call") and conv_id.strip()
