"""The one rule that keeps exported cells text (app.core.cells)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from app.core.cells import csv_row, xlsx_row


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_leads_get_an_apostrophe_in_csv(lead: str) -> None:
    assert csv_row([f"{lead}1+2", "Sóc Trăng", 5, None]) == [f"'{lead}1+2", "Sóc Trăng", 5, None]


def test_numbers_and_ordinary_text_are_unchanged() -> None:
    assert csv_row([-3, 1.5, "Ấp 3", "", "a=b"]) == [-3, 1.5, "Ấp 3", "", "a=b"]


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_cells_are_text_not_formulas(write_only: bool) -> None:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("x") if write_only else book.active
    assert sheet is not None
    sheet.append(xlsx_row(sheet, ["=1+2", "@A1", "Đơn vị", 7, -2.5]))
    buffer = io.BytesIO()
    book.save(buffer)
    row = next(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows())
    assert [c.value for c in row] == ["=1+2", "@A1", "Đơn vị", 7, -2.5]
    assert [c.data_type for c in row] == ["s", "s", "s", "n", "n"]


def test_csv_reader_sees_the_text() -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(csv_row(["=cmd", "x"]))
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'=cmd", "x"]
