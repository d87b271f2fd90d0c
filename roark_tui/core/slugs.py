"""Slugs, the stable names of metric definitions: one rule for definitions and thresholds.

The API reference gives 1 to 50 characters and leaves the alphabet open; every slug Roark shows is
lower case letters, digits and `_`, so that is what a typed slug is held to. Made slugs (from a
name, or from what a threshold checks) are also trimmed of `_` at the ends and between words; a
minus sign that starts a number is spelled `minus`, so `-0.5` and `0.5` never give one slug.
"""

from __future__ import annotations

import re
import unicodedata

SLUG_MAX = 50
_SLUG = re.compile(r"^[a-z0-9_]+$")
# A minus (hyphen or U+2212) that starts a number, rather than joining two words (`Q-1`).
_NEGATIVE = re.compile(r"(?<![a-z0-9])[-\u2212](?=\.?[0-9])")


def slug_from(text: str) -> str:
    """`text` as a slug: ASCII, lower snake case, at most SLUG_MAX characters."""
    signed = _NEGATIVE.sub(" minus ", text.lower())
    ascii_text = unicodedata.normalize("NFKD", signed).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")
    return slug[:SLUG_MAX].rstrip("_")


def slug_problem(slug: str) -> str | None:
    """What is wrong with a typed slug, in a sentence, or None."""
    if len(slug) > SLUG_MAX:
        return f"At most {SLUG_MAX} characters ({len(slug)} now)."
    if not _SLUG.match(slug):
        return "Lower case letters a-z, digits and _ only."
    return None
