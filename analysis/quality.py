"""Quality flags of interviews: signs that a response may not be what it claims to be.

Each flag says why, with the figures behind it; none of them rejects anything (a person
decides in review). The checks:

* :func:`short_interview`: the interview took less than the campaign's threshold;
* :func:`straight_lined`: one and the same answer to every criterion of a block
  (Kim et al. 2019 call it non-differentiation);
* :func:`mostly_no_opinion`: most criteria answered "không ý kiến / không áp dụng";
* :func:`close_together`: one surveyor's interviews submitted minutes apart, closer than
  an interview can take;
* :func:`shared_contacts`: one phone number behind several responses;
* :func:`surveyors_differing`: a surveyor whose share of satisfied respondents differs
  from that of the other surveyors of the same unit by more than chance, by the
  two-proportion z-test with a pooled variance (Agresti 2013, §2.4; Fleiss, Levin & Paik
  2003, §2.5).

References
----------
Kim, Y., Dykema, J., Stevenson, J., Black, P., Moberg, D. P. (2019). Straightlining:
overview of measurement, comparison of indicators, and effects in mail–web mixed-mode
surveys. Social Science Computer Review 37(2), 214–233.
Agresti, A. (2013). Categorical Data Analysis, 3rd ed. Wiley.
Fleiss, J. L., Levin, B., Paik, M. C. (2003). Statistical Methods for Rates and
Proportions, 3rd ed. Wiley.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from statistics import NormalDist
from typing import Any

NO_OPINION = "na"
SATISFIED = frozenset({4, 5})
MIN_STRAIGHT_LINE = 5
"""Criteria a block needs before one answer to all of them is a flag."""


@dataclass(frozen=True)
class Interview:
    """What the checks read of one complete response (no personal data: the contact is
    a key that only says whether two responses share a phone number)."""

    response_id: int
    surveyor: int | None = None
    unit: str | None = None
    started_at: datetime | None = None
    submitted_at: datetime | None = None
    contact_key: str | None = None
    blocks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Answers to the scale criteria, by block code then item code."""

    @property
    def minutes(self) -> float | None:
        if self.started_at is None or self.submitted_at is None:
            return None
        return (self.submitted_at - self.started_at).total_seconds() / 60

    def criteria(self) -> list[Any]:
        return [value for block in self.blocks.values() for value in block.values()]


@dataclass(frozen=True)
class Flag:
    """One flag on one response: its code and the figures that explain it."""

    response_id: int
    code: str
    """``short``, ``straight_line``, ``no_opinion``, ``close_together``, ``shared_contact``."""
    details: Mapping[str, Any]


def short_interview(interview: Interview, threshold_minutes: float) -> Flag | None:
    """The interview took less than ``threshold_minutes`` (start to submission)."""
    minutes = interview.minutes
    if minutes is None or minutes >= threshold_minutes:
        return None
    return Flag(
        interview.response_id,
        "short",
        {"minutes": minutes, "threshold": threshold_minutes},
    )


def straight_lined(interview: Interview) -> Flag | None:
    """Every criterion of a block (of at least :data:`MIN_STRAIGHT_LINE`) has one answer."""
    for code, answers in interview.blocks.items():
        values = [v for v in answers.values() if v is not None]
        if len(values) >= MIN_STRAIGHT_LINE and len(set(map(str, values))) == 1:
            return Flag(
                interview.response_id,
                "straight_line",
                {"block": code, "answer": values[0], "count": len(values)},
            )
    return None


def mostly_no_opinion(interview: Interview, share: float = 0.5) -> Flag | None:
    """More than ``share`` of the answered criteria are "không ý kiến" (``na``)."""
    values = [v for v in interview.criteria() if v is not None]
    if not values:
        return None
    no_opinion = sum(1 for v in values if v == NO_OPINION)
    if no_opinion / len(values) <= share:
        return None
    return Flag(
        interview.response_id,
        "no_opinion",
        {"no_opinion": no_opinion, "answered": len(values)},
    )


def close_together(interviews: Iterable[Interview], threshold_minutes: float) -> list[Flag]:
    """Interviews of one surveyor submitted less than ``threshold_minutes`` after the
    previous one (both are flagged, each naming the other)."""
    by_surveyor: dict[int, list[Interview]] = defaultdict(list)
    for interview in interviews:
        if interview.surveyor is not None and interview.submitted_at is not None:
            by_surveyor[interview.surveyor].append(interview)
    flags: list[Flag] = []
    for done in by_surveyor.values():
        done.sort(key=lambda i: (i.submitted_at, i.response_id))
        for before, after in itertools.pairwise(done):
            gap = _minutes_between(before.submitted_at, after.submitted_at)
            if gap < threshold_minutes:
                for this, other in ((before, after), (after, before)):
                    flags.append(
                        Flag(
                            this.response_id,
                            "close_together",
                            {"other": other.response_id, "minutes": gap},
                        )
                    )
    return flags


def _minutes_between(first: datetime | None, second: datetime | None) -> float:
    assert first is not None
    assert second is not None
    return (second - first).total_seconds() / 60


def shared_contacts(interviews: Iterable[Interview]) -> list[Flag]:
    """Responses whose respondents share one phone number (each names the others)."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for interview in interviews:
        if interview.contact_key:
            by_key[interview.contact_key].append(interview.response_id)
    return [
        Flag(response_id, "shared_contact", {"others": sorted(set(ids) - {response_id})})
        for ids in by_key.values()
        if len(ids) > 1
        for response_id in ids
    ]


def satisfied(interview: Interview) -> bool | None:
    """Whether most of the respondent's rated criteria are satisfied (4 or 5); ``None``
    without a rated criterion."""
    rated = [v for v in interview.criteria() if isinstance(v, int) and not isinstance(v, bool)]
    if not rated:
        return None
    return sum(1 for v in rated if v in SATISFIED) * 2 > len(rated)


@dataclass(frozen=True)
class SurveyorDifference:
    """A surveyor against the other surveyors of one unit."""

    surveyor: int
    unit: str
    satisfied: int
    n: int
    others_satisfied: int
    others_n: int
    z: float
    p_value: float

    @property
    def rate(self) -> float:
        return self.satisfied / self.n

    @property
    def others_rate(self) -> float:
        return self.others_satisfied / self.others_n


def two_proportion_test(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    """z and two-sided p of H0: p1 = p2, with the pooled proportion in the variance.

    Examples
    --------
    >>> z, p = two_proportion_test(45, 50, 30, 50)
    >>> round(z, 3), round(p, 4)
    (3.464, 0.0005)
    """
    if min(n1, n2) < 1:
        raise ValueError("both groups need at least one respondent")
    pooled = (x1 + x2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance == 0:
        return 0.0, 1.0
    z = (x1 / n1 - x2 / n2) / math.sqrt(variance)
    return z, 2 * (1 - NormalDist().cdf(abs(z)))


def surveyors_differing(
    interviews: Sequence[Interview], *, alpha: float = 0.01, minimum: int = 10
) -> list[SurveyorDifference]:
    """Surveyors whose share of satisfied respondents differs from the other surveyors of
    the same unit with p < ``alpha`` (each group needs ``minimum`` respondents)."""
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for interview in interviews:
        verdict = satisfied(interview)
        if verdict is None or interview.surveyor is None or interview.unit is None:
            continue
        cell = counts[(interview.unit, interview.surveyor)]
        cell[0] += verdict
        cell[1] += 1
    units: dict[str, dict[int, list[int]]] = defaultdict(dict)
    for (unit, surveyor), cell in counts.items():
        units[unit][surveyor] = cell
    found: list[SurveyorDifference] = []
    for unit, surveyors in sorted(units.items()):
        for surveyor, (x, n) in sorted(surveyors.items()):
            others = [cell for other, cell in surveyors.items() if other != surveyor]
            x2, n2 = sum(c[0] for c in others), sum(c[1] for c in others)
            if n < minimum or n2 < minimum:
                continue
            z, p = two_proportion_test(x, n, x2, n2)
            if p < alpha:
                found.append(SurveyorDifference(surveyor, unit, x, n, x2, n2, z, p))
    return found


def flag_interviews(interviews: Sequence[Interview], threshold_minutes: float) -> list[Flag]:
    """Every response-level flag of a set of interviews."""
    flags: list[Flag] = []
    for interview in interviews:
        for check in (
            short_interview(interview, threshold_minutes),
            straight_lined(interview),
            mostly_no_opinion(interview),
        ):
            if check is not None:
                flags.append(check)
    flags += close_together(interviews, threshold_minutes)
    flags += shared_contacts(interviews)
    return flags
