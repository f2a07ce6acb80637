"""CSV, XLSX and chart exports in the layout of the provinces' reports.

* **Criteria × years**: one row per sub-index and criterion (numbered as on the form),
  one column per campaign year, and the change on the previous year — the layout of the
  "Kết quả theo từng tiêu chí" tables.
* **Units ranked**: units by SIPAS rate, with the scheme's points and band — the layout
  of the ranking tables ("STT, Đơn vị, …, Xếp loại").
* **Charts** (matplotlib, PNG or SVG): sub-indices per unit as a heat map, and
  sub-indices year on year as grouped bars.

Figures are rounded here, for display only: half-up, 2 decimals for percentages and 4
for points (:mod:`analysis.rounding`). Withheld (small) cells are shown as empty.
Headers are Vietnamese: these files go to people.

openpyxl writes the XLSX (the standard library for Office Open XML in Python);
matplotlib draws the charts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from analysis.rounding import percent, points
from analysis.schemes import WeightScheme
from app.core.cells import csv_row, xlsx_row
from questionnaires import Questionnaire

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Sheet:
    """A table to write: title, header row and rows."""

    title: str
    header: list[str]
    rows: list[list[Cell]]


def _pct(value: float | None) -> Decimal | None:
    return None if value is None else percent(value)


def _pts(value: float | None) -> Decimal | None:
    return None if value is None else points(value)


def criteria_by_year(form: Questionnaire, years: Sequence[tuple[int, dict[str, Any]]]) -> Sheet:
    """Criteria × years. ``years`` are (year, public results) oldest first."""
    header = ["STT", "Mã", "Chỉ số thành phần / tiêu chí", *(str(y) for y, _ in years)]
    if len(years) > 1:
        header.append("Tăng/giảm (điểm %)")

    def line(number: Cell, code: str, text: str, cells: list[dict[str, Any] | None]) -> list[Cell]:
        rates = [c.get("rate") if c else None for c in cells]
        row: list[Cell] = [number, code, text, *(_pct(r) for r in rates)]
        if len(years) > 1:
            last, before = rates[-1], rates[-2]
            row.append(_pct(last - before) if last is not None and before is not None else None)
        return row

    rows = [line("", "SIPAS", "Chỉ số hài lòng chung (SIPAS)", [d.get("sipas") for _, d in years])]
    for subindex, items in form.criteria_by_subindex().items():
        if not items:
            continue
        name = next(s.name for s in form.subindices if s.code == subindex)
        rows.append(
            line(subindex, subindex, name, [d["subindices"].get(subindex) for _, d in years])
        )
        rows.extend(
            line(
                item.number,
                item.code,
                item.text.strip(),
                [d["criteria"].get(item.code) for _, d in years],
            )
            for item in items
        )
    return Sheet("Tiêu chí theo năm", header, rows)


def units_ranked(results: dict[str, Any], scheme: WeightScheme) -> Sheet:
    """Units ranked by SIPAS rate with the scheme's points and the band of the rate."""
    components = [c.code for c in scheme.components]
    labels = [c.label for c in scheme.components]
    header = ["STT", "Mã đơn vị", "Đơn vị", "Số phiếu", "Chỉ số SIPAS (%)", *labels]
    header += ["Tổng điểm", "Xếp loại"] if components else ["Xếp loại"]
    units = sorted(
        results["units"].items(),
        key=lambda item: (item[1]["sipas"]["rate"] is None, -(item[1]["sipas"]["rate"] or 0)),
    )
    rows: list[list[Cell]] = []
    for rank, (code, unit) in enumerate(units, start=1):
        rate = unit["sipas"]["rate"]
        par = unit.get("par_points") or {"components": [], "total": None}
        by_code = {c["code"]: c["points"] for c in par["components"]}
        band = scheme.band(rate) if rate is not None else None
        row: list[Cell] = [rank, code, unit.get("name") or code, unit["sipas"]["n"], _pct(rate)]
        row += [_pts(by_code.get(c)) for c in components]
        if components:
            row.append(_pts(par["total"]))
        row.append(band.label if band else None)
        rows.append(row)
    return Sheet("Xếp hạng đơn vị", header, rows)


def to_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows the Vietnamese letters."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_row(sheet.header))
    writer.writerows(["" if c is None else str(c) for c in csv_row(row)] for row in sheet.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sheet: Sheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    page = book.active
    assert page is not None
    page.title = sheet.title[:31]
    page.append(xlsx_row(page, sheet.header))
    for cell in page[1]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        page.append(xlsx_row(page, [float(c) if isinstance(c, Decimal) else c for c in row]))
        for cell, value in zip(page[page.max_row], row, strict=True):
            if isinstance(value, Decimal):
                cell.number_format = "0." + "0" * max(-int(value.as_tuple().exponent), 0)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def figure_bytes(figure: Any, image_format: str) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(
        buffer,
        format=image_format,
        bbox_inches="tight",
        metadata={"Date": None} if image_format == "svg" else None,
    )
    plt.close(figure)
    return buffer.getvalue()


def pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "sipas"
    import matplotlib.pyplot as plt

    return plt


def subindices_by_unit_chart(results: dict[str, Any], image_format: str) -> bytes:
    """Heat map: units (rows) × sub-indices (columns), rates written in the cells."""
    plt = pyplot()
    codes = list(results["subindices"])
    units = list(results["units"].items())
    values = [[u["subindices"].get(c, {}).get("rate") for c in codes] for _, u in units] or [
        [None for _ in codes]
    ]
    grid = [[float("nan") if v is None else v for v in row] for row in values]
    figure, axes = plt.subplots(figsize=(1.2 + 0.8 * len(codes), 1.0 + 0.35 * max(len(units), 1)))
    image = axes.imshow(grid, cmap="RdYlGn", vmin=50, vmax=100, aspect="auto")
    axes.set_xticks(range(len(codes)), codes)
    axes.set_yticks(range(len(units)), [u.get("name") or code for code, u in units])
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if value is not None:
                axes.text(j, i, str(percent(value)), ha="center", va="center", fontsize=7)
    axes.set_title("Chỉ số thành phần theo đơn vị (%)")
    figure.colorbar(image, ax=axes)
    return figure_bytes(figure, image_format)


def year_on_year_chart(years: Sequence[tuple[int, dict[str, Any]]], image_format: str) -> bytes:
    """Grouped bars: each sub-index and SIPAS, one bar per year."""
    plt = pyplot()
    codes = list(dict.fromkeys(code for _, d in years for code in d["subindices"]))
    labels = [*codes, "SIPAS"]
    width = 0.8 / max(len(years), 1)
    figure, axes = plt.subplots(figsize=(1.5 + 0.9 * len(labels), 4))
    for k, (year, data) in enumerate(years):
        rates = [data["subindices"].get(c, {}).get("rate") for c in codes]
        rates.append(data["sipas"]["rate"])
        positions = [i + k * width for i in range(len(labels))]
        axes.bar(positions, [r or 0 for r in rates], width, label=str(year))
    axes.set_xticks([i + width * (len(years) - 1) / 2 for i in range(len(labels))], labels)
    axes.set_ylim(0, 100)
    axes.set_ylabel("%")
    axes.set_title("Chỉ số thành phần qua các năm")
    axes.legend()
    return figure_bytes(figure, image_format)
