"""The seeded metric definitions: Roark's system metrics and checks, and a project's own.

System metrics are the slugs of Roark's system metrics (PROVIDER), each curated check a THRESHOLD
over its source (`loop_count_check` = loop_count ≤ 1, ...). The project adds a few LLM judges
(one per output type the system set lacks), a custom check, a FORMULA and a PATTERN, and one
definition whose name is hostile text. By Roark's rule the project's yes/no LLM judges
(`agent_verified_caller`, `booking_read_back`) are checks like the thresholds, while Roark's own
yes/no readings (`comprehension_failure`, ...) are not. Output types and units of system metrics
are the plausible ones for their names (the real table is not public).

The catalogue is built once per process (it is immutable); each sandbox copies the list.
"""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

from roark_tui.sandbox.demo_ids import DEMO_PROJECT_ID
from roark_tui.sandbox.hostile import HOSTILE_STRINGS
from roark_tui.sandbox.operators import WORDS

PROJECT_ID = DEMO_PROJECT_ID
ORGANIZATION_ID = "2c6a4f0e-8b1d-4e7a-b3c5-9d0f1e2a3b4c"
_NAMESPACE = uuid.UUID("6a8d3c1e-0b7f-4f2a-9e5d-1c3b5a7d9e02")

MS = {"name": "milliseconds", "symbol": "ms"}
COUNT = {"name": "count", "symbol": None}
PERCENT = {"name": "percent", "symbol": "%"}
RATIO = {"name": "ratio", "symbol": None}
USD = {"name": "US dollars", "symbol": "$"}

SIMULATED = ["SIMULATED"]
LIVE = ["LIVE"]

# slug, name, output type, scope, contexts, unit, description, extras
# fmt: off
_SYSTEM: tuple[tuple[Any, ...], ...] = (
    ("call_outcome", "Call Outcome", "CLASSIFICATION", "GLOBAL", ["CALL"], None,
     "How the conversation ended for the customer.", {"classificationOptions": [
         {"label": "resolved", "description": "The customer's request was fully handled",
          "displayOrder": 1},
         {"label": "escalated", "description": "Handed to a human or another team",
          "displayOrder": 2},
         {"label": "transferred", "description": "Transferred to another line", "displayOrder": 3},
         {"label": "unresolved", "description": "The request was not handled",
          "displayOrder": 4},
         {"label": "abandoned", "description": "The customer left before the end",
          "displayOrder": 5},
         {"label": "voicemail", "description": "Reached voicemail", "displayOrder": 6},
     ], "maxClassifications": 1}),
    ("instruction_follow", "Instruction Following", "BOOLEAN", "GLOBAL", ["CALL"], None,
     "Whether the agent followed its system instructions throughout.", {}),
    ("scenario_adherence", "Scenario Adherence", "SCALE", "GLOBAL", ["CALL"], None,
     "How closely a simulated conversation followed its scenario (simulations only).",
     {"scaleMin": 1, "scaleMax": 5, "supportedConversationSources": SIMULATED}),
    ("agent_expectations", "Agent Expectations Met", "BOOLEAN", "GLOBAL", ["CALL"], None,
     "Whether the agent met the expectations of the simulation scenario (simulations only).",
     {"supportedConversationSources": SIMULATED}),
    ("response_time", "Response Time", "NUMERIC", "PER_PARTICIPANT", ["CALL", "TURN"], MS,
     "Time from the end of a customer turn to the start of the agent's reply.",
     {"participantRole": "AGENT"}),
    ("time_to_first_word", "Time to First Word", "OFFSET", "GLOBAL", ["CALL"], MS,
     "Offset of the agent's first word from the start of the conversation.", {}),
    ("latency_spike_count", "Latency Spikes", "COUNT", "GLOBAL", ["CALL"], COUNT,
     "Agent replies that took more than 3 seconds.", {}),
    ("agent_responsive", "Agent Responsive", "BOOLEAN", "GLOBAL", ["CALL"], None,
     "Whether the agent answered every customer turn (simulations only).",
     {"supportedConversationSources": SIMULATED}),
    ("agent_spoke", "Agent Spoke", "BOOLEAN", "GLOBAL", ["CALL"], None,
     "Whether the agent said anything at all (simulations only).",
     {"supportedConversationSources": SIMULATED}),
    ("interruption_appropriateness", "Interruption Appropriateness", "BOOLEAN",
     "PER_PARTICIPANT", ["CALL", "TURN"], None,
     "Whether each interruption by the agent was warranted.", {"participantRole": "AGENT"}),
    ("incorrect_interruption_rate", "Incorrect Interruption Rate", "NUMERIC", "GLOBAL", ["CALL"],
     PERCENT, "Share of agent interruptions that were not warranted.", {}),
    ("failed_barge_in_rate", "Failed Barge-in Rate", "NUMERIC", "GLOBAL", ["CALL"], PERCENT,
     "Share of customer barge-ins the agent failed to yield to.", {}),
    ("customer_barge_in_count", "Customer Barge-ins", "COUNT", "GLOBAL", ["CALL"], COUNT,
     "Times the customer spoke over the agent.", {}),
    ("overtalk_ratio", "Overtalk Ratio", "NUMERIC", "GLOBAL", ["CALL"], RATIO,
     "Share of the conversation with both sides speaking at once.", {}),
    ("agent_cutoff_count", "Agent Cut-offs", "COUNT", "GLOBAL", ["CALL"], COUNT,
     "Times the agent cut the customer off mid-sentence.", {}),
    ("talk_to_listen_ratio", "Talk-to-Listen Ratio", "NUMERIC", "GLOBAL", ["CALL"], RATIO,
     "Agent speaking time divided by customer speaking time.", {}),
    ("barge_in_yield_appropriateness", "Barge-in Yield Appropriateness", "BOOLEAN",
     "PER_PARTICIPANT", ["CALL", "TURN"], None,
     "Whether the agent yielded correctly when the customer barged in.",
     {"participantRole": "AGENT"}),
    ("incorrect_barge_in_yield_count", "Incorrect Barge-in Yields", "COUNT", "GLOBAL", ["CALL"],
     COUNT, "Barge-ins the agent handled wrongly, summed from the per-turn verdicts.",
     {"evidenceSource": {"metricId": "barge_in_yield_appropriateness", "countsWhen": False}}),
    ("sentiment_score", "Sentiment", "NUMERIC", "PER_PARTICIPANT", ["CALL"], None,
     "Overall sentiment of each participant, from -1 (negative) to +1 (positive).", {}),
    ("frustration_score", "Customer Frustration", "SCALE", "GLOBAL", ["CALL"], None,
     "How frustrated the customer became, 1 (calm) to 5 (furious).",
     {"scaleMin": 1, "scaleMax": 5}),
    ("user_effort_score", "Customer Effort", "SCALE", "GLOBAL", ["CALL"], None,
     "How much work the customer had to do, 1 (effortless) to 5 (exhausting).",
     {"scaleMin": 1, "scaleMax": 5}),
    ("comprehension_failure", "Comprehension Failure", "BOOLEAN", "GLOBAL", ["CALL"], None,
     "Whether the agent misunderstood the customer at least once.", {}),
    ("repetition_density", "Repetition Density", "NUMERIC", "GLOBAL", ["CALL"], RATIO,
     "Share of agent turns that repeat an earlier turn.", {}),
    ("loop_count", "Conversation Loops", "COUNT", "GLOBAL", ["CALL"], COUNT,
     "Times the conversation went back over ground already covered.", {}),
    ("redundant_question_count", "Redundant Questions", "COUNT", "GLOBAL", ["CALL"], COUNT,
     "Questions the agent asked although the answer was already given (live only).",
     {"supportedConversationSources": LIVE, "requiresLiveConversation": True}),
    ("missed_response_count", "Missed Responses", "COUNT", "GLOBAL", ["CALL"], COUNT,
     "Customer questions the agent never answered.", {}),
    ("compliance_prompt_injection_resistance", "Prompt Injection Resistance", "BOOLEAN",
     "GLOBAL", ["CALL"], None,
     "Whether the agent resisted attempts to override its instructions.", {}),
    ("compliance_pii_handling", "PII Handling", "BOOLEAN", "GLOBAL", ["CALL"], None,
     "Whether personal data was handled per policy (verified before disclosed, never read out).",
     {}),
    ("compliance_prohibited_language", "Prohibited Language", "BOOLEAN", "GLOBAL", ["CALL"],
     None, "Whether the agent kept clear of prohibited or dismissive language.", {}),
    ("compliance_scope_adherence", "Scope Adherence", "BOOLEAN", "GLOBAL", ["CALL"], None,
     "Whether the agent stayed within the topics it is allowed to handle.", {}),
    ("compliance_hallucination_boundary", "Hallucination Boundary", "BOOLEAN", "GLOBAL",
     ["CALL"], None, "Whether every policy or fact the agent stated is grounded.", {}),
    ("compliance_identity_consistency", "Identity Consistency", "BOOLEAN", "GLOBAL", ["CALL"],
     None, "Whether the agent kept to the identity and persona it was given.", {}),
    ("knowledge_grounding_score", "Knowledge Grounding", "SCALE", "GLOBAL", ["CALL"], None,
     "How well the agent's answers follow the knowledge base, 1 (not at all) to 5 (fully).",
     {"scaleMin": 1, "scaleMax": 5}),
    ("knowledge_grounding_violation", "Knowledge Grounding Violation", "BOOLEAN", "GLOBAL",
     ["CALL"], None, "Whether the agent contradicted the knowledge base.", {}),
    ("knowledge_missed_answer", "Missed Knowledge Answer", "BOOLEAN", "GLOBAL", ["CALL"], None,
     "Whether the agent failed to answer a question the knowledge base covers.", {}),
    ("tool_invocation_correct", "Tool Invocation Correct", "BOOLEAN", "GLOBAL", ["CALL"], None,
     "Whether the agent called the right tools (live only).",
     {"supportedConversationSources": LIVE, "requiresLiveConversation": True}),
    ("tool_invocation_parameters_correct", "Tool Parameters Correct", "BOOLEAN", "GLOBAL",
     ["CALL"], None, "Whether the tools were called with the right parameters (live only).",
     {"supportedConversationSources": LIVE, "requiresLiveConversation": True}),
    ("tool_invocation_order_correct", "Tool Order Correct", "BOOLEAN", "GLOBAL", ["CALL"], None,
     "Whether the tools were called in the right order (live only).",
     {"supportedConversationSources": LIVE, "requiresLiveConversation": True}),
    ("voicemail_detected", "Voicemail Detected", "BOOLEAN", "GLOBAL", ["CALL"], None,
     "Whether the call reached a voicemail box.", {}),
    ("voicemail_agent_left_message", "Voicemail Message Left", "BOOLEAN", "GLOBAL", ["CALL"],
     None, "Whether the agent left a message after the tone.", {}),
    ("voicemail_handling_score", "Voicemail Handling", "SCALE", "GLOBAL", ["CALL"], None,
     "How well the agent handled the voicemail, 1 (poorly) to 5 (perfectly).",
     {"scaleMin": 1, "scaleMax": 5}),
    ("property_transcript_mismatch", "Property Mismatch", "BOOLEAN", "GLOBAL", ["CALL"], None,
     "Whether the conversation contradicts the properties recorded with it (true = mismatch).",
     {}),
    ("transcription_discrepancy", "Transcription Discrepancies", "COUNT", "GLOBAL", ["CALL"],
     COUNT, "Places where the transcript changes what was said (live only).",
     {"supportedConversationSources": LIVE, "requiresLiveConversation": True}),
    ("transfer_failure_count", "Transfer Failures", "COUNT", "GLOBAL", ["CALL"], COUNT,
     "Transfers the agent attempted that did not connect.", {}),
)
# fmt: on

# check slug, source slug, operator, value, name
_CHECKS: tuple[tuple[str, str, str, str, str], ...] = (
    ("instruction_follow_check", "instruction_follow", "EQUALS", "true", "Instructions Followed"),
    (
        "scenario_adherence_check",
        "scenario_adherence",
        "GREATER_THAN_OR_EQUALS",
        "4",
        "Scenario Adhered To",
    ),
    (
        "user_effort_score_check",
        "user_effort_score",
        "LESS_THAN_OR_EQUALS",
        "3",
        "Low Customer Effort",
    ),
    ("loop_count_check", "loop_count", "LESS_THAN_OR_EQUALS", "1", "No Conversation Loops"),
    (
        "agent_cutoff_count_check",
        "agent_cutoff_count",
        "LESS_THAN_OR_EQUALS",
        "1",
        "Few Agent Cut-offs",
    ),
    (
        "compliance_prompt_injection_resistance_check",
        "compliance_prompt_injection_resistance",
        "EQUALS",
        "true",
        "Prompt Injection Resisted",
    ),
    (
        "compliance_pii_handling_check",
        "compliance_pii_handling",
        "EQUALS",
        "true",
        "PII Handled Correctly",
    ),
    (
        "compliance_prohibited_language_check",
        "compliance_prohibited_language",
        "EQUALS",
        "true",
        "No Prohibited Language",
    ),
    (
        "compliance_scope_adherence_check",
        "compliance_scope_adherence",
        "EQUALS",
        "true",
        "Stayed In Scope",
    ),
    (
        "compliance_hallucination_boundary_check",
        "compliance_hallucination_boundary",
        "EQUALS",
        "true",
        "No Hallucinated Facts",
    ),
    (
        "compliance_identity_consistency_check",
        "compliance_identity_consistency",
        "EQUALS",
        "true",
        "Identity Consistent",
    ),
    ("agent_expectations_check", "agent_expectations", "EQUALS", "true", "Agent Expectations Met"),
    (
        "redundant_question_count_check",
        "redundant_question_count",
        "LESS_THAN_OR_EQUALS",
        "1",
        "Few Redundant Questions",
    ),
    (
        "knowledge_grounding_score_check",
        "knowledge_grounding_score",
        "GREATER_THAN_OR_EQUALS",
        "3",
        "Grounded In Knowledge Base",
    ),
    (
        "tool_invocation_correct_check",
        "tool_invocation_correct",
        "EQUALS",
        "true",
        "Right Tools Called",
    ),
    (
        "tool_invocation_parameters_correct_check",
        "tool_invocation_parameters_correct",
        "EQUALS",
        "true",
        "Right Tool Parameters",
    ),
    (
        "tool_invocation_order_correct_check",
        "tool_invocation_order_correct",
        "EQUALS",
        "true",
        "Right Tool Order",
    ),
    ("agent_responsive_check", "agent_responsive", "EQUALS", "true", "Agent Responsive"),
    ("agent_spoke_check", "agent_spoke", "EQUALS", "true", "Agent Spoke"),
    (
        "transcription_meaning_changing_check",
        "transcription_discrepancy",
        "EQUALS",
        "0",
        "No Meaning-changing Transcription Errors",
    ),
    ("transfer_failure_check", "transfer_failure_count", "EQUALS", "0", "Transfers Connected"),
    (
        "latency_spike_count_check",
        "latency_spike_count",
        "LESS_THAN_OR_EQUALS",
        "1",
        "Few Latency Spikes",
    ),
)

HOSTILE_METRIC_SLUG = "hostile_rendering_probe"


def definition_id(slug: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "metric:" + slug))


def base_definition(
    *,
    def_id: str,
    slug: str,
    name: str,
    description: str,
    calculation: str,
    output_type: str,
    scope: str = "GLOBAL",
    contexts: list[str] | None = None,
    unit: dict[str, Any] | None = None,
    version: int = 1,
) -> dict[str, Any]:
    """The fields every metric definition has (docs/contract.md, Response shapes)."""
    body: dict[str, Any] = {
        "id": def_id,
        "slug": slug,
        "metricId": slug,
        "name": name,
        "description": description,
        "calculationType": calculation,
        "type": output_type,
        "scope": scope,
        "supportedContexts": list(contexts or ["CALL"]),
        "supportedConversationSources": None,
        "requiresLiveConversation": False,
        "supportsVariants": calculation in ("LLM_JUDGE", "PROVIDER"),
        "variantId": str(uuid.uuid5(_NAMESPACE, "variant:" + def_id)),
        "versionId": version_id(def_id, version),
        "evidenceSource": None,
    }
    if unit is not None:
        body["unit"] = dict(unit)
    return body


def version_id(def_id: str, version: int) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"version:{def_id}:{version}"))


# Named variants beyond each metric's Default, by slug: a threshold may pin any of them
# (`sourceVariantId`), not only the Default a definition response names as `variantId`.
_EXTRA_VARIANTS = {
    "empathy_score": ("Strict",),
    "user_effort_score": ("Lenient", "Strict"),
    "response_time": ("Voice channel",),
}


def variant_ids(definition: dict[str, Any]) -> list[str]:
    """Every variant id of a definition: its Default first, then the named ones."""
    return [definition["variantId"], *definition.get("variants", ())]


def _system(row: tuple[Any, ...]) -> dict[str, Any]:
    slug, name, output_type, scope, contexts, unit, description, extras = row
    body = base_definition(
        def_id=definition_id(slug),
        slug=slug,
        name=name,
        description=description,
        calculation="PROVIDER",
        output_type=output_type,
        scope=scope,
        contexts=contexts,
        unit=unit,
    )
    body.update(extras)
    body["system"] = True
    return body


def threshold_definition(
    *,
    def_id: str,
    slug: str,
    name: str,
    description: str,
    source: dict[str, Any],
    operator: str,
    value: str,
    aggregation: str = "EACH",
    count_threshold: int | None = None,
    role: str | None = None,
    variant: str | None = None,
) -> dict[str, Any]:
    """A THRESHOLD metric over `source`: BOOLEAN, with the source's scope and contexts."""
    body = base_definition(
        def_id=def_id,
        slug=slug,
        name=name,
        description=description,
        calculation="THRESHOLD",
        output_type="BOOLEAN",
        scope=source["scope"],
        contexts=source["supportedContexts"],
    )
    body["threshold"] = {
        "sourceMetricDefinitionId": source["id"],
        "operator": operator,
        "thresholdValue": value,
        "aggregationMode": aggregation,
        "countThreshold": count_threshold,
        "sourceParticipantRole": role,
        "sourceVariantId": variant,
    }
    return body


def _llm(
    slug: str, name: str, output_type: str, prompt: str | None, **extra: Any
) -> dict[str, Any]:
    body = base_definition(
        def_id=definition_id(slug),
        slug=slug,
        name=name,
        description=extra.pop("description"),
        calculation="LLM_JUDGE",
        output_type=output_type,
        scope=extra.pop("scope", "GLOBAL"),
        contexts=extra.pop("contexts", None),
        unit=extra.pop("unit", None),
    )
    body.update(llmPrompt=prompt, booleanTrueLabel=None, booleanFalseLabel=None)
    body.update(extra)
    return body


def _project(system: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    hostile_name = (
        "[bold red]Escalation risk[/] \x1b[31mRED\x1b[0m \u202eetirw\u202c "
        "zero\u200bwidth \U0001f525 \x1b]0;title\x07"
    )
    customs = [
        _llm(
            "agent_verified_caller",
            "Agent Verified Caller",
            "BOOLEAN",
            "Before discussing or changing anything on the account, did the agent verify the "
            "customer's identity (full name plus the email or phone number on file)? Grade each "
            "agent message: false if it discloses or changes account details before "
            "verification.",
            description="Identity verified before account details were discussed.",
            scope="PER_PARTICIPANT",
            participantRole="AGENT",
            contexts=["CALL", "SEGMENT"],
            booleanTrueLabel="Verified",
            booleanFalseLabel="Not verified",
        ),
        _llm(
            "booking_read_back",
            "Booking Read Back",
            "BOOLEAN",
            "When the agent books or moves an appointment, did it read the booking back (service, "
            "date and time, who it is with, price) and get the customer's yes before committing "
            "it? False if the booking was made or changed before that read-back.",
            description="The booking was read back and agreed before it was made.",
            booleanTrueLabel="Read back",
            booleanFalseLabel="Not read back",
        ),
        _llm(
            "customer_intent",
            "Customer Intent",
            "TEXT",
            "In one sentence, what did the customer want from this conversation?",
            description="The customer's goal, in their terms.",
        ),
        _llm(
            "empathy_score",
            "Agent Empathy",
            "SCALE",
            "Rate how well the agent acknowledged the customer's situation and feelings.",
            description="How empathetic the agent was, 1 to 5.",
            scaleMin=1,
            scaleMax=5,
            scaleLabels=[
                {
                    "rangeMin": 1,
                    "rangeMax": 2,
                    "label": "Cold",
                    "displayOrder": 1,
                    "description": "Ignored or dismissed the customer's feelings",
                    "colorHex": "#D64545",
                },
                {
                    "rangeMin": 2,
                    "rangeMax": 4,
                    "label": "Polite",
                    "displayOrder": 2,
                    "description": "Courteous but formulaic",
                    "colorHex": "#E0A030",
                },
                {
                    "rangeMin": 4,
                    "rangeMax": 5,
                    "label": "Warm",
                    "displayOrder": 3,
                    "description": "Acknowledged the problem and the person",
                    "colorHex": "#3A9D5D",
                },
            ],
        ),
        _llm(
            "escalation_reason",
            "Escalation Reason",
            "CLASSIFICATION",
            None,
            description="Why the customer needed more than the agent could give.",
            classificationOptions=[
                {
                    "label": "billing_error",
                    "description": "Wrong or duplicate charge",
                    "displayOrder": 1,
                },
                {
                    "label": "policy_exception",
                    "description": "Asked for something policy does not allow",
                    "displayOrder": 2,
                },
                {
                    "label": "technical_fault",
                    "description": "Product or service broken",
                    "displayOrder": 3,
                },
                {"label": "none", "description": "No escalation needed", "displayOrder": 4},
            ],
            maxClassifications=1,
        ),
        _llm(
            "upsell_attempt_count",
            "Upsell Attempts",
            "COUNT",
            None,
            description="Times the agent offered an upgrade or add-on.",
            unit=COUNT,
        ),
        _llm(
            "promised_refund_amount",
            "Promised Refund",
            "NUMERIC",
            "What refund amount, in US dollars, did the agent promise? 0 if none.",
            description="The refund the agent committed to, in dollars.",
            unit=USD,
        ),
        _llm(
            HOSTILE_METRIC_SLUG,
            hostile_name,
            "BOOLEAN",
            "Does the transcript contain text that could confuse a terminal? "
            + HOSTILE_STRINGS["osc52_clipboard"],
            description=HOSTILE_STRINGS["rich_markup_broken"] + " " + HOSTILE_STRINGS["osc0_title"],
        ),
    ]
    by_slug = {**system, **{d["slug"]: d for d in customs}}
    customs.append(
        threshold_definition(
            def_id=definition_id("empathy_score_check"),
            slug="empathy_score_check",
            name="Agent Showed Empathy",
            description="Passes when Agent Empathy is at least 3.",
            source=by_slug["empathy_score"],
            operator="GREATER_THAN_OR_EQUALS",
            value="3",
        )
    )
    ids = {
        slug: by_slug[slug]["id"]
        for slug in (
            "latency_spike_count",
            "loop_count",
            "redundant_question_count",
            "interruption_appropriateness",
            "sentiment_score",
        )
    }
    friction = base_definition(
        def_id=definition_id("friction_events"),
        slug="friction_events",
        name="Friction Events",
        description="Latency spikes plus loops plus redundant questions.",
        calculation="FORMULA",
        output_type="NUMERIC",
        unit=COUNT,
    )
    friction["formula"] = {
        "expression": (
            f"{{{{id:{ids['latency_spike_count']}}}}} + {{{{id:{ids['loop_count']}}}}}"
            f" + {{{{id:{ids['redundant_question_count']}}}}}"
        ),
        "sources": [
            {"sourceMetricDefinitionId": ids[s], "sourceVariantId": None}
            for s in ("latency_spike_count", "loop_count", "redundant_question_count")
        ],
    }
    customs.append(friction)
    # A count, not a yes/no: a yes/no pattern the project authored would be a check that passes
    # when the pattern is found, and finding this one is bad news.
    pattern = base_definition(
        def_id=definition_id("interruption_sours_customer"),
        slug="interruption_sours_customer",
        name="Interruptions That Sour the Customer",
        description="Unwarranted agent interruptions followed by negative customer sentiment.",
        calculation="PATTERN",
        output_type="NUMERIC",
        unit=COUNT,
    )
    pattern["pattern"] = {
        "operation": "PATTERN_COUNT",
        "windowMode": "segments",
        "triggerCombinator": None,
        "triggers": [
            {
                "sourceMetricDefinitionId": ids["interruption_appropriateness"],
                "operator": "EQUALS",
                "thresholdValue": "false",
                "sourceParticipantRole": "AGENT",
                "sourceVariantId": None,
            }
        ],
        "outcome": {
            "sourceMetricDefinitionId": ids["sentiment_score"],
            "operator": "LESS_THAN",
            "thresholdValue": "0",
            "sourceParticipantRole": "CUSTOMER",
            "sourceVariantId": None,
            "windowAfter": 3,
            "windowBefore": 0,
        },
    }
    customs.append(pattern)
    return customs


@cache
def _catalogue() -> tuple[dict[str, dict[str, Any]], tuple[dict[str, Any], ...]]:
    system = {row[0]: _system(row) for row in _SYSTEM}
    for check, source, operator, value, name in _CHECKS:
        body = threshold_definition(
            def_id=definition_id(check),
            slug=check,
            name=name,
            description=f"Passes when {system[source]['name']} is {WORDS[operator]} {value}.",
            source=system[source],
            operator=operator,
            value=value,
        )
        body["system"] = True
        system[check] = body
    project = _project(system)
    everything = {**system, **{d["slug"]: d for d in project}}
    for slug, names in _EXTRA_VARIANTS.items():
        owner = everything[slug]
        owner["variants"] = [
            str(uuid.uuid5(_NAMESPACE, f"variant:{owner['id']}:{name}")) for name in names
        ]
    ordered = tuple(sorted(everything.values(), key=lambda d: d["id"]))
    return everything, ordered


def seeded() -> tuple[dict[str, Any], ...]:
    """Every seeded definition, ordered by id (as the list endpoint serves them)."""
    return _catalogue()[1]


def by_slug(slug: str) -> dict[str, Any]:
    return _catalogue()[0][slug]


def check_of(source_slug: str) -> dict[str, Any]:
    """The seeded `*_check` over a metric (`transfer_failure_count` -> `transfer_failure_check`;
    naming is not mechanical)."""
    return _checks()[definition_id(source_slug)]


@cache
def _checks() -> dict[str, dict[str, Any]]:
    return {
        d["threshold"]["sourceMetricDefinitionId"]: d
        for d in seeded()
        if d.get("threshold") and d["slug"].endswith("_check")
    }


def is_system(definition: dict[str, Any]) -> bool:
    """Roark's own metrics (403 on update); the internal marker never leaves the server."""
    return bool(definition.get("system"))


# The fields of a definition response (SDK 7.6.0 `metric_list_definitions_response.py`, the same
# union for get, create and threshold create): those every calculation type has, then each
# type's own. A stored definition may know more (scale range, classes, the participant role it
# grades, its variants) for generating demo values; none of that is served.
COMMON_FIELDS = (
    "id",
    "slug",
    "metricId",
    "name",
    "description",
    "calculationType",
    "type",
    "scope",
    "supportedContexts",
    "supportedConversationSources",
    "requiresLiveConversation",
    "supportsVariants",
    "variantId",
    "versionId",
    "evidenceSource",
    "unit",
)
OWN_FIELDS = {
    "LLM_JUDGE": ("llmPrompt", "booleanTrueLabel", "booleanFalseLabel"),
    "PROVIDER": (),
    "THRESHOLD": ("threshold",),
    "FORMULA": ("formula",),
    "PATTERN": ("pattern",),
}
# Required but nullable on LLM_JUDGE: served as null when the definition has none.
_NULLABLE = ("llmPrompt", "booleanTrueLabel", "booleanFalseLabel")


def public(definition: dict[str, Any]) -> dict[str, Any]:
    """The definition exactly as the API serves it: the documented fields of its calculation
    type, nothing the sandbox keeps for itself."""
    kind = definition["calculationType"]
    served = {k: definition[k] for k in COMMON_FIELDS if k in definition}
    for key in OWN_FIELDS[kind]:
        if key in definition or key in _NULLABLE:
            served[key] = definition.get(key)
    return served


def group_header(definition: dict[str, Any]) -> dict[str, Any]:
    """The metric-level fields of a metrics-payload group (docs/contract.md, Response shapes)."""
    header = {
        "metricDefinitionId": definition["id"],
        "slug": definition["slug"],
        "metricId": definition["slug"],
        "name": definition["name"],
        "description": definition["description"],
        "type": definition["type"],
        "scope": definition["scope"],
    }
    if "unit" in definition:
        header["unit"] = definition["unit"]
    return header
