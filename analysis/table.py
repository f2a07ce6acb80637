"""Respondents and their answers as arrays: the input of :func:`analysis.analyse`.

:func:`tabulate` turns canonical answers (as returned by
:func:`questionnaires.check_answers`, so answers to hidden items are already refused)
into one row per respondent: a score per criterion and a category index per choice
item. Which answers are *valid* for a criterion follows spec §2–3: an item answered
"không áp dụng / không biết" (``"na"``), skipped by its ``show_if`` or left unanswered
is not a valid answer, never a zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.estimation import (
    BoolArray,
    Design,
    FloatArray,
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
    """Answers to one single-choice or scale item: index into ``codes``, −1 if none
    (the smallest signed integer type that holds the codes: one byte per respondent for
    the forms' items)."""

    codes: tuple[str, ...]
    labels: tuple[str, ...]
    index: npt.NDArray[np.signedinteger[Any]]


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
    respondents: Iterable[Respondent],
    *,
    sampling_fractions: Mapping[str, float] | None = None,
    lonely_psu: LonelyPsu = LonelyPsu.FAIL,
    size: int | None = None,
) -> ResponseTable:
    """Arrange canonical answers for analysis, in one pass over ``respondents``.

    ``respondents`` may be a generator: each respondent is turned into a row of the
    arrays and dropped, so memory holds the arrays (a few numbers per respondent),
    never every respondent's answers at once.

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
    size
        How many respondents there are, if known: the arrays are then allocated once at
        their size (otherwise in chunks, copied together at the end).

    Raises
    ------
    ValueError
        When some respondents have a weight (or a population size) and others not, or
        the population sizes of a stratum disagree or are smaller than its sample.
    analysis.estimation.LonelyPsuError
        When a stratum has one PSU and ``lonely_psu`` is ``fail``.
    """
    builder = _Builder(questionnaire, size)
    for respondent in respondents:
        builder.add(respondent)
    return builder.table(sampling_fractions, lonely_psu)


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


_CHUNK = 4096
_NAN = float("nan")


class _Chunk:
    """Up to ``length`` rows of every array, filled in place."""

    def __init__(
        self, length: int, criteria: int, categorical: list[int], multiple: list[int]
    ) -> None:
        self.length = length
        self.scores = np.full((length, criteria), np.nan)
        # One row per item, so that each item's answers are one contiguous slice.
        dtype = np.min_scalar_type(-max(categorical, default=1))
        self.categories = np.full((len(categorical), length), -1, dtype=dtype)
        self.selected = [np.zeros((length, width), dtype=bool) for width in multiple]
        self.answered = np.zeros((len(multiple), length), dtype=bool)
        self.rows = 0


class _Builder:
    """The arrays of a :class:`ResponseTable`, filled one respondent at a time in chunks
    of preallocated rows, so that memory holds numbers, never answers."""

    def __init__(self, questionnaire: Questionnaire, size: int | None = None) -> None:
        rule = questionnaire.scoring.rule
        self._length = max(size, 1) if size is not None else _CHUNK
        self._criteria = tuple(item.code for item in questionnaire.criteria())
        # Scores of the only valid answers (integers 1..5): one look-up per answer.
        self._score = {value: score_value(value, rule) for value in range(1, 6)}
        self._categorical: list[tuple[Item, tuple[str, ...], dict[str, int]]] = []
        self._multiple: list[tuple[Item, tuple[str, ...]]] = []
        self._questionnaire = questionnaire
        for item in questionnaire.items():
            if item.is_criterion:
                continue
            codes = tuple(o.code for o in questionnaire.options_of(item))
            if item.type is ItemType.MULTIPLE_CHOICE:
                self._multiple.append((item, codes))
            elif item.type in CHOICE_TYPES or item.type is ItemType.EXPECTATION3:
                self._categorical.append((item, codes, {c: i for i, c in enumerate(codes)}))
        self._chunks: list[_Chunk] = []
        self._chunk = self._new_chunk()
        self._units: list[str | None] = []
        self._modes: list[str | None] = []
        self._weights: list[float | None] = []
        self._populations: list[float | None] = []
        self._strata: list[str] = []
        self._psus: list[str] = []
        self._designed = False
        self.size = 0

    def _new_chunk(self) -> _Chunk:
        return _Chunk(
            self._length,
            len(self._criteria),
            [len(codes) for _, codes, _ in self._categorical],
            [len(c) for _, c in self._multiple],
        )

    def add(self, respondent: Respondent) -> None:
        chunk = self._chunk
        if chunk.rows == chunk.length:
            self._chunks.append(chunk)
            chunk = self._chunk = self._new_chunk()
        row = chunk.rows
        answers = respondent.answers
        score = self._score
        # ``type(...) is int``: booleans are not answers (see score_value).
        chunk.scores[row] = [
            score.get(value, _NAN) if type(value := answers.get(code)) is int else _NAN
            for code in self._criteria
        ]
        if self._categorical:
            chunk.categories[:, row] = [
                position.get(str(answers.get(item.code)), -1)
                for item, _, position in self._categorical
            ]
        for column, (item, codes) in enumerate(self._multiple):
            value = answers.get(item.code)
            if isinstance(value, list) and value:
                chosen = {str(v) for v in value}
                chunk.answered[column, row] = True
                chunk.selected[column][row] = [code in chosen for code in codes]
        chunk.rows += 1
        self._units.append(respondent.unit)
        self._modes.append(respondent.mode)
        self._weights.append(respondent.weight)
        self._populations.append(respondent.population)
        self._strata.append(respondent.stratum or "all")
        self._psus.append(respondent.psu or "")
        self._designed = self._designed or bool(respondent.stratum or respondent.psu)
        self.size += 1

    def table(
        self, sampling_fractions: Mapping[str, float] | None, lonely_psu: LonelyPsu
    ) -> ResponseTable:
        chunks = [*self._chunks, self._chunk]

        def stacked(part: Callable[[_Chunk], npt.NDArray[Any]]) -> npt.NDArray[Any]:
            """Rows of every chunk (a view when there is one chunk: no copy)."""
            if len(chunks) == 1:
                return part(chunks[0])[: chunks[0].rows]
            return np.concatenate([part(c)[: c.rows] for c in chunks])

        scores = stacked(lambda c: c.scores)
        weighted = _all_or_none([w is not None for w in self._weights], "weight")
        populations = _all_or_none([p is not None for p in self._populations], "population")
        design: Design | None = None
        if weighted or populations or self._designed:
            psus = self._psus if any(self._psus) else None
            fractions = sampling_fractions
            if populations:
                fractions = population_fractions(
                    self._strata, psus, [p or 0.0 for p in self._populations]
                )
            design = build_design(
                [float(w or 1.0) for w in self._weights], self._strata, psus, fractions, lonely_psu
            )
        categorical = {
            item.code: Categorical(
                codes,
                _labels_of(self._questionnaire, item),
                stacked(lambda c, i=i: c.categories[i]),  # type: ignore[misc]
            )
            for i, (item, codes, _) in enumerate(self._categorical)
        }
        multiple = {
            item.code: MultipleChoice(
                codes,
                _labels_of(self._questionnaire, item),
                stacked(lambda c, i=i: c.selected[i]),  # type: ignore[misc]
                stacked(lambda c, i=i: c.answered[i]),  # type: ignore[misc]
            )
            for i, (item, codes) in enumerate(self._multiple)
        }
        return ResponseTable(
            criteria=self._criteria,
            scores=scores,
            units=tuple(self._units),
            modes=tuple(self._modes),
            design=design,
            categorical=categorical,
            multiple=multiple,
        )


def _labels_of(questionnaire: Questionnaire, item: Item) -> tuple[str, ...]:
    return tuple(o.label for o in questionnaire.options_of(item))
