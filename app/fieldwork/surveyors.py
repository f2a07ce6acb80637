"""Surveyors (điều tra viên): postal workers, Fatherland Front or veterans' members.

One way to add a surveyor, with or without a log-in to the phone app: the staff
pages, the API and the command line all call :func:`create_surveyor`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth import repository as auth_repository
from app.auth.models import Role, User
from app.campaign import service as campaign_service
from app.core.errors import ConflictError, NotFoundError
from app.fieldwork import repository
from app.fieldwork.models import Surveyor
from app.fieldwork.schemas import SurveyorCreate, SurveyorRead
from app.unit import service as unit_service
from app.unit.schemas import UnitChoice


def _read(row: object) -> SurveyorRead:
    surveyor: Surveyor = row[0]  # type: ignore[index]
    return SurveyorRead(
        id=surveyor.id,
        full_name=surveyor.full_name,
        phone=surveyor.phone,
        organisation=surveyor.organisation,
        unit_code=row.unit_code,  # type: ignore[attr-defined]
        unit_name=row.unit_name,  # type: ignore[attr-defined]
        user_id=surveyor.user_id,
        username=row.username,  # type: ignore[attr-defined]
        assigned=row.assigned or 0,  # type: ignore[attr-defined]
    )


def get_surveyor(db: Session, surveyor_id: int) -> SurveyorRead:
    rows = repository.surveyor_rows(db, [surveyor_id])
    if not rows:
        raise NotFoundError(error="surveyor_not_found", surveyor_id=surveyor_id)
    return _read(rows[0])


def list_surveyors(db: Session) -> list[SurveyorRead]:
    return [_read(row) for row in repository.surveyor_rows(db)]


def add_surveyor(db: Session, data: SurveyorCreate, *, actor: User | None) -> Surveyor:
    """Add a surveyor (and, with a user name, its page account) with an audit event, in
    the caller's transaction."""
    unit_id = (
        unit_service.by_code(db, data.unit_code, path="unit_code").id if data.unit_code else None
    )
    user = None
    if data.username is not None and data.password is not None:
        if auth_repository.get_user(db, data.username) is not None:
            raise ConflictError(error="username_taken", username=data.username)
        user = auth_repository.create_user(
            db,
            username=data.username,
            role=Role.SURVEYOR,
            full_name=data.full_name,
            password=data.password,
        )
    surveyor = Surveyor(
        user_id=user.id if user else None,
        full_name=data.full_name,
        phone=data.phone,
        organisation=data.organisation,
        unit_id=unit_id,
    )
    db.add(surveyor)
    db.flush()
    record_event(
        db,
        actor=actor,
        action="surveyor.create",
        entity_type="surveyor",
        entity_id=surveyor.id,
        payload={
            "organisation": data.organisation,
            "unit_code": data.unit_code,
            "username": data.username,
        },
    )
    return surveyor


def create_surveyor(db: Session, data: SurveyorCreate, *, actor: User | None) -> SurveyorRead:
    surveyor = add_surveyor(db, data, actor=actor)
    db.commit()
    return get_surveyor(db, surveyor.id)


def unit_choices(db: Session) -> list[UnitChoice]:
    """The units a surveyor may be based in: those of the campaigns' scopes, by name."""
    scopes = sorted({c.scope_unit_code for c in campaign_service.list_read(db)})
    return unit_service.choices(db, roots=scopes, valid_on=date.today())
