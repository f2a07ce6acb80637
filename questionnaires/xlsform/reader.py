"""Read an XLSForm workbook back into a questionnaire, refusing what it cannot carry.

The reverse of :mod:`questionnaires.xlsform.writer`, and also the way in for forms
made in KoboToolbox or ODK: ``select_one``/``select_multiple`` become choice items on
option sets, ``integer``/``decimal`` numbers, ``text`` text, groups blocks (questions
outside any group form a block of their own). What a questionnaire cannot express
(repeats, calculations, other question types, choice filters, media, expressions
other than the ``show_if`` language of :mod:`.relevant`, any column or setting this
module does not know) is a problem naming its sheet, row and column: the form is
refused, never converted with a part silently left out.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook, load_workbook

from questionnaires.loader import QuestionnaireError, validate_questionnaire
from questionnaires.problems import Problem
from questionnaires.schema import Questionnaire
from questionnaires.xlsform.common import (
    CHOICES,
    HALVES,
    SETTINGS,
    SUBINDICES,
    SURVEY,
    XLSFormError,
    XLSFormProblem,
    problem,
)
from questionnaires.xlsform.items import ItemReader
from questionnaires.xlsform.sheets import Table, read_table

ROW_COLUMNS = {
    "begin group": {"type", "name", "label", "sipas_block_kind"},
    "end group": {"type", "name"},
    "note": {"type", "name", "label"},
}
SETTINGS_COLUMNS = {
    "form_title",
    "form_id",
    "version",
    "default_language",
    "sipas_description",
    "sipas_scoring_rule",
    "sipas_languages",
    "sipas_title",
}
MAX_UNPACKED_BYTES = 50_000_000
"""Largest unpacked size of an XLSForm workbook read."""
_ALIASES = {"begin_group": "begin group", "end_group": "end group", "int": "integer"}
_PATH = re.compile(r"^(blocks|subindices|halves)\[(\d+)\](?:\.items\[(\d+)\])?")
_OPTION_PATH = re.compile(r"^option_sets\.([^\[.]+)(?:\[(\d+)\])?")


def _kind(raw: str) -> str:
    """The type in lower case with single spaces, but the list name of a select as written."""
    words = raw.split()
    select = len(words) > 1 and words[-2].lower() in {
        "select_one",
        "select_multiple",
        "one",
        "multiple",
    }
    head = " ".join(words[:-1] if select else words).lower()
    kind = _ALIASES.get(head, head)
    return f"{kind} {words[-1]}" if select else kind


class _Reader(ItemReader):
    """The whole form: blocks from groups, settings, halves and sub-indices."""

    def __init__(self, tables: Mapping[str, Table]) -> None:
        super().__init__(tables)
        self.item_rows: dict[tuple[int, int], int] = {}
        self.block_rows: dict[int, int] = {}

    def survey(self) -> list[dict[str, Any]]:
        blocks: list[dict[str, Any]] = []
        block: dict[str, Any] | None = None
        last = 1
        for row, cells in self.tables[SURVEY].rows:
            last = row
            raw = cells.get("type")
            if raw is None:
                self.add(
                    SURVEY,
                    row,
                    "type",
                    "xlsform_missing_value",
                    "the row has no type",
                    column="type",
                )
                continue
            kind = _kind(raw)
            if kind == "begin group":
                self.unknown_columns(SURVEY, row, cells, ROW_COLUMNS[kind])
                if block is not None and not block.get("implicit"):
                    self.add(
                        SURVEY,
                        row,
                        "type",
                        "xlsform_nested_group",
                        "a group inside a group: blocks cannot nest",
                        name=cells.get("name", ""),
                    )
                    continue
                block = {
                    "code": cells.get("name"),
                    "kind": cells.get("sipas_block_kind", "other"),
                    "title": self.text(cells, "label"),
                    "items": [],
                }
                self.block_rows[len(blocks)] = row
                blocks.append(block)
            elif kind == "end group":
                self.unknown_columns(SURVEY, row, cells, ROW_COLUMNS[kind])
                if block is None or block.get("implicit"):
                    self.add(
                        SURVEY,
                        row,
                        "type",
                        "xlsform_unmatched_end",
                        "'end group' without its 'begin group'",
                    )
                block = None
            elif (
                kind == "note" and block is not None and not block["items"] and "intro" not in block
            ):
                self.unknown_columns(SURVEY, row, cells, ROW_COLUMNS[kind])
                block["intro"] = self.text(cells, "label")
            elif kind == "note":
                self.add(
                    SURVEY,
                    row,
                    "type",
                    "xlsform_stray_note",
                    "a note can only be the first row of a group (the block's intro)",
                )
            elif self.is_question(kind):
                if block is None:
                    block = {
                        "code": f"block{len(blocks) + 1}",
                        "title": self.settings.get("form_title"),
                        "items": [],
                        "implicit": True,
                    }
                    self.block_rows[len(blocks)] = row
                    blocks.append(block)
                self.item_rows[(len(blocks) - 1, len(block["items"]))] = row
                block["items"].append(self.item(row, kind, cells))
            else:
                self.add(
                    SURVEY,
                    row,
                    "type",
                    "xlsform_unsupported_type",
                    f"question type {raw!r} has no counterpart in a questionnaire",
                    type=raw,
                )
        if block is not None and not block.get("implicit"):
            self.add(
                SURVEY,
                last,
                "type",
                "xlsform_unclosed_group",
                f"group {block['code']!r} has no 'end group'",
                name=block["code"] or "",
            )
        for found in blocks:
            found.pop("implicit", None)
        return blocks

    def named_rows(self, sheet: str, columns: set[str]) -> list[dict[str, Any]]:
        found = []
        for row, cells in self.tables[sheet].rows:
            self.unknown_columns(sheet, row, cells, columns)
            entry: dict[str, Any] = {c: cells[c] for c in columns - {"label"} if c in cells}
            entry["name"] = self.text(cells, "label")
            found.append(entry)
        return found

    def form(self) -> dict[str, Any]:
        settings = self.tables[SETTINGS]
        for row, cells in settings.rows[:1]:
            self.unknown_columns(SETTINGS, row, cells, SETTINGS_COLUMNS)
        for row, _ in settings.rows[1:]:
            self.add(
                SETTINGS,
                row,
                "",
                "xlsform_extra_settings_row",
                "the settings sheet has one row of settings",
            )
        blocks = self.survey()
        scales, option_sets = self.scales_and_sets()
        data: dict[str, Any] = {
            "code": self.settings.get("form_id"),
            "title": self.title(),
            "edition": self.settings.get("version"),
            "language": self.language,
            "option_sets": option_sets,
            "halves": self.named_rows(HALVES, {"code", "label"}),
            "subindices": self.named_rows(SUBINDICES, {"code", "half", "label"}),
            "blocks": blocks,
        }
        if (description := self.settings.get("sipas_description")) is not None:
            data["description"] = description
        if (languages := self.settings.get("sipas_languages")) is not None:
            data["languages"] = languages.replace(",", " ").split()
        if (rule := self.settings.get("sipas_scoring_rule")) is not None:
            data["scoring"] = {"rule": rule}
        if scales:
            data["scales"] = scales
        for key, column in (("code", "form_id"), ("title", "form_title"), ("edition", "version")):
            if data[key] is None:
                self.add(
                    SETTINGS,
                    2,
                    column,
                    "xlsform_missing_setting",
                    f"the settings sheet needs {column}",
                    column=column,
                )
        return data

    def title(self) -> str | dict[str, str] | None:
        """``form_title`` in the default language, translated in ``sipas_title::`` columns
        (XLSForm gives the title one language)."""
        title = self.settings.get("form_title")
        translated = self.text(self.settings, "sipas_title")
        if title is None or translated is None:
            return title
        texts = translated if isinstance(translated, dict) else {self.language: translated}
        if texts.get(self.language, title) != title:
            self.add(
                SETTINGS,
                2,
                f"sipas_title::{self.language}",
                "xlsform_unsupported_column",
                "the title in the default language belongs in form_title",
                column=f"sipas_title::{self.language}",
            )
        return {**texts, self.language: title}

    def located(self, found: Problem) -> XLSFormProblem:
        """A problem the questionnaire checks found, placed on its sheet and row (0 when
        no one row holds it); it keeps its code and parameters."""
        path = found.path
        sheet, row = SETTINGS, 0
        if (match := _PATH.match(path)) is not None:
            part, index, item = match.group(1), int(match.group(2)), match.group(3)
            if part == "blocks":
                sheet = SURVEY
                if item is None:
                    row = self.block_rows.get(index, 0)
                else:
                    row = self.item_rows.get((index, int(item)), 0)
            else:
                sheet = HALVES if part == "halves" else SUBINDICES
                rows = self.tables[sheet].rows
                row = rows[index][0] if index < len(rows) else 0
        elif (match := _OPTION_PATH.match(path)) is not None:
            sheet = CHOICES
            entries = self.lists.get(match.group(1), [])
            index = int(match.group(2) or 0)
            row = entries[index][0] if index < len(entries) else 0
        elif path.startswith("scales"):
            sheet = CHOICES
        return XLSFormProblem(sheet, row, "", found.code, str(found), found.params)


def from_workbook(book: Workbook) -> Questionnaire:
    """The questionnaire an XLSForm workbook describes.

    Raises
    ------
    XLSFormError
        With every problem found, each with its sheet, row and column.
    """
    problems: list[XLSFormProblem] = []
    sheets = {sheet.title.strip().lower(): sheet for sheet in book.worksheets}
    tables = {
        name: read_table(name, list(sheets[name].iter_rows(values_only=True)), problems)
        if name in sheets
        else Table(name)
        for name in (SURVEY, CHOICES, SETTINGS, HALVES, SUBINDICES)
    }
    if SURVEY not in sheets:
        problems.append(
            problem(
                SURVEY, 0, "", "xlsform_missing_sheet", "there is no survey sheet", sheet=SURVEY
            )
        )
        raise XLSFormError(problems)
    reader = _Reader(tables)
    data = reader.form()
    problems.extend(reader.problems)
    if problems:
        raise XLSFormError(problems)
    try:
        return validate_questionnaire(data, source="XLSForm")
    except QuestionnaireError as exc:
        raise XLSFormError([reader.located(p) for p in exc.problems]) from exc


def _unreadable() -> XLSFormError:
    return XLSFormError(
        [problem("", 0, "", "xlsform_unreadable", "the file is not an .xlsx workbook")]
    )


def from_xlsform(data: bytes) -> Questionnaire:
    """The questionnaire of an ``.xlsx`` XLSForm file (see :func:`from_workbook`).

    A file that unpacks to more than :data:`MAX_UNPACKED_BYTES` is refused before it
    is read (a questionnaire takes well under a megabyte; a zip bomb would not).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise _unreadable() from exc
    if unpacked > MAX_UNPACKED_BYTES:
        limit_mb = MAX_UNPACKED_BYTES // 1_000_000
        raise XLSFormError(
            [
                problem(
                    "",
                    0,
                    "",
                    "xlsform_too_large",
                    f"the workbook unpacks to {unpacked} bytes, over {limit_mb} MB",
                    limit_mb=limit_mb,
                )
            ]
        )
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _unreadable() from exc
    return from_workbook(book)
