"""Fieldwork progress: the demo's draw shows 5 sampled per unit (not the 8 drawn with
reserves), and AAPOR response rates equal a hand count, on the staff page and the API."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.campaign.models import Campaign
from app.demo import load_demo
from app.demo.fieldwork import CAMPAIGN_NAME
from app.sample.models import SampledRespondent
from app.unit.models import Unit
from tests.support.accounts import staff_account, supervise
from tests.support.pages import log_in

SUPERVISOR_PASSWORD = "mat-khau-giam-sat"
UNIT_ANSWERS = {
    **{f"S{n}": 4 for n in range(24, 37)},
    "GATE_PAKN": "2",
    **{f"X{n:02d}": 2 for n in range(1, 11)},
    "R_SEX": "1",
    "R_AGE": "2",
    "R_AREA": "1",
}
CELL = re.compile(r'<td data-count="([a-z0-9_]+)">([^<]*)</td>')


def _demo(db: Session) -> int:
    load_demo(db)
    db.add(staff_account("giamsat", Role.SUPERVISOR, SUPERVISOR_PASSWORD))
    db.commit()
    campaign_id = int(
        db.execute(select(Campaign.id).where(Campaign.name == CAMPAIGN_NAME)).scalar_one()
    )
    supervise(db, "giamsat", campaign_id)
    return campaign_id


def _page_rows(client: TestClient, campaign_id: int) -> dict[str, dict[str, str]]:
    page = client.get(f"/staff/campaigns/{campaign_id}")
    assert page.status_code == 200
    rows = re.findall(r'<tr data-unit="([^"]+)">(.*?)</tr>', page.text, flags=re.S)
    return {unit: dict(CELL.findall(cells)) for unit, cells in rows}


def test_demo_progress_shows_five_sampled_per_unit_not_the_reserves(
    client: TestClient, db: Session, admin_headers: dict[str, str]
) -> None:
    campaign_id = _demo(db)
    progress = client.get(f"/api/v1/campaigns/{campaign_id}/progress", headers=admin_headers)
    assert progress.status_code == 200
    body = progress.json()
    assert len(body["units"]) == 4
    for unit in body["units"]:
        assert (unit["counts"]["sampled"], unit["counts"]["in_field"]) == (5, 5)
        assert unit["counts"]["dispositions"]["unknown"] == 5
    assert body["total"]["sampled"] == 20
    log_in(client, "staff", "giamsat", SUPERVISOR_PASSWORD)
    rows = _page_rows(client, campaign_id)
    assert len(rows) == 4
    assert {cells["sampled"] for cells in rows.values()} == {"5"}


def test_response_rates_equal_a_hand_count_on_the_page_and_the_api(
    client: TestClient, db: Session, admin_headers: dict[str, str]
) -> None:
    """Sở Tư pháp's five: the first refuses and a reserve is released (still pending),
    the second answers, the third is ineligible, the fourth cannot be reached, the
    fifth is pending. Slots: I = 1, NC = 1, U = 2 (fifth, and the reserve's), NE = 1.
    RR1 = 1 / (1 + 1 + 2) = 25%; e = 2 / 3, RR3 = 1 / (2 + 2 × 2/3) = 30%."""
    campaign_id = _demo(db)
    unit_id = db.execute(select(Unit.id).where(Unit.code == "st-so-tu-phap")).scalar_one()
    people = (
        db.execute(
            select(SampledRespondent.id)
            .where(SampledRespondent.unit_id == unit_id, SampledRespondent.is_reserve.is_(False))
            .order_by(SampledRespondent.draw_order)
        )
        .scalars()
        .all()
    )
    assert len(people) == 5

    def outcome(respondent: int, value: str) -> None:
        answer = client.post(
            f"/api/v1/respondents/{respondent}/outcome",
            json={"outcome": value},
            headers=admin_headers,
        )
        assert answer.status_code == 200, answer.text

    outcome(people[0], "refused")
    released = client.post(
        f"/api/v1/respondents/{people[0]}/release-reserve", json={}, headers=admin_headers
    )
    assert released.status_code == 200, released.text
    stored = client.post(
        f"/api/v1/campaigns/{campaign_id}/responses",
        json={
            "client_id": str(uuid.uuid4()),
            "mode": "interview",
            "answers": UNIT_ANSWERS,
            "respondent_id": people[1],
        },
        headers=admin_headers,
    )
    assert stored.status_code == 201, stored.text
    outcome(people[2], "ineligible")
    outcome(people[3], "not_reachable")

    body = client.get(f"/api/v1/campaigns/{campaign_id}/progress", headers=admin_headers).json()
    (unit,) = [u for u in body["units"] if u["unit_code"] == "st-so-tu-phap"]
    counts = unit["counts"]
    assert (counts["sampled"], counts["reserves_released"], counts["in_field"]) == (5, 1, 6)
    assert counts["dispositions"] == {
        "complete": 1,
        "partial": 0,
        "refusal": 0,
        "non_contact": 1,
        "other": 0,
        "unknown": 2,
        "ineligible": 1,
    }
    assert counts["substituted"] == 1
    assert counts["rr1"] == 1 / 4
    assert abs(counts["rr3"] - 0.3) < 1e-12
    assert unit["by_mode"] == {"interview": 1}

    log_in(client, "staff", "giamsat", SUPERVISOR_PASSWORD)
    cells = _page_rows(client, campaign_id)["st-so-tu-phap"]
    assert (cells["sampled"], cells["reserves_released"]) == ("5", "1")
    assert (cells["complete"], cells["unknown"], cells["ineligible"]) == ("1", "2", "1")
    assert (cells["rr1"], cells["rr3"]) == ("25.0%", "30.0%")


def test_progress_is_for_staff_only(
    client: TestClient, db: Session, admin_headers: dict[str, str]
) -> None:
    from tests.api.conftest import make_token

    campaign_id = _demo(db)
    token = make_token(db, "dtv.api", Role.SURVEYOR)
    refused = client.get(
        f"/api/v1/campaigns/{campaign_id}/progress",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert refused.status_code == 403
