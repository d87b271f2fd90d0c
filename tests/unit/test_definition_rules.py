"""Definition draft rules (docs/contract.md): every rule, every output type, the exact body.

Long because it is tables of cases, one per rule and output type, beside the exact bodies
they must build.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from roark_tui.api.models import OUTPUT_TYPES, MetricDefinition
from roark_tui.core.definition_draft import (
    ClassificationRow,
    DefinitionDraft,
    OutcomeRow,
    ScaleLabelRow,
    SourceRow,
    TriggerRow,
    camel,
    effective_slug,
    snake,
)
from roark_tui.core.definition_rules import (
    created_from,
    preview_definition,
    server_field,
    step_errors,
    step_of,
    to_body,
    validate,
)
from roark_tui.core.formula_rules import reference, references
from roark_tui.core.slugs import slug_from

A = "11111111-1111-4111-8111-111111111111"
B = "22222222-2222-4222-8222-222222222222"
C = "33333333-3333-4333-8333-333333333333"
PACKAGE = "44444444-4444-4444-8444-444444444444"
PROMPT = "Did the agent verify the caller's identity before discussing the account?"


def judge(output_type: str = "BOOLEAN", **kw: Any) -> DefinitionDraft:
    """A valid LLM judge of `output_type`; keywords override fields."""
    base: dict[str, Any] = {
        "calculation_type": "LLM_JUDGE",
        "name": "Caller verified",
        "output_type": output_type,
        "llm_prompt": PROMPT,
    }
    if output_type == "SCALE":
        base.update(scale_min="1", scale_max="5")
    if output_type == "CLASSIFICATION":
        base["classification_options"] = [
            ClassificationRow("Billing", "Questions about invoices"),
            ClassificationRow("Technical", "Something is broken"),
        ]
    return replace(DefinitionDraft(**base), **kw)


def formula(**kw: Any) -> DefinitionDraft:
    draft = DefinitionDraft(
        calculation_type="FORMULA",
        name="Talk ratio",
        output_type="NUMERIC",
        formula=f"{reference(A)} / {reference(B)}",
        sources=[SourceRow(A), SourceRow(B)],
    )
    return replace(draft, **kw)


def pattern(**kw: Any) -> DefinitionDraft:
    draft = DefinitionDraft(
        calculation_type="PATTERN",
        name="Interruption then frustration",
        operation="PATTERN_EXISTS",
        triggers=[TriggerRow(A, "GREATER_THAN", "0")],
        outcome=OutcomeRow(B, "EQUALS", "true", window_after="10"),
    )
    return replace(draft, **kw)


DEFS = {
    A: MetricDefinition(id=A, slug="interruptions", name="Interruptions", type="COUNT"),
    B: MetricDefinition(id=B, slug="frustration", name="Frustration", type="BOOLEAN"),
    C: MetricDefinition(
        id=C,
        slug="intent",
        name="Intent",
        type="CLASSIFICATION",
        classificationOptions=[{"label": "Billing"}, {"label": "Other"}],
    ),
}


# --- valid drafts and their bodies ------------------------------------------------------------


@pytest.mark.parametrize("output_type", OUTPUT_TYPES)
def test_every_output_type_has_a_valid_judge(output_type):
    assert validate(judge(output_type)) == {}


EXPECTED_BODIES: list[tuple[DefinitionDraft, dict[str, Any]]] = [
    (
        judge("BOOLEAN", boolean_true_label=" Verified ", boolean_false_label="Not verified"),
        {
            "calculationType": "LLM_JUDGE",
            "name": "Caller verified",
            "slug": "caller_verified",
            "outputType": "BOOLEAN",
            "llmPrompt": PROMPT,
            "scope": "GLOBAL",
            "supportedContexts": ["CALL"],
            "booleanTrueLabel": "Verified",
            "booleanFalseLabel": "Not verified",
        },
    ),
    (
        judge(
            "SCALE",
            scope="PER_PARTICIPANT",
            participant_role="AGENT",
            supported_contexts=["TURN", "CALL"],
            boolean_true_label="ignored on SCALE",
            scale_labels=[
                ScaleLabelRow("1", "2", "Poor", "", "Rude or wrong", "#ff0000"),
                ScaleLabelRow(),
                ScaleLabelRow("3", "5", "Good", "7"),
            ],
            classification_options=[ClassificationRow("ignored", "on SCALE")],
        ),
        {
            "calculationType": "LLM_JUDGE",
            "name": "Caller verified",
            "slug": "caller_verified",
            "outputType": "SCALE",
            "llmPrompt": PROMPT,
            "scope": "PER_PARTICIPANT",
            "participantRole": "AGENT",
            "supportedContexts": ["CALL", "TURN"],
            "scaleMin": 1,
            "scaleMax": 5,
            "scaleLabels": [
                {
                    "rangeMin": 1,
                    "rangeMax": 2,
                    "label": "Poor",
                    "displayOrder": 1,
                    "description": "Rude or wrong",
                    "colorHex": "#FF0000",
                },
                {"rangeMin": 3, "rangeMax": 5, "label": "Good", "displayOrder": 7},
            ],
        },
    ),
    (
        judge(
            "CLASSIFICATION",
            llm_prompt="  ",
            max_classifications="1",
            analysis_package_id=PACKAGE,
            slug="intent_v2",
            slug_auto=False,
        ),
        {
            "calculationType": "LLM_JUDGE",
            "name": "Caller verified",
            "slug": "intent_v2",
            "analysisPackageId": PACKAGE,
            "outputType": "CLASSIFICATION",
            "scope": "GLOBAL",
            "supportedContexts": ["CALL"],
            "classificationOptions": [
                {"label": "Billing", "description": "Questions about invoices", "displayOrder": 1},
                {"label": "Technical", "description": "Something is broken", "displayOrder": 2},
            ],
            "maxClassifications": 1,
        },
    ),
    (
        formula(sources=[SourceRow(A, C), SourceRow(B)]),
        {
            "calculationType": "FORMULA",
            "name": "Talk ratio",
            "slug": "talk_ratio",
            "outputType": "NUMERIC",
            "formula": f"{reference(A)} / {reference(B)}",
            "sources": [
                {"sourceMetricDefinitionId": A, "sourceVariantId": C},
                {"sourceMetricDefinitionId": B},
            ],
        },
    ),
    (
        pattern(),
        {
            "calculationType": "PATTERN",
            "name": "Interruption then frustration",
            "slug": "interruption_then_frustration",
            "operation": "PATTERN_EXISTS",
            "windowMode": "seconds",
            "trigger": {
                "sourceMetricDefinitionId": A,
                "operator": "GREATER_THAN",
                "thresholdValue": "0",
            },
            "outcome": {
                "sourceMetricDefinitionId": B,
                "operator": "EQUALS",
                "thresholdValue": "true",
                "windowBefore": 0,
                "windowAfter": 10,
            },
        },
    ),
    (
        pattern(
            operation="PATTERN_COUNT",
            window_mode="segments",
            triggers=[
                TriggerRow(A, "GREATER_THAN", "0", "AGENT"),
                TriggerRow(C, "EQUALS", "Billing", "", B),
            ],
            trigger_combinator="OR",
            outcome=OutcomeRow(
                B, "EQUALS", "true", "CUSTOMER", window_before="1", window_after="3"
            ),
        ),
        {
            "calculationType": "PATTERN",
            "name": "Interruption then frustration",
            "slug": "interruption_then_frustration",
            "operation": "PATTERN_COUNT",
            "windowMode": "segments",
            "triggers": [
                {
                    "sourceMetricDefinitionId": A,
                    "operator": "GREATER_THAN",
                    "thresholdValue": "0",
                    "sourceParticipantRole": "AGENT",
                },
                {
                    "sourceMetricDefinitionId": C,
                    "operator": "EQUALS",
                    "thresholdValue": "Billing",
                    "sourceVariantId": B,
                },
            ],
            "triggerCombinator": "OR",
            "outcome": {
                "sourceMetricDefinitionId": B,
                "operator": "EQUALS",
                "thresholdValue": "true",
                "sourceParticipantRole": "CUSTOMER",
                "windowBefore": 1,
                "windowAfter": 3,
            },
        },
    ),
]


@pytest.mark.parametrize(("draft", "body"), EXPECTED_BODIES)
def test_valid_drafts_become_exactly_these_bodies(draft, body):
    assert validate(draft, DEFS) == {}
    assert to_body(draft) == body
    assert json.loads(json.dumps(to_body(draft))) == body


@pytest.mark.parametrize("output_type", ["COUNT", "NUMERIC", "TEXT", "OFFSET"])
def test_type_specific_fields_are_not_sent_on_other_types(output_type):
    draft = judge(
        output_type,
        boolean_true_label="Yes",
        scale_min="1",
        scale_max="5",
        scale_labels=[ScaleLabelRow("1", "5", "All")],
        classification_options=[ClassificationRow("x", "y")],
        max_classifications="1",
        participant_role="AGENT",  # GLOBAL scope: the role is not sent
        formula="1 + 1",
        operation="PATTERN_EXISTS",
    )
    body = to_body(draft)
    assert set(body) == {
        "calculationType",
        "name",
        "slug",
        "outputType",
        "llmPrompt",
        "scope",
        "supportedContexts",
    }


# --- one broken rule at a time ----------------------------------------------------------------

LONG = "x" * 2001
AB = f"{reference(A)} / {reference(B)}"
CASES: list[tuple[str, DefinitionDraft, str, str]] = [
    # (what, draft, field, part of the message)
    ("no kind", judge(calculation_type=""), "calculationType", "Pick the kind"),
    ("threshold is not a kind here", judge(calculation_type="THRESHOLD"), "calculationType", ""),
    ("no name", judge(name="  "), "name", "Enter a name"),
    ("long name", judge(name="n" * 101), "name", "At most 100 characters (101 now)"),
    ("long slug", judge(slug="s" * 51), "slug", "At most 50 characters (51 now)"),
    ("upper slug", judge(slug="Caller"), "slug", "Lower case letters a-z, digits and _ only"),
    ("slug spaces", judge(slug="caller verified"), "slug", "Lower case letters a-z"),
    ("slug dash", judge(slug="caller-verified"), "slug", "Lower case letters a-z"),
    ("name gives no slug", judge(name="!!!"), "slug", "type one"),
    ("package not uuid", judge(analysis_package_id="custom"), "analysisPackageId", "UUID"),
    ("no output type", judge(output_type=""), "outputType", "Pick what the judge answers"),
    ("odd output type", judge(output_type="PERCENT"), "outputType", ""),
    ("prompt too long", judge(llm_prompt=LONG), "llmPrompt", "At most 2000 characters (2001"),
    ("BOOLEAN prompt", judge("BOOLEAN", llm_prompt=" \n"), "llmPrompt", "BOOLEAN judges need"),
    ("NUMERIC prompt", judge("NUMERIC", llm_prompt=""), "llmPrompt", "NUMERIC judges need"),
    ("TEXT prompt", judge("TEXT", llm_prompt=""), "llmPrompt", "TEXT judges need"),
    ("SCALE prompt", judge("SCALE", llm_prompt=""), "llmPrompt", "SCALE judges need"),
    ("odd scope", judge(scope="TEAM"), "scope", "GLOBAL or PER_PARTICIPANT"),
    ("role needed", judge(scope="PER_PARTICIPANT"), "participantRole", "needs the participant"),
    (
        "odd role",
        judge(scope="PER_PARTICIPANT", participant_role="BOT"),
        "participantRole",
        "needs the participant",
    ),
    ("no contexts", judge(supported_contexts=[]), "supportedContexts", "at least one"),
    ("odd context", judge(supported_contexts=["CALL", "WORD"]), "supportedContexts", "'WORD'"),
    (
        "SEGMENT needs PER_PARTICIPANT",
        judge(supported_contexts=["SEGMENT"]),
        "supportedContexts",
        "SEGMENT grading needs PER_PARTICIPANT",
    ),
    (
        "TURN needs PER_PARTICIPANT",
        judge(supported_contexts=["CALL", "TURN"], participant_role="AGENT"),
        "supportedContexts",
        "TURN grading needs PER_PARTICIPANT",
    ),
    (
        "TURN needs AGENT",
        judge(scope="PER_PARTICIPANT", participant_role="CUSTOMER", supported_contexts=["TURN"]),
        "supportedContexts",
        "role must be AGENT",
    ),
    (
        "per-unit TEXT",
        judge(
            "TEXT",
            scope="PER_PARTICIPANT",
            participant_role="AGENT",
            supported_contexts=["SEGMENT"],
        ),
        "supportedContexts",
        "BOOLEAN, SCALE, NUMERIC or COUNT",
    ),
    (
        "per-unit CLASSIFICATION",
        judge(
            "CLASSIFICATION",
            scope="PER_PARTICIPANT",
            participant_role="AGENT",
            supported_contexts=["TURN"],
        ),
        "supportedContexts",
        "BOOLEAN, SCALE, NUMERIC or COUNT",
    ),
    (
        "same labels",
        judge(boolean_true_label="Yes", boolean_false_label="Yes"),
        "booleanFalseLabel",
        "must differ",
    ),
    ("scale min missing", judge("SCALE", scale_min=""), "scaleMin", "SCALE needs a whole number"),
    ("scale max missing", judge("SCALE", scale_max=""), "scaleMax", "SCALE needs"),
    ("scale min text", judge("SCALE", scale_min="low"), "scaleMin", "Enter a whole number 0 to"),
    ("scale min decimal", judge("SCALE", scale_min="1.5"), "scaleMin", "whole number"),
    ("scale max > 100", judge("SCALE", scale_max="101"), "scaleMax", "0 to 100"),
    ("scale min < 0", judge("SCALE", scale_min="-1"), "scaleMin", "0 to 100"),
    ("min = max", judge("SCALE", scale_min="5"), "scaleMax", "more than the minimum (5)"),
    ("min > max", judge("SCALE", scale_min="9"), "scaleMax", "more than the minimum (9)"),
    (
        "label range required",
        judge("SCALE", scale_labels=[ScaleLabelRow("", "2", "Poor")]),
        "scaleLabels.0.rangeMin",
        "Required",
    ),
    (
        "label range number",
        judge("SCALE", scale_labels=[ScaleLabelRow("1", "two", "Poor")]),
        "scaleLabels.0.rangeMax",
        "Enter a number",
    ),
    (
        "label outside scale",
        judge("SCALE", scale_labels=[ScaleLabelRow("0", "2", "Poor")]),
        "scaleLabels.0.rangeMin",
        "Outside the scale 1 to 5",
    ),
    (
        "label range reversed",
        judge("SCALE", scale_labels=[ScaleLabelRow("3", "2", "Poor")]),
        "scaleLabels.0.rangeMax",
        "below the range's minimum",
    ),
    (
        "label text",
        judge("SCALE", scale_labels=[ScaleLabelRow(), ScaleLabelRow("1", "2")]),
        "scaleLabels.1.label",
        "Enter the label",
    ),
    (
        "label order",
        judge("SCALE", scale_labels=[ScaleLabelRow("1", "2", "Poor", "first")]),
        "scaleLabels.0.displayOrder",
        "whole number",
    ),
    (
        "label colour",
        judge("SCALE", scale_labels=[ScaleLabelRow("1", "2", "Poor", "", "", "red")]),
        "scaleLabels.0.colorHex",
        "#FF0000",
    ),
    (
        "no classes",
        judge("CLASSIFICATION", classification_options=[ClassificationRow()]),
        "classificationOptions",
        "at least one class",
    ),
    (
        "class label",
        judge("CLASSIFICATION", classification_options=[ClassificationRow("", "why")]),
        "classificationOptions.0.label",
        "Enter the class label",
    ),
    (
        "class description",
        judge("CLASSIFICATION", classification_options=[ClassificationRow("Billing")]),
        "classificationOptions.0.description",
        "Describe when",
    ),
    (
        "duplicate class",
        judge(
            "CLASSIFICATION",
            classification_options=[ClassificationRow("A", "x"), ClassificationRow("a", "y")],
        ),
        "classificationOptions.1.label",
        "already a class",
    ),
    (
        "class order",
        judge("CLASSIFICATION", classification_options=[ClassificationRow("A", "x", "1.5")]),
        "classificationOptions.0.displayOrder",
        "whole number",
    ),
    (
        "max classifications 0",
        judge("CLASSIFICATION", max_classifications="0"),
        "maxClassifications",
        "at least 1",
    ),
    (
        "max classifications > classes",
        judge("CLASSIFICATION", max_classifications="3"),
        "maxClassifications",
        "number of classes (2)",
    ),
    ("formula output", formula(output_type="SCALE"), "outputType", "NUMERIC (+ - * /)"),
    ("formula empty", formula(formula=" "), "formula", "Write the expression"),
    ("formula too long", formula(formula=f"{AB} + " + "1+" * 210 + "1"), "formula", "At most 500"),
    (
        "unknown reference",
        formula(formula=f"{AB} + {reference(C)}"),
        "formula",
        "not a source",
    ),
    ("bad reference", formula(formula=AB + " + {{id:abc}}"), "formula", "not a metric reference"),
    ("unfinished reference", formula(formula=AB + " / {{id:"), "formula", "unfinished"),
    ("stray text", formula(formula=f"{AB} / x"), "formula", "Unexpected “x”"),
    ("ends early", formula(formula=f"{AB} /"), "formula", "ends early"),
    ("missing operator", formula(formula=f"{reference(A)} {reference(B)}"), "formula", "operator"),
    ("parentheses", formula(formula=f"({reference(A)} / {reference(B)}"), "formula", "balance"),
    ("close paren", formula(formula=f"{reference(A)}) / {reference(B)}"), "formula", "balance"),
    (
        "NUMERIC compares",
        formula(formula=f"{reference(A)} > {reference(B)}"),
        "formula",
        "NUMERIC formula uses + - * / only",
    ),
    (
        "BOOLEAN without comparison",
        formula(output_type="BOOLEAN"),
        "formula",
        "BOOLEAN formula compares",
    ),
    (
        "two comparisons",
        formula(output_type="BOOLEAN", formula=f"{reference(A)} > {reference(B)} > 1"),
        "formula",
        "Only one comparison",
    ),
    (
        "one source",
        formula(formula=f"{reference(A)} * 2", sources=[SourceRow(A)]),
        "sources",
        "two",
    ),
    (
        "unreferenced source",
        formula(sources=[SourceRow(A), SourceRow(B), SourceRow(C)]),
        "sources",
        "Every source must appear",
    ),
    (
        "source not picked",
        formula(sources=[SourceRow(A), SourceRow(B), SourceRow("")]),
        "sources.2.sourceMetricDefinitionId",
        "Pick a metric",
    ),
    (
        "source twice",
        formula(sources=[SourceRow(A), SourceRow(B), SourceRow(A)]),
        "sources.2.sourceMetricDefinitionId",
        "Already a source",
    ),
    (
        "source variant",
        formula(sources=[SourceRow(A, "v1"), SourceRow(B)]),
        "sources.0.sourceVariantId",
        "UUID",
    ),
    ("no operation", pattern(operation=""), "operation", "Pick what the pattern measures"),
    ("window mode", pattern(window_mode="minutes"), "windowMode", "seconds or segments"),
    ("no triggers", pattern(triggers=[]), "triggers", "Add a trigger"),
    (
        "trigger source",
        pattern(triggers=[TriggerRow("", "EQUALS", "1")]),
        "triggers.0.sourceMetricDefinitionId",
        "Pick the metric",
    ),
    (
        "trigger source id",
        pattern(triggers=[TriggerRow("interruptions", "EQUALS", "1")]),
        "triggers.0.sourceMetricDefinitionId",
        "UUID",
    ),
    (
        "trigger operator",
        pattern(triggers=[TriggerRow(A, "", "1")]),
        "triggers.0.operator",
        "Pick an operator",
    ),
    (
        "trigger value",
        pattern(triggers=[TriggerRow(A, "EQUALS", " ")]),
        "triggers.0.thresholdValue",
        "Enter the value",
    ),
    (
        "trigger value typed by its source",
        pattern(triggers=[TriggerRow(A, "GREATER_THAN", "many")]),
        "triggers.0.thresholdValue",
        "Enter a number",
    ),
    (
        "boolean source takes = or ≠",
        pattern(triggers=[TriggerRow(B, "GREATER_THAN", "true")]),
        "triggers.0.operator",
        "= or ≠",
    ),
    (
        "trigger role",
        pattern(triggers=[TriggerRow(A, "EQUALS", "1", "BOT")]),
        "triggers.0.sourceParticipantRole",
        "AGENT",
    ),
    (
        "trigger variant",
        pattern(triggers=[TriggerRow(A, "EQUALS", "1", "", "v2")]),
        "triggers.0.sourceVariantId",
        "UUID",
    ),
    (
        "combinator",
        pattern(triggers=[TriggerRow(A, "EQUALS", "1"), TriggerRow(A, "EQUALS", "2")]),
        "triggerCombinator",
        "AND (all) or OR (any)",
    ),
    (
        "outcome source",
        pattern(outcome=OutcomeRow("", "EQUALS", "true", window_after="5")),
        "outcome.sourceMetricDefinitionId",
        "Pick the metric",
    ),
    (
        "outcome value",
        pattern(outcome=OutcomeRow(B, "EQUALS", "maybe", window_after="5")),
        "outcome.thresholdValue",
        "true or false",
    ),
    (
        "window after",
        pattern(outcome=OutcomeRow(B, "EQUALS", "true")),
        "outcome.windowAfter",
        "How many seconds",
    ),
    (
        "window after in segments",
        pattern(window_mode="segments", outcome=OutcomeRow(B, "EQUALS", "true", window_after="-1")),
        "outcome.windowAfter",
        "whole number of segments",
    ),
    (
        "window before",
        pattern(outcome=OutcomeRow(B, "EQUALS", "true", window_before="2.5", window_after="5")),
        "outcome.windowBefore",
        "0 or more",
    ),
]


@pytest.mark.parametrize(
    ("draft", "field", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_rule_names_its_field(draft, field, message):
    errors = validate(draft, DEFS)
    assert field in errors, errors
    assert message in errors[field]
    assert set(errors) == {field}, errors


def test_a_blank_draft_asks_for_kind_and_name_only():
    assert set(validate(DefinitionDraft())) == {"calculationType", "name"}


def test_type_checks_wait_for_the_source_definitions():
    draft = pattern(triggers=[TriggerRow(A, "GREATER_THAN", "many")])
    assert validate(draft) == {}
    assert "triggers.0.thresholdValue" in validate(draft, DEFS)


def test_errors_come_in_the_order_of_the_form():
    draft = judge("SCALE", name="", scale_min="", llm_prompt="", calculation_type="LLM_JUDGE")
    assert list(validate(draft)) == ["name", "llmPrompt", "scaleMin"]


# --- slugs, steps, server fields, references, drafts --------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Caller verified", "caller_verified"),
        ("  Agent -- verified the CALLER!  ", "agent_verified_the_caller"),
        ("Überprüfung: Zufriedenheit", "uberprufung_zufriedenheit"),
        ("NPS 2.0", "nps_2_0"),
        ("日本語", ""),
        ("a" * 49 + " b", "a" * 49),
        ("x" * 60, "x" * 50),
    ],
)
def test_slug_from_name(name, slug):
    assert slug_from(name) == slug
    assert len(slug) <= 50


def test_typed_slug_wins_over_derived():
    assert effective_slug(judge()) == "caller_verified"
    assert effective_slug(judge(slug=" mine ")) == "mine"


@pytest.mark.parametrize(
    ("key", "step"),
    [
        ("calculationType", "kind"),
        ("name", "basics"),
        ("slug", "basics"),
        ("analysisPackageId", "basics"),
        ("outputType", "details"),
        ("scaleLabels.0.label", "details"),
        ("outcome.windowAfter", "details"),
    ],
)
def test_step_of(key, step):
    assert step_of(key) == step


def test_step_errors_picks_a_step():
    errors = validate(judge("SCALE", name="", scale_min=""))
    assert step_errors(errors, "basics") == {"name": errors["name"]}
    assert set(step_errors(errors, "details")) == {"scaleMin"}
    assert step_errors(errors, "kind") == {}


@pytest.mark.parametrize(
    ("name", "kind", "key"),
    [
        (None, "LLM_JUDGE", ""),
        ("metricId", "LLM_JUDGE", "slug"),
        ("scaleLabels[1].rangeMin", "LLM_JUDGE", "scaleLabels.1.rangeMin"),
        ("body.llmPrompt", "LLM_JUDGE", "llmPrompt"),
        ("trigger.thresholdValue", "PATTERN", "triggers.0.thresholdValue"),
        ("trigger", "PATTERN", "triggers.0"),
        ("formula.expression", "FORMULA", "formula"),
        ("outputType", "PATTERN", "operation"),
        ("outputType", "FORMULA", "outputType"),
        ("outcome.windowAfter", "PATTERN", "outcome.windowAfter"),
    ],
)
def test_server_field_names_map_onto_our_keys(name, kind, key):
    assert server_field(name, DefinitionDraft(calculation_type=kind)) == key


def test_references_in_order_without_repeats():
    text = f"({reference(B)} + {{{{ id : {A} }}}}) / {reference(B)}"
    assert references(text) == [B, A]


@pytest.mark.parametrize(("api", "attr"), [("rangeMin", "range_min"), ("llmPrompt", "llm_prompt")])
def test_camel_and_snake(api, attr):
    assert camel(attr) == api and snake(api) == attr


def test_draft_round_trips_through_json_and_ignores_junk():
    draft = pattern(
        triggers=[TriggerRow(A, "GREATER_THAN", "0"), TriggerRow(C, "EQUALS", "Billing")],
        trigger_combinator="AND",
        slug_auto=False,
        scale_labels=[ScaleLabelRow("1", "2", "Poor")],
    )
    saved = json.loads(json.dumps(draft.to_dict()))
    assert DefinitionDraft.from_dict(saved) == draft
    junk = {
        "name": 5,
        "slug_auto": "yes",
        "triggers": "nope",
        "outcome": [1],
        "supported_contexts": ["CALL", 3],
        "scale_labels": [{"label": "ok", "range_min": 2}, "x"],
        "unknown": "field",
    }
    loaded = DefinitionDraft.from_dict(junk)
    assert loaded.name == "" and loaded.slug_auto is True
    assert loaded.triggers == [TriggerRow()] and loaded.outcome == OutcomeRow()
    assert loaded.supported_contexts == ["CALL"]
    assert loaded.scale_labels == [ScaleLabelRow(label="ok"), ScaleLabelRow()]
    assert DefinitionDraft.from_dict(["not", "a", "dict"]) == DefinitionDraft()


def test_preview_reads_like_the_created_definition():
    judge_preview = preview_definition(to_body(EXPECTED_BODIES[1][0]))
    assert judge_preview.calculation_type == "LLM_JUDGE" and judge_preview.type == "SCALE"
    # what no definition response returns stays out of the preview too (review words it from
    # the body)
    assert (
        not {"scaleMax", "scaleLabels", "participantRole"}
        & (judge_preview.model_extra or {}).keys()
    )
    formula_preview = preview_definition(to_body(formula()))
    assert formula_preview.formula is not None
    assert [s.source_metric_definition_id for s in formula_preview.formula.sources] == [A, B]
    one = preview_definition(to_body(pattern()))
    assert one.type == "BOOLEAN" and one.pattern is not None
    assert [t.source_metric_definition_id for t in one.pattern.triggers] == [A]
    assert one.pattern.outcome is not None and one.pattern.outcome.window_after == 10
    many = preview_definition(to_body(EXPECTED_BODIES[5][0]))
    assert many.type == "NUMERIC" and many.pattern.trigger_combinator == "OR"
    assert len(many.pattern.triggers) == 2
    aggregate = preview_definition(to_body(pattern(operation="OUTCOME_AGGREGATE")))
    assert aggregate.type == "NUMERIC"  # shown as a number, not "?"


@pytest.mark.parametrize(
    ("draft", "changes", "same"),
    [
        (judge(), {}, True),
        (judge(), {"llmPrompt": "Something else?"}, False),
        (judge(), {"name": "Other"}, False),
        (judge(), {"type": "NUMERIC"}, False),
        (judge(), {"calculationType": "FORMULA"}, False),
        (formula(), {}, True),
        (formula(), {"formula": {"expression": "{{id:x}}", "sources": []}}, False),
        (pattern(), {}, True),
        (pattern(), {"pattern": {"operation": "PATTERN_COUNT"}}, False),
        (pattern(), {"pattern": None}, False),
    ],
)
def test_created_from_recognises_the_definition_a_body_asked_for(draft, changes, same):
    body = to_body(draft)
    response = preview_definition(body).model_dump(by_alias=True, exclude_none=True)
    response.update(id="99999999-9999-4999-8999-999999999999", **changes)
    assert created_from(MetricDefinition.model_validate(response), body) is same
