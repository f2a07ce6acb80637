"""A supervisor (post office or Fatherland Front lead) sees only the campaigns and units
they are given, sees personal data only of respondents in their units, and changes no
configuration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.auth.models import User
from app.campaign.models import Campaign, CampaignStatus
from app.campaign.scope import set_supervisor_scope
from app.sample.models import SampledRespondent
from app.unit.models import Unit
from tests.api.console.conftest import SUPERVISOR, Staff
from tests.api.factories import create_campaign, response_body
from tests.api.sampling_data import case_lines, csv_bytes, frame_and_draw, setup, upload
from tests.support.pages import log_in


@dataclass(frozen=True)
class TwoCampaigns:
    given: int
    other: int
    responses: dict[str, list[int]]
    """Response ids by unit code."""
    names: dict[str, str]
    """A respondent's name by unit code."""


def _respond(client: TestClient, headers: dict[str, str], campaign_id: int, respondent: int) -> int:
    stored = client.post(
        f"/api/v1/campaigns/{campaign_id}/responses",
        json=response_body(respondent_id=respondent),
        headers=headers,
    )
    assert stored.status_code == 201, stored.text
    return int(stored.json()["id"])


@pytest.fixture
def world(client: TestClient, admin_headers: dict[str, str], db: Session) -> TwoCampaigns:
    given = setup(client, admin_headers)
    assert (
        upload(client, admin_headers, given, csv_bytes(case_lines(per_unit=6))).status_code == 200
    )
    frame_and_draw(client, admin_headers, given)
    other = create_campaign(client, admin_headers)
    responses: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    people = db.execute(
        select(SampledRespondent, Unit.code)
        .join(Unit, Unit.id == SampledRespondent.unit_id)
        .where(SampledRespondent.is_reserve.is_(False))
        .order_by(SampledRespondent.id)
    ).all()
    for person, code in people:
        if len(responses.get(code, [])) < 2 and code in ("st-tu-phap", "st-xay-dung"):
            responses.setdefault(code, []).append(_respond(client, admin_headers, given, person.id))
            names.setdefault(code, person.full_name or "")
    return TwoCampaigns(given, other, responses, names)


def _supervisor(client: TestClient, db: Session, campaigns: list[int], units: list[str]) -> str:
    user_id = db.execute(select(User.id).where(User.username == SUPERVISOR[0])).scalar_one()
    unit_ids = list(db.execute(select(Unit.id).where(Unit.code.in_(units))).scalars())
    set_supervisor_scope(db, user_id, campaign_ids=campaigns, unit_ids=unit_ids, actor=None)
    client.cookies.clear()
    return log_in(client, "staff", *SUPERVISOR)


def test_supervisor_sees_only_given_campaigns_and_units(
    admin: Staff, supervisor_id: int, world: TwoCampaigns, client: TestClient, db: Session
) -> None:
    _supervisor(client, db, [world.given], ["st-tu-phap"])
    home = client.get("/staff/").text
    assert f"/staff/campaigns/{world.given}/setup" in home
    assert f"/staff/campaigns/{world.other}/setup" not in home
    for tab in ("setup", "sample", "review", "results"):
        assert client.get(f"/staff/campaigns/{world.given}/{tab}").status_code == 200
        refused = client.get(f"/staff/campaigns/{world.other}/{tab}")
        assert refused.status_code == 403
        assert "không được giao đợt khảo sát" in refused.text
    assert client.get(f"/staff/campaigns/{world.other}").status_code == 403

    table = client.get(f"/staff/campaigns/{world.given}/review").text
    mine, theirs = world.responses["st-tu-phap"], world.responses["st-xay-dung"]
    assert all(f'data-response="{r}"' in table for r in mine)
    assert not any(f'data-response="{r}"' in table for r in theirs)
    assert f"{len(mine)} phiếu" in table
    detail = client.get(f"/staff/responses/{mine[0]}")
    assert detail.status_code == 200
    assert world.names["st-tu-phap"] in detail.text  # personal data of their own unit
    assert client.get(f"/staff/responses/{theirs[0]}").status_code == 403


def test_supervisor_without_units_sees_no_personal_data(
    admin: Staff, supervisor_id: int, world: TwoCampaigns, client: TestClient, db: Session
) -> None:
    _supervisor(client, db, [world.given], [])
    table = client.get(f"/staff/campaigns/{world.given}/review").text
    response_id = world.responses["st-xay-dung"][0]
    assert f'data-response="{response_id}"' in table
    detail = client.get(f"/staff/responses/{response_id}").text
    assert world.names["st-xay-dung"] not in detail
    assert "thông tin cá nhân chỉ hiện với người phụ trách đơn vị" in detail


def test_supervisor_changes_no_configuration(
    admin: Staff, supervisor_id: int, world: TwoCampaigns, client: TestClient, db: Session
) -> None:
    csrf = _supervisor(client, db, [world.given], ["st-tu-phap"])
    before = db.scalar(select(func.count()).select_from(AuditEvent))
    campaign = f"/staff/campaigns/{world.given}"
    attempts: dict[str, dict[str, Any]] = {
        "/staff/units": {"files": {"file": ("u.csv", b"code,name,kind\nx,X,commune\n")}},
        "/staff/questionnaires/bundled": {"data": {"code": "national-2024"}},
        "/staff/campaigns": {
            "data": {
                "name": "X",
                "year": "2025",
                "scope_unit_code": "st",
                "questionnaire": "small@1",
                "weight_scheme": "national-province",
            }
        },
        f"{campaign}/status": {"data": {"status": "closed"}},
        f"{campaign}/settings": {"data": {"hotline": "0299 1", "attempts_before_reserve": "5"}},
        f"{campaign}/frames": {"data": {}},
        f"{campaign}/commitments": {"data": {"seed": "7"}},
        f"{campaign}/draws": {"data": {"seed": "7", "n": "3"}},
        f"{campaign}/assign": {"data": {"surveyor_ids": "1"}},
        f"{campaign}/results": {"data": {}},
        f"{campaign}/publish": {"data": {"confirm": "on"}},
    }
    for path, body in attempts.items():
        data = {"csrf_token": csrf, **body.get("data", {})}
        refused = client.post(path, data=data, files=body.get("files"))
        assert refused.status_code == 403, path
        assert "Chỉ quản trị viên" in refused.text, path
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == before
    stored = db.get_one(Campaign, world.given)
    assert (stored.status, stored.hotline) == (CampaignStatus.FIELDWORK, None)
