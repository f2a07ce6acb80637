"""Reading a PAR components file: which column is which, and one row's values.

The Sở Nội vụ keeps these figures in a spreadsheet laid out like the report's tables
(seed 001, lines 64–66): «Đơn vị · Điểm chuẩn tối đa · Điểm tự đánh giá · Khảo sát CBCC
VC · Chỉ số Sipas · Tổng điểm đạt được · Chỉ số CCHC». Headers are recognised without
case or diacritics; the computed columns (total, PAR %) and row numbers are ignored,
since the platform computes them. Numbers may be typed ``51,34`` or ``51.34``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from analysis import vn
from analysis.par import KIND_GROUPS, UnitGroup
from app.core.errors import UnprocessableError
from app.core.messages import message
from sampling.contacts import fold

NUMBERS = ("standard_max", "self_assessment", "civil_servant_survey", "sipas_points")

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "unit": ("Đơn vị", "Mã đơn vị", "Cơ quan, đơn vị", "Tên đơn vị", "Cơ quan", "unit"),
    "group": ("Nhóm", "Nhóm đơn vị", "Khối", "group"),
    "standard_max": ("Điểm chuẩn tối đa", "Điểm chuẩn", "Điểm tối đa", "standard_max"),
    "self_assessment": (
        "Điểm tự đánh giá",
        "Điểm tự đánh giá (đã thẩm định)",
        "Điểm thẩm định",
        "self_assessment",
    ),
    "civil_servant_survey": (
        "Khảo sát CBCC VC",
        "Khảo sát CBCCVC",
        "Điểm khảo sát CBCCVC",
        "Khảo sát cán bộ, công chức, viên chức",
        "civil_servant_survey",
    ),
    "sipas_points": ("Chỉ số Sipas", "Điểm Chỉ số Sipas", "Điểm SIPAS", "sipas_points"),
}

IGNORED = ("STT", "TT", "Tổng điểm", "Tổng điểm đạt được", "Chỉ số CCHC", "Xếp loại")
"""Row numbers and what the platform computes itself; a column «Chỉ số CCHC 2023» too."""

GROUP_ALIASES: dict[str, UnitGroup] = {
    **{fold(g.value): g for g in UnitGroup},
    **{fold(g.label): g for g in UnitGroup},
    **{fold(g.noun): g for g in UnitGroup},
    fold("Sở, ban, ngành"): UnitGroup.DEPARTMENT,
    fold("Sở"): UnitGroup.DEPARTMENT,
    fold("Cấp huyện"): UnitGroup.LOCAL,
    fold("Cấp xã"): UnitGroup.LOCAL,
    fold("UBND cấp huyện"): UnitGroup.LOCAL,
    fold("UBND cấp xã"): UnitGroup.LOCAL,
    fold("Đơn vị sự nghiệp"): UnitGroup.PUBLIC_SERVICE_UNIT,
    fold("Đơn vị sự nghiệp công lập"): UnitGroup.PUBLIC_SERVICE_UNIT,
    fold("Cơ quan Trung ương"): UnitGroup.CENTRAL_AGENCY,
    fold("Trung ương"): UnitGroup.CENTRAL_AGENCY,
}

_KNOWN = {fold(alias): field for field, aliases in HEADER_ALIASES.items() for alias in aliases}
_IGNORED = {fold(h) for h in IGNORED}


def _ignored(name: str) -> bool:
    return name in _IGNORED or name.startswith(fold("Chỉ số CCHC"))


def header_score(cells: Sequence[Any]) -> int:
    """How many cells of a row are PAR headers: the header is found below a title block."""
    names = [fold(str(c)) for c in cells if c is not None and str(c).strip()]
    return sum(1 for name in names if name in _KNOWN or _ignored(name))


def resolve_header(header: list[str], *, sipas_from_file: bool, scheme: str) -> dict[str, int]:
    """Field → column index. ``sipas_from_file``: the scheme takes SIPAS points from the
    file (else the column is refused: the points come from the results).

    Raises
    ------
    UnprocessableError
        ``par_header``, listing every unknown, doubled or missing column.
    """
    positions: dict[str, int] = {}
    problems: list[str] = []
    for index, raw in enumerate(header):
        name = fold(str(raw))
        if not name or _ignored(name):
            continue
        field = _KNOWN.get(name)
        if field is None:
            problems.append(message("par_column_unknown", column=raw, number=index + 1))
        elif field in positions:
            problems.append(message("par_column_twice", column=raw, number=index + 1))
        elif field == "sipas_points" and not sipas_from_file:
            problems.append(message("par_sipas_from_results", column=raw, scheme=scheme))
        else:
            positions[field] = index
    required = ["unit", "standard_max", "self_assessment", "civil_servant_survey"]
    if sipas_from_file:
        required.append("sipas_points")
    problems += [
        message("par_column_missing", column=HEADER_ALIASES[f][0])
        for f in required
        if f not in positions
    ]
    if problems:
        raise UnprocessableError(
            error="par_header",
            problems="; ".join(problems),
            fields=[{"path": "row 1", "row": 1, "message": p} for p in problems],
        )
    return positions


@dataclass(frozen=True)
class ParsedRow:
    """One row's values: the unit as written, its group if given, and the points."""

    unit: str
    group: UnitGroup | None
    points: dict[str, Decimal]


Problem = tuple[str | None, str | None, str]
"""(column, value shown, reason) of one problem of a row."""


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return "" if raw is None else str(raw).strip()


def _number(raw: Any) -> Decimal:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return Decimal(format(raw, ".15g"))
    return vn.parse_decimal(_text(raw))


def parse_group(text: str) -> UnitGroup:
    """A group from its code or Vietnamese name (``Sở ngành``, ``Cấp huyện``, …)."""
    found = GROUP_ALIASES.get(fold(text))
    if found is None:
        raise ValueError(message("par_group_unknown", value=text))
    return found


def group_of_kind(kind: str) -> UnitGroup | None:
    return KIND_GROUPS.get(kind)


def parse_row(
    cells: list[Any], header: list[str], positions: Mapping[str, int]
) -> tuple[ParsedRow, list[Problem]]:
    """The row's values (those that could be read) and every problem found in it."""

    def cell(field: str) -> Any:
        index = positions.get(field)
        return cells[index] if index is not None and index < len(cells) else None

    problems: list[Problem] = []
    unit = _text(cell("unit"))
    if not unit:
        problems.append((header[positions["unit"]], None, message("par_unit_missing")))
    group = None
    if _text(cell("group")):
        try:
            group = parse_group(_text(cell("group")))
        except ValueError as exc:
            problems.append((header[positions["group"]], _text(cell("group")), str(exc)))
    points: dict[str, Decimal] = {}
    for field in NUMBERS:
        if field not in positions:
            continue
        column, raw = header[positions[field]], cell(field)
        if _text(raw) == "":
            problems.append((column, None, message("par_value_missing")))
            continue
        try:
            value = _number(raw)
        except ValueError as exc:
            problems.append((column, _text(raw), str(exc)))
            continue
        if value < 0 or (field == "standard_max" and not 0 < value <= 100):
            problems.append((column, _text(raw), message("par_value_out_of_range")))
            continue
        points[field] = value
    parts = sum((points.get(f, Decimal(0)) for f in NUMBERS[1:]), Decimal(0))
    if "standard_max" in points and parts > points["standard_max"]:
        column = header[positions["standard_max"]]
        shown = _text(cell("standard_max"))
        problems.append((column, shown, message("par_total_above_max", total=vn.points(parts))))
    return ParsedRow(unit=unit, group=group, points=points), problems
