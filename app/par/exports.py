"""The PAR table as CSV or XLSX: one row per unit, then each group's averages.

Rounded for display only (:mod:`analysis.rounding`: 2 decimals for %, 4 for points);
written by the results' writers (:func:`app.result.exports.to_csv`, ``to_xlsx``).
"""

from __future__ import annotations

from decimal import Decimal

from analysis.par import GroupSummary, ParTable
from analysis.rounding import percent, points
from app.result.exports import Cell, Sheet


def _pct(value: float | None) -> Decimal | None:
    return None if value is None else percent(value)


def _pts(value: float | Decimal | None) -> Decimal | None:
    return None if value is None else points(value)


def par_sheet(table: ParTable, year: int, previous_year: int | None) -> Sheet:
    """Units in group order then rank, with both kinds of group average at the end."""
    header = [
        "Mã đơn vị", "Đơn vị", "Nhóm", "Điểm chuẩn tối đa", "Điểm tự đánh giá",
        "Khảo sát CBCCVC", "Chỉ số Sipas", "Tổng điểm đạt được", f"Chỉ số CCHC {year} (%)",
        "Xếp hạng trong nhóm", "Xếp hạng chung", "Xếp loại",
    ]  # fmt: skip
    if previous_year is not None:
        header += [f"Chỉ số CCHC {previous_year} (%)", "Tăng/giảm (điểm %)"]
    rows: list[list[Cell]] = []
    for row in table.rows:
        unit = row.unit
        line: list[Cell] = [
            unit.code, unit.name, unit.group.label, _pts(unit.standard_max),
            _pts(unit.self_assessment), _pts(unit.civil_servant_survey), _pts(unit.sipas_points),
            _pts(row.total), _pct(row.percent), row.rank_in_group, row.rank_overall,
            row.band.label if row.band else None,
        ]  # fmt: skip
        if previous_year is not None:
            line += [_pct(row.previous_percent), _pct(row.change)]
        rows.append(line)
    for summary in (*table.groups, table.overall):
        rows += _averages(summary, len(header))
    return Sheet(f"Chỉ số CCHC {year}", header, rows)


def _averages(summary: GroupSummary, width: int) -> list[list[Cell]]:
    label = summary.group.label if summary.group else "Tất cả cơ quan, đơn vị"
    kinds = [
        ("TRUNG BÌNH (trung bình cộng tỷ lệ các đơn vị)", summary.mean_percent),
        ("Tỷ lệ trên tổng điểm (tổng điểm / tổng điểm chuẩn)", summary.pooled_percent),
    ]
    lines: list[list[Cell]] = []
    for name, value in kinds:
        line: list[Cell] = [None, name, label, *([None] * 5), _pct(value)]
        lines.append(line + [None] * (width - len(line)))
    return lines
