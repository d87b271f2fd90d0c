"""Text from the API made safe to put on a terminal (the rule lives in `api.safe_text`).

The api layer words its own errors from server text and may not import core, so the one rule
sits beneath both; core, the screens and the CLI import it from here.
"""

from roark_tui.api.safe_text import clean, dumps, escape_json, one_line

__all__ = ["clean", "dumps", "escape_json", "one_line", "readable_json"]


def readable_json(data: object) -> str:
    """What a review shows of a request body: JSON indented for a person, each character as
    itself (an em dash, not `\\u2014`) but those a terminal could act on."""
    return dumps(data, pretty=True)
