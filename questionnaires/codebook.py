"""The codebook of respondent-level data: one column per item code, the same across
the versions of a questionnaire that a campaign's responses were given on.

An export of responses collected on several versions (an item added, one dropped, a
label reworded) keeps one column per item code that any of them has, in a fixed order:
the items of the first form given in form order, then each item that only a later form
has, in that form's order. The first form that has an item gives its label and options
(the caller passes the forms in the language it wants, e.g. ``form.localized("vi")``).

Cell values follow the answer files (:mod:`analysis.answer_file`): scales and
single choices with integer codes as integers, "không áp dụng / không biết" as
:data:`NOT_APPLICABLE`, multiple choices as their codes joined by ``;``, numbers and
text as given. Statistical packages get integer value labels where every option code
is an integer; other choice items stay text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from questionnaires.schema import (
    NOT_APPLICABLE,
    SCALE_TYPES,
    Item,
    ItemType,
    Questionnaire,
)

MULTIPLE_SEPARATOR = ";"


class Kind(StrEnum):
    """How a column's values are stored in a statistical package."""

    INTEGER = "integer"
    NUMBER = "number"
    TEXT = "text"
    MOMENT = "moment"
    """A date and time (UTC)."""


@dataclass(frozen=True)
class Column:
    """One item's column: its code, label, storage kind and value labels."""

    code: str
    label: str
    kind: Kind
    value_labels: dict[int, str] = field(default_factory=dict)
    not_applicable: str | None = None
    """The label of :data:`NOT_APPLICABLE` when the item allows it (scales only)."""


def _integer_codes(options: Sequence[Any]) -> dict[int, str] | None:
    """``{code: label}`` when every option code is an integer, else ``None``."""
    labels: dict[int, str] = {}
    for option in options:
        if not option.code.lstrip("-").isdigit():
            return None
        labels[int(option.code)] = str(option.label)
    return labels


def _column(form: Questionnaire, item: Item) -> Column:
    label = " ".join(item.text.split())
    if item.type in SCALE_TYPES or item.type is ItemType.SINGLE_CHOICE:
        labels = _integer_codes(form.options_of(item))
        if labels is not None:
            na = str(form.scales.not_applicable) if item.allow_na else None
            return Column(item.code, label, Kind.INTEGER, labels, na)
        return Column(item.code, label, Kind.TEXT)
    if item.type is ItemType.NUMBER:
        return Column(item.code, label, Kind.NUMBER)
    return Column(item.code, label, Kind.TEXT)


def item_columns(forms: Sequence[Questionnaire]) -> list[Column]:
    """The union of the forms' item codes in a fixed order (see the module's docstring).

    Examples
    --------
    >>> from questionnaires import bundled_path, load_questionnaire_file
    >>> old = load_questionnaire_file(bundled_path("national-2022"))
    >>> new = load_questionnaire_file(bundled_path("national-2024"))
    >>> codes = [c.code for c in item_columns([new, old])]
    >>> codes == list(dict.fromkeys([*new.item_map(), *old.item_map()]))
    True
    """
    columns: dict[str, Column] = {}
    for form in forms:
        for item in form.items():
            column = _column(form, item)
            first = columns.setdefault(item.code, column)
            if first.kind is not column.kind:
                # Versions that disagree on an item's kind: its answers stay text.
                columns[item.code] = Column(first.code, first.label, Kind.TEXT)
            elif column.value_labels.keys() - first.value_labels.keys():
                labels = {**column.value_labels, **first.value_labels}
                columns[item.code] = Column(
                    first.code,
                    first.label,
                    first.kind,
                    dict(sorted(labels.items())),
                    first.not_applicable or column.not_applicable,
                )
    return list(columns.values())


def cell(column: Column, value: Any) -> Any:
    """An answer as the column stores it: ``None`` unanswered, :data:`NOT_APPLICABLE`,
    an ``int`` code, a ``float``, or text (multiple choices joined by ``;``)."""
    if value is None or value == NOT_APPLICABLE:
        return value
    if isinstance(value, list):
        return MULTIPLE_SEPARATOR.join(str(v) for v in value)
    if column.kind is Kind.INTEGER:
        try:
            return int(value)
        except (TypeError, ValueError):
            return str(value)
    if column.kind is Kind.NUMBER:
        return float(value)
    return str(value)
