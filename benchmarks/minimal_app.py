"""The floor of the cold-start figure: the smallest real Textual app (Header, Static, Footer).

Run as a script (`python benchmarks/minimal_app.py`), exactly as the suite spawns it.
"""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class MinimalApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("A minimal Textual app.")
        yield Footer()


if __name__ == "__main__":
    MinimalApp().run()
