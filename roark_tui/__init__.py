"""roark-tui: a keyboard-first terminal explorer for Roark's conversation-metrics API."""

__version__ = "0.1.0"
