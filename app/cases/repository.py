"""Queries and bulk writes for case lists (through :mod:`app.core.bulk`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import bulk
from app.models import CaseFrame, CaseRejection, Unit

CASE_COLUMNS = (
    "case_frame_id",
    "row_number",
    "unit_id",
    "case_code",
    "procedure_code",
    "procedure_name",
    "field",
    "received_on",
    "returned_on",
    "channel",
    "applicant_name",
    "phone",
    "address",
    "commune",
    "hamlet",
)
REJECTION_COLUMNS = ("case_frame_id", "row_number", "column", "value", "reason")


def find_import(db: Session, campaign_id: int, sha256: str) -> CaseFrame | None:
    return db.execute(
        select(CaseFrame).where(
            CaseFrame.campaign_id == campaign_id, CaseFrame.file_sha256 == sha256
        )
    ).scalar_one_or_none()


def get_import(db: Session, case_list_id: int) -> CaseFrame | None:
    return db.get(CaseFrame, case_list_id)


def list_imports(db: Session, campaign_id: int) -> list[CaseFrame]:
    return list(
        db.execute(
            select(CaseFrame).where(CaseFrame.campaign_id == campaign_id).order_by(CaseFrame.id)
        ).scalars()
    )


def all_units(db: Session) -> list[Unit]:
    return list(db.execute(select(Unit).order_by(Unit.id)).scalars())


def rejections(
    db: Session, case_list_id: int, *, offset: int = 0, limit: int | None = None
) -> list[CaseRejection]:
    query = (
        select(CaseRejection)
        .where(CaseRejection.case_frame_id == case_list_id)
        .order_by(CaseRejection.row_number, CaseRejection.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.execute(query).scalars())


def count_rejections(db: Session, case_list_id: int) -> int:
    return int(
        db.execute(
            select(func.count()).where(CaseRejection.case_frame_id == case_list_id)
        ).scalar_one()
    )


class BulkWriter(bulk.BulkWriter):
    """Appends rows to ``case`` and ``case_rejection`` in the session's transaction."""

    def cases(self, rows: list[tuple[Any, ...]]) -> None:
        if self.dialect != "postgresql":
            rows = [_sqlite_dates(row) for row in rows]
        self.write("case", CASE_COLUMNS, rows)

    def rejections(self, rows: list[tuple[Any, ...]]) -> None:
        self.write("case_rejection", REJECTION_COLUMNS, rows)


def _sqlite_dates(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """SQLite stores dates as ISO text (what SQLAlchemy's Date type reads back)."""
    values = list(row)
    for index in (7, 8):
        if values[index] is not None:
            values[index] = values[index].isoformat()
    return tuple(values)
