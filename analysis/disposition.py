"""Fieldwork outcomes of sampled people (spec §6), their AAPOR dispositions, counts and
response rates.

An outcome is what happened to one sampled person: it starts ``pending`` when the
person is drawn and ends as one of the final states. The enum lives in this pure
package because the draw (which creates people as ``pending``), fieldwork (which
changes outcomes), the progress pages and the non-response adjustment of the weights
all read it.

Dispositions and rates
----------------------
Each person in the field gets one of the final disposition groups of the AAPOR
Standard Definitions (AAPOR 2023, tables 1–4): complete interview (I), partial
interview (P), refusal and break-off (R), non-contact (NC), other eligible
non-interview (O), unknown eligibility (U: here, people still pending) and not
eligible (NE). Outcomes map to them as follows:

===========================  ============================================================
``completed``                complete (I); so is anyone with a stored complete response
``partial``                  partial (P); so is a pending person with a saved partial
``refused``                  refusal (R)
``not_reachable``, ``moved`` non-contact (NC): an eligible person who could not be reached
``replaced``                 other (O): an eligible non-interview whose reason was
                             replaced by the release of a reserve
``pending``                  unknown eligibility (U)
``ineligible``               not eligible (NE)
===========================  ============================================================

**Who is counted.** The people in the field are the main sample and the reserves that
were *released*; an unreleased reserve was never fielded and counts nowhere.

**Released reserves and the people they replaced.** A reserve released for a person is
a substitution. The Standard Definitions require substitutions to be disclosed and
the rates to be computed on the units of the original sample; so each original sample
member is one *slot*, counted once in every rate with the disposition of the person
last fielded for it: the reserve who replaced them (or the reserve who replaced that
reserve), or themselves. The replaced person's own non-interview is not counted a
second time, and the released reserve is not an extra unit of the denominator. The
number of substituted slots and of completes obtained from substitutes are reported
beside the rates (:class:`DispositionCounts`). The same slots carry the design weights
in the non-response adjustment (:mod:`analysis.weighting`), so that a stratum's
eligible weights still add up to its population (Vehovar 1999).

With the counts of slots by disposition,

.. math::

    RR1 = \\frac{I}{(I + P) + (R + NC + O) + U}, \\qquad
    RR3 = \\frac{I}{(I + P) + (R + NC + O) + e\\,U}

where :math:`e` is the share of eligible slots among those whose eligibility is known,
:math:`e = (I + P + R + NC + O) / (I + P + R + NC + O + NE)` (AAPOR's proportional
allocation estimate). Spec §6 defines the response rate as completed over eligible
sampled people, which is RR3 once no slot is pending.

References
----------
The American Association for Public Opinion Research (2023). Standard Definitions:
Final Dispositions of Case Codes and Outcome Rates for Surveys, 10th edition. AAPOR.
Vehovar, V. (1999). Field substitution and unit nonresponse. Journal of Official
Statistics 15(2), 335–350.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    """Fieldwork outcome of a sampled person (kết quả tiếp cận người được chọn)."""

    PENDING = "pending"
    COMPLETED = "completed"
    PARTIAL = "partial"
    REFUSED = "refused"
    NOT_REACHABLE = "not_reachable"
    INELIGIBLE = "ineligible"
    MOVED = "moved"
    REPLACED = "replaced"

    @property
    def label(self) -> str:
        """The Vietnamese name surveyors and staff see."""
        return OUTCOME_LABELS[self]


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.PENDING: "Chưa khảo sát",
    Outcome.COMPLETED: "Đã hoàn thành",
    Outcome.PARTIAL: "Trả lời một phần",
    Outcome.REFUSED: "Từ chối",
    Outcome.NOT_REACHABLE: "Không liên lạc được",
    Outcome.INELIGIBLE: "Không thuộc đối tượng",
    Outcome.MOVED: "Đã chuyển đi",
    Outcome.REPLACED: "Đã được thay thế",
}
"""The one Vietnamese wording of each outcome (pages, lists, exports)."""


class Disposition(StrEnum):
    """AAPOR final disposition group of a person in the field (AAPOR 2023)."""

    COMPLETE = "complete"
    """I: complete interview (AAPOR code 1.1)."""
    PARTIAL = "partial"
    """P: partial interview (1.2)."""
    REFUSAL = "refusal"
    """R: refusal and break-off (2.10)."""
    NON_CONTACT = "non_contact"
    """NC: non-contact (2.20)."""
    OTHER = "other"
    """O: other eligible non-interview (2.30)."""
    UNKNOWN = "unknown"
    """U: unknown eligibility, no interview (3.0): still pending."""
    INELIGIBLE = "ineligible"
    """NE: not eligible (4.0)."""

    @property
    def label(self) -> str:
        """The Vietnamese name staff see."""
        return DISPOSITION_LABELS[self]


DISPOSITION_LABELS: dict[Disposition, str] = {
    Disposition.COMPLETE: "Hoàn thành",
    Disposition.PARTIAL: "Trả lời một phần",
    Disposition.REFUSAL: "Từ chối",
    Disposition.NON_CONTACT: "Không liên hệ được",
    Disposition.OTHER: "Lý do khác",
    Disposition.UNKNOWN: "Chưa có kết quả",
    Disposition.INELIGIBLE: "Không thuộc đối tượng",
}

AAPOR_CODES: dict[Disposition, str] = {
    Disposition.COMPLETE: "1.1",
    Disposition.PARTIAL: "1.2",
    Disposition.REFUSAL: "2.10",
    Disposition.NON_CONTACT: "2.20",
    Disposition.OTHER: "2.30",
    Disposition.UNKNOWN: "3.0",
    Disposition.INELIGIBLE: "4.0",
}
"""The AAPOR (2023) final disposition code of each group."""

ELIGIBLE = frozenset(
    {
        Disposition.COMPLETE,
        Disposition.PARTIAL,
        Disposition.REFUSAL,
        Disposition.NON_CONTACT,
        Disposition.OTHER,
    }
)
"""Dispositions of people known to belong to the survey population."""

_BY_OUTCOME: dict[Outcome, Disposition] = {
    Outcome.PENDING: Disposition.UNKNOWN,
    Outcome.COMPLETED: Disposition.COMPLETE,
    Outcome.PARTIAL: Disposition.PARTIAL,
    Outcome.REFUSED: Disposition.REFUSAL,
    Outcome.NOT_REACHABLE: Disposition.NON_CONTACT,
    Outcome.MOVED: Disposition.NON_CONTACT,
    Outcome.REPLACED: Disposition.OTHER,
    Outcome.INELIGIBLE: Disposition.INELIGIBLE,
}


def disposition(
    outcome: Outcome | str, *, complete_response: bool = False, partial_response: bool = False
) -> Disposition:
    """The AAPOR disposition of one person (see the module's table).

    Parameters
    ----------
    outcome
        The recorded fieldwork outcome.
    complete_response
        Whether a complete response of this person is stored: it makes the person a
        complete interview whatever the recorded outcome.
    partial_response
        Whether a partial response is stored: a pending person who started is a
        partial interview.

    Examples
    --------
    >>> disposition("moved").value
    'non_contact'
    >>> disposition("pending", complete_response=True).value
    'complete'
    """
    if complete_response:
        return Disposition.COMPLETE
    result = _BY_OUTCOME[Outcome(outcome)]
    if result is Disposition.UNKNOWN and partial_response:
        return Disposition.PARTIAL
    return result


@dataclass(frozen=True)
class FieldCase:
    """One sampled person (or reserve) as the counts see them.

    Parameters
    ----------
    key
        Identifies the person (the sampled respondent's id).
    outcome
        The recorded fieldwork outcome.
    reserve
        Whether the person was drawn as a reserve.
    replaces
        For a released reserve, the key of the person it replaced; ``None`` otherwise.
    complete_response, partial_response
        Whether a complete (or a partial) response of the person is stored.
    group
        Where the person is counted (a unit, a stratum); ``None`` for one group.
    """

    key: Hashable
    outcome: Outcome | str
    reserve: bool = False
    replaces: Hashable | None = None
    complete_response: bool = False
    partial_response: bool = False
    group: Hashable | None = None

    @property
    def in_field(self) -> bool:
        """Main-sample people and released reserves; never an unreleased reserve."""
        return not self.reserve or self.replaces is not None

    @property
    def disposition(self) -> Disposition:
        return disposition(
            self.outcome,
            complete_response=self.complete_response,
            partial_response=self.partial_response,
        )


@dataclass(frozen=True)
class LoneCases:
    """``count`` people of one group with the same disposition who replace nobody and
    whom nobody replaces: each is a slot of their own, or, for unreleased reserves
    (``reserve``), counts nowhere.

    Most of a campaign's people are such; counting them by kind (a database can group
    them) gives the same counts as listing each as a :class:`FieldCase`, whose chains
    of replacements only the others need.
    """

    disposition: Disposition
    """Of each of them (:func:`disposition`)."""
    count: int
    reserve: bool = False
    group: Hashable | None = None

    @property
    def in_field(self) -> bool:
        return not self.reserve


@dataclass(frozen=True)
class Slot:
    """One unit of the original sample and the person last fielded for it.

    ``original`` is the main-sample member; ``current`` is the same person or, after
    releases, the last reserve in the chain of replacements.
    """

    original: FieldCase
    current: FieldCase

    @property
    def substituted(self) -> bool:
        return self.current.key != self.original.key

    @property
    def disposition(self) -> Disposition:
        return self.current.disposition


def slots(cases: Iterable[FieldCase]) -> list[Slot]:
    """The slots of the original sample, in input order of their original member.

    Each released reserve takes the slot of the person it replaced (following chains:
    a reserve released for a reserve). A released reserve whose replaced person is not
    in ``cases`` opens a slot of its own.

    Raises
    ------
    ValueError
        When two released reserves replace the same person.
    """
    fielded = [case for case in cases if case.in_field]
    by_key = {case.key: case for case in fielded}
    replacement: dict[Hashable, FieldCase] = {}
    for case in fielded:
        if case.replaces is None:
            continue
        if case.replaces in replacement:
            raise ValueError(f"two reserves replace the same person {case.replaces!r}")
        replacement[case.replaces] = case
    result = []
    for case in fielded:
        if case.replaces is not None and case.replaces in by_key:
            continue
        current = case
        seen = {case.key}
        while current.key in replacement:
            current = replacement[current.key]
            if current.key in seen:
                raise ValueError(f"reserve replacements form a cycle at {current.key!r}")
            seen.add(current.key)
        result.append(Slot(case, current))
    return result


@dataclass(frozen=True)
class DispositionCounts:
    """Counts and response rates of one group (or the whole campaign).

    Attributes
    ----------
    sampled
        Slots of the original sample (main-sample members; a released reserve whose
        replaced person is unknown adds one).
    reserves_released
        Reserves in the field (substitutions made).
    in_field
        People in the field: the main sample and the released reserves.
    dispositions
        Slots by AAPOR disposition (each slot with the disposition of the person last
        fielded for it); every :class:`Disposition` is a key.
    substituted
        Slots now held by a reserve.
    completes_by_substitutes
        Complete slots whose complete came from a reserve.
    """

    sampled: int
    reserves_released: int
    in_field: int
    dispositions: Mapping[Disposition, int]
    substituted: int
    completes_by_substitutes: int

    @property
    def complete(self) -> int:
        return self.dispositions[Disposition.COMPLETE]

    @property
    def eligible_known(self) -> int:
        """Slots known to be eligible: I + P + R + NC + O."""
        return sum(self.dispositions[d] for d in ELIGIBLE)

    @property
    def eligibility_rate(self) -> float | None:
        """AAPOR's :math:`e`: eligible share of the slots whose eligibility is known."""
        known = self.eligible_known + self.dispositions[Disposition.INELIGIBLE]
        return self.eligible_known / known if known else None

    @property
    def rr1(self) -> float | None:
        """AAPOR Response Rate 1: completes over every slot of unknown or known-eligible
        status; ``None`` with no such slot."""
        denominator = self.eligible_known + self.dispositions[Disposition.UNKNOWN]
        return self.complete / denominator if denominator else None

    @property
    def rr3(self) -> float | None:
        """AAPOR Response Rate 3: as RR1 with only the estimated eligible share
        :math:`e` of the unknown slots; ``None`` with no eligible slot."""
        unknown = self.dispositions[Disposition.UNKNOWN]
        e = self.eligibility_rate
        estimated = self.eligible_known + (e if e is not None else 1.0) * unknown
        return self.complete / estimated if estimated > 0 else None


def count_dispositions(
    cases: Iterable[FieldCase], lone: Iterable[LoneCases] = ()
) -> DispositionCounts:
    """Counts and AAPOR response rates of the people given (one group).

    Parameters
    ----------
    cases
        Everyone drawn for the group, reserves included: unreleased reserves are left
        out here, so callers need not filter them.
    lone
        More people of the group, counted by kind: each one slot of their own (see
        :class:`LoneCases`); none of them may be in ``cases``.

    Examples
    --------
    Eight completes, one refusal, and one refusal replaced by a reserve who is still
    pending: ten slots, RR1 = 8 / 10.

    >>> people = [FieldCase(i, "completed") for i in range(8)]
    >>> people += [FieldCase(8, "refused"), FieldCase(9, "replaced")]
    >>> people += [FieldCase(10, "pending", reserve=True, replaces=9)]
    >>> people += [FieldCase(11, "pending", reserve=True)]
    >>> counts = count_dispositions(people)
    >>> counts.sampled, counts.in_field, counts.rr1
    (10, 11, 0.8)
    """
    listed = list(cases)
    found = slots(listed)
    tally = dict.fromkeys(Disposition, 0)
    for slot in found:
        tally[slot.disposition] += 1
    alone = 0
    for kind in lone:
        if kind.in_field:
            tally[kind.disposition] += kind.count
            alone += kind.count
    released = sum(1 for case in listed if case.reserve and case.replaces is not None)
    return DispositionCounts(
        sampled=len(found) + alone,
        reserves_released=released,
        in_field=sum(1 for case in listed if case.in_field) + alone,
        dispositions=tally,
        substituted=sum(1 for slot in found if slot.substituted),
        completes_by_substitutes=sum(
            1 for slot in found if slot.substituted and slot.disposition is Disposition.COMPLETE
        ),
    )


@dataclass(frozen=True)
class FieldworkCounts:
    """Counts of a whole campaign and of each group, from :func:`count_by_group`."""

    total: DispositionCounts
    groups: Mapping[Hashable | None, DispositionCounts] = field(default_factory=dict)


def count_by_group(cases: Sequence[FieldCase], lone: Sequence[LoneCases] = ()) -> FieldworkCounts:
    """:func:`count_dispositions` for the whole set and for each ``group``.

    A reserve is counted in its own group; replacements are resolved within the group.

    Examples
    --------
    The same counts from people listed one by one, or with those alone in their slot
    counted by kind:

    >>> people = [FieldCase(i, "completed", group="a") for i in range(3)]
    >>> people += [FieldCase(3, "replaced", group="a")]
    >>> people += [FieldCase(4, "pending", reserve=True, replaces=3, group="a")]
    >>> people += [FieldCase(5, "pending", reserve=True, group="b")]
    >>> listed = count_by_group(people)
    >>> lone = [LoneCases(Disposition.COMPLETE, 3, group="a")]
    >>> lone += [LoneCases(Disposition.UNKNOWN, 1, reserve=True, group="b")]
    >>> counted = count_by_group(people[3:5], lone)
    >>> listed == counted, counted.groups["a"].sampled, counted.groups["b"].in_field
    (True, 4, 0)
    """
    grouped: dict[Hashable | None, list[FieldCase]] = {}
    for case in cases:
        grouped.setdefault(case.group, []).append(case)
    kinds: dict[Hashable | None, list[LoneCases]] = {}
    for kind in lone:
        kinds.setdefault(kind.group, []).append(kind)
    return FieldworkCounts(
        total=count_dispositions(cases, lone),
        groups={
            group: count_dispositions(grouped.get(group, []), kinds.get(group, []))
            for group in {**dict.fromkeys(grouped), **dict.fromkeys(kinds)}
        },
    )
