"""Vietnamese number style for everything people read: ``84,81%``, ``1.889``, ``02 đơn vị``.

Vietnamese administrative documents write the decimal separator as a comma and group
thousands with a dot (seed ``001``, Sóc Trăng 2023: «tỷ lệ 84,81%», «1.889 người»,
«605.297.062 đồng»), and write small counts of units with two digits («04 đơn vị»,
«01 đơn vị»). Figures are rounded half-up only here, at presentation
(:mod:`analysis.rounding`, spec §3); the same functions format the tables and the
sentences of a report, so a number in the text is always the number in the table.

:func:`parse_decimal` reads numbers typed either way (``51,34`` or ``51.34``), as
they arrive in spreadsheets from Vietnamese offices.
"""

from __future__ import annotations

import re
from decimal import Decimal

from analysis.rounding import PERCENT_PLACES, round_half_up

POINTS_SHOWN = 2
"""Decimals of PAR points in reports: the provinces' tables show two (``51,34``)."""

_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
_GROUPED_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_GROUPED_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")


def number(value: int | float | Decimal, places: int = 0) -> str:
    """``value`` with ``places`` decimals (half-up), a decimal comma and dots between
    thousands.

    Examples
    --------
    >>> number(1889)
    '1.889'
    >>> number(84.805, 2)
    '84,81'
    >>> number(-1234567.5, 1)
    '-1.234.567,5'
    """
    rounded = round_half_up(value if isinstance(value, Decimal) else float(value), places)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    text = ".".join([whole, *groups])
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def percent(value: float | Decimal, places: int = PERCENT_PLACES) -> str:
    """A percentage as the reports write it: ``percent(84.8051) == '84,81%'``."""
    return f"{number(value, places)}%"


def points(value: float | Decimal) -> str:
    """PAR points as the reports' tables show them: ``points(51.34) == '51,34'``."""
    return number(value, POINTS_SHOWN)


def bound(value: Decimal) -> str:
    """A band boundary without needless decimals: ``80`` → ``'80%'``, ``87.5`` → ``'87,5%'``."""
    normal = value.normalize()
    places = max(-int(normal.as_tuple().exponent), 0)
    return percent(value, places)


def count(value: int) -> str:
    """A count of units, two digits at least: ``count(4) == '04'``, ``count(14) == '14'``."""
    return f"{value:02d}"


def parse_decimal(text: str) -> Decimal:
    """A number typed the Vietnamese way or the English way.

    ``51,34`` and ``51.34`` are 51.34; ``1.889,5`` and ``1,889.5`` are 1889.5. A lone
    dot is a decimal point (spreadsheets export decimals with a dot: ``1.889`` is
    1.889); a lone comma before exactly three digits (``1,889``) is ambiguous and
    refused.

    Raises
    ------
    ValueError
        When ``text`` is not a number; the message is Vietnamese, for the row report.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if _PLAIN.match(cleaned):
        candidate = cleaned
    elif _COMMA_DECIMAL.match(cleaned) and not _GROUPED_COMMA.match(cleaned):
        candidate = cleaned.replace(",", ".")
    elif _GROUPED_DOT.match(cleaned):
        candidate = cleaned.replace(".", "").replace(",", ".")
    elif _GROUPED_COMMA.match(cleaned) and "." in cleaned:
        candidate = cleaned.replace(",", "")
    else:
        raise ValueError(f"«{text}» không phải là một số (ví dụ đúng: 51,34)")
    return Decimal(candidate)
