"""Fixtures of the capture tests (surveyor app, citizen links, staff pages).

Test data: a campaign on the small form with sampled respondents (contact details,
units), a surveyor assigned some of them, and an administrator and a supervisor
who log in with passwords.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.sample.models import SampledRespondent
from app.unit.models import Unit, UnitKind
from tests.api.factories import add_respondents, setup_campaign
from tests.support.accounts import add_surveyor, staff_account

ADMIN_PASSWORD = "mat-khau-quan-tri-vien"
LETTER_SETTINGS = {
    "issuing_agency": "Sở Nội vụ tỉnh Sóc Trăng",
    "document_number": "125/KH-SNV",
    "document_date": "2024-08-01",
    "hotline": "0299 3822 123",
}
"""What the campaign's letters print (``PUT /campaigns/{id}/settings``)."""
NEW_SURVEYOR = {
    "username": "buudien.dtv3",
    "password": "mat-khau-moi-3",
    "full_name": "Đặng Thị Ba",
    "phone": "0299111222",
    "organisation": "Bưu điện tỉnh Sóc Trăng",
    "unit_code": "st-p1",
}
"""The staff form that adds a surveyor, filled in (but the CSRF token)."""
SUPERVISOR_PASSWORD = "mat-khau-giam-sat-vien"


@dataclass(frozen=True)
class CaptureWorld:
    campaign_id: int
    respondents: list[int]
    """Five respondents; the first three are assigned to surveyor ``dtv1``."""
    unit_id: int


def build(client: TestClient, admin_headers: dict[str, str], db: Session) -> CaptureWorld:
    campaign_id = setup_campaign(client, admin_headers)
    settings = client.put(
        f"/api/v1/campaigns/{campaign_id}/settings", json=LETTER_SETTINGS, headers=admin_headers
    )
    assert settings.status_code == 200, settings.text
    province = db.execute(select(Unit).where(Unit.code == "st")).scalar_one()
    commune = Unit(code="st-p1", name="Phường 1", kind=UnitKind.COMMUNE, parent_id=province.id)
    db.add(commune)
    db.flush()
    respondents = add_respondents(db, campaign_id, 5)
    db.execute(
        update(SampledRespondent)
        .where(SampledRespondent.id.in_(respondents))
        .values(unit_id=commune.id, address="Khóm 3, Phường 1")
    )
    db.commit()
    add_surveyor(db, respondents[:3])
    db.add_all(
        [
            staff_account("quantri", Role.ADMIN, ADMIN_PASSWORD),
            staff_account("giamsat", Role.SUPERVISOR, SUPERVISOR_PASSWORD),
        ]
    )
    db.commit()
    return CaptureWorld(campaign_id=campaign_id, respondents=respondents, unit_id=commune.id)


@pytest.fixture
def world(client: TestClient, admin_headers: dict[str, str], db: Session) -> CaptureWorld:
    return build(client, admin_headers, db)
