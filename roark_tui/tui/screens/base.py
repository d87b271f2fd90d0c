"""The base of every screen that lives in RoarkApp, so that `self.app` is typed as RoarkApp.

Screens reach the service and open each other through the app (`self.app.service`,
`self.app.open_definitions()`). Textual types `app` as any App, and its own remedy,
`app = getters.app(RoarkApp)`, would import the app module from the screens it imports; so the
declaration is for the type checker only, and at run time `app` is Textual's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from textual import getters

    from roark_tui.tui.app import RoarkApp

ResultT = TypeVar("ResultT")


class RoarkScreen(Screen[ResultT]):
    """A full screen of roark-tui."""

    if TYPE_CHECKING:
        app = getters.app(RoarkApp)
