"""Rounding for presentation only (spec §3: percentages to 2 decimals, points to 4, half-up).

Every computation keeps full precision; these functions are called only where a
figure is shown (exports, tables, the ``display`` fields of the API). Python's
``round`` rounds halves to even and works on the binary value of a float (``2.08075``
is stored as ``2.0807499999…``), so neither is what the provinces publish. A float is
first read at 15 significant digits, as spreadsheets do, then rounded half-up with
:class:`decimal.Decimal`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PERCENT_PLACES = 2
POINTS_PLACES = 4


def round_half_up(value: float | Decimal, places: int) -> Decimal:
    """Round ``value`` half away from zero to ``places`` decimals.

    Parameters
    ----------
    value
        A float (read at 15 significant digits, which removes binary noise such as
        ``2.5 * 0.8323 == 2.0807499999999997``) or an exact :class:`~decimal.Decimal`.
    places
        Number of decimals, at least 0.

    Returns
    -------
    Decimal
        The rounded value, with exactly ``places`` decimals.

    Examples
    --------
    >>> round_half_up(2.5 * 83.23 / 100, 4)
    Decimal('2.0808')
    >>> round_half_up(0.125, 2)
    Decimal('0.13')
    """
    if places < 0:
        raise ValueError(f"places must be at least 0, got {places}")
    exact = value if isinstance(value, Decimal) else Decimal(format(value, ".15g"))
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(value: float | Decimal) -> Decimal:
    """A percentage as published: 2 decimals, half-up (``81.618…`` → ``81.62``)."""
    return round_half_up(value, PERCENT_PLACES)


def points(value: float | Decimal) -> Decimal:
    """PAR points as published: 4 decimals, half-up (``2.08075`` → ``2.0808``)."""
    return round_half_up(value, POINTS_PLACES)
