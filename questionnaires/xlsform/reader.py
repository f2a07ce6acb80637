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
from questionnaires.schema import NOT_APPLICABLE, Questionnaire
from questionnaires.xlsform.common import (
    AS_LIST,
    CHOICES,
    HALVES,
    INLINE,
    SCALE_LISTS,
    SETTINGS,
    SUBINDICES,
    SURVEY,
    SURVEY_COLUMNS,
    XLSFormError,
    XLSFormProblem,
    language_code,
    problem,
)
from questionnaires.xlsform.relevant import RelevantSyntaxError, parse_relevant
from questionnaires.xlsform.sheets import Table, read_table

IGNORED = ("constraint_message", "required_message")
"""Columns read and dropped on purpose: the platform shows its own messages."""

QUESTION_COLUMNS = set(SURVEY_COLUMNS) - {"sipas_block_kind"}
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
_ALIASES = {"begin_group": "begin group", "end_group": "end group", "int": "integer"}
_SELECT = re.compile(r"^(select_one|select_multiple|select one|select multiple)\s+(\S+)$")
_BOUND = re.compile(r"^\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)$")
_LENGTH = re.compile(r"^string-length\(\s*\.\s*\)\s*<=\s*(\d+)$")
_COUNT = re.compile(r"^count-selected\(\s*\.\s*\)\s*<=\s*(\d+)$")
_PATH = re.compile(r"^(blocks|subindices|halves)\[(\d+)\](?:\.items\[(\d+)\])?")
_SCALE_SIZES = {"likert5": 5, "expectation3": 3}


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


def _base(column: str) -> str:
    return column.partition("::")[0]


class _Reader:
    def __init__(self, tables: Mapping[str, Table]) -> None:
        self.tables = tables
        self.problems: list[XLSFormProblem] = []
        self.settings = dict(tables[SETTINGS].rows[0][1]) if tables[SETTINGS].rows else {}
        self.language = self.default_language()
        self.lists = self.choice_lists()
        self.item_types: dict[str, str] = {}
        self.scales: dict[str, list[Any]] = {}
        self.not_applicable: Any = None
        self.list_uses: dict[str, set[str]] = {}
        self.item_rows: dict[tuple[int, int], int] = {}
        self.block_rows: dict[int, int] = {}

    def add(
        self, sheet: str, row: int, column: str, reason: str, text: str, /, **params: object
    ) -> None:
        self.problems.append(problem(sheet, row, column, reason, text, **params))

    # -- languages and texts ---------------------------------------------------------
    def default_language(self) -> str:
        """The code of ``default_language`` in the settings, else of the first language
        of the texts, else ``vi``."""
        declared = self.settings.get("default_language")
        found = [
            code
            for name in (SURVEY, CHOICES, HALVES, SUBINDICES, SETTINGS)
            for code in self.tables[name].languages(self.problems)
        ]
        code = language_code(declared) if declared is not None else found[0] if found else "vi"
        if code is None:
            self.add(
                SETTINGS,
                2,
                "default_language",
                "xlsform_language_without_code",
                "the default language names no code, as in 'Tiếng Việt (vi)'",
                column="default_language",
            )
            return "vi"
        return code

    def text(self, cells: Mapping[str, str], column: str) -> str | dict[str, str] | None:
        """The text of ``column`` as a questionnaire file writes it: a string in the
        default language (a plain ``label`` column is in it), or a mapping from each
        language written (``label::English (en)``) to its text."""
        texts: dict[str, str] = {}
        for key, value in cells.items():
            base, sep, rest = key.partition("::")
            language = language_code(rest) if sep else self.language
            if base == column and language is not None:
                texts.setdefault(language, value)
        if not texts:
            return None
        if list(texts) == [self.language]:
            return texts[self.language]
        return texts

    def unknown_columns(
        self, sheet: str, row: int, cells: Mapping[str, str], known: set[str]
    ) -> None:
        for column in cells:
            base = _base(column)
            if base not in known and base not in IGNORED:
                self.add(
                    sheet,
                    row,
                    column,
                    "xlsform_unsupported_column",
                    f"column {column!r} cannot be carried by a questionnaire",
                    column=column,
                )

    # -- choices -----------------------------------------------------------------------
    def choice_lists(self) -> dict[str, list[tuple[int, str, Any]]]:
        lists: dict[str, list[tuple[int, str, Any]]] = {}
        for row, cells in self.tables[CHOICES].rows:
            self.unknown_columns(CHOICES, row, cells, {"list_name", "name", "label"})
            name, code = cells.get("list_name"), cells.get("name")
            if name is None or code is None:
                missing = "list_name" if name is None else "name"
                self.add(
                    CHOICES,
                    row,
                    missing,
                    "xlsform_missing_value",
                    f"the choice has no {missing}",
                    column=missing,
                )
                continue
            lists.setdefault(name.strip(), []).append(
                (row, code.strip(), self.text(cells, "label"))
            )
        return lists

    def options(self, name: str) -> list[dict[str, Any]]:
        return [{"code": code, "label": label} for _, code, label in self.lists.get(name, [])]

    def read_scale(self, kind: str, name: str, row: int | None = None) -> bool:
        """Take a scale's labels from its list; answer whether it has the ``na`` choice.
        Problems are placed on the item's ``row``, else on the list's first choice."""
        entries = self.lists.get(name, [])
        sheet, column = (SURVEY, "type") if row is not None else (CHOICES, "list_name")
        row = row if row is not None else entries[0][0]
        codes = [code for _, code, _ in entries]
        size = _SCALE_SIZES[kind]
        has_na = codes[size:] == [NOT_APPLICABLE]
        if codes[:size] != [str(i) for i in range(1, size + 1)] or len(codes) > size + has_na:
            self.add(
                sheet,
                row,
                column,
                "xlsform_bad_scale",
                f"list {name!r} of a {kind} item must hold choices 1 to {size} (and 'na')",
                list=name,
                kind=kind,
                size=size,
            )
            return False
        labels = [label or "" for _, _, label in entries[:size]]
        if self.scales.setdefault(kind, labels) != labels:
            self.add(
                sheet,
                row,
                column,
                "xlsform_scale_mismatch",
                f"list {name!r} labels the {kind} scale differently from an earlier list",
                list=name,
                kind=kind,
            )
        if has_na:
            label = entries[size][2] or ""
            if self.not_applicable not in (None, label):
                self.add(
                    SURVEY,
                    row,
                    "type",
                    "xlsform_scale_mismatch",
                    f"list {name!r} labels 'na' differently from an earlier list",
                    list=name,
                    kind=NOT_APPLICABLE,
                )
            self.not_applicable = label
        return has_na

    def scales_and_sets(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The fixed scales and the option sets: every list no item took as its own."""
        for name in SCALE_LISTS:
            if name in self.lists and name not in self.list_uses:
                kind = name.removesuffix("_na")
                self.read_scale(kind, name)
        scales: dict[str, Any] = dict(self.scales)
        if self.not_applicable is not None:
            scales["not_applicable"] = self.not_applicable
        own = {name for name, uses in self.list_uses.items() if uses <= {INLINE, "scale"}}
        unused_scales = {n for n in SCALE_LISTS if n not in self.list_uses}
        sets = {
            name: self.options(name)
            for name in self.lists
            if name not in own and name not in unused_scales
        }
        return scales, sets

    # -- survey ------------------------------------------------------------------------
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

    @staticmethod
    def is_question(kind: str) -> bool:
        return kind in {"integer", "decimal", "text"} or _SELECT.match(kind) is not None

    def item(self, row: int, kind: str, cells: Mapping[str, str]) -> dict[str, Any]:
        self.unknown_columns(SURVEY, row, cells, QUESTION_COLUMNS)
        code = cells.get("name", "").strip()
        item: dict[str, Any] = {"code": code, "text": self.text(cells, "label")}
        if (hint := self.text(cells, "hint")) is not None:
            item["help"] = hint
        declared = cells.get("sipas_type")
        select = _SELECT.match(kind)
        if select is not None:
            self.select(row, item, select.group(1).replace(" ", "_"), select.group(2), cells)
        else:
            item["type"] = "number" if kind in {"integer", "decimal"} else "text"
            if kind == "integer":
                item["integer"] = True
        if declared is not None and declared != item["type"]:
            self.add(
                SURVEY,
                row,
                "sipas_type",
                "xlsform_type_mismatch",
                f"sipas_type {declared!r} does not go with type {kind!r}",
                declared=declared,
                type=kind,
            )
        self.item_types[code] = item["type"]
        for key, value in (
            ("subindex", cells.get("sipas_subindex")),
            ("number", self.integer(row, cells, "sipas_number")),
        ):
            if value is not None:
                item[key] = value
        self.required(row, item, cells)
        self.constraint(row, item, cells.get("constraint"))
        self.relevant(row, item, cells)
        return item

    def select(
        self, row: int, item: dict[str, Any], kind: str, name: str, cells: Mapping[str, str]
    ) -> None:
        declared = cells.get("sipas_type")
        if name not in self.lists:
            self.add(
                SURVEY,
                row,
                "type",
                "xlsform_unknown_list",
                f"choice list {name!r} is not on the choices sheet",
                list=name,
            )
        if kind == "select_one" and declared in _SCALE_SIZES:
            item["type"] = declared
            self.list_uses.setdefault(name, set()).add("scale")
            if name in self.lists and self.read_scale(declared, name, row):
                item["allow_na"] = True
            return
        item["type"] = "single_choice" if kind == "select_one" else "multiple_choice"
        inline = cells.get("sipas_options") == INLINE
        self.list_uses.setdefault(name, set()).add(INLINE if inline else "set")
        item["options"] = self.options(name) if inline else name

    def integer(self, row: int, cells: Mapping[str, str], column: str) -> int | None:
        value = cells.get(column)
        if value is None:
            return None
        if value.strip().isdigit():
            return int(value)
        self.add(
            SURVEY,
            row,
            column,
            "xlsform_not_a_number",
            f"{value!r} is not a whole number",
            column=column,
            value=value,
        )
        return None

    def required(self, row: int, item: dict[str, Any], cells: Mapping[str, str]) -> None:
        """``required`` as XLSForm says; ``None`` (the type's default) when it is the
        default and ``sipas_required`` does not say it was written out."""
        values = {
            "yes": True,
            "true": True,
            "true()": True,
            "no": False,
            "false": False,
            "false()": False,
        }
        raw = cells.get("required", "no").strip().lower()
        if raw not in values:
            self.add(
                SURVEY,
                row,
                "required",
                "xlsform_bad_required",
                f"required {raw!r} is not yes or no",
                value=raw,
            )
            return
        required = values[raw]
        default = item["type"] != "text"
        if required != default or cells.get("sipas_required") is not None:
            item["required"] = required

    def constraint(self, row: int, item: dict[str, Any], constraint: str | None) -> None:
        if constraint is None:
            return
        for part in re.split(r"\s+and\s+", constraint.strip()):
            bound, length, count = _BOUND.match(part), _LENGTH.match(part), _COUNT.match(part)
            if bound is not None and item["type"] == "number":
                item["min" if bound.group(1) == ">=" else "max"] = float(bound.group(2))
            elif length is not None and item["type"] == "text":
                item["max_length"] = int(length.group(1))
            elif count is not None and item["type"] == "multiple_choice":
                item["max_selected"] = int(count.group(1))
            else:
                self.add(
                    SURVEY,
                    row,
                    "constraint",
                    "xlsform_unsupported_constraint",
                    f"constraint {part!r} is not a bound this item type can have",
                    constraint=part,
                )

    def relevant(self, row: int, item: dict[str, Any], cells: Mapping[str, str]) -> None:
        expression = cells.get("relevant")
        if expression is None:
            return
        try:
            parsed = parse_relevant(expression)
        except RelevantSyntaxError as exc:
            self.add(
                SURVEY,
                row,
                "relevant",
                "xlsform_unsupported_relevant",
                f"relevant {expression!r} is not a show_if condition: {exc}",
                expression=expression,
            )
            return
        conditions = []
        for condition in parsed:
            target = self.item_types.get(condition.item)
            needs_selected = target == "multiple_choice"
            takes_selected = target not in {"number", "text"}
            if (needs_selected and not condition.selected) or (
                condition.selected and not takes_selected
            ):
                self.add(
                    SURVEY,
                    row,
                    "relevant",
                    "xlsform_unsupported_relevant",
                    f"relevant {expression!r}: use selected() for a select_multiple item and "
                    "'=' for others",
                    expression=expression,
                )
                return
            conditions.append({"item": condition.item, "in": list(condition.values)})
        as_list = cells.get("sipas_show_if") == AS_LIST or len(conditions) > 1
        item["show_if"] = conditions if as_list else conditions[0]

    # -- the rest of the form ----------------------------------------------------------
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

    def located(self, path: str, message: str) -> XLSFormProblem:
        """A problem the questionnaire checks found, placed on its sheet and row."""
        match = _PATH.match(path)
        sheet, row = SETTINGS, 0
        if match is not None:
            part, index, item = match.group(1), int(match.group(2)), match.group(3)
            if part == "blocks":
                sheet = SURVEY
                if item is None:
                    row = self.block_rows.get(index, 0)
                else:
                    row = self.item_rows.get((index, int(item)), 0)
            else:
                sheet, row = (HALVES if part == "halves" else SUBINDICES), index + 2
        elif path.startswith("option_sets"):
            sheet = CHOICES
        return problem(
            sheet,
            row,
            "",
            "xlsform_questionnaire_problem",
            f"{path}: {message}",
            problem=f"{path}: {message}" if path else message,
        )


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
        raise XLSFormError([reader.located(p.path, p.message) for p in exc.problems]) from exc


def from_xlsform(data: bytes) -> Questionnaire:
    """The questionnaire of an ``.xlsx`` XLSForm file (see :func:`from_workbook`)."""
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise XLSFormError(
            [problem("", 0, "", "xlsform_unreadable", "the file is not an .xlsx workbook")]
        ) from exc
    return from_workbook(book)
