"""Queries on units."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.unit.models import Unit, UnitKind


def get_by_code(db: Session, code: str) -> Unit | None:
    return db.execute(select(Unit).where(Unit.code == code)).scalar_one_or_none()


def code_of(db: Session, unit_id: int) -> str | None:
    return db.execute(select(Unit.code).where(Unit.id == unit_id)).scalar_one_or_none()


def by_codes(db: Session, codes: Iterable[str]) -> dict[str, Unit]:
    wanted = list(set(codes))
    if not wanted:
        return {}
    rows = db.execute(select(Unit).where(Unit.code.in_(wanted))).scalars()
    return {unit.code: unit for unit in rows}


def list_units(
    db: Session, *, kind: UnitKind | None = None, valid_on: date | None = None
) -> list[Unit]:
    query = select(Unit).order_by(Unit.code)
    if kind is not None:
        query = query.where(Unit.kind == kind)
    if valid_on is not None:
        query = query.where(
            or_(Unit.valid_from.is_(None), Unit.valid_from <= valid_on),
            or_(Unit.valid_to.is_(None), Unit.valid_to >= valid_on),
        )
    return list(db.execute(query).scalars())


def codes_by_id(db: Session) -> dict[int, str]:
    return {row.id: row.code for row in db.execute(select(Unit.id, Unit.code))}


def units_by_id(db: Session, ids: set[int]) -> dict[int, Unit]:
    if not ids:
        return {}
    return {u.id: u for u in db.execute(select(Unit).where(Unit.id.in_(ids))).scalars()}
