"""Queries of the staff pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Assignment, Surveyor, Unit, User


def surveyors(db: Session) -> list[Any]:
    assigned = (
        select(Assignment.surveyor_id, func.count().label("assigned"))
        .group_by(Assignment.surveyor_id)
        .subquery()
    )
    return list(
        db.execute(
            select(Surveyor, User.username, Unit.name.label("unit_name"), assigned.c.assigned)
            .outerjoin(User, User.id == Surveyor.user_id)
            .outerjoin(Unit, Unit.id == Surveyor.unit_id)
            .outerjoin(assigned, assigned.c.surveyor_id == Surveyor.id)
            .order_by(Surveyor.full_name)
        ).all()
    )
