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
    are at ``GET /case-lists/{id}/rejections``."""

    case_list: CaseListRead
    already_imported: bool
    message: str
    rejections: list[Rejection]
    rejections_total: int
