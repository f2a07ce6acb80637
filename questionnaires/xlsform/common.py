"""What the XLSForm writer and reader share: sheet and column names, languages, problems.

XLSForm (https://xlsform.org) is the spreadsheet form format of ODK and KoboToolbox.
A questionnaire becomes the usual ``survey``, ``choices`` and ``settings`` sheets; what
SIPAS needs beyond XLSForm (criteria, sub-indices, halves, the scoring rule, block
kinds) travels in ``sipas_*`` columns and two ``sipas_*`` sheets that XLSForm tools
ignore, so that reading back a written form gives the same questionnaire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from questionnaires.labels import is_language_tag, language_name

SURVEY = "survey"
CHOICES = "choices"
SETTINGS = "settings"
HALVES = "sipas_halves"
SUBINDICES = "sipas_subindices"

SCALE_LISTS = ("likert5", "likert5_na", "expectation3", "expectation3_na")
"""Choice lists of the fixed scales; no option set may take these names."""

SURVEY_COLUMNS = (
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "sipas_type",
    "sipas_subindex",
    "sipas_number",
    "sipas_required",
    "sipas_options",
    "sipas_show_if",
    "sipas_block_kind",
)
"""``label`` and ``hint`` stand for one column per language."""

BEGIN_GROUP = "begin group"
END_GROUP = "end group"
INLINE = "inline"
"""``sipas_options`` of an item whose options are its own, not a named option set."""
AS_LIST = "list"
"""``sipas_show_if`` of an item whose ``show_if`` is a list of conditions."""

_LANGUAGE_HEADER = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[^()]+)\)$")


def language_header(code: str) -> str:
    """``Tiếng Việt (vi)``: the XLSForm way of naming a language, with its BCP-47 code."""
    return f"{language_name(code)} ({code})"


def language_code(header: str) -> str | None:
    """The BCP-47 code in ``Name (code)``, or ``None`` when the header names none."""
    match = _LANGUAGE_HEADER.match(header.strip())
    code = match.group("code").strip() if match else None
    return code if is_language_tag(code) else None


@dataclass(frozen=True)
class XLSFormProblem:
    """One problem in an XLSForm, where it is (sheet, row, column) and what is wrong.

    ``reason`` is a stable code (``xlsform_unsupported_type``, ...) and ``params`` the
    values its sentence needs: the service renders the Vietnamese sentence from them
    (``app/core/messages.py``); ``message`` says the same in English for scripts that
    use this package alone. A problem the questionnaire checks found keeps its
    :class:`~questionnaires.problems.Problem` code and parameters. ``row`` counts from 1
    as spreadsheets do; 0 means the whole sheet or file.
    """

    sheet: str
    row: int
    column: str
    reason: str
    message: str
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        where = f"{self.sheet}, row {self.row}" if self.row else self.sheet
        column = f", column {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


class XLSFormError(ValueError):
    """An XLSForm that cannot be converted, with every problem found."""

    def __init__(self, problems: list[XLSFormProblem]) -> None:
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"XLSForm: {len(problems)} problem(s)\n{listed}")


def problem(
    sheet: str, row: int, column: str, reason: str, message: str, /, **params: object
) -> XLSFormProblem:
    return XLSFormProblem(
        sheet, row, column, reason, message, tuple((k, str(v)) for k, v in params.items())
    )
