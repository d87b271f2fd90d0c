"""The sandbox's rules for creating definitions and thresholds (docs/contract.md, Request bodies):
a table of good and bad bodies, each with the status and the field (`parameter`) it must
produce, plus what a created definition looks like and where it shows up afterwards.

Long because it is a table: one row per rule of a request body, kept together so a rule's
good and bad cases sit side by side.
"""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.sandbox.catalog import definition_id

DEFINITIONS = "/v1/metric/definitions"

LOOP = definition_id("loop_count")
SPIKES = definition_id("latency_spike_count")
SENTIMENT = definition_id("sentiment_score")
INTERRUPTION = definition_id("interruption_appropriateness")
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def judge(**fields: Any) -> dict[str, Any]:
    body = {
        "calculationType": "LLM_JUDGE",
        "name": "Agent greets by name",
        "outputType": "BOOLEAN",
        "llmPrompt": "Did the agent greet the customer by name?",
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not ...}


def scale(**fields: Any) -> dict[str, Any]:
    return judge(
        **{"outputType": "SCALE", "scaleMin": 1, "scaleMax": 5, "llmPrompt": "Rate it.", **fields}
    )


def classification(**fields: Any) -> dict[str, Any]:
    options = [
        {"label": "billing", "description": "Money matters", "displayOrder": 1},
        {"label": "technical", "description": "Something broke", "displayOrder": 2},
    ]
    body = judge(outputType="CLASSIFICATION", llmPrompt=..., classificationOptions=options)
    body.update(fields)
    return {k: v for k, v in body.items() if v is not ...}


def formula(**fields: Any) -> dict[str, Any]:
    body = {
        "calculationType": "FORMULA",
        "name": "Friction",
        "outputType": "NUMERIC",
        "formula": f"{{{{id:{SPIKES}}}}} + {{{{id:{LOOP}}}}}",
        "sources": [{"sourceMetricDefinitionId": SPIKES}, {"sourceMetricDefinitionId": LOOP}],
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not ...}


def step(source: str = INTERRUPTION, **fields: Any) -> dict[str, Any]:
    body = {"sourceMetricDefinitionId": source, "operator": "EQUALS", "thresholdValue": "false"}
    body.update(fields)
    return {k: v for k, v in body.items() if v is not ...}


def outcome(**fields: Any) -> dict[str, Any]:
    return step(
        SENTIMENT, **{"operator": "LESS_THAN", "thresholdValue": "0", "windowAfter": 3, **fields}
    )


def pattern(**fields: Any) -> dict[str, Any]:
    body = {
        "calculationType": "PATTERN",
        "name": "Interruption sours customer",
        "operation": "PATTERN_EXISTS",
        "windowMode": "segments",
        "trigger": step(),
        "outcome": outcome(),
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not ...}


GOOD_DEFINITIONS = [
    pytest.param(judge(), "BOOLEAN", id="boolean-judge"),
    pytest.param(judge(calculationType=...), "BOOLEAN", id="legacy-without-calculationType"),
    pytest.param(
        scale(
            scaleLabels=[
                {"rangeMin": 1, "rangeMax": 3, "label": "Low", "displayOrder": 1},
                {
                    "rangeMin": 3,
                    "rangeMax": 5,
                    "label": "High",
                    "displayOrder": 2,
                    "colorHex": "#00FF00",
                    "description": "good",
                },
            ]
        ),
        "SCALE",
        id="scale-with-labels",
    ),
    pytest.param(classification(maxClassifications=2), "CLASSIFICATION", id="classification"),
    pytest.param(judge(outputType="COUNT", llmPrompt=...), "COUNT", id="count-needs-no-prompt"),
    pytest.param(judge(outputType="OFFSET", llmPrompt=...), "OFFSET", id="offset-no-prompt"),
    pytest.param(judge(outputType="TEXT", llmPrompt="Summarise."), "TEXT", id="text"),
    pytest.param(
        judge(
            scope="PER_PARTICIPANT",
            participantRole="AGENT",
            supportedContexts=["CALL", "SEGMENT", "TURN"],
        ),
        "BOOLEAN",
        id="per-participant-segment-turn",
    ),
    pytest.param(judge(booleanTrueLabel="Yes", booleanFalseLabel="No"), "BOOLEAN", id="labels"),
    pytest.param(judge(analysisPackageId=UNKNOWN), "BOOLEAN", id="analysis-package"),
    pytest.param(judge(slug=None, metricId=None), "BOOLEAN", id="null-counts-as-absent"),
    pytest.param(formula(), "NUMERIC", id="formula-numeric"),
    pytest.param(
        formula(outputType="BOOLEAN", formula=f"{{{{id:{SPIKES}}}}} > 2 * {{{{id:{LOOP}}}}}"),
        "BOOLEAN",
        id="formula-boolean",
    ),
    pytest.param(pattern(), "BOOLEAN", id="pattern-exists"),
    pytest.param(
        pattern(
            operation="PATTERN_COUNT",
            trigger=...,
            triggerCombinator="OR",
            triggers=[step(), step(SENTIMENT, operator="LESS_THAN", thresholdValue="-0.5")],
        ),
        "NUMERIC",
        id="pattern-count-two-triggers",
    ),
]


@pytest.mark.parametrize(("body", "output_type"), GOOD_DEFINITIONS)
async def test_good_definition_is_created_and_listed(
    sandbox_http: Any, body: dict[str, Any], output_type: str
) -> None:
    response = await sandbox_http.post(DEFINITIONS, json=body)
    assert response.status_code == 201, response.text
    created = response.json()["data"]
    assert created["type"] == output_type
    assert created["calculationType"] == body.get("calculationType", "LLM_JUDGE")
    assert created["slug"] == created["metricId"] and created["name"] == body["name"]
    for key in ("id", "versionId", "variantId", "description", "supportedContexts"):
        assert key in created
    fetched = await sandbox_http.get(f"{DEFINITIONS}/{created['slug']}")
    assert fetched.json()["data"] == created
    by_id = await sandbox_http.get(f"{DEFINITIONS}/{created['id']}")
    assert by_id.json()["data"] == created
    listed = await _all_definitions(sandbox_http)
    assert created["id"] in {d["id"] for d in listed}


BAD_DEFINITIONS = [
    pytest.param([], 400, None, id="not-an-object"),
    pytest.param(judge(name=...), 400, "name", id="name-missing"),
    pytest.param(judge(name="  "), 400, "name", id="name-blank"),
    pytest.param(judge(name="n" * 101), 400, "name", id="name-too-long"),
    pytest.param(judge(name=5), 400, "name", id="name-not-string"),
    pytest.param(judge(calculationType="THRESHOLD"), 400, "calculationType", id="threshold"),
    pytest.param(judge(calculationType="PROVIDER"), 400, "calculationType", id="provider"),
    pytest.param(judge(calculationType="MAGIC"), 400, "calculationType", id="unknown-calc"),
    pytest.param(judge(outputType=...), 400, "outputType", id="output-type-missing"),
    pytest.param(judge(outputType="PERCENT"), 400, "outputType", id="output-type-unknown"),
    pytest.param(judge(slug="a_b", metricId="a_b"), 400, "slug", id="slug-and-metricId"),
    pytest.param(judge(slug="s" * 51), 400, "slug", id="slug-too-long"),
    pytest.param(judge(slug=""), 400, "slug", id="slug-empty"),
    pytest.param(judge(slug="Bad Slug"), 400, "slug", id="slug-not-snake"),
    pytest.param(judge(metricId="m" * 51), 400, "metricId", id="metricId-too-long"),
    pytest.param(judge(slug="loop_count"), 409, "slug", id="slug-taken-by-system"),
    pytest.param(judge(analysisPackageId="pkg-1"), 400, "analysisPackageId", id="package-id"),
    pytest.param(judge(llmPrompt=...), 400, "llmPrompt", id="boolean-needs-prompt"),
    pytest.param(judge(outputType="NUMERIC", llmPrompt="  "), 400, "llmPrompt", id="blank"),
    pytest.param(judge(outputType="TEXT", llmPrompt=...), 400, "llmPrompt", id="text-prompt"),
    pytest.param(judge(llmPrompt="p" * 2001), 400, "llmPrompt", id="prompt-too-long"),
    pytest.param(scale(scaleMin=...), 400, "scaleMin", id="scale-min-missing"),
    pytest.param(scale(scaleMax=...), 400, "scaleMax", id="scale-max-missing"),
    pytest.param(scale(scaleMax=101), 400, "scaleMax", id="scale-max-over-100"),
    pytest.param(scale(scaleMin=-1), 400, "scaleMin", id="scale-min-negative"),
    pytest.param(scale(scaleMin=5, scaleMax=5), 400, "scaleMin", id="scale-min-equals-max"),
    pytest.param(scale(scaleMin=6, scaleMax=2), 400, "scaleMin", id="scale-min-above-max"),
    pytest.param(scale(scaleMin=1.5), 400, "scaleMin", id="scale-min-not-integer"),
    pytest.param(scale(scaleMin=True), 400, "scaleMin", id="scale-min-boolean"),
    pytest.param(
        scale(scaleLabels=[{"rangeMin": 1, "rangeMax": 2, "displayOrder": 1}]),
        400,
        "scaleLabels[0].label",
        id="scale-label-without-label",
    ),
    pytest.param(
        scale(
            scaleLabels=[
                {"rangeMin": 1, "rangeMax": 2, "label": "a", "displayOrder": 1},
                {"rangeMin": 2, "rangeMax": 5, "label": "b"},
            ]
        ),
        400,
        "scaleLabels[1].displayOrder",
        id="scale-label-without-order",
    ),
    pytest.param(
        scale(scaleLabels=[{"rangeMax": 2, "label": "a", "displayOrder": 1}]),
        400,
        "scaleLabels[0].rangeMin",
        id="scale-label-without-range-min",
    ),
    pytest.param(
        scale(scaleLabels=[{"rangeMin": 1, "rangeMax": 9, "label": "a", "displayOrder": 1}]),
        400,
        "scaleLabels[0].rangeMax",
        id="scale-label-outside-scale",
    ),
    pytest.param(
        scale(
            scaleLabels=[
                {"rangeMin": 1, "rangeMax": 2, "label": "a", "displayOrder": 1, "colorHex": "red"}
            ]
        ),
        400,
        "scaleLabels[0].colorHex",
        id="scale-label-color",
    ),
    pytest.param(scale(scaleLabels="low"), 400, "scaleLabels", id="scale-labels-not-array"),
    pytest.param(judge(scaleMin=1), 400, "scaleMin", id="scale-field-on-boolean"),
    pytest.param(judge(scaleLabels=[]), 400, "scaleLabels", id="scale-labels-on-boolean"),
    pytest.param(
        judge(outputType="TEXT", classificationOptions=[]),
        400,
        "classificationOptions",
        id="classification-field-on-text",
    ),
    pytest.param(scale(booleanTrueLabel="Yes"), 400, "booleanTrueLabel", id="bool-label-scale"),
    pytest.param(scale(maxClassifications=1), 400, "maxClassifications", id="max-on-scale"),
    pytest.param(
        classification(classificationOptions=...),
        400,
        "classificationOptions",
        id="classification-options-missing",
    ),
    pytest.param(
        classification(classificationOptions=[]),
        400,
        "classificationOptions",
        id="classification-options-empty",
    ),
    pytest.param(
        classification(classificationOptions=[{"label": "a", "displayOrder": 1}]),
        400,
        "classificationOptions[0].description",
        id="option-without-description",
    ),
    pytest.param(
        classification(classificationOptions=[{"description": "d", "displayOrder": 1}]),
        400,
        "classificationOptions[0].label",
        id="option-without-label",
    ),
    pytest.param(
        classification(classificationOptions=[{"label": "a", "description": "d"}]),
        400,
        "classificationOptions[0].displayOrder",
        id="option-without-order",
    ),
    pytest.param(classification(maxClassifications=0), 400, "maxClassifications", id="max-0"),
    pytest.param(classification(maxClassifications=3), 400, "maxClassifications", id="max>n"),
    pytest.param(judge(scope="EVERYONE"), 400, "scope", id="scope-unknown"),
    pytest.param(judge(scope="PER_PARTICIPANT"), 400, "participantRole", id="role-missing"),
    pytest.param(
        judge(scope="PER_PARTICIPANT", participantRole="BOT"),
        400,
        "participantRole",
        id="role-unknown",
    ),
    pytest.param(judge(supportedContexts=[]), 400, "supportedContexts", id="contexts-empty"),
    pytest.param(judge(supportedContexts="CALL"), 400, "supportedContexts", id="contexts-str"),
    pytest.param(
        judge(supportedContexts=["CALLS"]), 400, "supportedContexts[0]", id="context-unknown"
    ),
    pytest.param(
        judge(scope="PER_PARTICIPANT", participantRole="CUSTOMER", supportedContexts=["TURN"]),
        400,
        "supportedContexts",
        id="turn-needs-agent",
    ),
    pytest.param(
        judge(supportedContexts=["CALL", "SEGMENT"]),
        400,
        "supportedContexts",
        id="segment-needs-per-participant",
    ),
    pytest.param(
        judge(
            outputType="TEXT",
            scope="PER_PARTICIPANT",
            participantRole="AGENT",
            supportedContexts=["SEGMENT"],
        ),
        400,
        "supportedContexts",
        id="segment-needs-gradable-type",
    ),
    pytest.param(
        judge(toolDefinitionIds=[UNKNOWN]), 400, "toolDefinitionIds", id="tool-ids-not-on-create"
    ),
    pytest.param(judge(description="Why"), 400, "description", id="undocumented-description"),
    pytest.param(
        classification(
            classificationOptions=[
                {"label": "a", "description": "d", "displayOrder": 1, "color": "#FF0000"}
            ]
        ),
        400,
        "classificationOptions[0].color",
        id="undocumented-option-field",
    ),
    pytest.param(judge(formula="1 + 1"), 400, "formula", id="formula-field-on-judge"),
    pytest.param(judge(trigger=step()), 400, "trigger", id="pattern-field-on-judge"),
    pytest.param(formula(llmPrompt="p"), 400, "llmPrompt", id="judge-field-on-formula"),
    pytest.param(formula(operation="PATTERN_EXISTS"), 400, "operation", id="pattern-on-formula"),
    pytest.param(formula(outputType="SCALE"), 400, "outputType", id="formula-output-type"),
    pytest.param(formula(outputType=...), 400, "outputType", id="formula-output-missing"),
    pytest.param(formula(formula=...), 400, "formula", id="formula-missing"),
    pytest.param(formula(formula=""), 400, "formula", id="formula-empty"),
    pytest.param(
        formula(formula=f"{{{{id:{SPIKES}}}}} + {{{{id:{LOOP}}}}}" + " + 1" * 200),
        400,
        "formula",
        id="formula-too-long",
    ),
    pytest.param(formula(sources=...), 400, "sources", id="sources-missing"),
    pytest.param(
        formula(sources=[{"sourceMetricDefinitionId": SPIKES}]),
        400,
        "sources",
        id="one-source",
    ),
    pytest.param(
        formula(
            sources=[{"sourceMetricDefinitionId": "spikes"}, {"sourceMetricDefinitionId": LOOP}]
        ),
        400,
        "sources[0].sourceMetricDefinitionId",
        id="source-not-uuid",
    ),
    pytest.param(
        formula(
            sources=[{"sourceMetricDefinitionId": SPIKES}, {"sourceMetricDefinitionId": UNKNOWN}],
            formula=f"{{{{id:{SPIKES}}}}} + {{{{id:{UNKNOWN}}}}}",
        ),
        400,
        "sources[1].sourceMetricDefinitionId",
        id="source-unknown",
    ),
    pytest.param(
        formula(sources=[{"sourceMetricDefinitionId": SPIKES}, {}]),
        400,
        "sources[1].sourceMetricDefinitionId",
        id="source-id-missing",
    ),
    pytest.param(
        formula(
            sources=[{"sourceMetricDefinitionId": SPIKES}, {"sourceMetricDefinitionId": SPIKES}]
        ),
        400,
        "sources[1].sourceMetricDefinitionId",
        id="source-twice",
    ),
    pytest.param(
        formula(
            sources=[
                {"sourceMetricDefinitionId": SPIKES, "sourceVariantId": "v1"},
                {"sourceMetricDefinitionId": LOOP},
            ]
        ),
        400,
        "sources[0].sourceVariantId",
        id="source-variant-not-uuid",
    ),
    pytest.param(
        formula(formula=f"{{{{id:{SPIKES}}}}} + {{{{id:{SENTIMENT}}}}}"),
        400,
        "formula",
        id="reference-not-in-sources",
    ),
    pytest.param(
        formula(formula=f"{{{{id:{SPIKES}}}}} * 2"),
        400,
        "sources[1].sourceMetricDefinitionId",
        id="source-not-referenced",
    ),
    pytest.param(formula(formula="1 + 2"), 400, "formula", id="formula-without-references"),
    pytest.param(
        formula(formula=f"{{{{id:{SPIKES}}}}} + {{{{id:spikes}}}}"),
        400,
        "formula",
        id="reference-not-uuid",
    ),
    pytest.param(
        formula(formula=f"{{{{id:{SPIKES}}}}} > {{{{id:{LOOP}}}}}"),
        400,
        "formula",
        id="numeric-formula-compares",
    ),
    pytest.param(
        formula(outputType="BOOLEAN"), 400, "formula", id="boolean-formula-without-comparison"
    ),
    pytest.param(
        formula(formula=f"max({{{{id:{SPIKES}}}}}, {{{{id:{LOOP}}}}})"),
        400,
        "formula",
        id="formula-function-call",
    ),
    pytest.param(
        formula(formula=f"{{{{id:{SPIKES}}}}} + + * {{{{id:{LOOP}}}}}"),
        400,
        "formula",
        id="formula-syntax",
    ),
    pytest.param(pattern(operation=...), 400, "operation", id="pattern-operation-missing"),
    pytest.param(pattern(operation="FIND"), 400, "operation", id="pattern-operation-unknown"),
    pytest.param(pattern(windowMode="minutes"), 400, "windowMode", id="pattern-window-mode"),
    pytest.param(pattern(outputType="BOOLEAN"), 400, "outputType", id="pattern-output-type"),
    pytest.param(pattern(triggers=[step()]), 400, "triggers", id="trigger-and-triggers"),
    pytest.param(pattern(trigger=...), 400, "trigger", id="no-trigger"),
    pytest.param(pattern(trigger=..., triggers=[]), 400, "triggers", id="triggers-empty"),
    pytest.param(
        pattern(trigger=..., triggers=[step(), step()]),
        400,
        "triggerCombinator",
        id="two-triggers-need-combinator",
    ),
    pytest.param(
        pattern(trigger=..., triggers=[step(), step()], triggerCombinator="XOR"),
        400,
        "triggerCombinator",
        id="combinator-unknown",
    ),
    pytest.param(
        pattern(trigger=step(operator=...)), 400, "trigger.operator", id="trigger-operator"
    ),
    pytest.param(
        pattern(trigger=step(thresholdValue=...)),
        400,
        "trigger.thresholdValue",
        id="trigger-value",
    ),
    pytest.param(
        pattern(trigger=step(UNKNOWN)),
        400,
        "trigger.sourceMetricDefinitionId",
        id="trigger-source-unknown",
    ),
    pytest.param(
        pattern(trigger=step(sourceParticipantRole="BOT")),
        400,
        "trigger.sourceParticipantRole",
        id="trigger-role",
    ),
    pytest.param(
        pattern(trigger=..., triggerCombinator="AND", triggers=[step(), step(operator="ABOVE")]),
        400,
        "triggers[1].operator",
        id="second-trigger-operator",
    ),
    pytest.param(pattern(outcome=...), 400, "outcome", id="outcome-missing"),
    pytest.param(
        pattern(outcome=step(SENTIMENT)), 400, "outcome.windowAfter", id="window-after-missing"
    ),
    pytest.param(
        pattern(outcome=outcome(windowAfter=-1)), 400, "outcome.windowAfter", id="window-neg"
    ),
    pytest.param(
        pattern(outcome=outcome(windowBefore="2")),
        400,
        "outcome.windowBefore",
        id="window-before-not-int",
    ),
    pytest.param(pattern(llmPrompt="p"), 400, "llmPrompt", id="judge-field-on-pattern"),
]


@pytest.mark.parametrize(("body", "status", "parameter"), BAD_DEFINITIONS)
async def test_bad_definition_names_the_field(
    sandbox_http: Any, body: Any, status: int, parameter: str | None
) -> None:
    before = len(await _all_definitions(sandbox_http))
    response = await sandbox_http.post(DEFINITIONS, json=body)
    assert response.status_code == status, response.text
    error = response.json()
    assert error.get("parameter") == parameter
    assert error["type"] == ("conflict" if status == 409 else "validation")
    assert error["code"] and error["message"]
    assert len(await _all_definitions(sandbox_http)) == before


async def test_unreadable_bodies_are_400(sandbox_http: Any) -> None:
    for raw in (b"{not json", b"", b"   "):
        response = await sandbox_http.post(
            DEFINITIONS, content=raw, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_json"


async def test_slug_is_derived_from_the_name_and_kept_unique(sandbox_http: Any) -> None:
    name = "Agent Greets — the Customer, by NAME!! " + "x" * 60
    first = (await sandbox_http.post(DEFINITIONS, json=judge(name=name))).json()["data"]
    second = (await sandbox_http.post(DEFINITIONS, json=judge(name=name))).json()["data"]
    assert first["slug"] == "agent_greets_the_customer_by_name_" + "x" * 16
    assert len(first["slug"]) == 50
    assert second["slug"].endswith("_2") and len(second["slug"]) <= 50
    legacy = await sandbox_http.post(DEFINITIONS, json=judge(metricId="legacy_alias"))
    assert legacy.json()["data"]["slug"] == "legacy_alias"
    again = await sandbox_http.post(DEFINITIONS, json=judge(slug="legacy_alias"))
    assert again.status_code == 409 and again.json()["parameter"] == "slug"


async def test_created_definitions_serve_only_documented_fields(sandbox_http: Any) -> None:
    """Classes, their count and the role are kept (a threshold is judged by them) but not
    served: Roark's definition responses carry none of them."""
    body = classification(maxClassifications=1, scope="PER_PARTICIPANT", participantRole="AGENT")
    data = (await sandbox_http.post(DEFINITIONS, json=body)).json()["data"]
    assert not {"classificationOptions", "maxClassifications", "participantRole"} & data.keys()
    assert data["scope"] == "PER_PARTICIPANT" and data["supportedContexts"] == ["CALL"]
    assert data["llmPrompt"] is None and data["supportsVariants"] is True
    assert data["booleanTrueLabel"] is None and data["booleanFalseLabel"] is None
    label = body["classificationOptions"][0]["label"]
    kept = await sandbox_http.post(
        thresholds(data["slug"]), json={"operator": "EQUALS", "value": label, "name": "Is it"}
    )
    assert kept.status_code == 201, kept.text
    refused = await sandbox_http.post(
        thresholds(data["slug"]), json={"operator": "EQUALS", "value": "nope", "name": "Nope"}
    )
    assert refused.status_code == 400 and refused.json()["parameter"] == "value"
    made = (await sandbox_http.post(DEFINITIONS, json=formula())).json()["data"]
    assert made["formula"]["expression"] == formula()["formula"]
    assert [s["sourceMetricDefinitionId"] for s in made["formula"]["sources"]] == [SPIKES, LOOP]
    found = (await sandbox_http.post(DEFINITIONS, json=pattern())).json()["data"]
    assert found["pattern"]["operation"] == "PATTERN_EXISTS"
    assert found["pattern"]["outcome"]["windowAfter"] == 3
    assert found["pattern"]["outcome"]["windowBefore"] == 0
    assert found["pattern"]["triggers"][0]["sourceMetricDefinitionId"] == INTERRUPTION


# --- thresholds ------------------------------------------------------------------------------


def thresholds(source: str) -> str:
    return f"{DEFINITIONS}/{source}/thresholds"


GOOD_THRESHOLDS = [
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "LESS_THAN_OR_EQUALS", "value": "1"},
        id="count",
    ),
    pytest.param(
        "response_time",
        {
            "name": "A check",
            "operator": "GREATER_THAN",
            "value": "2000",
            "aggregationMode": "AVERAGE",
        },
        id="average",
    ),
    pytest.param(
        "response_time",
        {
            "name": "A check",
            "operator": "GREATER_THAN",
            "value": "3000",
            "aggregationMode": "COUNT",
            "countThreshold": 2,
            "sourceParticipantRole": "AGENT",
        },
        id="count-mode-with-role",
    ),
    pytest.param(
        "loop_count",
        {
            "name": "A check",
            "operator": "GREATER_THAN",
            "value": "1",
            "aggregationMode": "COUNT",
            "countThreshold": 1,
        },
        id="count-of-one",
    ),
    pytest.param(
        "instruction_follow",
        {"name": "A check", "operator": "EQUALS", "value": "TRUE"},
        id="boolean",
    ),
    pytest.param(
        "call_outcome", {"name": "A check", "operator": "EQUALS", "value": "resolved"}, id="class"
    ),
    pytest.param(
        definition_id("user_effort_score"),
        {"name": "A check", "operator": "LESS_THAN", "value": "4"},
        id="source-by-id",
    ),
    pytest.param(
        "empathy_score", {"operator": "GREATER_THAN", "value": "2", "name": "Kind"}, id="with-name"
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "0", "slug": "zero_loops"},
        id="with-slug",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "0", "metricId": "no_loops"},
        id="with-metricId",
    ),
    pytest.param(
        "agent_verified_caller",
        {
            "name": "A check",
            "operator": "EQUALS",
            "value": "false",
            "aggregationMode": "COUNT",
            "countThreshold": 0,
            "sourceParticipantRole": "AGENT",
        },
        id="segment-source-role",
    ),
]


@pytest.mark.parametrize(("source", "body"), GOOD_THRESHOLDS)
async def test_good_threshold_is_a_boolean_threshold_metric(
    sandbox_http: Any, source: str, body: dict[str, Any]
) -> None:
    origin = (await sandbox_http.get(f"{DEFINITIONS}/{source}")).json()["data"]
    response = await sandbox_http.post(thresholds(source), json=body)
    assert response.status_code == 201, response.text
    made = response.json()["data"]
    assert made["calculationType"] == "THRESHOLD" and made["type"] == "BOOLEAN"
    assert made["scope"] == origin["scope"]
    assert made["supportedContexts"] == origin["supportedContexts"]
    assert made["supportsVariants"] is False
    spec = made["threshold"]
    assert spec["sourceMetricDefinitionId"] == origin["id"]
    assert spec["operator"] == body["operator"]
    assert spec["thresholdValue"] == body["value"].lower()
    assert spec["aggregationMode"] == body.get("aggregationMode", "EACH")
    assert spec["countThreshold"] == body.get("countThreshold")
    assert spec["sourceParticipantRole"] == body.get("sourceParticipantRole")
    assert made["slug"] == body.get("slug", body.get("metricId", made["slug"]))
    assert made["name"] == body.get("name", made["name"]) and made["name"]
    assert " 1 values" not in made["description"]
    assert (await sandbox_http.get(f"{DEFINITIONS}/{made['slug']}")).json()["data"] == made
    assert made["id"] in {d["id"] for d in await _all_definitions(sandbox_http)}


BAD_THRESHOLDS = [
    pytest.param(
        "no_such_metric",
        {"name": "A check", "operator": "EQUALS", "value": "1"},
        404,
        "idOrSlug",
        id="unknown-source",
    ),
    pytest.param(
        UNKNOWN,
        {"name": "A check", "operator": "EQUALS", "value": "1"},
        404,
        "idOrSlug",
        id="unknown-source-id",
    ),
    pytest.param("loop_count", [], 400, None, id="not-an-object"),
    pytest.param(
        "loop_count", {"name": "A check", "value": "1"}, 400, "operator", id="operator-missing"
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "ABOVE", "value": "1"},
        400,
        "operator",
        id="operator-unknown",
    ),
    pytest.param(
        "loop_count", {"name": "A check", "operator": "EQUALS"}, 400, "value", id="value-missing"
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": ""},
        400,
        "value",
        id="value-empty",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": 4},
        400,
        "value",
        id="value-not-string",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "lots"},
        400,
        "value",
        id="value-not-number",
    ),
    pytest.param(
        "user_effort_score",
        {"name": "A check", "operator": "LESS_THAN", "value": "9"},
        400,
        "value",
        id="value-outside-scale",
    ),
    pytest.param(
        "instruction_follow",
        {"name": "A check", "operator": "EQUALS", "value": "yes"},
        400,
        "value",
        id="boolean-value",
    ),
    pytest.param(
        "instruction_follow",
        {"name": "A check", "operator": "GREATER_THAN", "value": "true"},
        400,
        "operator",
        id="boolean-ordered",
    ),
    pytest.param(
        "call_outcome",
        {"name": "A check", "operator": "EQUALS", "value": "maybe"},
        400,
        "value",
        id="class-value-unknown",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "1", "aggregationMode": "MODE"},
        400,
        "aggregationMode",
        id="aggregation-unknown",
    ),
    pytest.param(
        "instruction_follow",
        {"name": "A check", "operator": "EQUALS", "value": "true", "aggregationMode": "AVERAGE"},
        400,
        "aggregationMode",
        id="average-of-booleans",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "1", "aggregationMode": "COUNT"},
        400,
        "countThreshold",
        id="count-without-threshold",
    ),
    pytest.param(
        "loop_count",
        {
            "name": "A check",
            "operator": "EQUALS",
            "value": "1",
            "aggregationMode": "COUNT",
            "countThreshold": -1,
        },
        400,
        "countThreshold",
        id="count-negative",
    ),
    pytest.param(
        "loop_count",
        {
            "name": "A check",
            "operator": "EQUALS",
            "value": "1",
            "aggregationMode": "COUNT",
            "countThreshold": "2",
        },
        400,
        "countThreshold",
        id="count-not-integer",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "1", "countThreshold": 2},
        400,
        "countThreshold",
        id="count-threshold-without-count-mode",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "1", "sourceParticipantRole": "AGENT"},
        400,
        "sourceParticipantRole",
        id="role-on-call-only-source",
    ),
    pytest.param(
        "response_time",
        {"name": "A check", "operator": "EQUALS", "value": "1", "sourceParticipantRole": "BOT"},
        400,
        "sourceParticipantRole",
        id="role-unknown",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "1", "slug": "a", "metricId": "a"},
        400,
        "slug",
        id="slug-and-metricId",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "1", "slug": "s" * 51},
        400,
        "slug",
        id="slug-too-long",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "1", "slug": "Loops!"},
        400,
        "slug",
        id="slug-format",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "1", "slug": "loop_count_check"},
        409,
        "slug",
        id="slug-taken",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "1", "sourceVariantId": "v2"},
        400,
        "sourceVariantId",
        id="variant-not-uuid",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "1", "sourceVariantId": UNKNOWN},
        400,
        "sourceVariantId",
        id="variant-unknown",
    ),
    pytest.param(
        "loop_count",
        {"operator": "EQUALS", "value": "1", "name": "n" * 101},
        400,
        "name",
        id="name-too-long",
    ),
    pytest.param(
        "loop_count", {"operator": "EQUALS", "value": "1"}, 400, "name", id="name-missing"
    ),
    pytest.param(
        "loop_count",
        {"operator": "EQUALS", "value": "1", "name": " "},
        400,
        "name",
        id="name-empty",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "1", "description": "Few loops"},
        400,
        "description",
        id="undocumented-description",
    ),
    pytest.param(
        "loop_count",
        {"name": "A check", "operator": "EQUALS", "value": "1", "thresholdValue": "1"},
        400,
        "thresholdValue",
        id="undocumented-field",
    ),
    pytest.param(
        "customer_intent",
        {"name": "A check", "operator": "EQUALS", "value": "refund"},
        400,
        "idOrSlug",
        id="text-source",
    ),
    pytest.param(
        "time_to_first_word",
        {"name": "A check", "operator": "LESS_THAN", "value": "2000"},
        400,
        "idOrSlug",
        id="offset-source",
    ),
]


@pytest.mark.parametrize(("source", "body", "status", "parameter"), BAD_THRESHOLDS)
async def test_bad_threshold_names_the_field(
    sandbox_http: Any, source: str, body: Any, status: int, parameter: str | None
) -> None:
    before = len(await _all_definitions(sandbox_http))
    response = await sandbox_http.post(thresholds(source), json=body)
    assert response.status_code == status, response.text
    assert response.json().get("parameter") == parameter
    assert len(await _all_definitions(sandbox_http)) == before


async def test_threshold_on_its_source_variant(sandbox_http: Any) -> None:
    source = (await sandbox_http.get(f"{DEFINITIONS}/loop_count")).json()["data"]
    body = {
        "name": "No loops",
        "operator": "EQUALS",
        "value": "0",
        "sourceVariantId": source["variantId"],
    }
    made = (await sandbox_http.post(thresholds("loop_count"), json=body)).json()["data"]
    assert made["threshold"]["sourceVariantId"] == source["variantId"]
    assert made["slug"] == "loop_count_each_eq_0"
    assert made["name"] == "No loops"


# --- updates -----------------------------------------------------------------------------------


async def test_update_changes_what_it_names_and_bumps_the_version(sandbox_http: Any) -> None:
    made = (await sandbox_http.post(DEFINITIONS, json=scale())).json()["data"]
    path = f"{DEFINITIONS}/{made['slug']}"
    patched = await sandbox_http.patch(path, json={"name": "Renamed", "changeReason": "clearer"})
    assert patched.status_code == 200, patched.text
    data = patched.json()["data"]
    assert data["name"] == "Renamed" and data["versionId"] != made["versionId"]
    assert data["llmPrompt"] == "Rate it." and "scaleMax" not in data
    above = {"operator": "GREATER_THAN", "value": "8", "name": "Above eight"}
    assert (await sandbox_http.post(thresholds(made["slug"]), json=above)).status_code == 400
    put = await sandbox_http.put(path, json={"scaleMax": 10, "llmPrompt": "Rate it, 1-10."})
    assert put.json()["data"]["llmPrompt"] == "Rate it, 1-10."
    assert put.json()["data"]["versionId"] not in (made["versionId"], data["versionId"])
    assert (await sandbox_http.post(thresholds(made["slug"]), json=above)).status_code == 201
    assert (await sandbox_http.get(path)).json()["data"]["name"] == "Renamed"


@pytest.mark.parametrize(
    ("target", "body", "status", "parameter"),
    [
        pytest.param("created", {"outputType": "TEXT"}, 400, "outputType", id="immutable-type"),
        pytest.param("created", {"slug": "other"}, 400, "slug", id="immutable-slug"),
        pytest.param("created", {"scaleMin": 9}, 400, "scaleMin", id="merged-min-above-max"),
        pytest.param("created", {"formula": "1+1"}, 400, "formula", id="formula-on-judge"),
        pytest.param("created", {"name": ""}, 400, "name", id="empty-name"),
        pytest.param("loop_count", {"name": "Mine"}, 403, None, id="system-metric"),
        pytest.param("loop_count_check", {"name": "Mine"}, 403, None, id="system-check"),
        pytest.param("no_such_metric", {"name": "x"}, 404, "idOrSlug", id="unknown"),
        pytest.param(
            "empathy_score_check", {"llmPrompt": "p"}, 400, "llmPrompt", id="prompt-on-threshold"
        ),
        pytest.param(
            "friction_events",
            {"formula": "{{id:nope}} + 1"},
            400,
            "formula",
            id="bad-formula-update",
        ),
    ],
)
async def test_bad_update(
    sandbox_http: Any, target: str, body: dict[str, Any], status: int, parameter: str | None
) -> None:
    if target == "created":
        target = (await sandbox_http.post(DEFINITIONS, json=scale())).json()["data"]["id"]
    before = await sandbox_http.get(f"{DEFINITIONS}/{target}")
    response = await sandbox_http.patch(f"{DEFINITIONS}/{target}", json=body)
    assert response.status_code == status, response.text
    assert response.json().get("parameter") == parameter
    assert (await sandbox_http.get(f"{DEFINITIONS}/{target}")).json() == before.json()


async def test_threshold_and_formula_names_can_change(sandbox_http: Any) -> None:
    renamed = await sandbox_http.put(f"{DEFINITIONS}/empathy_score_check", json={"name": "Kind"})
    assert renamed.status_code == 200 and renamed.json()["data"]["name"] == "Kind"
    assert renamed.json()["data"]["threshold"]["thresholdValue"] == "3"
    swapped = await sandbox_http.patch(
        f"{DEFINITIONS}/friction_events",
        json={
            "formula": f"{{{{id:{SPIKES}}}}} * 2 + {{{{id:{LOOP}}}}}",
            "sources": [{"sourceMetricDefinitionId": LOOP}, {"sourceMetricDefinitionId": SPIKES}],
        },
    )
    assert swapped.status_code == 200, swapped.text
    assert swapped.json()["data"]["formula"]["expression"].startswith(f"{{{{id:{SPIKES}}}}} * 2")


async def _all_definitions(client: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after = None
    while True:
        params: dict[str, Any] = {"limit": 50}
        if after:
            params["after"] = after
        page = (await client.get(DEFINITIONS, params=params)).json()
        found.extend(page["data"])
        after = page["pagination"]["nextCursor"]
        if not page["pagination"]["hasMore"]:
            return found
