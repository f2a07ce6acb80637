"""``show_if`` conditions as XLSForm ``relevant`` expressions, and back.

A condition ``{item: Q, in: [a, b]}`` is ``${Q} = 'a' or ${Q} = 'b'``, or, on a
multiple-choice item, ``selected(${Q}, 'a') or selected(${Q}, 'b')`` (the condition
holds when any listed option is selected, FORMAT.md); several conditions are joined
with ``and``. Reading accepts exactly this language: ``and`` of parenthesised ``or``
groups on one item each, values quoted or plain numbers. Anything else (``!=``,
``not()``, comparisons, other functions, ``or`` across items) cannot be a ``show_if``
and is refused, never approximated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"\s*(?:(?P<ref>\$\{[^}]*\})|(?P<string>'[^']*'|\"[^\"]*\")|(?P<number>-?\d+(?:\.\d+)?)"
    r"|(?P<word>[A-Za-z_][\w-]*)|(?P<symbol>[(),=]))"
)


class RelevantSyntaxError(ValueError):
    """A ``relevant`` expression outside the language ``show_if`` can express."""


@dataclass(frozen=True)
class ParsedCondition:
    """One ``or`` group: the item, its values and whether ``selected()`` was used."""

    item: str
    values: tuple[str, ...]
    selected: bool


def quote(value: str) -> str:
    """An XPath string literal; a value with both quote characters cannot be written."""
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    raise ValueError(f"value {value!r} holds both ' and \"")


def format_condition(item: str, values: list[str], multiple: bool) -> str:
    if multiple:
        parts = [f"selected(${{{item}}}, {quote(v)})" for v in values]
    else:
        parts = [f"${{{item}}} = {quote(v)}" for v in values]
    return " or ".join(parts)


def format_relevant(groups: list[tuple[str, list[str], bool]]) -> str:
    """``and`` of the conditions, each parenthesised when it has several values."""
    parts = [format_condition(*group) for group in groups]
    if len(parts) == 1:
        return parts[0]
    return " and ".join(f"({p})" if " or " in p else p for p in parts)


def _tokens(expression: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = expression.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise RelevantSyntaxError(f"unexpected {text[position:].strip()[:20]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, expression: str) -> None:
        self.tokens = _tokens(expression)
        self.at = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self, kind: str, value: str | None = None) -> str:
        found_kind, found = self.peek()
        if found_kind != kind or (value is not None and found != value):
            raise RelevantSyntaxError(f"expected {value or kind}, found {found or 'the end'!r}")
        self.at += 1
        return found

    def conjunction(self) -> list[ParsedCondition]:
        groups = [self.disjunction()]
        while self.peek() == ("word", "and"):
            self.at += 1
            groups.append(self.disjunction())
        self.take("end")
        return groups

    def disjunction(self) -> ParsedCondition:
        if self.peek() == ("symbol", "("):
            self.at += 1
            group = self.disjunction()
            self.take("symbol", ")")
            return group
        atoms = [self.atom()]
        while self.peek() == ("word", "or"):
            self.at += 1
            atoms.append(self.atom())
        items = {item for item, _, _ in atoms}
        kinds = {selected for _, _, selected in atoms}
        if len(items) > 1:
            raise RelevantSyntaxError("'or' joins conditions on different items")
        if len(kinds) > 1:
            raise RelevantSyntaxError("'or' mixes '=' and selected()")
        return ParsedCondition(atoms[0][0], tuple(v for _, v, _ in atoms), atoms[0][2])

    def atom(self) -> tuple[str, str, bool]:
        kind, value = self.peek()
        if (kind, value) == ("word", "selected"):
            self.at += 1
            self.take("symbol", "(")
            item = self.reference()
            self.take("symbol", ",")
            literal = self.literal()
            self.take("symbol", ")")
            return item, literal, True
        if kind == "ref":
            item = self.reference()
            self.take("symbol", "=")
            return item, self.literal(), False
        literal = self.literal()
        self.take("symbol", "=")
        return self.reference(), literal, False

    def reference(self) -> str:
        name = self.take("ref")[2:-1].strip()
        if not name:
            raise RelevantSyntaxError("empty ${} reference")
        return name

    def literal(self) -> str:
        kind, value = self.peek()
        if kind == "string":
            self.at += 1
            return value[1:-1]
        if kind == "number":
            self.at += 1
            return value
        raise RelevantSyntaxError(f"expected a value, found {value or 'the end'!r}")


def parse_relevant(expression: str) -> list[ParsedCondition]:
    """The conditions of a ``relevant`` expression, in order.

    Raises
    ------
    RelevantSyntaxError
        When the expression is not a ``show_if`` (see the module's docstring).
    """
    return _Parser(expression).conjunction()
