"""XLSForm files of questionnaires for the API and the command line: problems of
:mod:`questionnaires.xlsform` become the catalogue's Vietnamese sentences, each
starting with its sheet, row and column."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from app.core.errors import UnprocessableError
from app.core.messages import message
from app.core.validation import sentence
from questionnaires import Questionnaire
from questionnaires.xlsform import XLSFormError, XLSFormProblem, from_xlsform, to_xlsform

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def where(p: XLSFormProblem) -> str:
    """``Trang tính «survey», dòng 7, cột «relevant»``; empty for the whole file."""
    if not p.sheet:
        return ""
    if not p.row:
        return message("xlsform_where_sheet", sheet=p.sheet)
    if not p.column:
        return message("xlsform_where_row", sheet=p.sheet, row=p.row)
    return message("xlsform_where_cell", sheet=p.sheet, row=p.row, column=p.column)


def field(p: XLSFormProblem) -> dict[str, Any]:
    """One problem as an entry of the error's ``fields``: ``path`` says where in words,
    ``sheet``, ``row`` (from 1; 0 for the whole sheet) and ``column`` for programs."""
    return {
        "path": where(p),
        "sheet": p.sheet,
        "row": p.row,
        "column": p.column,
        "code": p.reason,
        "message": sentence(p.reason, dict(p.params)),
    }


def _refusal(error: str, exc: XLSFormError) -> UnprocessableError:
    return UnprocessableError(
        error=error, count=len(exc.problems), fields=[field(p) for p in exc.problems]
    )


def read_upload(data: bytes) -> Questionnaire:
    """The questionnaire of an uploaded XLSForm; 422 listing every problem by sheet and row."""
    try:
        return from_xlsform(data)
    except XLSFormError as exc:
        raise _refusal("invalid_xlsform", exc) from exc


def write(form: Questionnaire) -> bytes:
    """The questionnaire as an ``.xlsx`` XLSForm; 422 for what XLSForm cannot carry."""
    try:
        return to_xlsform(form)
    except XLSFormError as exc:
        raise _refusal("xlsform_not_exportable", exc) from exc


def download(data: bytes, code: str, version: int) -> Response:
    """An XLSForm as a file to save: ``national-2024-v1.xlsx``."""
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{code}-v{version}.xlsx"'},
    )
