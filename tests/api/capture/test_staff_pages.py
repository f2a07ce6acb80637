"""Staff pages: surveyor accounts (administrators only), progress per unit, letters,
and paper questionnaires keyed in with the same validation as every channel."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.auth.models import User
from app.campaign.scope import set_supervisor_scope
from app.core.security import verify_password
from app.fieldwork.models import Surveyor
from app.response.models import Response, ResponseMode
from tests.api.capture.conftest import (
    ADMIN_PASSWORD,
    NEW_SURVEYOR,
    SUPERVISOR_PASSWORD,
    CaptureWorld,
)
from tests.api.factories import VALID_ANSWERS
from tests.support.pages import log_in


def test_administrator_creates_a_surveyor_account(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    form = {"csrf_token": csrf, **NEW_SURVEYOR}
    created = client.post("/staff/surveyors", data=form, follow_redirects=False)
    assert created.status_code == 303
    listing = client.get(created.headers["location"]).text
    assert "Đặng Thị Ba" in listing
    user = db.execute(select(User).where(User.username == "buudien.dtv3")).scalar_one()
    assert user.role.value == "surveyor"
    assert verify_password(user.password_hash, "mat-khau-moi-3")
    assert (user.password_hash or "").startswith("$argon2id$")
    surveyor = db.execute(select(Surveyor).where(Surveyor.user_id == user.id)).scalar_one()
    assert (surveyor.full_name, surveyor.unit_id) == ("Đặng Thị Ba", world.unit_id)
    assert db.execute(select(AuditEvent).where(AuditEvent.action == "surveyor.create")).scalar_one()

    taken = client.post("/staff/surveyors", data=form)
    assert taken.status_code == 422
    assert "đã có người dùng" in taken.text
    short = client.post("/staff/surveyors", data=dict(form, username="x", password="ngan"))
    assert short.status_code == 422
    # The new account logs in to the surveyors' app.
    client.cookies.clear()
    log_in(client, "s", "buudien.dtv3", "mat-khau-moi-3")


def test_supervisors_see_staff_pages_but_create_no_accounts(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    csrf = log_in(client, "staff", "giamsat", SUPERVISOR_PASSWORD)
    assert client.get(f"/staff/campaigns/{world.campaign_id}").status_code == 403
    supervisor = db.execute(select(User).where(User.username == "giamsat")).scalar_one()
    set_supervisor_scope(
        db, supervisor.id, campaign_ids=[world.campaign_id], unit_ids=[], actor=None
    )
    assert client.get(f"/staff/campaigns/{world.campaign_id}").status_code == 200
    attempt = client.post(
        "/staff/surveyors",
        data={"csrf_token": csrf, "username": "abc", "password": "x" * 12, "full_name": "X"},
        follow_redirects=False,
    )
    assert (attempt.status_code, attempt.headers["location"]) == (303, "/staff/login")
    assert 'action="/staff/surveyors"' not in client.get("/staff/surveyors").text


def test_progress_per_unit_counts_links_and_modes(
    client: TestClient, world: CaptureWorld, admin_headers: dict[str, str]
) -> None:
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    client.post(
        f"/staff/campaigns/{world.campaign_id}/links",
        data={
            "csrf_token": csrf,
            "unit_id": str(world.unit_id),
            "expires_on": (date.today() + timedelta(days=7)).isoformat(),
        },
    )
    again = client.post(
        f"/staff/campaigns/{world.campaign_id}/links",
        data={"csrf_token": csrf, "expires_on": (date.today() + timedelta(days=7)).isoformat()},
        follow_redirects=False,
    )
    assert "issued=0&kept=5" in again.headers["location"]
    paper = client.post(
        f"/staff/api/campaigns/{world.campaign_id}/paper",
        json={
            "client_id": str(uuid.uuid4()),
            "respondent_id": world.respondents[4],
            "answers": VALID_ANSWERS,
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert paper.status_code == 201
    page = client.get(f"/staff/campaigns/{world.campaign_id}").text
    row = page.split("<td>Phường 1</td>")[1].split("</tr>")[0]
    cells = dict(re.findall(r'<td data-count="([a-z0-9_]+)">([^<]*)</td>', row))
    shown = [cells["sampled"], cells["links"], cells["complete"], cells["by_mode"]]
    assert shown == ["5", "5", "1", "phiếu giấy: 1"]

    revoked = client.post(
        f"/staff/campaigns/{world.campaign_id}/links/revoke",
        data={"csrf_token": csrf, "respondent_id": str(world.respondents[0])},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    missing = client.post(
        f"/staff/campaigns/{world.campaign_id}/links/revoke",
        data={"csrf_token": csrf, "respondent_id": str(world.respondents[0])},
    )
    assert missing.status_code == 404
    letters = client.get(f"/staff/campaigns/{world.campaign_id}/letters?unit={world.unit_id}")
    # Completed (paper) and revoked respondents get no letter; the revoked one is counted.
    assert letters.text.count('<article class="letter"') == 3
    assert "1 người chưa có đường link" in letters.text


def test_paper_forms_are_validated_and_idempotent(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    url = f"/staff/api/campaigns/{world.campaign_id}/paper"
    headers = {"X-CSRF-Token": csrf}
    body = {"client_id": str(uuid.uuid4()), "respondent_id": None, "answers": VALID_ANSWERS}
    assert client.post(url, json=body).status_code == 403
    assert client.post(url, json=body, headers=headers).status_code == 201
    assert client.post(url, json=body, headers=headers).status_code == 200
    wrong = client.post(
        url,
        json={"client_id": str(uuid.uuid4()), "answers": {"S24": 4, "FEEDBACK": "2", "S37": 5}},
        headers=headers,
    )
    assert wrong.status_code == 422
    assert {(f["item"], f["code"]) for f in wrong.json()["fields"]} == {
        ("S37", "hidden_item"),
        ("R_SEX", "missing_required"),
    }
    stored = db.execute(select(Response)).scalar_one()
    assert (stored.mode, stored.respondent_id) == (ResponseMode.PAPER, None)
    page = client.get(f"/staff/campaigns/{world.campaign_id}/paper")
    assert page.status_code == 200
    assert 'id="paper-S37"' in page.text
