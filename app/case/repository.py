"""Queries and bulk writes for case lists (through :mod:`app.core.bulk`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.case.models import Case, CaseFrame, CaseRejection
from app.core import bulk
from app.unit.models import Unit

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


def repeated_codes(
    db: Session, case_list_id: int, size: int
) -> Iterator[list[tuple[int, int, str, int]]]:
    """Stored rows whose case code an earlier stored row of the list has, in row order
    and in lists of at most ``size``: (case id, row number, code, that earlier row).

    Each list is a new query that starts after the last row of the one before, so the
    caller may delete the rows it got before asking for more."""
    # One pass with a window (a sort), whatever the planner believes of a table just
    # filled in this transaction: a join of the rows with their codes' first rows became
    # a nested loop over a list of 90,000 rows (minutes) before statistics existed.
    ranked = (
        select(
            Case.id,
            Case.row_number,
            Case.case_code,
            func.min(Case.row_number).over(partition_by=Case.case_code).label("first_row"),
        )
        .where(Case.case_frame_id == case_list_id, Case.case_code.is_not(None))
        .subquery()
    )
    after = 0
    while True:
        query = (
            select(ranked.c.id, ranked.c.row_number, ranked.c.case_code, ranked.c.first_row)
            .where(ranked.c.row_number > ranked.c.first_row, ranked.c.row_number > after)
            .order_by(ranked.c.row_number)
            .limit(size)
        )
        found = [(r.id, r.row_number, str(r.case_code), r.first_row) for r in db.execute(query)]
        if not found:
            return
        yield found
        after = found[-1][1]


def delete_cases(db: Session, ids: list[int]) -> None:
    for start in range(0, len(ids), 500):
        db.execute(delete(Case).where(Case.id.in_(ids[start : start + 500])))


class CaseWriter(bulk.BulkWriter):
    """Appends cleaned rows to ``case`` (SQLite gets dates as ISO text)."""

    def __init__(self, db: Session) -> None:
        super().__init__(db, "case", CASE_COLUMNS)

    def add(self, row: tuple[Any, ...]) -> None:
        super().add(_sqlite_dates(row) if self.dialect != "postgresql" else row)


def rejection_writer(db: Session) -> bulk.BulkWriter:
    return bulk.BulkWriter(db, "case_rejection", REJECTION_COLUMNS)


def _sqlite_dates(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """SQLite stores dates as ISO text (what SQLAlchemy's Date type reads back)."""
    values = list(row)
    for index in (7, 8):
        if values[index] is not None:
            values[index] = values[index].isoformat()
    return tuple(values)
