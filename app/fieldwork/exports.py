"""A surveyor's list as CSV or XLSX, and its table for the printable page (Vietnamese
headers)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from app.core.cells import csv_row, xlsx_row
from app.fieldwork.schemas import ListRow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COLUMNS = (
    ("STT", None),
    ("Mã người được chọn", "respondent_id"),
    ("Đơn vị", "unit_name"),
    ("Tầng mẫu", "stratum"),
    ("Thứ tự rút", "draw_order"),
    ("Họ tên", "full_name"),
    ("Số điện thoại", "phone"),
    ("Địa chỉ", "address"),
    ("Xã/Phường", "commune"),
    ("Ấp/Khóm", "hamlet"),
    ("Thủ tục", "procedure_name"),
    ("Ngày trả kết quả", "returned_on"),
    ("Thay cho", "replaces_id"),
    ("Kết quả", "outcome"),
)


def _cells(number: int, row: ListRow) -> list[object]:
    values: list[object] = []
    for _label, attribute in COLUMNS:
        if attribute is None:
            values.append(number)
            continue
        value = getattr(row, attribute)
        if attribute == "outcome":
            value = row.outcome.label
        elif attribute == "returned_on" and value is not None:
            value = value.strftime("%d/%m/%Y")
        values.append("" if value is None else value)
    return values


def to_csv(rows: list[ListRow]) -> bytes:
    """UTF-8 with BOM, so Excel shows the Vietnamese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for label, _ in COLUMNS])
    for number, row in enumerate(rows, start=1):
        writer.writerow(csv_row(_cells(number, row)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[ListRow], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([label for label, _ in COLUMNS])
    for number, row in enumerate(rows, start=1):
        sheet.append(xlsx_row(sheet, _cells(number, row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table(rows: list[ListRow]) -> tuple[list[str], list[list[object]]]:
    """The header and the cells of the list, for the printable page."""
    header = [label for label, _ in COLUMNS]
    return header, [_cells(number, row) for number, row in enumerate(rows, start=1)]
