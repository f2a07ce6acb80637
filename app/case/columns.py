"""Which column of a case list is which case field.

Provinces export case lists from their TTHC information systems with Vietnamese
headers; these are recognised without diacritics and case (``Mã hồ sơ``, ``MA HO
SO`` and ``ma ho so`` are one header). Other columns (``Trạng thái hồ sơ``,
``Email``, ...) are ignored and reported; a mapping file (YAML or JSON, header →
field, or ``null`` to ignore a column quietly) gives other headers a field::

    columns:
      Số biên nhận: case_code
      Ghi chú: null
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import yaml

from app.case.schemas import IgnoredColumn
from app.core.errors import UnprocessableError
from app.core.messages import message
from sampling.contacts import fold

FIELDS = (
    "case_code",
    "procedure_code",
    "procedure_name",
    "field",
    "unit",
    "applicant_name",
    "phone",
    "address",
    "commune",
    "hamlet",
    "received_on",
    "returned_on",
    "channel",
)
"""Case fields a column can fill."""

REQUIRED = ("unit",)

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "case_code": ("Mã hồ sơ", "Số hồ sơ", "Mã số hồ sơ", "Số biên nhận", "case_code"),
    "procedure_code": ("Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính", "procedure_code"),
    "procedure_name": (
        "Tên thủ tục",
        "Tên TTHC",
        "Tên thủ tục hành chính",
        "Thủ tục",
        "Thủ tục hành chính",
        "procedure_name",
    ),
    "field": ("Lĩnh vực", "field"),
    "unit": (
        "Cơ quan",
        "Đơn vị",
        "Cơ quan giải quyết",
        "Đơn vị giải quyết",
        "Cơ quan thực hiện",
        "Đơn vị thực hiện",
        "Mã đơn vị",
        "Mã cơ quan",
        "unit",
        "unit_code",
    ),
    "applicant_name": (
        "Họ tên",
        "Họ và tên",
        "Người nộp",
        "Tên người nộp",
        "Người nộp hồ sơ",
        "Chủ hồ sơ",
        "Người đứng tên",
        "applicant_name",
    ),
    "phone": ("Số điện thoại", "Điện thoại", "SĐT", "Số ĐT", "phone"),
    "address": ("Địa chỉ", "Địa chỉ liên hệ", "Địa chỉ thường trú", "address"),
    "commune": ("Xã", "Xã/Phường", "Xã, phường, thị trấn", "Phường/Xã", "commune"),
    "hamlet": ("Ấp", "Ấp/Khóm", "Ấp, khóm", "Thôn", "Khóm/Ấp", "hamlet"),
    "received_on": ("Ngày tiếp nhận", "Ngày nhận", "Ngày nộp", "received_on"),
    "returned_on": (
        "Ngày trả kết quả",
        "Ngày hoàn thành",
        "Ngày trả",
        "Ngày có kết quả",
        "returned_on",
    ),
    "channel": ("Hình thức nộp", "Hình thức", "Kênh nộp", "channel"),
}

IGNORED_HEADERS = ("STT", "Số thứ tự", "TT")
"""Row numbers that exports add; never a case field."""

_KNOWN = {fold(alias): field for field, aliases in HEADER_ALIASES.items() for alias in aliases}
_IGNORED = {fold(h) for h in IGNORED_HEADERS}


def parse_mapping(text: str | bytes | None) -> dict[str, str | None]:
    """Read a mapping file: ``{columns: {header: field | null}}`` or the bare mapping."""
    if text is None:
        return {}
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise UnprocessableError(error="mapping_not_yaml", line=line) from exc
    if isinstance(document, Mapping) and "columns" in document:
        document = document["columns"]
    if not isinstance(document, Mapping):
        raise UnprocessableError(error="mapping_not_a_mapping")
    mapping: dict[str, str | None] = {}
    bad = []
    for header, target in document.items():
        if target is not None and target not in FIELDS:
            bad.append(f"{header!r} → {target!r}")
        mapping[str(header)] = None if target is None else str(target)
    if bad:
        raise UnprocessableError(
            error="mapping_unknown_fields", names=", ".join(bad), known=", ".join(FIELDS)
        )
    return mapping


def column_letter(number: int) -> str:
    """A spreadsheet's name of column ``number``: 1 → A, 26 → Z, 27 → AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def header_score(mapping: Mapping[str, str | None]) -> Callable[[Sequence[Any]], int]:
    """How many cells of a row are headers this import knows (aliases, the mapping's
    headers, row-number columns): what tells the header from title rows above it."""
    known = _KNOWN.keys() | _IGNORED | {fold(k) for k in mapping}

    def score(cells: Sequence[Any]) -> int:
        return sum(1 for cell in cells if cell is not None and fold(str(cell)) in known)

    return score


def resolve_header(
    header: list[str], mapping: Mapping[str, str | None], *, row: int = 1
) -> tuple[dict[str, int], list[IgnoredColumn]]:
    """Field → column index, from the aliases and the explicit ``mapping``, and the
    columns that are ignored because no alias or mapping names them.

    Raises
    ------
    UnprocessableError
        When no column gives the unit, or two columns give one field.
    """
    explicit = {fold(k): v for k, v in mapping.items()}
    positions: dict[str, int] = {}
    ignored: list[IgnoredColumn] = []
    problems: list[str] = []
    for index, raw in enumerate(header):
        name = fold(str(raw))
        if not name or (name in _IGNORED and name not in explicit):
            continue
        target = explicit[name] if name in explicit else _KNOWN.get(name)
        if target is None:
            if name not in explicit:
                column = index + 1
                ignored.append(
                    IgnoredColumn(column=column, letter=column_letter(column), header=str(raw))
                )
            continue
        if target in positions:
            problems.append(
                message(
                    "header_doubled", field=target, first=positions[target] + 1, second=index + 1
                )
            )
            continue
        positions[target] = index
    if any(f not in positions for f in REQUIRED):
        problems.insert(0, message("header_no_unit"))
    if problems:
        raise UnprocessableError(
            error="bad_header",
            row=row,
            problems=" ".join(problems),
            hint=message("case_headers"),
            fields=[{"path": f"dòng {row}", "row": row, "message": p} for p in problems],
        )
    return positions, ignored


def describe(header: list[str], positions: Mapping[str, int]) -> dict[str, Any]:
    """The mapping that was used, header → field, for the import record."""
    by_index = {index: field for field, index in positions.items()}
    return {str(h): by_index.get(i) for i, h in enumerate(header) if str(h).strip()}
