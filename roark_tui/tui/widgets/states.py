"""What a screen shows instead of (or above) its content: loading, empty and error states.

`error_state` turns an API error into words a person can act on, with the keys that help
(retry, try it as the other kind, log in). `StatePanel` (#state) shows one state; a screen that
already shows data puts it in a one-line banner instead, so the user's place is never lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import LoadingIndicator, Static

from roark_tui.api import errors
from roark_tui.core.safe_text import one_line

ConversationKind = Literal["chat", "call"]
OTHER_KIND: dict[str, ConversationKind] = {"chat": "call", "call": "chat"}


@dataclass(frozen=True)
class State:
    """A titled message with the keys that get the user out of it."""

    title: str
    body: str = ""
    keys: tuple[tuple[str, str], ...] = ()
    kind: str = "problem"  # "problem", "empty", "loading"

    def line(self) -> str:
        """The state in one line, for a banner."""
        keys = "  ".join(f"{key} {what}" for key, what in self.keys)
        return "  ".join(p for p in (self.title, keys) if p)


def loading_state(kind: str, conv_id: str) -> State:
    return State(
        f"Loading the metrics of {kind} {one_line(conv_id, 60)}…",
        keys=(("esc", "cancel"),),
        kind="loading",
    )


def empty_state(kind: str, show_all: bool) -> State:
    if show_all:
        return State(
            f"No metrics for this {kind} yet.",
            "Metrics are computed after a conversation ends, one by one. Watch this "
            f"{kind} to see them arrive, or refresh later.",
            (("w", "watch"), ("r", "refresh"), ("esc", "back")),
            kind="empty",
        )
    return State(
        f"No computed metric values for this {kind} yet.",
        "Only successful values are shown. Metrics still without a value (not applicable, "
        "missing data, errors) show with a.",
        (("a", "all statuses"), ("w", "watch"), ("r", "refresh")),
        kind="empty",
    )


def cancelled_state() -> State:
    return State("Loading cancelled.", keys=(("r", "try again"), ("esc", "back")))


def error_state(exc: errors.ApiError, kind: str, conv_id: str, *, tried: str = "") -> State:
    """The state for a failed request about conversation `kind` `conv_id`. `tried` names a
    kind that was already tried without success (auto-detection), for the 404 wording."""
    shown_id = one_line(conv_id, 60)
    said = one_line(exc.message or "", 200)
    server_said = f"\nThe server said: {said}" if said else ""
    if isinstance(exc, errors.AuthError):
        fix = exc.fix[0].upper() + exc.fix[1:]
        return State(
            "The API refused the token (401).",
            f"{fix}, then start roark-tui again." + server_said,
            (("r", "retry"), ("esc", "back")),
        )
    if isinstance(exc, errors.PermissionDenied):
        return State(
            f"This token may not read this {kind} (403).",
            "The API key lacks the permission (for example call:read), or the conversation "
            "belongs to another project (--project)." + server_said,
            (("r", "retry"), ("esc", "back")),
        )
    if isinstance(exc, errors.NotFound):
        other = OTHER_KIND.get(kind, "call")
        if tried:
            return State(
                f"No {tried} or {kind} with id {shown_id}.",
                "Check the id (it is a UUID in the dashboard URL) and the project.",
                (("esc", "back"),),
            )
        return State(
            f"No {kind} with id {shown_id}.",
            f"It may be a {other} id: press k to try it as a {other}.",
            (("k", f"try as {other}"), ("esc", "back")),
        )
    if isinstance(exc, errors.RateLimited):
        wait = f" Retry in {exc.retry_after:g} s." if exc.retry_after is not None else ""
        return State(
            "Rate limited by the API (429)." + wait,
            "Too many requests in a short time; it will retry by itself when the wait is over.",
            (("r", "retry now"), ("esc", "back")),
        )
    if isinstance(exc, errors.Timeout):
        return State(
            "The API did not answer in time.",
            str(exc),
            (("r", "retry"), ("esc", "back")),
        )
    if isinstance(exc, errors.NetworkError):
        return State(
            "Could not reach the Roark API.",
            f"{exc}\nCheck the network, or the base URL (--base-url, ROARK_BASE_URL).",
            (("r", "retry"), ("esc", "back")),
        )
    # The title is all a banner shows (after a failed refresh), so it names the reason.
    if isinstance(exc, errors.ServerError):
        title = f"The request failed: the Roark API had a server error (HTTP {exc.status})."
    elif isinstance(exc, errors.ResponseError):
        title = "The request failed: the API's answer could not be read."
    else:
        title = "The request failed" + (f" (HTTP {exc.status})." if exc.status else ".")
    return State(title, str(exc), (("r", "retry"), ("esc", "back")))


def state_text(state: State) -> Text:
    text = Text(state.title, style="bold")
    if state.body:
        text.append("\n\n")
        text.append(state.body)
    if state.keys:
        text.append("\n\n")
        for index, (key, what) in enumerate(state.keys):
            if index:
                text.append("   ")
            text.append(key, style="bold reverse")
            text.append(f" {what}")
    return text


class StatePanel(Vertical):
    """One state, centred; a loading indicator while loading."""

    def __init__(self, *, id: str = "state") -> None:
        super().__init__(id=id)
        self.state: State | None = None

    def compose(self) -> ComposeResult:
        yield LoadingIndicator(id="state-spinner")
        yield Static(id="state-text")

    def show(self, state: State) -> None:
        self.state = state
        if self.has_class("-problem") != (state.kind == "problem"):
            self.set_class(state.kind == "problem", "-problem")
        self.query_one("#state-spinner").display = state.kind == "loading"
        self.query_one("#state-text", Static).update(state_text(state))
