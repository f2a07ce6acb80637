"""Request and response bodies for case-list imports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class Rejection(BaseModel):
    """One problem with one row: ``row`` is the spreadsheet row (header = row 1)."""

    row: int
    column: str | None
    value: str | None
    reason: str


class IgnoredColumn(BaseModel):
    """A column of the file that no known header or mapping names: not imported."""

    column: int
    """1 for the first column."""
    letter: str
    """The spreadsheet's name of the column: A, B, ..., AA."""
    header: str


class CaseListRead(BaseModel):
    id: int
    campaign_id: int
    filename: str
    file_sha256: str
    row_count: int
    accepted_count: int
    rejected_count: int
    column_mapping: dict[str, Any] | None
    created_at: datetime


class CaseImportResult(BaseModel):
    """What an import did. ``already_imported``: the same file (SHA-256) was imported
    before and nothing changed. ``rejections`` lists the first problems; all of them
    are at ``GET /case-lists/{id}/rejections``. ``header_row``: the row the header was
    found on (title rows above it are skipped); ``ignored_columns``: the columns not
    imported because no known header or mapping names them (both ``null``/empty when
    the file was not read again)."""

    case_list: CaseListRead
    already_imported: bool
    message: str
    rejections: list[Rejection]
    rejections_total: int
    header_row: int | None = None
    ignored_columns: list[IgnoredColumn] = []
