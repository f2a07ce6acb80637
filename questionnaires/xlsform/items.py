"""One question row of the ``survey`` sheet as a questionnaire item: its type, options,
``required``, bounds (``constraint``) and ``show_if`` (``relevant``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from questionnaires.xlsform.choices import SCALE_SIZES, ChoiceReader
from questionnaires.xlsform.common import (
    AS_LIST,
    INLINE,
    SURVEY,
    SURVEY_COLUMNS,
)
from questionnaires.xlsform.relevant import RelevantSyntaxError, parse_relevant
from questionnaires.xlsform.sheets import Table

QUESTION_COLUMNS = set(SURVEY_COLUMNS) - {"sipas_block_kind"}
SELECT = re.compile(r"^(select_one|select_multiple|select one|select multiple)\s+(\S+)$")
_BOUND = re.compile(r"^\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)$")
_LENGTH = re.compile(r"^string-length\(\s*\.\s*\)\s*<=\s*(\d+)$")
_COUNT = re.compile(r"^count-selected\(\s*\.\s*\)\s*<=\s*(\d+)$")
_REQUIRED = {
    "yes": True,
    "true": True,
    "true()": True,
    "no": False,
    "false": False,
    "false()": False,
}


class ItemReader(ChoiceReader):
    """Question rows into items; remembers each item's type for later conditions."""

    def __init__(self, tables: Mapping[str, Table]) -> None:
        super().__init__(tables)
        self.item_types: dict[str, str] = {}

    @staticmethod
    def is_question(kind: str) -> bool:
        return kind in {"integer", "decimal", "text"} or SELECT.match(kind) is not None

    def item(self, row: int, kind: str, cells: Mapping[str, str]) -> dict[str, Any]:
        self.unknown_columns(SURVEY, row, cells, QUESTION_COLUMNS)
        code = cells.get("name", "").strip()
        item: dict[str, Any] = {"code": code, "text": self.text(cells, "label")}
        if (hint := self.text(cells, "hint")) is not None:
            item["help"] = hint
        declared = cells.get("sipas_type")
        select = SELECT.match(kind)
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
        if kind == "select_one" and declared in SCALE_SIZES:
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
        raw = cells.get("required", "no").strip().lower()
        if raw not in _REQUIRED:
            self.add(
                SURVEY,
                row,
                "required",
                "xlsform_bad_required",
                f"required {raw!r} is not yes or no",
                value=raw,
            )
            return
        required = _REQUIRED[raw]
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
