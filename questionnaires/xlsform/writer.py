"""Write a questionnaire as an XLSForm workbook (``survey``, ``choices``, ``settings``).

Item types become XLSForm types: ``likert5`` and ``expectation3`` are ``select_one``
on the fixed scale lists (``likert5_na`` and ``expectation3_na`` add the ``na``
answer of ``allow_na``), choice items ``select_one``/``select_multiple`` on their
option set (or on a list of their own, ``sipas_options: inline``), numbers
``integer``/``decimal`` with ``min``/``max`` as a ``constraint``, text ``text`` with
``max_length`` as ``string-length(.)``. Blocks are groups whose intro is the group's
first row, a ``note``. ``show_if`` becomes ``relevant`` (:mod:`.relevant`). Texts
go in one ``label::``/``hint::`` column per language (``label::English (en)``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from questionnaires.labels import Label
from questionnaires.schema import (
    NOT_APPLICABLE,
    Block,
    Item,
    ItemType,
    Option,
    Questionnaire,
)
from questionnaires.xlsform.common import (
    AS_LIST,
    BEGIN_GROUP,
    CHOICES,
    END_GROUP,
    HALVES,
    INLINE,
    SCALE_LISTS,
    SETTINGS,
    SUBINDICES,
    SURVEY,
    SURVEY_COLUMNS,
    XLSFormError,
    XLSFormProblem,
    language_header,
    problem,
)
from questionnaires.xlsform.relevant import format_relevant

_XML_NAME = re.compile(r"[^\W\d][\w.-]*")


def number_text(value: float) -> str:
    """A number as XPath writes it: no exponent, the shortest digits that read back equal."""
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def _texts(form: Questionnaire, value: str | None) -> dict[str, str]:
    """A text in the default language and in each language it is translated into."""
    if value is None:
        return {}
    translations = value.translations if isinstance(value, Label) else {}
    return {form.language: str(value), **translations}


class _Sheet:
    """Rows of one sheet as dicts; the header is every column used, in a fixed order."""

    def __init__(self, columns: Iterable[str]) -> None:
        self.columns = list(columns)
        self.rows: list[dict[str, Any]] = []

    def write(self, book: Workbook, title: str) -> None:
        """The sheet, with the columns some row uses (a text in every language if one
        language has it, as pyxform expects); every string a text cell, so a label
        starting with ``=`` never becomes a formula."""
        sheet = book.create_sheet(title)
        used = {key for row in self.rows for key, value in row.items() if value is not None}
        used_texts = {key.partition("::")[0] for key in used if "::" in key}
        header = [c for c in self.columns if c in used or c.partition("::")[0] in used_texts]
        for number, values in enumerate([dict(zip(header, header, strict=True)), *self.rows], 1):
            for column, key in enumerate(header, 1):
                value = values.get(key)
                if value is None:
                    continue
                cell = sheet.cell(row=number, column=column)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"


class _Writer:
    def __init__(self, form: Questionnaire) -> None:
        self.form = form
        self.problems: list[XLSFormProblem] = []
        self.survey = _Sheet(
            name
            for column in SURVEY_COLUMNS
            for name in (self.text_columns(column) if column in {"label", "hint"} else [column])
        )
        self.choices = _Sheet(["list_name", "name", *self.text_columns("label")])
        self.list_names: set[str] = set(SCALE_LISTS) | set(form.option_sets)
        self.taken_names = {item.code for item in form.items()} | {b.code for b in form.blocks}

    def text_columns(self, column: str) -> list[str]:
        """``label::Tiếng Việt (vi)``, ...: one column per language of the form."""
        return [f"{column}::{language_header(code)}" for code in self.form.offered_languages()]

    def labelled(self, column: str, value: str | None) -> dict[str, str]:
        return {f"{column}::{language_header(k)}": v for k, v in _texts(self.form, value).items()}

    def free(self, base: str, taken: set[str]) -> str:
        """``base``, or ``base_2``, ``base_3``, … when taken; the name is then taken."""
        name, suffix = base, 1
        while name in taken:
            suffix += 1
            name = f"{base}_{suffix}"
        taken.add(name)
        return name

    def choice_list(self, name: str, options: list[Option]) -> None:
        for option in options:
            self.choices.rows.append(
                {"list_name": name, "name": option.code, **self.labelled("label", option.label)}
            )

    def scale_lists(self) -> None:
        scales = self.form.scales
        na = Option(code=NOT_APPLICABLE, label=scales.not_applicable)
        for name, labels in (("likert5", scales.likert5), ("expectation3", scales.expectation3)):
            options = [Option(code=str(i), label=label) for i, label in enumerate(labels, 1)]
            self.choice_list(name, options)
            self.choice_list(f"{name}_na", [*options, na])

    def block(self, block: Block) -> None:
        self.survey.rows.append(
            {
                "type": BEGIN_GROUP,
                "name": block.code,
                **self.labelled("label", block.title),
                "sipas_block_kind": block.kind.value,
            }
        )
        if block.intro is not None:
            name = self.free(f"{block.code}_intro", self.taken_names)
            self.survey.rows.append(
                {"type": "note", "name": name, **self.labelled("label", block.intro)}
            )
        for item in block.items:
            self.item(item)
        self.survey.rows.append({"type": END_GROUP})

    def item_type(self, item: Item) -> tuple[str, str | None]:
        """The XLSForm type and ``sipas_options``."""
        if item.type in {ItemType.LIKERT5, ItemType.EXPECTATION3}:
            suffix = "_na" if item.allow_na else ""
            return f"select_one {item.type.value}{suffix}", None
        if item.type in {ItemType.SINGLE_CHOICE, ItemType.MULTIPLE_CHOICE}:
            kind = "select_one" if item.type is ItemType.SINGLE_CHOICE else "select_multiple"
            if isinstance(item.options, str):
                return f"{kind} {item.options}", None
            name = self.free(item.code, self.list_names)
            self.choice_list(name, list(item.options or []))
            return f"{kind} {name}", INLINE
        if item.type is ItemType.NUMBER:
            return ("integer" if item.integer else "decimal"), None
        return "text", None

    def constraint(self, item: Item) -> str | None:
        if item.type is ItemType.NUMBER:
            parts = []
            if item.min is not None:
                parts.append(f". >= {number_text(item.min)}")
            if item.max is not None:
                parts.append(f". <= {number_text(item.max)}")
            return " and ".join(parts) or None
        if item.type is ItemType.TEXT:
            return f"string-length(.) <= {item.max_length}"
        if item.type is ItemType.MULTIPLE_CHOICE and item.max_selected is not None:
            return f"count-selected(.) <= {item.max_selected}"
        return None

    def relevant(self, item: Item, row: int) -> str | None:
        if not item.conditions:
            return None
        items = self.form.item_map()
        groups = [
            (c.item, list(c.values), items[c.item].type is ItemType.MULTIPLE_CHOICE)
            for c in item.conditions
        ]
        try:
            return format_relevant(groups)
        except ValueError:
            self.problems.append(
                problem(
                    SURVEY,
                    row,
                    "relevant",
                    "xlsform_unquotable_value",
                    "a condition value holds both ' and \"",
                    item=item.code,
                )
            )
            return None

    def item(self, item: Item) -> None:
        row = len(self.survey.rows) + 2
        xls_type, options = self.item_type(item)
        self.survey.rows.append(
            {
                "type": xls_type,
                "name": item.code,
                **self.labelled("label", item.text),
                **self.labelled("hint", item.help),
                "required": "yes" if item.is_required else "no",
                "relevant": self.relevant(item, row),
                "constraint": self.constraint(item),
                "sipas_type": item.type.value,
                "sipas_subindex": item.subindex,
                "sipas_number": item.number,
                "sipas_required": None if item.required is None else _yes_no(item.required),
                "sipas_options": options,
                "sipas_show_if": AS_LIST if isinstance(item.show_if, list) else None,
            }
        )

    def check_names(self) -> None:
        """Codes must be XML names (pyxform makes elements of them); option sets must
        leave the scale lists' names free."""
        codes = [b.code for b in self.form.blocks] + [i.code for i in self.form.items()]
        for code in codes + list(self.form.option_sets):
            if _XML_NAME.fullmatch(code) is None:
                self.problems.append(
                    problem(
                        SURVEY,
                        0,
                        "name",
                        "xlsform_invalid_name",
                        f"{code!r} is not a name XLSForm can use (a letter or _, then "
                        "letters, digits, _ . -)",
                        name=code,
                    )
                )
        for name in self.form.option_sets:
            if name in SCALE_LISTS:
                self.problems.append(
                    problem(
                        CHOICES,
                        0,
                        "list_name",
                        "xlsform_reserved_list",
                        f"option set {name!r} takes the name of a scale list",
                        name=name,
                    )
                )

    def workbook(self) -> Workbook:
        self.check_names()
        self.scale_lists()
        for name, options in self.form.option_sets.items():
            self.choice_list(name, options)
        for block in self.form.blocks:
            self.block(block)
        if self.problems:
            raise XLSFormError(self.problems)
        book = Workbook()
        for sheet in book.worksheets:
            book.remove(sheet)
        self.survey.write(book, SURVEY)
        self.choices.write(book, CHOICES)
        self.settings().write(book, SETTINGS)
        self.metadata(book)
        return book

    def settings(self) -> _Sheet:
        form = self.form
        sheet = _Sheet(
            [
                "form_title",
                "form_id",
                "version",
                "default_language",
                "sipas_description",
                "sipas_scoring_rule",
                "sipas_languages",
                *(f"sipas_title::{language_header(code)}" for code in form.title.translations),
            ]
        )
        sheet.rows.append(
            {
                "form_title": str(form.title),
                **{
                    f"sipas_title::{language_header(code)}": text
                    for code, text in form.title.translations.items()
                },
                "form_id": form.code,
                "version": form.edition,
                "default_language": language_header(form.language),
                "sipas_description": form.description,
                "sipas_scoring_rule": form.scoring.rule.value,
                "sipas_languages": None if form.languages is None else " ".join(form.languages),
            }
        )
        return sheet

    def metadata(self, book: Workbook) -> None:
        halves = _Sheet(["code", *self.text_columns("label")])
        for half in self.form.halves:
            halves.rows.append({"code": half.code, **self.labelled("label", half.name)})
        subindices = _Sheet(["code", "half", *self.text_columns("label")])
        for subindex in self.form.subindices:
            subindices.rows.append(
                {
                    "code": subindex.code,
                    "half": subindex.half,
                    **self.labelled("label", subindex.name),
                }
            )
        halves.write(book, HALVES)
        subindices.write(book, SUBINDICES)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def to_workbook(form: Questionnaire) -> Workbook:
    """The questionnaire as an XLSForm workbook.

    Raises
    ------
    XLSFormError
        When the form holds something XLSForm cannot carry (a condition value with
        both quote characters, an option set named like a scale list).
    """
    return _Writer(form).workbook()


def to_xlsform(form: Questionnaire) -> bytes:
    """The questionnaire as an ``.xlsx`` XLSForm file."""
    buffer = io.BytesIO()
    to_workbook(form).save(buffer)
    return buffer.getvalue()
