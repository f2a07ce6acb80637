"""Writing respondent-level rows (:mod:`app.response.export`) as CSV, XLSX, SPSS or Stata.

* **CSV**: UTF-8 with a byte-order mark (Excel then shows Vietnamese letters), a header
  of column names, values as in answer files: codes, ``na`` for "không áp dụng / không
  biết", multiple choices as ``1;3``, moments as ``YYYY-MM-DD HH:MM:SS`` (UTC). Written
  row by row.
* **XLSX**: the same cells on the sheet «Dữ liệu» (openpyxl in write-only mode, rows
  spooled to disk), and the codebook on «Từ điển biến»: each column's name, label and
  value labels.
* **SPSS** ``.sav`` and **Stata** ``.dta`` (pyreadstat): variable labels and value labels
  in Vietnamese (UTF-8); "không áp dụng / không biết" is the code
  :data:`NOT_APPLICABLE_CODE` declared user-missing in SPSS and the extended missing
  value ``.a`` in Stata, so that neither counts it as a valid answer. pyreadstat writes
  from one data frame, so the whole export is held in memory as column arrays (numbers
  8 bytes a cell, text as Python strings).

Text cells go through :mod:`app.core.cells`, so that no spreadsheet reads a typed
answer as a formula. Variable names keep the item codes where the package allows them;
others are made valid (letters, digits, ``_``; Stata: at most 32 characters) and told
apart with a suffix.
"""

from __future__ import annotations

import csv
import re
from array import array
from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.core.cells import csv_row, xlsx_row
from app.core.models import as_utc
from questionnaires.codebook import Column, Kind
from questionnaires.schema import NOT_APPLICABLE


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    SAV = "sav"
    DTA = "dta"


MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.SAV: "application/x-spss-sav",
    ExportFormat.DTA: "application/x-stata-dta",
}

NOT_APPLICABLE_CODE = 9
"""The code of "không áp dụng / không biết" on scales (1–5, 1–3) in SPSS files."""

_MOMENT = "%Y-%m-%d %H:%M:%S"


def _moment(value: datetime) -> datetime:
    """A stored moment as a naive UTC date and time (what spreadsheets and packages hold)."""
    return as_utc(value).replace(tzinfo=None)


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _moment(value).strftime(_MOMENT)
    if isinstance(value, float):
        return repr(value)
    return value


def write_csv(columns: Sequence[Column], rows: Iterable[list[Any]], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([column.code for column in columns])
        for row in rows:
            writer.writerow(csv_row(_text(value) for value in row))
            count += 1
    return count


def _codebook_rows(columns: Sequence[Column]) -> Iterable[list[Any]]:
    for column in columns:
        labels = {**column.value_labels}
        values = "; ".join(f"{code} = {label}" for code, label in labels.items())
        if column.not_applicable:
            values += f"; {NOT_APPLICABLE} = {column.not_applicable}"
        yield [column.code, column.label, values]


def write_xlsx(
    columns: Sequence[Column], rows: Iterable[list[Any]], path: Path, *, title: str
) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Dữ liệu")
    sheet.append([column.code for column in columns])
    count = 0
    for row in rows:
        cells = [_moment(v) if isinstance(v, datetime) else v for v in row]
        sheet.append(xlsx_row(sheet, cells))
        count += 1
    codebook = book.create_sheet("Từ điển biến")
    codebook.append(xlsx_row(codebook, [title]))
    codebook.append(xlsx_row(codebook, ["Tên biến", "Nhãn biến", "Nhãn giá trị"]))
    for line in _codebook_rows(columns):
        codebook.append(xlsx_row(codebook, line))
    book.save(path)
    return count


_STATA_RESERVED = frozenset(
    {
        "_all",
        "_b",
        "byte",
        "_coef",
        "_cons",
        "double",
        "float",
        "if",
        "in",
        "int",
        "long",
        "_n",
        "_N",
        "_pi",
        "_pred",
        "_rc",
        "_skip",
        "str",
        "strL",
        "using",
        "with",
    }
)
_SPSS_RESERVED = frozenset(
    {
        "ALL",
        "AND",
        "BY",
        "EQ",
        "GE",
        "GT",
        "LE",
        "LT",
        "NE",
        "NOT",
        "OR",
        "TO",
        "WITH",
    }
)


def variable_names(codes: Sequence[str], file_format: ExportFormat) -> list[str]:
    """Valid, distinct variable names for the codes, the codes themselves where valid."""
    longest = 32 if file_format is ExportFormat.DTA else 64
    names: list[str] = []
    taken: set[str] = set()
    for code in codes:
        name = re.sub(r"[^A-Za-z0-9_]", "_", code)
        if not name[:1].isalpha() or name in _STATA_RESERVED or name.upper() in _SPSS_RESERVED:
            name = f"v_{name}"
        name = name[:longest]
        base, number = name, 1
        while name.lower() in taken:
            number += 1
            name = f"{base[: longest - len(str(number)) - 1]}_{number}"
        taken.add(name.lower())
        names.append(name)
    return names


def _cut(text: str, limit: int, *, in_bytes: bool) -> str:
    """``text`` within the format's limit (characters or UTF-8 bytes), whole letters."""
    if not in_bytes:
        return text[:limit]
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


class _Columns:
    """The export gathered column by column: numbers in ``array('d')`` (NaN missing),
    text as strings, moments as ``datetime``."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = columns
        self.values: list[Any] = [
            array("d") if column.kind in (Kind.INTEGER, Kind.NUMBER) else [] for column in columns
        ]

    def add(self, row: list[Any]) -> None:
        for column, store, value in zip(self.columns, self.values, row, strict=True):
            if column.kind is Kind.MOMENT:
                store.append(_moment(value) if value is not None else None)
            elif column.kind in (Kind.INTEGER, Kind.NUMBER):
                if value == NOT_APPLICABLE:
                    value = NOT_APPLICABLE_CODE
                store.append(float("nan") if value is None else float(value))
            else:
                store.append("" if value is None else str(value))


def _frame(gathered: _Columns, names: list[str], file_format: ExportFormat) -> Any:
    import numpy as np
    import pandas as pd

    data: dict[str, Any] = {}
    for column, name, values in zip(gathered.columns, names, gathered.values, strict=True):
        if column.kind is Kind.MOMENT:
            data[name] = pd.to_datetime(pd.Series(values, dtype=object))
        elif isinstance(values, array):
            numbers = np.frombuffer(values, dtype=np.float64) if values else np.array([])
            if file_format is ExportFormat.DTA and column.not_applicable:
                marked = numbers.astype(object)
                marked[numbers == NOT_APPLICABLE_CODE] = "a"
                data[name] = marked
            else:
                data[name] = numbers
        else:
            data[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(data)


def write_statistical(
    columns: Sequence[Column],
    rows: Iterable[list[Any]],
    path: Path,
    file_format: ExportFormat,
    *,
    title: str,
) -> int:
    """SPSS or Stata with Vietnamese variable and value labels (see the module)."""
    import pyreadstat

    gathered = _Columns(columns)
    count = 0
    for row in rows:
        gathered.add(row)
        count += 1
    names = variable_names([column.code for column in columns], file_format)
    frame = _frame(gathered, names, file_format)
    del gathered
    stata = file_format is ExportFormat.DTA
    labels: dict[str, str | None] = {
        name: _cut(column.label, 80, in_bytes=False)
        if stata
        else _cut(column.label, 255, in_bytes=True)
        for name, column in zip(names, columns, strict=True)
    }
    values: dict[str, dict[int | float, str]] = {}
    for name, column in zip(names, columns, strict=True):
        coded: dict[int | float, str] = {
            code: _cut(label, 120, in_bytes=True) for code, label in column.value_labels.items()
        }
        if column.not_applicable and not stata:
            coded[NOT_APPLICABLE_CODE] = _cut(column.not_applicable, 120, in_bytes=True)
        if coded:
            values[name] = coded
    not_applicable = [
        name for name, column in zip(names, columns, strict=True) if column.not_applicable
    ]
    if stata:
        pyreadstat.write_dta(
            frame,
            str(path),
            file_label=_cut(title, 80, in_bytes=False),
            column_labels=labels,
            variable_value_labels=values,
            missing_user_values={name: ["a"] for name in not_applicable},
        )
    else:
        pyreadstat.write_sav(
            frame,
            str(path),
            file_label=_cut(title, 64, in_bytes=True),
            column_labels=labels,
            variable_value_labels=values,
            missing_ranges={name: [NOT_APPLICABLE_CODE] for name in not_applicable},
        )
    return count


def write(
    file_format: ExportFormat,
    columns: Sequence[Column],
    rows: Iterable[list[Any]],
    path: Path,
    *,
    title: str,
) -> int:
    """Write the rows to ``path``; how many were written."""
    if file_format is ExportFormat.CSV:
        return write_csv(columns, rows, path)
    if file_format is ExportFormat.XLSX:
        return write_xlsx(columns, rows, path, title=title)
    return write_statistical(columns, rows, path, file_format, title=title)
