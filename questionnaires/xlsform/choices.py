"""The ``choices`` sheet: option sets, options of an item's own, and the fixed scales
(``likert5``, ``expectation3``, with ``na`` for ``allow_na``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questionnaires.schema import NOT_APPLICABLE
from questionnaires.xlsform.common import (
    CHOICES,
    INLINE,
    SCALE_LISTS,
    SURVEY,
)
from questionnaires.xlsform.context import ReadContext
from questionnaires.xlsform.sheets import Table

SCALE_SIZES = {"likert5": 5, "expectation3": 3}


class ChoiceReader(ReadContext):
    """The choice lists, and which lists are scales, option sets or an item's own."""

    def __init__(self, tables: Mapping[str, Table]) -> None:
        super().__init__(tables)
        self.lists = self.choice_lists()
        self.scales: dict[str, list[Any]] = {}
        self.not_applicable: Any = None
        self.list_uses: dict[str, set[str]] = {}
        """List name → how items use it: ``set``, ``inline`` or ``scale``."""

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
        size = SCALE_SIZES[kind]
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
        labels = [label for _, _, label in entries[:size]]
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
            label = entries[size][2]
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
