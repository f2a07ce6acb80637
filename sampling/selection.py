"""Selection of units within one group: simple random, systematic and PPS systematic.

Each function returns positions into the group's list (in the caller's canonical
order) together with each selected unit's inclusion probability. Selection
draws from a :class:`sampling.rng.RandomStream` only.

References
----------
.. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., Wiley: ch. 2
   (simple random sampling), ch. 8 (systematic sampling), §9A.7 (PPS).
.. [2] Durstenfeld, R. (1964). Algorithm 235: Random permutation. CACM 7(7).
.. [3] Madow, W. G. (1949). On the theory of systematic sampling, II. Annals of
   Mathematical Statistics 20: systematic PPS selection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from sampling.rng import RandomStream


class Method(StrEnum):
    """Selection method within a group."""

    SRS = "srs"
    """Simple random sampling without replacement; draw order is random."""
    SYSTEMATIC = "systematic"
    """Equal-probability systematic sampling with a fractional interval N/n."""
    PPS_SYSTEMATIC = "pps_systematic"
    """Systematic sampling with probability proportional to size (area stages)."""


@dataclass(frozen=True)
class Selection:
    """Result of selecting within one group.

    Attributes
    ----------
    positions : tuple of int
        Positions into the group's list, in draw order: the sample, then the reserves.
    probabilities : tuple of float
        Inclusion probability of each selected position in this stage (the
        reserves carry the probability of the place they may fill).
    sample_size : int
        How many of ``positions`` are the sample; the rest are reserves in draw order.
    """

    positions: tuple[int, ...]
    probabilities: tuple[float, ...]
    sample_size: int


def random_order(stream: RandomStream, population: int, count: int) -> list[int]:
    """The first ``count`` positions of a uniformly random permutation of ``population``.

    Durstenfeld's in-place Fisher–Yates shuffle, stopped after ``count`` swaps
    and kept sparse (only touched positions are stored), so the cost is
    proportional to ``count``, not ``population``. Every ordered ``count``-subset
    is equally likely, so the first ``n`` positions are a simple random sample
    without replacement and the rest follow in random (reserve) order.
    """
    if not 0 <= count <= population:
        raise ValueError(f"cannot take {count} of {population} units")
    if count == 0:
        return []
    offsets = stream.bounded(np.arange(population, population - count, -1, dtype=np.uint64))
    targets = offsets + np.arange(count, dtype=np.uint64)
    if np.unique(targets).size == count:
        # No position was the target of two swaps, so swap i took the element still
        # at its original place: the shuffle's output is the targets themselves.
        return [int(t) for t in targets.tolist()]
    return shuffle_order(offsets.tolist())


def shuffle_order(offsets: list[int]) -> list[int]:
    """Durstenfeld's shuffle from its offsets: swap ``i`` exchanges positions ``i`` and
    ``i + offsets[i]``; the first ``len(offsets)`` positions of the result, kept sparse."""
    moved: dict[int, int] = {}
    order: list[int] = []
    for i, offset in enumerate(offsets):
        j = i + offset
        chosen = moved.get(j, j)
        moved[j] = moved.get(i, i)
        order.append(chosen)
    return order


def simple_random(stream: RandomStream, population: int, n: int, reserves: int) -> Selection:
    """Simple random sample of ``n`` of ``population`` units, then ``reserves`` reserves.

    The inclusion probability of every unit is ``n / population`` (Cochran §2.2).
    Reserves are the next units of the same random order; each carries the
    probability of the sample place it may be released into.
    """
    reserves = min(reserves, population - n)
    order = random_order(stream, population, n + reserves)
    probability = n / population if population else 0.0
    return Selection(tuple(order), (probability,) * len(order), n)


def systematic(stream: RandomStream, population: int, n: int, reserves: int) -> Selection:
    """Systematic sample with the fractional interval ``k = population / n``.

    A random start ``u`` in ``[0, k)`` selects positions ``floor(u + i k)`` for
    ``i = 0 .. n-1``; every unit's inclusion probability is ``n / population``.
    Reserves are a simple random order of the units not selected.
    """
    if not 0 <= n <= population:
        raise ValueError(f"cannot take {n} of {population} units")
    if n == 0:
        return Selection((), (), 0)
    interval = population / n
    start = stream.uniform() * interval
    chosen = [min(int(start + i * interval), population - 1) for i in range(n)]
    rest = _reserve_order(stream, population, chosen, reserves)
    probability = n / population
    positions = tuple(chosen + rest)
    return Selection(positions, (probability,) * len(positions), n)


def pps_systematic(
    stream: RandomStream, sizes: Sequence[float], n: int, reserves: int
) -> Selection:
    """Systematic PPS sample of ``n`` units with measures of size ``sizes``.

    Units whose expected hits ``n x_i / X`` reach 1 are taken with certainty
    (inclusion probability 1) and removed, repeatedly, before the systematic
    pass over the others (Cochran §9A.7; Madow 1949). In that pass, with
    ``X'`` the remaining total and ``n'`` the remaining count, the interval is
    ``X' / n'`` and a random start in ``[0, X'/n')`` selects the units whose
    cumulated size range contains the start plus a multiple of the interval;
    each such unit's inclusion probability is ``n' x_i / X'``. Reserves are a
    simple random order of the units not selected, each with the probability
    it would have had.

    Parameters
    ----------
    sizes : sequence of float
        Positive measures of size (e.g. households per hamlet), in frame order.
    """
    population = len(sizes)
    if not 0 <= n <= population:
        raise ValueError(f"cannot take {n} of {population} units")
    if any(size <= 0 for size in sizes):
        raise ValueError("every measure of size must be positive")
    certain: list[int] = []
    remaining = list(range(population))
    left = n
    while left:
        total = sum(sizes[i] for i in remaining)
        takes = [i for i in remaining if left * sizes[i] >= total]
        if not takes:
            break
        certain.extend(takes)
        taken = set(takes)
        remaining = [i for i in remaining if i not in taken]
        left = n - len(certain)
    probability = dict.fromkeys(certain, 1.0)
    chosen = list(certain)
    if left:
        total = sum(sizes[i] for i in remaining)
        interval = total / left
        point = stream.uniform() * interval
        cumulated = 0.0
        for i in remaining:
            probability[i] = left * sizes[i] / total
            cumulated += sizes[i]
            if point < cumulated and len(chosen) < n:
                chosen.append(i)
                point += interval
        # Rounding can leave the last point a hair beyond the summed sizes: it
        # belongs to the last unit not yet chosen.
        picked = set(chosen)
        unchosen = [i for i in reversed(remaining) if i not in picked]
        chosen.extend(unchosen[: n - len(chosen)])
    rest = _reserve_order(stream, population, chosen, reserves) if left else []
    positions = tuple(chosen + rest)
    return Selection(positions, tuple(probability[i] for i in positions), n)


def _reserve_order(
    stream: RandomStream, population: int, chosen: Sequence[int], reserves: int
) -> list[int]:
    """A random order of ``reserves`` of the units that are not in ``chosen``."""
    taken = set(chosen)
    others = [i for i in range(population) if i not in taken]
    count = min(reserves, len(others))
    return [others[p] for p in random_order(stream, len(others), count)]
