"""Sample-size helpers (spec §5).

References
----------
.. [1] Yamane, T. (1967). *Statistics: An Introductory Analysis*, 2nd ed.:
   n = N / (1 + N e²), the formula of the Ministry of Home Affairs' 2012 SIPAS
   method (Bộ Nội vụ), used with e = 5 %.
.. [2] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., §4.4: n₀ = z² p (1 − p) / e²
   and the finite-population correction n = n₀ / (1 + (n₀ − 1) / N).
"""

from __future__ import annotations

import math
from statistics import NormalDist


def _check(population: int, margin: float) -> None:
    if population < 1:
        raise ValueError(f"population must be at least 1, got {population}")
    if not 0 < margin < 1:
        raise ValueError(f"margin must lie in (0, 1), got {margin}")


def yamane_size(population: int, margin: float = 0.05) -> int:
    """Sample size n = N / (1 + N e²), rounded up.

    Parameters
    ----------
    population : int
        N, the number of people in the frame (or stratum).
    margin : float
        e, the margin of error (0.05 for the BNV method).

    Examples
    --------
    >>> yamane_size(10_000)
    385
    """
    _check(population, margin)
    return math.ceil(population / (1 + population * margin**2) - 1e-9)


def cochran_size(
    population: int | None,
    margin: float = 0.05,
    *,
    proportion: float = 0.5,
    confidence: float = 0.95,
) -> int:
    """Cochran's sample size for a proportion, with finite-population correction.

    n₀ = z² p (1 − p) / e², with z the two-sided normal quantile of
    ``confidence``; when ``population`` is given, n = n₀ / (1 + (n₀ − 1) / N).
    The result is rounded up.

    Parameters
    ----------
    population : int or None
        N; ``None`` for an infinite population (no correction).
    margin : float
        e, the half-width of the confidence interval.
    proportion : float
        p, the anticipated proportion (0.5 is the most conservative).
    confidence : float
        The confidence level, e.g. 0.95 (z = 1.959964).

    Examples
    --------
    >>> cochran_size(None)
    385
    >>> cochran_size(1_000)
    278
    """
    _check(population if population is not None else 1, margin)
    if not 0 < proportion < 1:
        raise ValueError(f"proportion must lie in (0, 1), got {proportion}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    n0 = z**2 * proportion * (1 - proportion) / margin**2
    if population is not None:
        n0 = n0 / (1 + (n0 - 1) / population)
    return math.ceil(n0 - 1e-9)
