"""No English reaches a person: pages, error pages and API refusals speak the catalogue."""

from __future__ import annotations

import html
import re
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.campaign.models import CAMPAIGN_STATUS_LABELS, Campaign, CampaignStatus
from app.core.messages import message
from tests.api.capture.conftest import ADMIN_PASSWORD, CaptureWorld
from tests.api.factories import VALID_ANSWERS
from tests.support.pages import log_in

ENGLISH = (
    "There is no",
    "There are no",
    "cannot",
    "Respondent",
    "Campaign ",
    "is not",
    "must ",
    "unknown",
    "Field required",
    "The request is invalid",
    "Not Found",
    "Method Not Allowed",
    "already",
    "Send an API",
)
"""Phrases of the English messages the service gave before the catalogue."""


def assert_no_english(text: str, where: str) -> None:
    """No old English phrase in what a person reads: the text, not tags or attributes
    (``data-count="unknown"`` is for scripts)."""
    shown = html.unescape(re.sub(r"<[^>]*>", " ", text))
    found = [phrase for phrase in ENGLISH if phrase in shown]
    assert not found, f"{where}: English {found} in {text[:300]!r}"


def test_refusal_on_a_published_campaign_is_in_vietnamese(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    db.execute(
        update(Campaign)
        .where(Campaign.id == world.campaign_id)
        .values(status=CampaignStatus.PUBLISHED)
    )
    db.commit()
    refused = client.post(
        f"/staff/api/campaigns/{world.campaign_id}/paper",
        json={"client_id": str(uuid.uuid4()), "answers": VALID_ANSWERS},
        headers={"X-CSRF-Token": csrf},
    )
    assert refused.status_code == 409
    body = refused.json()
    assert body["error"] == "campaign_not_in_fieldwork"
    assert body["detail"] == message(
        "campaign_not_in_fieldwork",
        campaign_id=world.campaign_id,
        status=CAMPAIGN_STATUS_LABELS[CampaignStatus.PUBLISHED],
    )
    assert_no_english(refused.text, "paper entry on a published campaign")


def test_revoking_a_missing_link_explains_in_vietnamese(
    client: TestClient, world: CaptureWorld
) -> None:
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    page = client.post(
        f"/staff/campaigns/{world.campaign_id}/links/revoke",
        data={"csrf_token": csrf, "respondent_id": str(world.respondents[0])},
    )
    assert page.status_code == 404
    missing = message("no_active_link", respondent_id=world.respondents[0])
    assert html.escape(missing) in page.text
    assert_no_english(page.text, "revoke without a link")


def test_pages_and_error_pages_have_no_english(
    client: TestClient, world: CaptureWorld, admin_headers: dict[str, str]
) -> None:
    anonymous = {
        "/r": client.get("/r"),
        "/r/<unknown>": client.get("/r/ABCD-EFGH-JKLM"),
        "/s/login": client.get("/s/login"),
        "/staff/login": client.get("/staff/login"),
        "no route": client.get("/api/v1/nothing-here", headers=admin_headers),
        "wrong method": client.delete("/api/v1/units", headers=admin_headers),
        "no token": client.get("/api/v1/units"),
        "bad token": client.get("/api/v1/units", headers={"Authorization": "Bearer sipas_x"}),
        "bad body": client.post("/api/v1/units", json={"code": "x"}, headers=admin_headers),
        "bad json": client.post(
            "/api/v1/units",
            content=b"{",
            headers={**admin_headers, "Content-Type": "application/json"},
        ),
        "no campaign": client.get("/api/v1/campaigns/99999", headers=admin_headers),
    }
    log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    campaign = f"/staff/campaigns/{world.campaign_id}"
    staff = {
        path: client.get(path)
        for path in (
            "/staff/",
            "/staff/surveyors",
            campaign,
            f"{campaign}/paper",
            f"{campaign}/letters",
            "/staff/campaigns/99999",
            "/staff/campaigns/99999/paper",
        )
    }
    for where, response in {**anonymous, **staff}.items():
        assert response.status_code < 500, where
        assert_no_english(response.text, where)
    assert staff["/staff/campaigns/99999"].status_code == 404
    assert html.escape(message("campaign_not_found", campaign_id=99999)) in (
        staff["/staff/campaigns/99999"].text
    )
