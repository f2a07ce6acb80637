"""Hardening of the capture surfaces and of what each caller may see: bad input refused
with 4xx, surveyors limited to their respondents, links revoked through their own
campaign, API keys limited to their campaigns."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.link.models import RespondentLink
from tests.api.capture.conftest import SUPERVISOR_PASSWORD, CaptureWorld
from tests.api.factories import SMALL_FORM, VALID_ANSWERS, create_campaign, upload_form
from tests.support.accounts import SURVEYOR_PASSWORD, add_surveyor
from tests.support.pages import log_in


def test_nul_in_citizen_and_surveyor_answers_is_refused(
    client: TestClient, world: CaptureWorld
) -> None:
    citizen = client.put(
        "/r/some-token/answers", json={"answers": {"NOTE": "a\u0000b"}, "complete": False}
    )
    assert citizen.status_code == 422
    assert citizen.json()["fields"][0]["path"] == "body.answers.NOTE"
    csrf = log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    synced = client.post(
        "/s/api/responses",
        json={
            "client_id": str(uuid.uuid4()),
            "respondent_id": world.respondents[0],
            "answers": {**VALID_ANSWERS, "NOTE": "x\u0000"},
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert synced.status_code == 422
    assert synced.json()["fields"][0]["path"] == "body.answers.NOTE"


def _issue_links(client: TestClient, world: CaptureWorld) -> str:
    """Links for the campaign's respondents, issued by a supervisor; their CSRF token."""
    csrf = log_in(client, "staff", "giamsat", SUPERVISOR_PASSWORD)
    issued = client.post(
        f"/staff/campaigns/{world.campaign_id}/links",
        data={"csrf_token": csrf, "expires_on": (date.today() + timedelta(days=30)).isoformat()},
        follow_redirects=False,
    )
    assert issued.status_code == 303
    return csrf


def test_a_surveyor_hands_over_only_their_own_respondents_and_small_items(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    csrf = log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    headers = {"X-CSRF-Token": csrf}
    item = {
        "client_id": str(uuid.uuid4()),
        "kind": "response",
        "respondent_id": world.respondents[4],
        "body": {"answers": {"S24": 2}},
    }
    others = client.post("/s/api/conflicts", json=item, headers=headers)
    assert (others.status_code, others.json()["error"]) == (403, "not_assigned")
    huge = dict(item, respondent_id=world.respondents[0], body={"note": "x" * 100_000})
    assert client.post("/s/api/conflicts", json=huge, headers=headers).status_code == 422
    handed = select(AuditEvent).where(AuditEvent.action == "capture.conflict_handed_over")
    assert db.execute(handed).first() is None


def test_an_outcome_replay_is_checked_against_the_assignment_first(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    add_surveyor(db, world.respondents[3:], username="dtv2", full_name="Lý Văn Hai")
    body = {
        "client_id": str(uuid.uuid4()),
        "respondent_id": world.respondents[0],
        "outcome": "refused",
        "note": "Không muốn trả lời",
    }
    csrf = log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    assert (
        client.post("/s/api/outcomes", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    )
    client.cookies.clear()
    other = log_in(client, "s", "dtv2", SURVEYOR_PASSWORD)
    replayed = client.post("/s/api/outcomes", json=body, headers={"X-CSRF-Token": other})
    assert (replayed.status_code, replayed.json()["error"]) == (403, "not_assigned")
    assert "Không muốn" not in replayed.text


def test_a_link_is_revoked_only_through_its_own_campaign(
    client: TestClient, world: CaptureWorld, admin_headers: dict[str, str], db: Session
) -> None:
    other_campaign = create_campaign(client, admin_headers)
    csrf = _issue_links(client, world)
    respondent = world.respondents[0]
    wrong = client.post(
        f"/staff/campaigns/{other_campaign}/links/revoke",
        data={"csrf_token": csrf, "respondent_id": str(respondent)},
        follow_redirects=False,
    )
    assert wrong.status_code == 404
    live = select(RespondentLink).where(
        RespondentLink.respondent_id == respondent, RespondentLink.revoked_at.is_(None)
    )
    assert db.execute(live).scalar_one_or_none() is not None
    right = client.post(
        f"/staff/campaigns/{world.campaign_id}/links/revoke",
        data={"csrf_token": csrf, "respondent_id": str(respondent)},
        follow_redirects=False,
    )
    assert right.status_code == 303
    db.expire_all()
    assert db.execute(live).scalar_one_or_none() is None


def test_an_api_key_sees_only_its_campaigns_units_and_questionnaire_versions(
    client: TestClient, world: CaptureWorld, admin_headers: dict[str, str]
) -> None:
    other_province = {"code": "ct", "name": "Tỉnh Cần Thơ", "kind": "province"}
    assert (
        client.post("/api/v1/units", json=other_province, headers=admin_headers).status_code == 201
    )
    upload_form(client, admin_headers, SMALL_FORM.replace("Phiếu thử nghiệm", "Phiếu mới"))
    other = client.post(
        "/api/v1/campaigns",
        json={
            "name": "Khảo sát Cần Thơ",
            "year": 2024,
            "scope_unit_code": "ct",
            "questionnaire_code": "small",
            "questionnaire_version": 2,
        },
        headers=admin_headers,
    ).json()
    key = client.post(
        "/api/v1/api-keys",
        json={"name": "par-scoring", "campaign_ids": [world.campaign_id]},
        headers=admin_headers,
    ).json()
    auth = {"Authorization": f"Bearer {key['token']}"}
    campaigns = client.get("/api/v1/campaigns", headers=auth).json()
    assert [c["id"] for c in campaigns] == [world.campaign_id]
    refused = client.get(f"/api/v1/campaigns/{other['id']}", headers=auth)
    assert (refused.status_code, refused.json()["error"]) == (403, "campaign_not_in_scope")
    assert client.get(f"/api/v1/campaigns/{world.campaign_id}", headers=auth).status_code == 200

    tree = client.get("/api/v1/units", headers=auth).json()
    assert [u["code"] for u in tree] == ["st"]
    assert [c["code"] for c in tree[0]["children"]] == ["st-p1"]
    assert client.get("/api/v1/units/ct", headers=auth).status_code == 404
    assert client.get("/api/v1/units/st-p1", headers=auth).status_code == 200
    assert len(client.get("/api/v1/units", headers=admin_headers).json()) == 2

    forms = client.get("/api/v1/questionnaires", headers=auth).json()
    assert [(f["code"], [v["version"] for v in f["versions"]]) for f in forms] == [("small", [1])]
    assert client.get("/api/v1/questionnaires/small", headers=auth).json()["version"] == 1
    hidden = client.get("/api/v1/questionnaires/small/versions/2", headers=auth)
    assert hidden.status_code == 404
    assert client.get("/api/v1/questionnaires/small", headers=admin_headers).json()["version"] == 2


def test_letters_never_print_the_host_a_request_claims(
    client: TestClient, world: CaptureWorld
) -> None:
    _issue_links(client, world)
    letters = client.get(
        f"/staff/campaigns/{world.campaign_id}/letters", headers={"Host": "evil.example"}
    )
    assert letters.status_code == 200
    assert "evil.example" not in letters.text
    assert "://localhost/r/" in letters.text
    allowed = client.get(
        f"/staff/campaigns/{world.campaign_id}/letters", headers={"Host": "127.0.0.1:8000"}
    )
    assert "http://127.0.0.1:8000/r/" in allowed.text
