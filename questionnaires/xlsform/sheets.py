"""Read the sheets of an XLSForm workbook as rows of named cells, with their row numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from questionnaires.xlsform.common import XLSFormProblem, language_code, problem


def cell_text(value: Any) -> str | None:
    """A cell as text: numbers as written (``24``, not ``24.0``), blanks as ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def column_key(header: str) -> str:
    """``Label::Tiếng Việt (vi)`` → ``label::Tiếng Việt (vi)``: the column part in lower
    case, the language as written."""
    base, sep, rest = header.strip().partition("::")
    return f"{base.strip().lower()}{sep}{rest.strip()}"


@dataclass
class Table:
    """One sheet: its column keys and its non-blank rows, each ``(row number, cells)``."""

    name: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def languages(self, problems: list[XLSFormProblem]) -> list[str]:
        """Codes of the languages of ``label::``/``hint::`` columns, in order of appearance;
        a column naming no code is a problem."""
        found: list[str] = []
        for column in self.columns:
            _, sep, rest = column.partition("::")
            if not sep:
                continue
            code = language_code(rest)
            if code is None:
                problems.append(
                    problem(
                        self.name,
                        1,
                        column,
                        "xlsform_language_without_code",
                        f"column {column!r} names no language code, as in 'label::English (en)'",
                        column=column,
                    )
                )
            elif code not in found:
                found.append(code)
        return found


def read_table(name: str, values: list[tuple[Any, ...]], problems: list[XLSFormProblem]) -> Table:
    """The sheet ``name`` from its rows of cell values (the first row is the header);
    a value under no header is a problem, never ignored."""
    if not values:
        return Table(name)
    header = [column_key(cell_text(v) or "") for v in values[0]]
    table = Table(name, [h for h in header if h])
    for number, row in enumerate(values[1:], start=2):
        cells: dict[str, str] = {}
        for index, value in enumerate(row):
            text = cell_text(value)
            if text is None:
                continue
            key = header[index] if index < len(header) else ""
            if not key:
                problems.append(
                    problem(
                        name,
                        number,
                        f"#{index + 1}",
                        "xlsform_cell_without_header",
                        f"a value in column {index + 1}, which has no header",
                        number=index + 1,
                    )
                )
                continue
            cells[key] = text
        if cells:
            table.rows.append((number, cells))
    return table
