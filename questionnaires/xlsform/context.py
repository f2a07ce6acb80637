"""What every part of the XLSForm reader shares: the sheets, the problems found so far,
the form's default language and its texts, and the refusal of unknown columns."""

from __future__ import annotations

from collections.abc import Mapping

from questionnaires.xlsform.common import (
    CHOICES,
    HALVES,
    SETTINGS,
    SUBINDICES,
    SURVEY,
    XLSFormProblem,
    language_code,
    problem,
)
from questionnaires.xlsform.sheets import Table

IGNORED = ("constraint_message", "required_message")
"""Columns read and dropped on purpose: the platform shows its own messages."""


def _base(column: str) -> str:
    return column.partition("::")[0]


class ReadContext:
    """The sheets read, the problems found so far, the settings and the default language."""

    def __init__(self, tables: Mapping[str, Table]) -> None:
        self.tables = tables
        self.problems: list[XLSFormProblem] = []
        self.settings = dict(tables[SETTINGS].rows[0][1]) if tables[SETTINGS].rows else {}
        self.language = self.default_language()

    def add(
        self, sheet: str, row: int, column: str, reason: str, text: str, /, **params: object
    ) -> None:
        self.problems.append(problem(sheet, row, column, reason, text, **params))

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
