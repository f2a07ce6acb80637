"""Non-response adjustment of design weights within strata, from the recorded outcomes.

Each sampled person keeps the design weight of the draw (the inverse of its inclusion
probability, spec §5). Those who did not respond are represented by the respondents of
their stratum (weighting-class adjustment, Kalton & Flores-Cervantes 2003, §2): in
stratum :math:`h`

.. math:: a_h = \\frac{\\sum_{i \\in E_h} d_i}{\\sum_{i \\in R_h} d_i}, \\qquad w_i = a_h d_i

where :math:`E_h` are the eligible sampled persons and :math:`R_h` the respondents
(outcome ``completed``; partial responses do not count). Outcomes are treated as:

* ``completed``: respondent;
* ``ineligible``: not part of the population, left out of :math:`E_h`;
* ``replaced``: represented by the reserve who replaced them, left out of :math:`E_h`;
* ``pending`` on a reserve: never fielded, left out;
* everything else (``pending`` in the main sample, ``partial``, ``refused``,
  ``not_reachable``, ``moved``, and a response rejected in review): an eligible
  non-respondent.

The sampling fraction of a stratum for the finite-population correction is the mean
inclusion probability of its main sample.

References
----------
Kalton, G., Flores-Cervantes, I. (2003). Weighting methods. Journal of Official
Statistics 19(2), 81–97.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

RESPONDED = "completed"
NOT_IN_POPULATION = frozenset({"ineligible"})
STOOD_IN_FOR = frozenset({"replaced"})


@dataclass(frozen=True)
class SampledPerson:
    """One sampled (or reserve) person as the adjustment sees them."""

    stratum: str
    design_weight: float
    inclusion_probability: float
    outcome: str
    is_reserve: bool = False


@dataclass(frozen=True)
class Adjustment:
    """Adjusted weights (aligned with the input; ``None`` for non-respondents), the
    factor and response rate of each stratum, and the sampling fractions."""

    weights: tuple[float | None, ...]
    factors: dict[str, float]
    response_rates: dict[str, float]
    sampling_fractions: dict[str, float]


def _eligible(person: SampledPerson) -> bool:
    if person.outcome in NOT_IN_POPULATION or person.outcome in STOOD_IN_FOR:
        return False
    return not (person.is_reserve and person.outcome == "pending")


def adjust_for_nonresponse(people: Sequence[SampledPerson]) -> Adjustment:
    """Weighting-class adjustment of design weights within strata.

    Parameters
    ----------
    people
        Everyone sampled, with the fieldwork outcome recorded for each.

    Returns
    -------
    Adjustment
        A stratum with eligible people but no respondent gets no factor (its
        eligible people are reported in ``response_rates`` as 0).

    Examples
    --------
    >>> people = [SampledPerson("A", 10.0, 0.1, o) for o in ("completed", "refused")]
    >>> adjust_for_nonresponse(people).weights
    (20.0, None)
    """
    eligible: dict[str, float] = {}
    responded: dict[str, float] = {}
    eligible_count: dict[str, int] = {}
    responded_count: dict[str, int] = {}
    probabilities: dict[str, list[float]] = {}
    for person in people:
        if person.design_weight <= 0:
            raise ValueError(f"design weights must be positive, got {person.design_weight}")
        if not person.is_reserve:
            probabilities.setdefault(person.stratum, []).append(person.inclusion_probability)
        if not _eligible(person):
            continue
        eligible[person.stratum] = eligible.get(person.stratum, 0.0) + person.design_weight
        eligible_count[person.stratum] = eligible_count.get(person.stratum, 0) + 1
        if person.outcome == RESPONDED:
            responded[person.stratum] = responded.get(person.stratum, 0.0) + person.design_weight
            responded_count[person.stratum] = responded_count.get(person.stratum, 0) + 1
    factors = {h: eligible[h] / responded[h] for h in responded}
    weights = tuple(
        p.design_weight * factors[p.stratum] if p.outcome == RESPONDED and _eligible(p) else None
        for p in people
    )
    rates = {h: responded_count.get(h, 0) / eligible_count[h] for h in eligible_count}
    fractions = {h: sum(ps) / len(ps) for h, ps in probabilities.items()}
    return Adjustment(weights, factors, rates, fractions)
