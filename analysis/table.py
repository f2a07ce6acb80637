"""Respondents and their answers as arrays: the input of :func:`analysis.analyse`.

:func:`tabulate` turns canonical answers (as returned by
:func:`questionnaires.check_answers`, so answers to hidden items are already refused)
into one row per respondent: a score per criterion and a category index per choice
item. Which answers are *valid* for a criterion follows spec §2–3: an item answered
"không áp dụng / không biết" (``"na"``), skipped by its ``show_if`` or left unanswered
is not a valid answer, never a zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analysis.estimation import BoolArray, Design, FloatArray, IntArray, build_design
from questionnaires.schema import CHOICE_TYPES, Item, ItemType, Questionnaire, ScoringRule

SATISFIED_FROM = 4
"""Top-two-box: answers 4 (Hài lòng) and 5 (Rất hài lòng) are satisfied (spec §3)."""

PROFILE_ITEMS: Mapping[str, str] = {"sex": "R_SEX", "age": "R_AGE", "area": "R_AREA"}
"""Respondent-profile breakdowns and the item codes that carry them in the bundled forms."""


@dataclass(frozen=True)
class Respondent:
    """One complete response as the analysis sees it. Never carries contact details.

    Parameters
    ----------
    answers
        Canonical answers ``{item_code: value}``.
    unit
        Code of the unit (cơ quan, đơn vị) the answers are about, if any.
    stratum, weight, psu
        The design: stratum label, design weight (after non-response adjustment) and
        cluster label for area samples. Weights are given for all respondents or none.
    mode
        How the answers were collected (``interview``, ``self``, ``paper``).
    """

    answers: Mapping[str, Any]
    unit: str | None = None
    stratum: str | None = None
    weight: float | None = None
    psu: str | None = None
    mode: str | None = None


@dataclass(frozen=True)
class Categorical:
    """Answers to one single-choice or scale item: index into ``codes``, −1 if none."""

    codes: tuple[str, ...]
    labels: tuple[str, ...]
    index: IntArray


@dataclass(frozen=True)
class MultipleChoice:
    """Answers to one multiple-choice item: a selected-or-not column per option."""

    codes: tuple[str, ...]
    labels: tuple[str, ...]
    selected: BoolArray
    answered: BoolArray


@dataclass(frozen=True)
class ResponseTable:
    """Everything :func:`analysis.analyse` needs, one row per respondent.

    ``scores`` has one column per criterion in form order (``criteria``): 1.0/0.0 for
    top-two-box, :math:`(x-1)/4` for the rescaled mean, ``nan`` when not valid.
    """

    criteria: tuple[str, ...]
    scores: FloatArray
    units: tuple[str | None, ...]
    modes: tuple[str | None, ...]
    design: Design | None
    categorical: Mapping[str, Categorical] = field(default_factory=dict)
    multiple: Mapping[str, MultipleChoice] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return int(self.scores.shape[0])


def score_value(value: Any, rule: ScoringRule) -> float:
    """Score of one criterion answer; ``nan`` when the answer is not valid (spec §3)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        return float("nan")
    if rule is ScoringRule.TOP_TWO_BOX:
        return 1.0 if value >= SATISFIED_FROM else 0.0
    return (value - 1) / 4


def tabulate(
    questionnaire: Questionnaire,
    respondents: Sequence[Respondent],
    *,
    sampling_fractions: Mapping[str, float] | None = None,
) -> ResponseTable:
    """Arrange canonical answers for analysis.

    Parameters
    ----------
    questionnaire
        The version the answers were given on.
    respondents
        Complete responses only (spec §6: partial responses do not count).
    sampling_fractions
        :math:`f_h` per stratum for the finite-population correction (weighted designs).

    Raises
    ------
    ValueError
        When some respondents have a weight and others not.
    """
    rule = questionnaire.scoring.rule
    criteria = questionnaire.criteria()
    scores = np.array(
        [[score_value(r.answers.get(item.code), rule) for item in criteria] for r in respondents],
        dtype=np.float64,
    ).reshape(len(respondents), len(criteria))
    weighted = [r.weight is not None for r in respondents]
    design: Design | None = None
    if any(weighted):
        if not all(weighted):
            missing = weighted.index(False)
            raise ValueError(f"respondent {missing + 1} has no weight; weight all or none")
        design = build_design(
            [float(r.weight or 0.0) for r in respondents],
            [r.stratum or "all" for r in respondents],
            [r.psu or "" for r in respondents] if any(r.psu for r in respondents) else None,
            sampling_fractions,
        )
    categorical: dict[str, Categorical] = {}
    multiple: dict[str, MultipleChoice] = {}
    for item in questionnaire.items():
        if item.is_criterion:
            continue
        if item.type is ItemType.MULTIPLE_CHOICE:
            multiple[item.code] = _multiple(questionnaire, item, respondents)
        elif item.type in CHOICE_TYPES or item.type is ItemType.EXPECTATION3:
            categorical[item.code] = _categorical(questionnaire, item, respondents)
    return ResponseTable(
        criteria=tuple(item.code for item in criteria),
        scores=scores,
        units=tuple(r.unit for r in respondents),
        modes=tuple(r.mode for r in respondents),
        design=design,
        categorical=categorical,
        multiple=multiple,
    )


def _categorical(
    questionnaire: Questionnaire, item: Item, respondents: Sequence[Respondent]
) -> Categorical:
    options = questionnaire.options_of(item)
    codes = tuple(o.code for o in options)
    position = {code: i for i, code in enumerate(codes)}
    index = np.array(
        [position.get(str(r.answers.get(item.code)), -1) for r in respondents], dtype=np.int64
    )
    return Categorical(codes, tuple(o.label for o in options), index)


def _multiple(
    questionnaire: Questionnaire, item: Item, respondents: Sequence[Respondent]
) -> MultipleChoice:
    options = questionnaire.options_of(item)
    codes = tuple(o.code for o in options)
    selected = np.zeros((len(respondents), len(codes)), dtype=bool)
    answered = np.zeros(len(respondents), dtype=bool)
    for row, respondent in enumerate(respondents):
        value = respondent.answers.get(item.code)
        if isinstance(value, list) and value:
            answered[row] = True
            chosen = {str(v) for v in value}
            selected[row] = [code in chosen for code in codes]
    return MultipleChoice(codes, tuple(o.label for o in options), selected, answered)
