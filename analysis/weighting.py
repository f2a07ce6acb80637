"""Non-response adjustment of design weights within strata, from the recorded outcomes.

Each sampled person keeps the design weight of the draw (the inverse of its inclusion
probability, spec §5). Those who did not respond are represented by the respondents of
their stratum (weighting-class adjustment, Kalton & Flores-Cervantes 2003, §2): in
stratum :math:`h`

.. math:: a_h = \\frac{\\sum_{s \\in E_h} d_s}{\\sum_{s \\in R_h} d_s}, \\qquad w_s = a_h d_s

over the *slots* of the original sample (:func:`analysis.disposition.slots`): each
main-sample member is one slot, held by the person last fielded for it (a released
reserve takes the slot of the person it replaced, with the reserve's own design
weight). :math:`E_h` are the slots not known to be ineligible (pending slots count as
eligible non-respondents) and :math:`R_h` the complete ones, so that the implied
response rate of the stratum is AAPOR's RR1 of :func:`analysis.disposition.count_dispositions`
and the eligible weights still add up to the stratum's population when a reserve is
pending in a replaced person's slot. Partial interviews are non-respondents here.

The sampling fraction of a stratum for the finite-population correction is, in order of
preference: the mean first-stage inclusion probability of its main sample when it was
drawn in clusters (the fraction of PSUs taken), its main sample size over its frame
size :math:`n_h / N_h` when the frame size is known, or the mean inclusion probability
of its main sample. A census stratum (fraction 1) has no sampling variance.

References
----------
Kalton, G., Flores-Cervantes, I. (2003). Weighting methods. Journal of Official
Statistics 19(2), 81–97.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from analysis.disposition import Disposition, FieldCase, Outcome, count_dispositions, slots


@dataclass(frozen=True)
class SampledPerson:
    """One sampled (or reserve) person as the adjustment sees them.

    ``key`` identifies the person (its position in the input when ``None``);
    ``replaces`` is the key of the person a released reserve replaced.
    ``complete_response`` marks a stored complete response whatever the outcome.
    ``first_stage_probability`` is the inclusion probability of the person's PSU in a
    clustered draw (``None`` otherwise).
    """

    stratum: str
    design_weight: float
    inclusion_probability: float
    outcome: Outcome | str
    is_reserve: bool = False
    key: Hashable | None = None
    replaces: Hashable | None = None
    complete_response: bool = False
    first_stage_probability: float | None = None


@dataclass(frozen=True)
class Adjustment:
    """Adjusted weights (aligned with the input; ``None`` for everyone who is not the
    respondent of a complete slot), the factor and response rate (RR1) of each stratum,
    and the sampling fractions."""

    weights: tuple[float | None, ...]
    factors: dict[str, float]
    response_rates: dict[str, float]
    sampling_fractions: dict[str, float]


def _case(index: int, person: SampledPerson) -> FieldCase:
    return FieldCase(
        key=person.key if person.key is not None else index,
        outcome=person.outcome,
        reserve=person.is_reserve,
        replaces=person.replaces,
        complete_response=person.complete_response,
        group=person.stratum,
    )


def adjust_for_nonresponse(
    people: Sequence[SampledPerson], frame_sizes: Mapping[str, int] | None = None
) -> Adjustment:
    """Weighting-class adjustment of design weights within strata.

    Parameters
    ----------
    people
        Everyone sampled, reserves included, with the fieldwork outcome of each.
    frame_sizes
        :math:`N_h` of the strata drawn from a frame, for their sampling fractions.

    Returns
    -------
    Adjustment
        A stratum with eligible slots but no respondent gets no factor (its rate is 0).

    Examples
    --------
    >>> people = [SampledPerson("A", 10.0, 0.1, o) for o in ("completed", "refused")]
    >>> adjust_for_nonresponse(people).weights
    (20.0, None)
    """
    cases = []
    weight_of: dict[Hashable, float] = {}
    position: dict[Hashable, int] = {}
    by_stratum: dict[str, list[FieldCase]] = {}
    probabilities: dict[str, list[float]] = {}
    first_stage: dict[str, list[float]] = {}
    for index, person in enumerate(people):
        if person.design_weight <= 0:
            raise ValueError(f"design weights must be positive, got {person.design_weight}")
        case = _case(index, person)
        cases.append(case)
        weight_of[case.key] = person.design_weight
        position[case.key] = index
        by_stratum.setdefault(person.stratum, []).append(case)
        if not person.is_reserve:
            probabilities.setdefault(person.stratum, []).append(person.inclusion_probability)
            if person.first_stage_probability is not None:
                first_stage.setdefault(person.stratum, []).append(person.first_stage_probability)
    factors: dict[str, float] = {}
    rates: dict[str, float] = {}
    weights: list[float | None] = [None] * len(people)
    for stratum, members in by_stratum.items():
        eligible = responded = 0.0
        respondents = []
        for slot in slots(members):
            if slot.disposition is Disposition.INELIGIBLE:
                continue
            weight = weight_of[slot.current.key]
            eligible += weight
            if slot.disposition is Disposition.COMPLETE:
                responded += weight
                respondents.append(slot.current.key)
        rate = count_dispositions(members).rr1
        if rate is not None:
            rates[stratum] = rate
        if responded > 0:
            factors[stratum] = eligible / responded
            for key in respondents:
                weights[position[key]] = weight_of[key] * factors[stratum]
    fractions = {
        h: _fraction(ps, first_stage.get(h), (frame_sizes or {}).get(h))
        for h, ps in probabilities.items()
    }
    return Adjustment(tuple(weights), factors, rates, fractions)


def _fraction(
    probabilities: list[float], first_stage: list[float] | None, size: int | None
) -> float:
    """A stratum's sampling fraction (module docstring), never above 1."""
    if first_stage:
        fraction = sum(first_stage) / len(first_stage)
    elif size:
        fraction = len(probabilities) / size
    else:
        fraction = sum(probabilities) / len(probabilities)
    return min(fraction, 1.0)
