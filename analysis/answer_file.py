"""Answers collected elsewhere (paper forms keyed into Excel, other survey tools) as CSV.

One row per respondent, one column per item code, plus optional columns for the unit,
the design weight, the stratum, the cluster and the stratum's population size. Each row
is checked with :func:`questionnaires.check_answers`, exactly as answers submitted
through the API, and every problem is reported with its row (the header is row 1) and column.

Cell values by item type: scales and single choices as their code (``4``, ``"2"``),
``na`` for "không áp dụng / không biết" where allowed, multiple choices as codes
separated by ``;`` (``1;3``), numbers and text as written. An empty cell is unanswered.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.table import Respondent
from questionnaires.answers import check_answers
from questionnaires.codebook import MULTIPLE_SEPARATOR
from questionnaires.schema import SCALE_TYPES, ItemType, Questionnaire


@dataclass(frozen=True)
class FileProblem:
    """One problem in an answer file, at a row (header = 1) and column."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.message}"


class AnswerFileError(ValueError):
    """An answer file that cannot be analysed; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[FileProblem], source: str = "answers") -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = f"\n  … and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{source}: {len(self.problems)} problem(s)\n{shown}{more}")


@dataclass(frozen=True)
class Columns:
    """Which CSV columns carry the design and the unit rather than answers."""

    weight: str | None = None
    unit: str | None = None
    stratum: str | None = None
    psu: str | None = None
    mode: str | None = None
    population: str | None = None

    def names(self) -> dict[str, str]:
        named = {
            "weight": self.weight,
            "unit": self.unit,
            "stratum": self.stratum,
            "psu": self.psu,
            "mode": self.mode,
            "population": self.population,
        }
        return {role: column for role, column in named.items() if column is not None}


def read_answer_file(
    text: str, questionnaire: Questionnaire, columns: Columns = Columns(), source: str = "answers"
) -> list[Respondent]:
    """Parse and check a CSV of answers.

    Parameters
    ----------
    text
        The file's text (a UTF-8 byte-order mark is ignored; ``,``, ``;`` or tab
        separated).
    questionnaire
        The form the answers were given on; its item codes are the column names.
    columns
        Names of the columns with the weight, unit, stratum, cluster and mode.

    Returns
    -------
    list of Respondent
        One per data row, with canonical answers.

    Raises
    ------
    AnswerFileError
        Every problem at once: unknown columns, values out of range or not on the
        scale, required items missing, bad weights; nothing is analysed.
    """
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise AnswerFileError([FileProblem(1, "", "the file is empty")], source)
    try:
        dialect: Any = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [name.strip() for name in next(reader)]
    items = questionnaire.item_map()
    roles = columns.names()
    problems: list[FileProblem] = []
    for role, column in roles.items():
        if column not in header:
            problems.append(FileProblem(1, column, f"the {role} column is not in the header"))
    for name in header:
        if name not in items and name not in roles.values():
            problems.append(
                FileProblem(
                    1,
                    name,
                    "unknown column: not an item code of "
                    f"{questionnaire.code!r} nor a named design column",
                )
            )
    duplicates = {name for name in header if header.count(name) > 1}
    problems.extend(FileProblem(1, name, "the column appears twice") for name in duplicates)
    if problems:
        raise AnswerFileError(problems, source)

    respondents: list[Respondent] = []
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                FileProblem(row_number, "", f"{len(row)} cells where the header has {len(header)}")
            )
            continue
        cells = dict(zip(header, (cell.strip() for cell in row), strict=True))
        answers = {
            code: cell_value(items[code].type, cells[code]) for code in header if code in items
        }
        check = check_answers(questionnaire, answers, complete=True)
        problems.extend(FileProblem(row_number, p.item, p.message) for p in check.problems)
        weight = _positive(cells, columns.weight, "weight", row_number, problems)
        population = _positive(cells, columns.population, "population size", row_number, problems)
        respondents.append(
            Respondent(
                answers=check.answers,
                unit=_text(cells, columns.unit),
                stratum=_text(cells, columns.stratum),
                weight=weight,
                psu=_text(cells, columns.psu),
                mode=_text(cells, columns.mode),
                population=population,
            )
        )
    if not respondents and not problems:
        problems.append(FileProblem(2, "", "the file has a header but no answers"))
    if problems:
        raise AnswerFileError(problems, source)
    return respondents


def write_answer_file(
    questionnaire: Questionnaire, respondents: Iterable[Respondent], columns: Columns
) -> str:
    """The CSV :func:`read_answer_file` reads back to the same respondents: the design
    columns named in ``columns`` (unit, weight at full precision, stratum, cluster, mode),
    then one column per item of the questionnaire in form order.

    Examples
    --------
    >>> from questionnaires import bundled_path, load_questionnaire_file
    >>> form = load_questionnaire_file(bundled_path("unit-service"))
    >>> text = write_answer_file(form, [Respondent({"S24": 4}, unit="u1")], Columns(unit="unit"))
    >>> text.splitlines()[1].split(",")[:2]
    ['u1', '4']
    """
    roles = columns.names()
    codes = [item.code for block in questionnaire.blocks for item in block.items]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*roles.values(), *codes])
    for person in respondents:
        design = {
            "weight": "" if person.weight is None else repr(person.weight),
            "unit": person.unit or "",
            "stratum": person.stratum or "",
            "psu": person.psu or "",
            "mode": person.mode or "",
        }
        writer.writerow(
            [*(design[role] for role in roles), *(_cell(person.answers.get(c)) for c in codes)]
        )
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return MULTIPLE_SEPARATOR.join(str(v) for v in value)
    return str(value)


def _text(cells: dict[str, str], column: str | None) -> str | None:
    if column is None:
        return None
    return cells[column] or None


def _positive(
    cells: dict[str, str], column: str | None, what: str, row: int, problems: list[FileProblem]
) -> float | None:
    """A positive number (a decimal comma accepted), or a problem at the row."""
    if column is None:
        return None
    raw = cells[column].replace(",", ".") if cells[column].count(",") == 1 else cells[column]
    try:
        value = float(raw)
    except ValueError:
        problems.append(FileProblem(row, column, f"the {what} {cells[column]!r} is not a number"))
        return None
    if not math.isfinite(value) or value <= 0:
        problems.append(FileProblem(row, column, f"the {what} must be positive, got {value}"))
        return None
    return value


def cell_value(kind: ItemType, cell: str) -> Any:
    """The CSV cell as the answer type :func:`check_answers` expects; unparsable cells
    are passed on as text so that the check names the problem."""
    if cell == "":
        return None
    if kind in SCALE_TYPES:
        if cell.lower() == "na":
            return "na"
        return _number(cell, integer=True)
    if kind is ItemType.MULTIPLE_CHOICE:
        return [part.strip() for part in cell.split(MULTIPLE_SEPARATOR) if part.strip()]
    if kind is ItemType.NUMBER:
        return _number(cell, integer=False)
    if kind is ItemType.SINGLE_CHOICE:
        number = _number(cell, integer=True)
        return str(number) if isinstance(number, int) else cell
    return cell


def _number(cell: str, *, integer: bool) -> Any:
    try:
        value = float(cell.replace(",", "."))
    except ValueError:
        return cell
    if value.is_integer() and (integer or "." not in cell):
        return int(value)
    return value
