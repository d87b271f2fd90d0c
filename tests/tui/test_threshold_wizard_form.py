"""The threshold wizard's form logic, on a small in-memory service (fast, no sandbox):
typed value widgets, fields shown only when they apply, the live sentence, the what-if,
drafts that survive a restart, esc asking before discarding, and server errors on fields."""

from __future__ import annotations

from typing import Any

from pilot_support import settle
from textual.app import App
from textual.widgets import Input, OptionList, Select, Static

from roark_tui.api import errors
from roark_tui.api.models import Call, Chat, MetricDefinition, MetricGroup, Page
from roark_tui.state.drafts import DraftStore
from roark_tui.tui.screens.created import CreatedScreen
from roark_tui.tui.screens.threshold_wizard import ThresholdWizardScreen
from roark_tui.tui.widgets.dialogs import ConfirmScreen

CHAT = "c0000000-0000-4000-8000-000000000001"
DEFS = [
    MetricDefinition.model_validate(d)
    for d in [
        {
            "id": "11111111-1111-4111-8111-111111111111",
            "slug": "response_time",
            "name": "Response Time",
            "type": "NUMERIC",
            "supportedContexts": ["CALL"],
            "unit": {"name": "milliseconds", "symbol": "ms"},
        },
        {
            "id": "33333333-1111-4111-8111-111111111111",
            "slug": "agent_verified_caller",
            "name": "Agent verified the caller",
            "type": "BOOLEAN",
            "scope": "PER_PARTICIPANT",
            "supportedContexts": ["CALL", "SEGMENT"],
            "booleanTrueLabel": "Verified",
        },
        {
            "id": "44444444-1111-4111-8111-111111111111",
            "slug": "empathy_score",
            "name": "Agent Empathy",
            "type": "SCALE",
        },
        {
            "id": "55555555-1111-4111-8111-111111111111",
            "slug": "escalation_reason",
            "name": "Escalation Reason",
            "type": "CLASSIFICATION",
        },
        {
            "id": "66666666-1111-4111-8111-111111111111",
            "slug": "time_to_first_word",
            "name": "Time to First Word",
            "type": "OFFSET",
        },
    ]
]
ROWS = [
    {"captureStatus": "SUCCESS", "context": "SEGMENT_RANGE", "value": v, "participantRole": "agent"}
    for v in (1200, 2400, 1800)
] + [{"captureStatus": "ERROR", "context": "SEGMENT_RANGE"}]
GROUPS = [
    MetricGroup.model_validate(
        {"metricDefinitionId": DEFS[0].id, "slug": "response_time", "values": ROWS}
    ),
    MetricGroup.model_validate(
        {
            "metricDefinitionId": DEFS[2].id,
            "values": [{"captureStatus": "SUCCESS", "value": v} for v in (4, 2, 3)],
        }
    ),
    MetricGroup.model_validate(
        {
            "metricDefinitionId": DEFS[3].id,
            "values": [
                {"captureStatus": "SUCCESS", "value": "billing_error"},
                {"captureStatus": "SUCCESS", "value": ["[red]none", "billing_error"]},
                {"captureStatus": "DATA_MISSING"},
            ],
        }
    ),
]


class FakeService:
    def __init__(self) -> None:
        self.posted: list[tuple[str, dict[str, Any]]] = []
        self.reject: errors.ApiError | None = None
        self.created: list[MetricDefinition] = []
        self.create_then_fail = False  # the POST takes effect, but its answer is lost

    async def all_definitions(self) -> list[MetricDefinition]:
        return DEFS

    async def get_definition(self, key: str) -> MetricDefinition:
        for definition in [*DEFS, *self.created]:
            if key in (definition.id, definition.slug):
                return definition
        raise errors.NotFound(status=404)

    async def conversation_metrics(self, kind: str, conv_id: str, *, status: str = "all"):
        if kind == "chat" and conv_id.startswith("c"):
            return GROUPS
        raise errors.NotFound(status=404)

    async def list_chats(self, *, limit: int = 20) -> Page[Chat]:
        chats = [Chat(id=f"c000000{i}-0000-4000-8000-000000000000") for i in range(3)]
        return Page[Chat](data=chats)

    async def list_calls(self, *, limit: int = 20) -> Page[Call]:
        return Page[Call](data=[Call(id="d0000000-0000-4000-8000-000000000000")])

    async def create_threshold(self, key: str, body: dict[str, Any]) -> MetricDefinition:
        if self.reject is not None and not self.create_then_fail:
            raise self.reject
        self.posted.append((key, body))
        created = MetricDefinition.model_validate(
            {
                "id": "99999999-1111-4111-8111-111111111111",
                "slug": body["slug"],
                "calculationType": "THRESHOLD",
                "threshold": {
                    "sourceMetricDefinitionId": key,
                    "operator": body["operator"],
                    "thresholdValue": body["value"],
                    "aggregationMode": body["aggregationMode"],
                },
            }
        )
        self.created.append(created)
        if self.reject is not None:
            raise self.reject
        return created


class Host(App[None]):
    def __init__(self, source: str | None = None, conversation: Any = None) -> None:
        super().__init__()
        self.service = FakeService()
        self.opened_definitions = False
        self.args = (source, conversation)

    def on_mount(self) -> None:
        self.push_screen(ThresholdWizardScreen(*self.args))

    def open_definitions(self) -> None:
        self.opened_definitions = True


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_numeric_source_shows_unit_and_what_if(isolated_dirs):
    app = Host("response_time", ("chat", CHAT))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen.query_one("#value"), Input)
        assert text_of(screen, "#value-unit") == "ms"
        assert not screen.query_one("#role-row").display
        assert not screen.query_one("#count-row").display
        screen.query_one("#operator", Select).value = "GREATER_THAN"
        screen.query_one("#value", Input).value = "2000"
        screen.query_one("#aggregationMode", Select).value = "AVERAGE"
        await settle(pilot)
        assert text_of(screen, "#sentence") == (
            "Passes when the AVERAGE of Response Time over the conversation is > 2000 ms"
        )
        assert screen.whatif is not None and screen.whatif.fires is False
        panel = screen.query_one("#whatif").plain
        assert "FAILS" in panel and "1800 ms" in panel
        assert "1 non-SUCCESS row skipped (1 ERROR)" in panel
        screen.query_one("#aggregationMode", Select).value = "COUNT"
        await settle(pilot)
        assert screen.query_one("#count-row").display
        screen.query_one("#countThreshold", Input).value = "1"
        await settle(pilot)
        assert screen.whatif.fires is True and screen.whatif.count == 1
        assert "at least 1 value of Response Time is" in text_of(screen, "#sentence")


def choices(screen: Any, field: str) -> list[str]:
    return [v for _, v in screen.query_one(field, Select)._options if v is not Select.NULL]


async def test_boolean_source_gets_true_false_equality_and_a_role(isolated_dirs):
    app = Host("agent_verified_caller")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        value = screen.query_one("#value", Select)
        assert value.value is Select.NULL
        assert choices(screen, "#value") == ["true", "false"]
        assert choices(screen, "#operator") == ["EQUALS", "NOT_EQUALS"]
        assert choices(screen, "#aggregationMode") == ["EACH", "COUNT"]
        assert screen.query_one("#role-row").display
        screen.query_one("#operator", Select).value = "NOT_EQUALS"
        value.value = "false"
        await settle(pilot)
        assert screen.draft.value == "false" and not screen.errors
        # Back to a numeric source: every operator and mode again, the choice kept.
        screen.query_one("#source", Input).value = "response_time"
        await settle(pilot)
        assert len(choices(screen, "#operator")) == 6
        assert len(choices(screen, "#aggregationMode")) == 9
        assert screen.draft.operator == "NOT_EQUALS"
        assert isinstance(screen.query_one("#value"), Input)


async def test_a_resumed_draft_the_source_cannot_take_is_flagged(isolated_dirs):
    DraftStore("threshold").save(
        {
            "draft": {
                "source": "agent_verified_caller",
                "operator": "GREATER_THAN",
                "value": "maybe",
                "aggregationMode": "AVERAGE",
            }
        }
    )
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        screen = app.screen
        assert screen.source_def is not None and screen.source_def.type == "BOOLEAN"
        assert screen.draft.operator == "" and screen.draft.aggregation_mode == "EACH"
        assert text_of(screen, "#error-operator") == "Pick an operator."
        assert screen.query_one("#value", Select).value is Select.NULL


async def test_scale_and_classes_say_the_api_does_not_give_them(isolated_dirs):
    """No definition response has a scale range or classes: the wizard takes any number or
    class label, says so, and shows the values seen on the conversation instead."""
    app = Host("empathy_score", ("chat", CHAT))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        value = screen.query_one("#value", Input)
        assert value.placeholder == "a number on the scale"
        assert text_of(screen, "#value-help") == (
            "Scale range not given by the API; values seen here: 2 to 4."
        )
        assert not screen.query_one("#value-unit").display
        value.value = "7"
        await settle(pilot)
        assert "value" not in screen.errors
        value.value = "high"
        await settle(pilot)
        assert text_of(screen, "#error-value") == "Enter a number (SCALE source)."
        screen.query_one("#source", Input).value = "escalation_reason"
        await settle(pilot)
        classes = screen.query_one("#value", Input)
        assert classes.placeholder == "a class label"
        assert text_of(screen, "#value-help") == (
            "Classes not listed by the API; seen here: billing_error, [red]none."
        )
        classes.value = "[red]none"
        await settle(pilot)
        assert screen.draft.value == "[red]none" and "value" not in screen.errors
        screen.query_one("#source", Input).value = "time_to_first_word"
        await settle(pilot)
        assert isinstance(screen.query_one("#value"), Input)
        assert text_of(screen, "#value-unit") == "ms"
        assert (
            screen.query_one("#value", Input).placeholder == "a number of ms into the conversation"
        )
        assert text_of(screen, "#error-source") == (
            "Time to First Word is OFFSET: thresholds exist only on "
            "SCALE, NUMERIC, COUNT, BOOLEAN and CLASSIFICATION metrics."
        )
        assert not screen.query_one("#value-help").display


async def test_without_a_conversation_the_scale_help_says_only_what_is_unknown(isolated_dirs):
    app = Host("empathy_score")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert text_of(app.screen, "#value-help") == "Scale range not given by the API."


async def test_source_search_enter_takes_the_first_match(isolated_dirs):
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press(*"verif")
        await settle(pilot)
        matches = screen.query_one("#source-matches", OptionList)
        assert matches.display and matches.option_count == 1
        assert "Enter takes" in text_of(screen, "#error-source")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.source_def is not None and screen.source_def.slug == "agent_verified_caller"
        assert screen.query_one("#source", Input).value == "agent_verified_caller"
        assert app.focused is screen.query_one("#operator")
        assert not matches.display


async def test_esc_asks_before_discarding_and_the_draft_survives_a_restart(isolated_dirs):
    app = Host("response_time")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#value", Input).value = "900"
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ThresholdWizardScreen)
    assert DraftStore("threshold").load()["draft"]["value"] == "900"

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        screen = app.screen
        assert screen.draft.source == "response_time" and screen.draft.value == "900"
        assert screen.query_one("#value", Input).value == "900"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, ThresholdWizardScreen)
    assert DraftStore("threshold").load() is None


async def test_unchanged_wizard_closes_without_asking(isolated_dirs):
    app = Host("response_time")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, (ThresholdWizardScreen, ConfirmScreen))


async def fill_valid(pilot: Any) -> Any:
    screen = pilot.app.screen
    screen.query_one("#operator", Select).value = "GREATER_THAN_OR_EQUALS"
    screen.query_one("#value", Input).value = "1500"
    await settle(pilot)
    return screen


async def test_server_rejection_lands_on_its_field(isolated_dirs):
    app = Host("response_time")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await fill_valid(pilot)
        app.service.reject = errors.RequestRejected(
            status=400, message="slug already taken", field="metricId"
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("c")
        await settle(pilot)
        assert text_of(screen, "#error-slug") == "slug already taken"
        assert app.focused is screen.query_one("#slug")
        assert screen.draft.value == "1500"
        screen.query_one("#slug", Input).value = "rt_other"
        await settle(pilot)
        assert not screen.query_one("#error-slug").display


async def test_other_errors_keep_the_input_and_say_so(isolated_dirs):
    app = Host("response_time")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await fill_valid(pilot)
        app.service.reject = errors.ServerError(status=503)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("c")
        await settle(pilot)
        assert "Not created" in text_of(screen, "#status")
        assert screen.draft.value == "1500" and not app.service.posted


async def test_a_lost_answer_is_settled_by_reading_the_threshold_back(isolated_dirs):
    app = Host("response_time")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await fill_valid(pilot)
        # The answer never comes and nothing was created: say so, hedged; keep everything.
        app.service.reject = errors.Timeout()
        await pilot.press("ctrl+s", "c")
        await settle(pilot)
        status = text_of(screen, "#status")
        assert "No threshold response_time_each_gte_1500 on the server yet" in status
        assert "Not created" not in status and screen.draft.value == "1500"
        assert isinstance(app.screen, ThresholdWizardScreen) and not app.service.posted
        # The POST took effect but its answer was lost: the read-back finds it.
        app.service.create_then_fail = True
        await pilot.press("ctrl+s", "c")
        await settle(pilot)
        assert len(app.service.posted) == 1
        assert isinstance(app.screen, CreatedScreen)
        assert "confirmed by reading it back" in text_of(screen, "#status")
        assert DraftStore("threshold").load() is None


async def test_recent_conversations_count_where_it_would_fire(isolated_dirs):
    app = Host("response_time")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await fill_valid(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        summary = text_of(app.screen, "#recent-summary")
        assert "Would pass on 3 of the last 4 conversations" in summary
        assert "(1 without values of this metric)" in summary
        recent = app.screen.query_one("#recent", OptionList)
        recent.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.conversation is not None and app.screen.whatif.fires is True


async def test_try_it_on_a_pasted_url_or_id(isolated_dirs):
    app = Host("response_time")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await fill_valid(pilot)
        await pilot.press("ctrl+t")
        box = screen.query_one("#conversation", Input)
        assert app.focused is box
        box.insert_text_at_cursor(f" https://app.roark.ai/p/x/chats/{CHAT}?tab=metrics ")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.conversation == ("chat", CHAT) and screen.whatif.fires is True
        assert "chat c0000000…" in text_of(screen, "#verdict")
        box.value = "not an id!"
        await pilot.press("enter")
        await settle(pilot)
        assert "cannot be an id" in screen.query_one("#whatif").plain
        box.value = "d0000000-0000-4000-8000-000000000000"  # neither a chat nor a call here
        await pilot.press("enter")
        await settle(pilot)
        assert "No chat or call d0000000" in screen.query_one("#whatif").plain
