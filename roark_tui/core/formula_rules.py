"""The formula kind of the definition wizard: an expression over `{{id:<uuid>}}` references to
its sources, checked for shape (NUMERIC: + - * /; BOOLEAN: one comparison), and its body."""

from __future__ import annotations

import re
from typing import Any

from roark_tui.core.definition_draft import UUID_RE, DefinitionDraft, SourceRow

FORMULA_OUTPUT_TYPES = ("NUMERIC", "BOOLEAN")
FORMULA_MAX = 500
REFERENCE = re.compile(r"\{\{\s*id\s*:\s*([^{}]*?)\s*\}\}")
_COMPARISONS = ("==", "!=", ">=", "<=", ">", "<")
_TOKEN = re.compile(
    r"\s*(?:(?P<ref>\{\{[^{}]*\}\})|(?P<num>\d+(?:\.\d*)?|\.\d+)"
    r"|(?P<cmp>==|!=|>=|<=|>|<)|(?P<op>[-+*/])|(?P<paren>[()]))"
)


def references(formula: str) -> list[str]:
    """The ids a formula references, in order of first appearance."""
    found: list[str] = []
    for match in REFERENCE.finditer(formula):
        if match.group(1) not in found:
            found.append(match.group(1))
    return found


def reference(definition_id: str) -> str:
    """How a formula refers to a metric."""
    return "{{id:" + definition_id + "}}"


def validate_formula(draft: DefinitionDraft, errors: dict[str, str]) -> None:
    output = draft.output_type
    if output not in FORMULA_OUTPUT_TYPES:
        errors["outputType"] = "A formula gives NUMERIC (+ - * /) or BOOLEAN (== != > < …)."
    expression = draft.formula.strip()
    listed = [s.source_metric_definition_id.strip() for s in draft.sources]
    if not expression:
        errors["formula"] = "Write the expression; pick sources to insert {{id:…}} references."
    elif len(expression) > FORMULA_MAX:
        errors["formula"] = f"At most {FORMULA_MAX} characters ({len(expression)} now)."
    else:
        problem = _expression_error(expression, output)
        if problem is None:
            missing = [ref for ref in references(expression) if ref not in listed]
            if missing:
                problem = f"References {{{{id:{missing[0]}}}}}, which is not a source."
        if problem:
            errors["formula"] = problem
    for i, source in enumerate(draft.sources):
        key = f"sources.{i}"
        if not UUID_RE.match(listed[i]):
            errors[f"{key}.sourceMetricDefinitionId"] = "Pick a metric (its id is a UUID)."
        elif listed.index(listed[i]) != i:
            errors[f"{key}.sourceMetricDefinitionId"] = "Already a source."
        variant = source.source_variant_id.strip()
        if variant and not UUID_RE.match(variant):
            errors[f"{key}.sourceVariantId"] = "A variant id is a UUID (empty: the default)."
    if len(draft.sources) < 2:
        errors["sources"] = "A formula needs at least two sources (one metric: use a threshold)."
    elif expression:
        unused = [s for s in listed if UUID_RE.match(s) and s not in references(expression)]
        if unused:
            errors["sources"] = "Every source must appear in the formula; remove or reference it."


def _expression_error(expression: str, output: str) -> str | None:
    """Why the expression is not a well-formed NUMERIC or BOOLEAN formula, else None."""
    tokens, problem = _tokenize(expression)
    if problem:
        return problem
    parser = _Parser(tokens)
    problem = parser.parse()
    if problem:
        return problem
    if output == "NUMERIC" and parser.comparisons:
        return "A NUMERIC formula uses + - * / only (a comparison makes it BOOLEAN)."
    if output == "BOOLEAN" and not parser.comparisons:
        return "A BOOLEAN formula compares two sides with one of " + " ".join(_COMPARISONS) + "."
    return None


def _tokenize(expression: str) -> tuple[list[tuple[str, str]], str | None]:
    """(kind, text) tokens: ref, num, cmp, op, ( and ); or the first thing that is none."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(expression):
        match = _TOKEN.match(expression, pos)
        if match is None or match.end() == pos:
            rest = expression[pos:].strip()
            if not rest:
                break
            if rest.startswith("{"):
                return tokens, "An unfinished reference: write {{id:<uuid>}} or pick a source."
            return tokens, f"Unexpected “{rest[0]}”: use numbers, references, ( ) and operators."
        kind = match.lastgroup or ""
        text = match.group(kind)
        if kind == "ref":
            ref = REFERENCE.match(text)
            if ref is None or not UUID_RE.match(ref.group(1)):
                return tokens, f"{text} is not a metric reference (the id is a UUID)."
        tokens.append((kind, text))
        pos = match.end()
    return tokens, None


class _Parser:
    """Checks `sum [comparison sum]`, where sum = term (+|- term)*, term = factor (*|/ factor)*,
    factor = -factor | number | reference | ( sum )."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.pos, self.comparisons = tokens, 0, 0

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "")

    def parse(self) -> str | None:
        problem = self._sum()
        if problem is None and self._peek()[0] == "cmp":
            self.pos += 1
            self.comparisons += 1
            problem = self._sum()
        if problem is None and self._peek()[0] != "end":
            kind, text = self._peek()
            if text == ")":
                return "The parentheses do not balance."
            if kind == "cmp":
                return "Only one comparison: a BOOLEAN formula is `left <op> right`."
            return f"Expected an operator before “{text}”."
        return problem

    def _sum(self) -> str | None:
        problem = self._term()
        while problem is None and self._peek() in (("op", "+"), ("op", "-")):
            self.pos += 1
            problem = self._term()
        return problem

    def _term(self) -> str | None:
        problem = self._factor()
        while problem is None and self._peek() in (("op", "*"), ("op", "/")):
            self.pos += 1
            problem = self._factor()
        return problem

    def _factor(self) -> str | None:
        kind, text = self._peek()
        self.pos += 1
        if (kind, text) == ("op", "-"):
            return self._factor()
        if kind in ("num", "ref"):
            return None
        if text == "(":
            problem = self._sum()
            if problem is None and self._peek()[1] != ")":
                return "The parentheses do not balance."
            self.pos += 1
            return problem
        if kind == "end":
            return "The expression ends early: a number or reference is missing."
        return f"Expected a number or reference, not “{text}”."


def formula_body(draft: DefinitionDraft) -> dict[str, Any]:
    return {
        "outputType": draft.output_type,
        "formula": draft.formula.strip(),
        "sources": [_source_body(s) for s in draft.sources],
    }


def _source_body(source: SourceRow) -> dict[str, Any]:
    body = {"sourceMetricDefinitionId": source.source_metric_definition_id.strip()}
    if source.source_variant_id.strip():
        body["sourceVariantId"] = source.source_variant_id.strip()
    return body
