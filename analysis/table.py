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

from analysis.estimation import (
    BoolArray,
    Design,
    FloatArray,
    IntArray,
    LonelyPsu,
    build_design,
)
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
        cluster label for area samples. Weights are given for all respondents or none;
        a stratum or cluster without weights means weights of 1 (a self-weighting
        sample), never an analysis without the design.
    population
        Population size of the respondent's stratum for the finite-population
        correction: the number of PSUs in the population when clusters are given, of
        people otherwise (R ``survey``'s ``fpc``). Given for all respondents or none.
    mode
        How the answers were collected (``interview``, ``self``, ``paper``).
    """

    answers: Mapping[str, Any]
    unit: str | None = None
    stratum: str | None = None
    weight: float | None = None
    psu: str | None = None
    mode: str | None = None
    population: float | None = None


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
    lonely_psu: LonelyPsu = LonelyPsu.FAIL,
) -> ResponseTable:
    """Arrange canonical answers for analysis.

    Parameters
    ----------
    questionnaire
        The version the answers were given on.
    respondents
        Complete responses only (spec §6: partial responses do not count).
    sampling_fractions
        :math:`f_h` per stratum for the finite-population correction (1 for a census
        stratum); respondents' ``population`` sizes give them otherwise.
    lonely_psu
        The rule for strata with a single PSU (:class:`analysis.estimation.LonelyPsu`).

    Raises
    ------
    ValueError
        When some respondents have a weight (or a population size) and others not, or
        the population sizes of a stratum disagree or are smaller than its sample.
    analysis.estimation.LonelyPsuError
        When a stratum has one PSU and ``lonely_psu`` is ``fail``.
    """
    rule = questionnaire.scoring.rule
    criteria = questionnaire.criteria()
    scores = np.array(
        [[score_value(r.answers.get(item.code), rule) for item in criteria] for r in respondents],
        dtype=np.float64,
    ).reshape(len(respondents), len(criteria))
    weighted = _all_or_none([r.weight is not None for r in respondents], "weight")
    populations = _all_or_none([r.population is not None for r in respondents], "population")
    design: Design | None = None
    if weighted or populations or any(r.stratum or r.psu for r in respondents):
        strata = [r.stratum or "all" for r in respondents]
        psus = [r.psu or "" for r in respondents] if any(r.psu for r in respondents) else None
        fractions = sampling_fractions
        if populations:
            fractions = population_fractions(
                strata, psus, [r.population or 0.0 for r in respondents]
            )
        design = build_design(
            [float(r.weight or 1.0) for r in respondents], strata, psus, fractions, lonely_psu
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


def _all_or_none(given: list[bool], what: str) -> bool:
    """Whether every respondent has ``what``; an error naming the first without it when
    only some have it."""
    if any(given) and not all(given):
        missing = given.index(False)
        raise ValueError(f"respondent {missing + 1} has no {what}; {what} all or none")
    return bool(given) and all(given)


def population_fractions(
    strata: Sequence[str], psus: Sequence[str] | None, populations: Sequence[float]
) -> dict[str, float]:
    """Sampling fraction :math:`f_h = m_h / N_h` of each stratum from population sizes.

    :math:`m_h` is the number of PSUs (respondents, without clusters) of the stratum in
    the data and :math:`N_h` its population size, the same on every row of the stratum.

    Raises
    ------
    ValueError
        Naming the stratum whose sizes disagree or are below its sample.
    """
    sizes: dict[str, float] = {}
    units: dict[str, set[Any]] = {}
    for row, (stratum, size) in enumerate(zip(strata, populations, strict=True)):
        if size != sizes.setdefault(stratum, size):
            raise ValueError(
                f"stratum {stratum!r} has two population sizes, {sizes[stratum]:g} and {size:g}"
            )
        units.setdefault(stratum, set()).add(psus[row] if psus is not None else row)
    fractions = {}
    for stratum, size in sizes.items():
        sampled = len(units[stratum])
        if size < sampled:
            raise ValueError(
                f"stratum {stratum!r}: population size {size:g} is below its {sampled} "
                "sampled units"
            )
        fractions[stratum] = sampled / size
    return fractions


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
