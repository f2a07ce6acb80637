"""Accounts for the pages: surveyors with their assignments, passwords hashed once."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Role, User
from app.campaign import repository as campaign_repository
from app.core.security import hash_password
from app.fieldwork.models import Assignment, Surveyor
from app.unit.models import Unit

SURVEYOR_PASSWORD = "mat-khau-dieu-tra-vien"


@lru_cache
def password_hash(password: str) -> str:
    """argon2 is slow on purpose: hash each test password once per run."""
    return hash_password(password)


def staff_account(username: str, role: Role, password: str) -> User:
    """A staff account (admin or supervisor) that logs in to /staff/ with ``password``."""
    return User(
        username=username, role=role, full_name=username, password_hash=password_hash(password)
    )


def supervise(db: Session, username: str, campaign_id: int, unit_code: str = "st") -> None:
    """Give the supervisor ``username`` a campaign and a unit (with every unit below it)."""
    user = db.execute(select(User).where(User.username == username)).scalar_one()
    unit_id = db.execute(select(Unit.id).where(Unit.code == unit_code)).scalar_one()
    campaign_repository.replace_supervision(db, user.id, [campaign_id], [unit_id])
    db.commit()


def add_surveyor(
    db: Session,
    respondent_ids: list[int],
    *,
    username: str = "dtv1",
    full_name: str = "Trần Thị Điều Tra",
    password: str = SURVEYOR_PASSWORD,
) -> int:
    """A surveyor account (argon2 password) assigned these respondents; its surveyor id."""
    user = User(
        username=username,
        role=Role.SURVEYOR,
        full_name=full_name,
        password_hash=password_hash(password),
    )
    db.add(user)
    db.flush()
    surveyor = Surveyor(
        user_id=user.id,
        full_name=full_name,
        phone="0299000111",
        organisation="Bưu điện tỉnh Sóc Trăng",
    )
    db.add(surveyor)
    db.flush()
    db.add_all(Assignment(sampled_respondent_id=r, surveyor_id=surveyor.id) for r in respondent_ids)
    db.commit()
    return surveyor.id
