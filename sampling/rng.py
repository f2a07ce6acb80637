"""The one source of randomness of every draw: a PCG64 stream from an explicit seed.

Only the raw 64-bit output of :class:`numpy.random.PCG64` is used. That stream is
fixed by the PCG64 definition (O'Neill 2014, XSL-RR 128/64) and by numpy's
:class:`~numpy.random.SeedSequence` seeding, both of which numpy keeps stable
across versions and platforms. Bounded integers and uniforms are derived from
the raw words here, by rules this module defines, so a draw never depends on the
implementation of ``Generator.choice`` or ``Generator.integers`` (which numpy may
change between releases; NEP 19).

The name and version of these rules is :data:`ALGORITHM_VERSION`; every stored
draw records it, and a change to any rule in this package must change it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

ALGORITHM_VERSION = "sipas-sampling/1 numpy-PCG64"
"""Names the selection rules of this package and the bit generator they consume."""

_TWO_POW_53 = float(2**53)
_LOW32 = np.uint64(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)


class RandomStream:
    """Random numbers for one draw, from ``PCG64(seed)``.

    Parameters
    ----------
    seed : int
        A non-negative integer of any size. The same seed always yields the same
        sequence of numbers on every machine.
    """

    def __init__(self, seed: int) -> None:
        if seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed}")
        self._bits = np.random.PCG64(seed)

    def raw(self, count: int) -> NDArray[np.uint64]:
        """The next ``count`` raw 64-bit words."""
        if count == 0:
            return np.empty(0, dtype=np.uint64)
        return np.asarray(self._bits.random_raw(count), dtype=np.uint64)

    def uniform(self) -> float:
        """One uniform number in [0, 1): the top 53 bits of the next word."""
        word = int(self.raw(1)[0])
        return (word >> 11) / _TWO_POW_53

    def bounded(self, bounds: NDArray[np.uint64]) -> NDArray[np.uint64]:
        """One unbiased integer in ``[0, bounds[i])`` for each ``i``.

        Lemire's multiply-and-reject method (Lemire 2019, "Fast random integer
        generation in an interval", ACM TOMACS 29(1)): for a word ``x`` and bound
        ``m``, the result is the high 64 bits of ``x * m``; when the low 64 bits
        fall below ``2**64 mod m`` the word is rejected. Rejected positions are
        redrawn, in increasing position order, from the words that follow.
        Bounds must be below ``2**32`` (frames of up to 4 billion elements), so
        that the 128-bit product can be formed from 32-bit halves.

        Parameters
        ----------
        bounds : ndarray of uint64
            Exclusive upper bounds, each in ``[1, 2**32)``.
        """
        bounds = np.asarray(bounds, dtype=np.uint64)
        if bounds.size and (int(bounds.min()) < 1 or int(bounds.max()) >= 2**32):
            raise ValueError("bounds must lie in [1, 2**32)")
        result = np.empty(bounds.size, dtype=np.uint64)
        pending = np.arange(bounds.size)
        while pending.size:
            m = bounds[pending]
            x = self.raw(pending.size)
            high, low = _mul_64x32(x, m)
            threshold = (np.uint64(0) - m) % m  # 2**64 mod m, in uint64 arithmetic
            rejected = low < threshold
            result[pending[~rejected]] = high[~rejected]
            pending = pending[rejected]
        return result

    def offsets(self, bounds: NDArray[np.uint64]) -> NDArray[np.uint64] | None:
        """Like :meth:`bounded` in one pass: one word per bound, or ``None`` (and the
        words consumed) when a word would be rejected, i.e. whenever :meth:`bounded`
        would have read more words than bounds. Callers then start again from a fresh
        stream of the same seed."""
        bounds = np.asarray(bounds, dtype=np.uint64)
        if bounds.size == 0:
            return bounds
        if int(bounds.min()) < 1 or int(bounds.max()) >= 2**32:
            raise ValueError("bounds must lie in [1, 2**32)")
        high, low = _mul_64x32(self.raw(bounds.size), bounds)
        if bool(np.any(low < (np.uint64(0) - bounds) % bounds)):
            return None
        return high


def _mul_64x32(
    x: NDArray[np.uint64], m: NDArray[np.uint64]
) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    """High and low 64-bit words of ``x * m`` for 64-bit ``x`` and 32-bit ``m``."""
    x_high = x >> _SHIFT32
    x_low = x & _LOW32
    low_product = x_low * m  # < 2**64
    high_product = x_high * m  # < 2**64
    carry = low_product >> _SHIFT32
    middle = high_product + carry  # < 2**64: high_product <= (2**32-1)**2
    high = middle >> _SHIFT32
    low = ((middle & _LOW32) << _SHIFT32) | (low_product & _LOW32)
    return high, low
