"""Check a set of answers against a questionnaire.

Used by every way answers arrive (API, phone forms, paper data entry, the
``sipas analyze`` CLI) so that they all accept and refuse the same things.
Answers are a mapping ``{item_code: value}``; values by item type:

==================  ===========================================================
likert5             integer 1–5, or ``"na"`` when the item has ``allow_na``
expectation3        integer 1–3 (1 Rất nhiều, 2 Nhiều, 3 Ít), or ``"na"``
single_choice       an option code (string)
multiple_choice     a list of option codes, each at most once
number              a number within ``min``/``max`` (an integer if ``integer``)
text                a string of at most ``max_length`` characters
==================  ===========================================================

An item whose ``show_if`` conditions do not hold is *hidden*: it must not be
answered, and it is never missing. Hidden or unanswered items are not valid
answers for scoring (spec §2: a filtered-out item is not applicable, never a
zero).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from questionnaires.schema import NOT_APPLICABLE, SCALE_TYPES, Item, ItemType, Questionnaire

AnswerValue = int | float | str | list[str]


@dataclass(frozen=True)
class AnswerProblem:
    """One answer that cannot be accepted.

    ``code`` is stable for programs: ``unknown_item``, ``wrong_type``,
    ``option_not_in_list``, ``out_of_range``, ``missing_required``,
    ``hidden_item``. ``reason`` names the rule that failed, finer than ``code``
    (``scale_range``, ``options_too_many``, ...), and ``params`` the values a
    sentence about it needs: the service renders its Vietnamese sentence from
    them (``app/core/messages.py``); ``message`` is the same in English, for
    scripts that use this package alone.
    """

    item: str
    code: str
    message: str
    reason: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class AnswerCheck:
    """Answers in canonical form, and the problems found."""

    answers: dict[str, AnswerValue] = field(default_factory=dict)
    problems: list[AnswerProblem] = field(default_factory=list)
    visible: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        return not self.problems


def is_visible(item: Item, answers: Mapping[str, Any], visible: frozenset[str] | set[str]) -> bool:
    """Whether ``item``'s ``show_if`` conditions hold, given canonical earlier answers.

    A condition on an item that is itself hidden does not hold.
    """
    for condition in item.conditions:
        if condition.item not in visible:
            return False
        value = answers.get(condition.item)
        if value is None:
            return False
        given = {str(v) for v in value} if isinstance(value, list) else {str(value)}
        if not given & set(condition.values):
            return False
    return True


def visible_items(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> frozenset[str]:
    """Codes of the items shown to a respondent with these (canonical) answers."""
    visible: set[str] = set()
    for item in questionnaire.items():
        if is_visible(item, answers, visible):
            visible.add(item.code)
    return frozenset(visible)


def check_answers(
    questionnaire: Questionnaire, answers: Mapping[str, Any], *, complete: bool = True
) -> AnswerCheck:
    """Validate answers and bring them to canonical form.

    Parameters
    ----------
    questionnaire
        The version the answers were given on.
    answers
        ``{item_code: value}``; ``None``, a blank string or ``[]`` means unanswered.
    complete
        Whether this is a finished response: only then are required items
        that are visible but unanswered reported as missing.

    Returns
    -------
    AnswerCheck
        Canonical answers (unanswered items left out) and every problem.
    """
    items = questionnaire.item_map()
    problems = [
        AnswerProblem(
            code, "unknown_item", f"'{code}' is not an item of this questionnaire", "unknown_item"
        )
        for code in answers
        if code not in items
    ]
    canonical: dict[str, AnswerValue] = {}
    visible: set[str] = set()
    undecided: set[str] = set()
    for item in questionnaire.items():
        raw = answers.get(item.code)
        answered = not _is_blank(raw)
        if any(c.item in undecided for c in item.conditions):
            # Depends on an invalid answer: whether it is shown cannot be known,
            # so it is neither missing nor hidden until that answer is fixed.
            undecided.add(item.code)
            continue
        shown = is_visible(item, canonical, visible)
        if shown:
            visible.add(item.code)
        if not answered:
            if shown and complete and item.is_required:
                problems.append(
                    AnswerProblem(
                        item.code,
                        "missing_required",
                        f"'{item.code}' is required",
                        "missing_required",
                    )
                )
            continue
        if not shown:
            problems.append(
                AnswerProblem(
                    item.code,
                    "hidden_item",
                    f"'{item.code}' must not be answered: its show_if conditions do not hold",
                    "hidden_item",
                )
            )
            continue
        value, problem = _canonical_value(questionnaire, item, raw)
        if problem is not None:
            problems.append(problem)
            undecided.add(item.code)
        else:
            canonical[item.code] = value
    return AnswerCheck(answers=canonical, problems=problems, visible=frozenset(visible))


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _canonical_value(
    questionnaire: Questionnaire, item: Item, raw: Any
) -> tuple[AnswerValue, AnswerProblem | None]:
    def wrong(
        code: str, message: str, reason: str, **params: object
    ) -> tuple[AnswerValue, AnswerProblem]:
        shown = tuple((name, str(value)) for name, value in params.items())
        return raw, AnswerProblem(item.code, code, f"'{item.code}': {message}", reason, shown)

    if item.type in SCALE_TYPES:
        top = 5 if item.type is ItemType.LIKERT5 else 3
        if raw == NOT_APPLICABLE and item.allow_na:
            return NOT_APPLICABLE, None
        if isinstance(raw, bool) or not isinstance(raw, int):
            return wrong(
                "wrong_type",
                f"expected an integer from 1 to {top}, got {raw!r}",
                "scale_type",
                top=top,
            )
        if not 1 <= raw <= top:
            return wrong(
                "option_not_in_list",
                f"{raw} is not on the 1–{top} scale",
                "scale_range",
                value=raw,
                top=top,
            )
        return raw, None

    if item.type is ItemType.SINGLE_CHOICE:
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            return wrong("wrong_type", f"expected an option code, got {raw!r}", "option_type")
        codes = [o.code for o in questionnaire.options_of(item)]
        if str(raw) not in codes:
            return wrong(
                "option_not_in_list",
                f"{raw!r} is not one of {', '.join(codes)}",
                "option_unknown",
                value=raw,
                options=", ".join(codes),
            )
        return str(raw), None

    if item.type is ItemType.MULTIPLE_CHOICE:
        if not isinstance(raw, list) or any(
            isinstance(v, bool) or not isinstance(v, str | int) for v in raw
        ):
            return wrong(
                "wrong_type", f"expected a list of option codes, got {raw!r}", "options_type"
            )
        codes = [o.code for o in questionnaire.options_of(item)]
        chosen = [str(v) for v in raw]
        unknown = [v for v in chosen if v not in codes]
        if unknown:
            return wrong(
                "option_not_in_list",
                f"{', '.join(map(repr, unknown))} not in {', '.join(codes)}",
                "option_unknown",
                value=", ".join(unknown),
                options=", ".join(codes),
            )
        if len(set(chosen)) != len(chosen):
            return wrong("wrong_type", "an option is selected more than once", "options_repeated")
        if item.max_selected is not None and len(chosen) > item.max_selected:
            return wrong(
                "out_of_range",
                f"at most {item.max_selected} options may be selected",
                "options_too_many",
                max_selected=item.max_selected,
            )
        return [c for c in codes if c in chosen], None

    if item.type is ItemType.NUMBER:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return wrong("wrong_type", f"expected a number, got {raw!r}", "number_type")
        if isinstance(raw, float) and not math.isfinite(raw):
            return wrong("wrong_type", f"expected a finite number, got {raw!r}", "number_type")
        if item.integer and not float(raw).is_integer():
            return wrong("wrong_type", f"expected a whole number, got {raw!r}", "number_whole")
        if (item.min is not None and raw < item.min) or (item.max is not None and raw > item.max):
            return wrong(
                "out_of_range",
                f"{raw} is outside {item.min}–{item.max}",
                "number_range",
                value=raw,
                allowed=_bounds(item.min, item.max),
            )
        return (int(raw) if item.integer else raw), None

    if not isinstance(raw, str):
        return wrong("wrong_type", f"expected text, got {raw!r}", "text_type")
    text = unicodedata.normalize("NFC", raw.strip())
    if len(text) > item.max_length:
        return wrong(
            "out_of_range",
            f"text is longer than {item.max_length} characters",
            "text_too_long",
            max_length=item.max_length,
        )
    return text, None


def _bounds(low: float | None, high: float | None) -> str:
    """``0–120``, ``≥ 0`` or ``≤ 120``: the range a number answer must be in."""
    if low is not None and high is not None:
        return f"{low:g}–{high:g}"
    return f"≥ {low:g}" if low is not None else f"≤ {high:g}"
