"""Spreadsheet cells that stay text: no export carries a live formula.

A value a person typed (a name, an address, a unit's name, a note) that starts with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which spreadsheets skip
before such a character) becomes a formula when a CSV is opened in a spreadsheet,
or when openpyxl writes it to an XLSX: ``=HYPERLINK(...)`` sends whoever opens the
file somewhere else (CSV injection, OWASP). Every CSV and XLSX export writes its
rows through :func:`csv_row` or :func:`xlsx_row`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: Any) -> Any:
    """A string that a spreadsheet would read as a formula, with a leading apostrophe
    (shown as text, the apostrophe hidden); everything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_text(v) for v in values]


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """Cells for ``sheet.append``: every string an explicit text cell, and one that looks
    like a formula also marked to stay text when edited (``quotePrefix``)."""
    cells: list[Any] = []
    for value in values:
        if not isinstance(value, str):
            cells.append(value)
            continue
        cell = WriteOnlyCell(sheet, value=None)
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_LEADS):
            cell.quotePrefix = True
        cells.append(cell)
    return cells
