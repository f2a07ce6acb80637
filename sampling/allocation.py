"""Allocation of a total sample size across strata (spec §5).

Every method is the same computation with different weights ``w_h``: find the
real allocation ``x_h = clip(λ w_h, lo_h, N_h)`` whose total is ``n`` (with
``lo_h = min(minimum, N_h)``), then round it to integers by the largest-remainder
(Hamilton) method. The result always sums to ``n``, never exceeds a stratum's
size, and gives every stratum at least the minimum it can hold.

=============  ===========================================  ===================
method         weight ``w_h``                               reference
=============  ===========================================  ===================
equal          1                                            Cochran §5.5
proportional   N_h                                          Cochran §5.3
neyman         N_h S_h (S_h² the stratum variance)          Cochran §5.5
fixed          counts given per stratum (capped at N_h)     spec §5
=============  ===========================================  ===================

References
----------
.. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., ch. 5.
.. [2] Balinski, M. L. and Young, H. P. (2001). *Fair Representation*: the
   largest-remainder (Hamilton) method.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class AllocationMethod(StrEnum):
    EQUAL = "equal"
    PROPORTIONAL = "proportional"
    NEYMAN = "neyman"
    FIXED = "fixed"


@dataclass(frozen=True)
class Allocation:
    """Sample sizes per stratum.

    Attributes
    ----------
    method : AllocationMethod
    counts : Mapping[str, int]
        n_h per stratum, in sorted stratum order.
    capped : tuple of str
        Strata that received their whole size N_h (take-all).
    """

    method: AllocationMethod
    counts: Mapping[str, int]
    capped: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def allocate(
    sizes: Mapping[str, int],
    n: int | None,
    method: AllocationMethod | str,
    *,
    minimum: int = 0,
    variances: Mapping[str, float] | None = None,
    fixed: Mapping[str, int] | None = None,
) -> Allocation:
    """Allocate ``n`` sample places across strata of sizes ``sizes``.

    Parameters
    ----------
    sizes : Mapping[str, int]
        N_h, the number of frame units in each stratum.
    n : int or None
        The total sample size; for ``fixed`` it may be ``None`` (the sum of the
        capped counts) and otherwise must equal that sum.
    method : {"equal", "proportional", "neyman", "fixed"}
    minimum : int
        Places every stratum receives first (fewer if the stratum is smaller).
    variances : Mapping[str, float], optional
        S_h² per stratum, required for ``neyman``.
    fixed : Mapping[str, int], optional
        n_h per stratum, required for ``fixed``; strata not named get 0.

    Returns
    -------
    Allocation

    Raises
    ------
    ValueError
        When ``n`` exceeds the frame, the minimum cannot fit in ``n``, or an
        input needed by the method is missing; the message names the input.

    Examples
    --------
    >>> allocate({"a": 600, "b": 300, "c": 100}, 100, "proportional").counts
    {'a': 60, 'b': 30, 'c': 10}
    """
    method = AllocationMethod(method)
    strata = sorted(sizes)
    for name in strata:
        if sizes[name] < 0:
            raise ValueError(f"stratum {name!r} has a negative size")
    if minimum < 0:
        raise ValueError("minimum must not be negative")
    if method is AllocationMethod.FIXED:
        return _fixed(sizes, n, fixed)
    if n is None:
        raise ValueError(f"n is required for {method.value} allocation")
    total_size = sum(sizes.values())
    if not 0 <= n <= total_size:
        raise ValueError(f"n = {n} is outside [0, {total_size}], the frame size")
    lower = {h: min(minimum, sizes[h]) for h in strata}
    if sum(lower.values()) > n:
        raise ValueError(
            f"the minimum of {minimum} per stratum needs {sum(lower.values())} places, "
            f"more than n = {n}"
        )
    weights = _weights(method, sizes, variances)
    real = _water_fill(strata, weights, lower, sizes, n)
    counts = _largest_remainder(strata, real, n)
    capped = tuple(h for h in strata if counts[h] == sizes[h] and sizes[h] > 0)
    return Allocation(method, counts, capped)


def _weights(
    method: AllocationMethod, sizes: Mapping[str, int], variances: Mapping[str, float] | None
) -> dict[str, float]:
    if method is AllocationMethod.EQUAL:
        return {h: 1.0 if sizes[h] else 0.0 for h in sizes}
    if method is AllocationMethod.PROPORTIONAL:
        return {h: float(sizes[h]) for h in sizes}
    if variances is None:
        raise ValueError("variances are required for neyman allocation")
    missing = sorted(set(sizes) - set(variances))
    if missing:
        raise ValueError(f"variances lack the strata {', '.join(missing)}")
    if any(variances[h] < 0 for h in sizes):
        raise ValueError("variances must not be negative")
    return {h: sizes[h] * math.sqrt(variances[h]) for h in sizes}


def _water_fill(
    strata: list[str],
    weights: Mapping[str, float],
    lower: Mapping[str, int],
    upper: Mapping[str, int],
    n: int,
) -> dict[str, float]:
    """The real x_h = clip(λ w_h, lo_h, N_h) with Σ x_h = n (exact piecewise-linear solve)."""

    def total(lam: float) -> float:
        return sum(min(max(lam * weights[h], lower[h]), upper[h]) for h in strata)

    if sum(upper[h] for h in strata) == n:
        return {h: float(upper[h]) for h in strata}
    breakpoints = sorted(
        {0.0}
        | {lower[h] / weights[h] for h in strata if weights[h] > 0}
        | {upper[h] / weights[h] for h in strata if weights[h] > 0}
    )
    lam = breakpoints[-1]
    for left, right in itertools.pairwise(breakpoints):
        at_left, at_right = total(left), total(right)
        if at_right >= n:
            # Σ x_h is linear in λ between two breakpoints: interpolate.
            lam = left + (n - at_left) * (right - left) / (at_right - at_left)
            break
    return {h: min(max(lam * weights[h], lower[h]), upper[h]) for h in strata}


def _largest_remainder(strata: list[str], real: Mapping[str, float], n: int) -> dict[str, int]:
    counts = {h: math.floor(real[h] + 1e-9) for h in strata}
    left = n - sum(counts.values())
    order = sorted(strata, key=lambda h: (-(real[h] - counts[h]), h))
    for h in order[:left]:
        counts[h] += 1
    return counts


def _fixed(sizes: Mapping[str, int], n: int | None, fixed: Mapping[str, int] | None) -> Allocation:
    if fixed is None:
        raise ValueError("counts per stratum are required for fixed allocation")
    unknown = sorted(set(fixed) - set(sizes))
    if unknown:
        raise ValueError(f"fixed counts name strata not in the frame: {', '.join(unknown)}")
    if any(count < 0 for count in fixed.values()):
        raise ValueError("fixed counts must not be negative")
    counts = {h: min(fixed.get(h, 0), sizes[h]) for h in sorted(sizes)}
    capped = tuple(h for h in sorted(sizes) if fixed.get(h, 0) > sizes[h])
    if n is not None and n != sum(counts.values()):
        raise ValueError(
            f"n = {n} differs from the sum of the fixed counts after capping at the "
            f"stratum sizes ({sum(counts.values())})"
        )
    return Allocation(AllocationMethod.FIXED, counts, capped)
