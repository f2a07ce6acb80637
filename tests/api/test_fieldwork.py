"""Outcomes of sampled respondents: recorded with a note and audited; final ones stay."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from tests.api.factories import add_respondents, response_body, setup_campaign


def test_record_outcomes(client: TestClient, admin_headers: dict[str, str], db: Session) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    first, second = add_respondents(db, campaign_id, 2)
    url = f"/api/v1/respondents/{first}/outcome"
    refused = client.post(
        url, json={"outcome": "refused", "note": "Bận, hẹn lại"}, headers=admin_headers
    )
    assert refused.status_code == 200
    body = refused.json()
    assert (body["outcome"], body["outcome_note"]) == ("refused", "Bận, hẹn lại")
    assert "phone" not in body
    assert "full_name" not in body
    event = db.execute(
        select(AuditEvent).where(AuditEvent.action == "respondent.outcome")
    ).scalar_one()
    assert event.payload == {"from": "pending", "to": "refused", "note": "Bận, hẹn lại"}

    by_hand = client.post(url, json={"outcome": "replaced"}, headers=admin_headers)
    assert by_hand.status_code == 422
    done = client.post(
        f"/api/v1/respondents/{second}/outcome",
        json={"outcome": "completed"},
        headers=admin_headers,
    )
    assert done.status_code == 200
    final = client.post(
        f"/api/v1/respondents/{second}/outcome",
        json={"outcome": "not_reachable"},
        headers=admin_headers,
    )
    assert final.status_code == 409
    missing = client.post(
        "/api/v1/respondents/999/outcome", json={"outcome": "refused"}, headers=admin_headers
    )
    assert missing.status_code == 404


def test_response_for_a_sampled_respondent_takes_its_unit(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    (respondent,) = add_respondents(db, campaign_id, 1)
    stored = client.post(
        f"/api/v1/campaigns/{campaign_id}/responses",
        json=response_body(respondent_id=respondent),
        headers=admin_headers,
    )
    assert stored.status_code == 201
    assert stored.json()["respondent_id"] == respondent
