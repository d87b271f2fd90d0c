"""Fuzzing the wizards' rules: any text in any field (and any saved draft) gives field errors
in words, never an exception; a draft the rules accept always becomes a JSON body the review
step can word; the lookup box's id reader either reads an id or says what is wrong.

These are the functions every keystroke in the definition and threshold wizards goes through
(validate, to_body, the live sentence and what-if), so a crash here is a crash while typing.

And the contract of the bodies: every body the rules build, from any draft and from well-formed
drafts of every kind, carries only keys of the official SDK's create params (read from the
TypedDicts of `roark_analytics.types.metric_create_definition_params`, nested rows included),
with the required ones, each value of its documented type; a threshold body only the threshold
reference page's fields plus `name`. The SDK is the oracle here only, never imported at run time.

Long because the strategies and the SDK oracle they are checked against belong together:
split, a change to a rule's strategy would drift from the oracle that judges it.
"""

from __future__ import annotations

import functools
import json
import re
import typing
from collections.abc import Iterable
from dataclasses import fields
from typing import Any, NotRequired, Required

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from roark_analytics.types import metric_create_definition_params as sdk_params
from typing_extensions import is_typeddict

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
from roark_tui.core.definition_draft import OutcomeRow, effective_slug
from roark_tui.core.describe import definition_in_words, threshold_sentence
from roark_tui.core.llm_judge_rules import PER_UNIT_OUTPUT_TYPES
from roark_tui.core.pattern_rules import COMBINATORS
from roark_tui.core.slugs import SLUG_MAX, slug_from, slug_problem
from roark_tui.core.whatif import evaluate, summarize
from roark_tui.sandbox.hostile import HOSTILE_STRINGS

# Counted in the README (Reliability): keep the figures there in step with these.
THRESHOLD_EXAMPLES = 150
DEFINITION_EXAMPLES = 150
CONTRACT_EXAMPLES = 150
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
    name_auto=st.booleans(),
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
        assert_documented_threshold_body(body)
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
    trigger_combinator=one_of_or_text(COMBINATORS),
    outcome=st.builds(OutcomeRow, **{f.name: typed for f in fields(OutcomeRow)}),
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
    slug = effective_slug(draft)
    assert isinstance(slug, str)
    body = drules.to_body(draft)  # built for the live preview even while invalid
    json.dumps(body)
    assert_documented_definition_body(body, complete=not found)
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


# --- the contract of the request bodies --------------------------------------------------------

# The threshold create page's body fields (operator and value required), plus `name`, which the
# wizard always sends (docs/contract.md, "Request bodies").
THRESHOLD_FIELDS = {
    "operator",
    "value",
    "slug",
    "metricId",
    "aggregationMode",
    "countThreshold",
    "sourceParticipantRole",
    "sourceVariantId",
    "name",
}
THRESHOLD_REQUIRED = {"operator", "value", "name"}


def _unwrapped(hint: Any, required: bool) -> tuple[Any, str | None, bool]:
    """A TypedDict field's type without Required/NotRequired/Annotated, its API alias, and
    whether it is required."""
    alias = None
    while True:
        origin = typing.get_origin(hint)
        if origin in (Required, NotRequired):
            required = origin is Required
            hint = typing.get_args(hint)[0]
        elif origin is typing.Annotated:
            hint, *extras = typing.get_args(hint)
            alias = next((e.alias for e in extras if getattr(e, "alias", None)), alias)
        else:
            return hint, alias, required


@functools.cache
def sdk_fields(typed_dict: Any) -> dict[str, tuple[Any, bool]]:
    """{API key: (type, required)} of an SDK params TypedDict, keys spelled as sent.

    The SDK's modules postpone annotations, so `__required_keys__` cannot see `Required[...]`
    (every key lands in `__optional_keys__`); the resolved hints carry it."""
    hints = typing.get_type_hints(typed_dict, include_extras=True)
    assert set(hints) == typed_dict.__required_keys__ | typed_dict.__optional_keys__
    out = {}
    for attr, hint in hints.items():
        kind, alias, required = _unwrapped(hint, typed_dict.__total__)
        out[alias or attr] = (kind, required)
    return out


def check_value(value: Any, hint: Any, where: str) -> None:
    """`value` is what the SDK type `hint` allows (TypedDicts checked key by key)."""
    origin = typing.get_origin(hint)
    if is_typeddict(hint):
        assert isinstance(value, dict), f"{where}: {value!r} is not an object"
        documented = sdk_fields(hint)
        undocumented = set(value) - set(documented)
        assert not undocumented, f"{where}: {sorted(undocumented)} not in {hint.__name__}"
        for key, (kind, required) in documented.items():
            if key in value:
                check_value(value[key], kind, f"{where}.{key}")
            else:
                assert not required, f"{where}: {key} ({hint.__name__}) is required"
    elif origin is typing.Literal:
        assert value in typing.get_args(hint), f"{where}: {value!r} not in {hint}"
    elif origin in (list, Iterable, typing.Union):
        if origin is typing.Union:
            assert any(_fits(value, option) for option in typing.get_args(hint)), where
            return
        assert isinstance(value, list), f"{where}: {value!r} is not an array"
        for i, item in enumerate(value):
            check_value(item, typing.get_args(hint)[0], f"{where}[{i}]")
    elif hint is float:
        assert isinstance(value, int | float) and not isinstance(value, bool), where
    else:
        assert (isinstance(value, hint) and not isinstance(value, bool)) or hint is bool, where


def _fits(value: Any, hint: Any) -> bool:
    try:
        check_value(value, hint, "")
    except AssertionError:
        return False
    return True


# calculationType -> the SDK's params TypedDict for it (the members of the union).
SDK_INPUTS = {
    typing.get_args(sdk_fields(member)["calculationType"][0])[0]: member
    for member in typing.get_args(sdk_params.MetricCreateDefinitionParams)
}


def assert_documented_definition_body(body: dict[str, Any], *, complete: bool) -> None:
    """Only keys of the SDK's params type for the body's kind; with `complete` (a draft the
    rules accept), also every required key and every value of its type."""
    member = SDK_INPUTS.get(body.get("calculationType"))
    if member is None:  # no kind picked yet: nothing the wizard would send
        assert not complete
        return
    if complete:
        check_value(body, member, "body")
    else:
        undocumented = set(body) - set(sdk_fields(member))
        assert not undocumented, f"{sorted(undocumented)} not in {member.__name__}"


def assert_documented_threshold_body(body: dict[str, Any]) -> None:
    assert set(body) <= THRESHOLD_FIELDS, sorted(set(body) - THRESHOLD_FIELDS)
    assert set(body) >= THRESHOLD_REQUIRED
    assert 1 <= len(body["name"]) <= trules.NAME_MAX
    assert isinstance(body["value"], str) and body["value"]


def test_the_oracle_reads_the_sdk_types() -> None:
    """The SDK's three create inputs, aliases and all: the oracle is not empty or misread."""
    assert set(SDK_INPUTS) == set(drules.KINDS)
    judge = sdk_fields(SDK_INPUTS["LLM_JUDGE"])
    assert judge["outputType"][1] and judge["name"][1] and not judge["llmPrompt"][1]
    assert "description" not in judge and "scaleLabels" in judge
    assert "sourceMetricDefinitionId" in sdk_fields(sdk_params.FormulaMetricInputSource)
    assert _fits({"calculationType": "FORMULA"}, SDK_INPUTS["FORMULA"]) is False
    assert not _fits(
        {"label": "a", "displayOrder": 1, "description": "d", "x": 1},
        sdk_params.PromptMetricInputClassificationOption,
    )


words = st.from_regex(r"[A-Za-z][A-Za-z0-9 ]{0,30}", fullmatch=True)
uuids = st.uuids().map(str)
optional_uuid = st.one_of(st.just(""), uuids)


@st.composite
def judge_drafts(draft: Any) -> drules.DefinitionDraft:
    output = draft(st.sampled_from(OUTPUT_TYPES))
    scope = draft(st.sampled_from(("GLOBAL", "PER_PARTICIPANT")))
    role = draft(st.sampled_from(PARTICIPANT_ROLES)) if scope == "PER_PARTICIPANT" else ""
    contexts = ["CALL"]
    if scope == "PER_PARTICIPANT" and output in PER_UNIT_OUTPUT_TYPES:
        contexts += draft(st.sampled_from([[], ["SEGMENT"]]))
        if role == "AGENT" and draft(st.booleans()):
            contexts.append("TURN")
    values: dict[str, Any] = {
        "output_type": output,
        "llm_prompt": draft(st.one_of(words, st.just("x" * drules.PROMPT_MAX))),
        "scope": scope,
        "participant_role": role,
        "supported_contexts": contexts,
    }
    if output == "BOOLEAN":
        values["boolean_true_label"] = draft(st.sampled_from(["", "Verified"]))
        values["boolean_false_label"] = draft(st.sampled_from(["", "Not verified"]))
    if output == "SCALE":
        values.update(scale_min="1", scale_max="5")
        values["scale_labels"] = draft(
            st.lists(
                st.builds(
                    drules.ScaleLabelRow,
                    range_min=st.just("1"),
                    range_max=st.sampled_from(["2", "5", "4.5"]),
                    label=words,
                    display_order=st.sampled_from(["", "3"]),
                    description=st.sampled_from(["", "Cold"]),
                    color_hex=st.sampled_from(["", "#00ff00"]),
                ),
                max_size=2,
            )
        )
    if output == "CLASSIFICATION":
        labels = draft(st.lists(words, min_size=1, max_size=3, unique_by=str.lower))
        values["classification_options"] = [
            drules.ClassificationRow(label, "when it fits", draft(st.sampled_from(["", "2"])))
            for label in labels
        ]
        values["max_classifications"] = draft(st.sampled_from(["", "1"]))
    return drules.DefinitionDraft(calculation_type="LLM_JUDGE", **values)


@st.composite
def formula_drafts(draft: Any) -> drules.DefinitionDraft:
    ids = draft(st.lists(uuids, min_size=2, max_size=3, unique=True))
    output = draft(st.sampled_from(drules.FORMULA_OUTPUT_TYPES))
    expression = " + ".join(drules.reference(i) for i in ids)
    if output == "BOOLEAN":
        expression += " > 2"
    sources = [drules.SourceRow(i, draft(optional_uuid)) for i in ids]
    return drules.DefinitionDraft(
        calculation_type="FORMULA", output_type=output, formula=expression, sources=sources
    )


def steps(cls: type[Any], **extra: Any) -> st.SearchStrategy[Any]:
    return st.builds(
        cls,
        source_metric_definition_id=uuids,
        operator=st.sampled_from(OPERATORS),
        threshold_value=st.sampled_from(["0", "true", "3.5"]),
        source_participant_role=st.sampled_from(("", *PARTICIPANT_ROLES)),
        source_variant_id=optional_uuid,
        **extra,
    )


@st.composite
def pattern_drafts(draft: Any) -> drules.DefinitionDraft:
    triggers = draft(st.lists(steps(drules.TriggerRow), min_size=1, max_size=3))
    return drules.DefinitionDraft(
        calculation_type="PATTERN",
        operation=draft(st.sampled_from(PATTERN_OPERATIONS)),
        window_mode=draft(st.sampled_from(("seconds", "segments"))),
        triggers=triggers,
        trigger_combinator=draft(st.sampled_from(COMBINATORS)) if len(triggers) > 1 else "",
        outcome=draft(
            steps(
                OutcomeRow,
                window_before=st.sampled_from(["", "0", "2"]),
                window_after=st.sampled_from(["0", "10"]),
            )
        ),
    )


# The draft fields each kind (and each LLM judge output type) edits.
OUTPUT_FIELDS = {
    "BOOLEAN": ("boolean_true_label", "boolean_false_label"),
    "SCALE": ("scale_min", "scale_max", "scale_labels"),
    "CLASSIFICATION": ("classification_options", "max_classifications"),
}
KIND_FIELDS = {
    "LLM_JUDGE": (
        "output_type",
        "llm_prompt",
        "scope",
        "participant_role",
        "supported_contexts",
        *(name for names in OUTPUT_FIELDS.values() for name in names),
    ),
    "FORMULA": ("output_type", "formula", "sources"),
    "PATTERN": ("operation", "window_mode", "trigger_combinator", "triggers", "outcome"),
}


@st.composite
def well_formed_definitions(draft: Any) -> drules.DefinitionDraft:
    """A draft the rules accept, of any kind, still holding whatever the fields of the other
    kinds and output types were left with (switching back and forth keeps them; they must not
    be sent)."""
    made = draft(st.one_of(judge_drafts(), formula_drafts(), pattern_drafts()))
    own = set(KIND_FIELDS[made.calculation_type])
    for output, names in OUTPUT_FIELDS.items():
        if output != made.output_type:
            own -= set(names)
    left_over = draft(definition_drafts)
    for name in {n for names in KIND_FIELDS.values() for n in names} - own:
        setattr(made, name, getattr(left_over, name))
    made.name = draft(words)
    made.slug, made.slug_auto = draft(st.sampled_from([("", True), ("my_metric_2", False)]))
    made.analysis_package_id = draft(optional_uuid)
    return made


@settings(FUZZ, max_examples=CONTRACT_EXAMPLES)
@given(draft=well_formed_definitions())
def test_every_definition_body_is_within_the_sdk_params(draft: drules.DefinitionDraft) -> None:
    assert drules.validate(draft) == {}, drules.validate(draft)
    assert_documented_definition_body(drules.to_body(draft), complete=True)


def threshold_sources(output_type: str) -> st.SearchStrategy[MetricDefinition]:
    extra: dict[str, Any] = {}
    if output_type == "SCALE":
        extra = {"scaleMin": 1, "scaleMax": 5}
    if output_type == "CLASSIFICATION":
        extra = {"classificationOptions": [{"label": "billing"}, {"label": "none"}]}
    return st.builds(
        lambda name, contexts, variant, unit: MetricDefinition.model_validate(
            {
                "id": UUID,
                "slug": "the_source",
                "name": name,
                "type": output_type,
                "supportedContexts": contexts,
                "variantId": variant,
                "unit": unit,
                **extra,
            }
        ),
        st.one_of(words, hostile, st.just("N" * 300)),
        st.sampled_from([["CALL"], ["CALL", "SEGMENT"], ["CALL", "TURN"]]),
        st.one_of(st.none(), uuids),
        st.one_of(st.none(), st.just({"name": "milliseconds", "symbol": "ms"})),
    )


GOOD_VALUES = {
    "SCALE": ["1", "4.5", "5"],
    "NUMERIC": ["0", "-2.5", "1500"],
    "COUNT": ["0", "3"],
    "BOOLEAN": ["true", "FALSE"],
    "CLASSIFICATION": ["billing", "none"],
}


@st.composite
def well_formed_thresholds(draft: Any) -> tuple[trules.ThresholdDraft, MetricDefinition]:
    output_type = draft(st.sampled_from(trules.SOURCE_TYPES))
    source = draft(threshold_sources(output_type))
    numeric = trules.is_numeric(source)
    mode = draft(st.sampled_from(AGGREGATION_MODES if numeric else trules.COUNTING_MODES))
    role = draft(st.sampled_from(PARTICIPANT_ROLES)) if trules.supports_role(source) else ""
    return trules.ThresholdDraft(
        source=source.key,
        operator=draft(st.sampled_from(trules.operators_for(source))),
        value=draft(st.sampled_from(GOOD_VALUES[output_type])),
        aggregation_mode=mode,
        count_threshold=draft(st.sampled_from(["0", "4"])) if mode == "COUNT" else "",
        source_participant_role=draft(st.sampled_from(["", role])),
        source_variant_id=draft(optional_uuid),
        slug=draft(st.sampled_from(["", "my_check"])),
        name=draft(st.one_of(words, hostile.map(lambda t: t[:100]))),
        name_auto=draft(st.booleans()),
    ), source


@settings(FUZZ, max_examples=CONTRACT_EXAMPLES)
@given(made=well_formed_thresholds())
def test_every_threshold_body_is_within_the_documented_fields(
    made: tuple[trules.ThresholdDraft, MetricDefinition],
) -> None:
    draft, source = made
    found = trules.validate(draft, source)
    if not draft.name_auto and not draft.name.strip():
        assert set(found) == {"name"}  # a name of only spaces: the one thing to fix
        return
    assert found == {}, found
    assert_documented_threshold_body(trules.to_body(draft, source))
