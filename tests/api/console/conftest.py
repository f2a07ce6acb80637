"""Fixtures of the staff console tests: an administrator and a supervisor who log in
with passwords, and a client logged in as either."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import Role, User
from tests.support.accounts import password_hash
from tests.support.pages import log_in

ADMIN = ("quantri", "mat-khau-quan-tri-vien")
SUPERVISOR = ("giamsat", "mat-khau-giam-sat-vien")

UNITS_CSV = (
    "code,name,kind,parent_code,valid_from,valid_to\n"
    "st,Tỉnh Sóc Trăng,province,,,\n"
    "st-p1,Phường 1,commune,st,,\n"
    "st-pt,Xã Phú Tâm,commune,st,,2025-06-30\n"
)


@dataclass(frozen=True)
class Staff:
    client: TestClient
    csrf: str
    user_id: int


def add_staff(db: Session, username: str, password: str, role: Role) -> int:
    user = User(
        username=username, role=role, full_name=username, password_hash=password_hash(password)
    )
    db.add(user)
    db.commit()
    return user.id


@pytest.fixture
def admin(client: TestClient, db: Session) -> Staff:
    user_id = add_staff(db, *ADMIN, Role.ADMIN)
    return Staff(client, log_in(client, "staff", *ADMIN), user_id)


@pytest.fixture
def supervisor_id(db: Session) -> int:
    return add_staff(db, *SUPERVISOR, Role.SUPERVISOR)
