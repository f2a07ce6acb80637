"""The hand-over queue: items a phone could not sync, handed over by the surveyor, seen by
staff (page and API), accepted as a response or discarded with a reason, audited."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.disposition import Outcome
from app.audit.models import AuditEvent
from app.auth.models import User
from app.campaign.scope import set_supervisor_scope
from app.fieldwork.models import Handover, HandoverStatus
from app.response.models import Response, ResponseMode
from app.sample.models import SampledRespondent
from tests.api.capture.conftest import SUPERVISOR_PASSWORD, CaptureWorld
from tests.api.factories import VALID_ANSWERS
from tests.support.accounts import SURVEYOR_PASSWORD
from tests.support.pages import log_in


def _move(client: TestClient, headers: dict[str, str], campaign_id: int, status: str) -> None:
    moved = client.post(
        f"/api/v1/campaigns/{campaign_id}/status", json={"status": status}, headers=headers
    )
    assert moved.status_code == 200, moved.text


def _responses(db: Session) -> int:
    db.expire_all()
    return int(db.execute(select(func.count()).select_from(Response)).scalar_one())


def test_handed_over_items_form_a_queue_staff_accept_or_discard(
    client: TestClient, world: CaptureWorld, admin_headers: dict[str, str], db: Session
) -> None:
    """Issue 8 (2l): «Chuyển cho giám sát viên» only wrote an audit event."""
    first, second = world.respondents[:2]
    csrf = log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    phone = {"X-CSRF-Token": csrf}
    # An interview sent while fieldwork was paused is refused and kept on the phone...
    _move(client, admin_headers, world.campaign_id, "closed")
    interview = {
        "client_id": str(uuid.uuid4()),
        "respondent_id": first,
        "answers": VALID_ANSWERS,
        "started_at": "2024-10-01T08:30:00+07:00",
    }
    refused = client.post("/s/api/responses", json=interview, headers=phone)
    assert refused.json()["error"] == "campaign_not_in_fieldwork"
    # ...until the surveyor hands it over, with a wrong outcome too.
    items = [
        {
            "client_id": interview["client_id"],
            "kind": "response",
            "respondent_id": first,
            "body": interview,
            "error": {"status": 409, "code": "campaign_not_in_fieldwork", "detail": "đã đóng"},
        },
        {
            "client_id": str(uuid.uuid4()),
            "kind": "outcome",
            "respondent_id": second,
            "body": {"respondent_id": second, "outcome": "refused"},
            "error": {"status": 409, "code": "campaign_not_in_fieldwork"},
        },
    ]
    for item in items:
        queued = client.post("/s/api/conflicts", json=item, headers=phone)
        assert queued.status_code == 201, queued.text
    again = client.post("/s/api/conflicts", json=items[0], headers=phone)
    assert (again.status_code, again.json()["status"]) == (200, "open")
    event = db.execute(
        select(AuditEvent).where(AuditEvent.action == "capture.conflict_handed_over")
    ).scalars()
    assert [e.entity_id for e in event] == [str(first), str(second)]

    # Staff see the queue, through the API and on a page.
    listed = client.get(
        f"/api/v1/campaigns/{world.campaign_id}/handovers", headers=admin_headers
    ).json()
    assert [(i["kind"], i["respondent_id"], i["status"]) for i in listed] == [
        ("response", first, "open"),
        ("outcome", second, "open"),
    ]
    assert listed[0]["handed_over_by"] == "Trần Thị Điều Tra"
    response_item, outcome_item = (i["id"] for i in listed)
    client.cookies.clear()
    giamsat = db.execute(select(User).where(User.username == "giamsat")).scalar_one()
    set_supervisor_scope(
        db, giamsat.id, campaign_ids=[world.campaign_id], unit_ids=[world.unit_id], actor=None
    )
    staff = log_in(client, "staff", "giamsat", SUPERVISOR_PASSWORD)
    page = client.get(f"/staff/campaigns/{world.campaign_id}/handovers")
    assert page.status_code == 200
    assert page.text.count('<tr class="handover"') == 2
    assert "Nhận làm phiếu trả lời" in page.text
    assert "4 câu trả lời" in page.text

    # Accepting goes through the response rules: refused while the campaign is closed.
    closed = client.post(
        f"/staff/handovers/{response_item}/accept",
        data={"csrf_token": staff, "campaign_id": str(world.campaign_id)},
    )
    assert closed.status_code == 409
    assert _responses(db) == 0
    _move(client, admin_headers, world.campaign_id, "fieldwork")
    accepted = client.post(
        f"/staff/handovers/{response_item}/accept",
        data={"csrf_token": staff, "campaign_id": str(world.campaign_id)},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    assert "done=accepted" in accepted.headers["location"]
    stored = db.execute(select(Response)).scalar_one()
    assert (stored.mode, stored.respondent_id) == (ResponseMode.INTERVIEW, first)
    assert str(stored.client_id) == interview["client_id"]
    assert db.get_one(SampledRespondent, first).outcome is Outcome.COMPLETED
    twice = client.post(f"/api/v1/handovers/{response_item}/accept", headers=admin_headers)
    assert (twice.status_code, twice.json()["error"]) == (409, "handover_resolved")
    assert _responses(db) == 1

    # An outcome is not a response: it is discarded with a reason.
    not_a_response = client.post(f"/api/v1/handovers/{outcome_item}/accept", headers=admin_headers)
    assert (not_a_response.status_code, not_a_response.json()["error"]) == (
        409,
        "handover_not_a_response",
    )
    no_reason = client.post(
        f"/staff/handovers/{outcome_item}/discard",
        data={"csrf_token": staff, "campaign_id": str(world.campaign_id), "reason": " "},
    )
    assert no_reason.status_code == 422
    discarded = client.post(
        f"/staff/handovers/{outcome_item}/discard",
        data={
            "csrf_token": staff,
            "campaign_id": str(world.campaign_id),
            "reason": "Đã gọi lại, người dân đồng ý trả lời",
        },
        follow_redirects=False,
    )
    assert discarded.status_code == 303
    db.expire_all()
    rows = db.execute(select(Handover).order_by(Handover.id)).scalars().all()
    assert [(r.status, r.reason) for r in rows] == [
        (HandoverStatus.ACCEPTED, None),
        (HandoverStatus.DISCARDED, "Đã gọi lại, người dân đồng ý trả lời"),
    ]
    assert rows[0].response_id == stored.id
    assert all(r.resolved_by_id is not None and r.resolved_at is not None for r in rows)
    actions = db.execute(
        select(AuditEvent.action, AuditEvent.payload).where(AuditEvent.entity_type == "handover")
    ).all()
    assert [a for a, _ in actions] == ["handover.accepted", "handover.discarded"]
    assert actions[1][1]["reason"] == "Đã gọi lại, người dân đồng ý trả lời"
    assert (
        client.get(f"/api/v1/campaigns/{world.campaign_id}/handovers", headers=admin_headers).json()
        == []
    )


def test_a_handover_is_capped_and_only_for_ones_own_respondents(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    csrf = log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    phone = {"X-CSRF-Token": csrf}

    def item(respondent_id: int, **body: object) -> dict[str, object]:
        return {
            "client_id": str(uuid.uuid4()),
            "kind": "response",
            "respondent_id": respondent_id,
            "body": {"respondent_id": respondent_id, **body},
            "error": {"status": 409, "code": "client_id_conflict"},
        }

    huge = client.post(
        "/s/api/conflicts",
        json=item(world.respondents[0], answers={"NOTE": "x" * 200_000}),
        headers=phone,
    )
    assert (huge.status_code, huge.json()["error"]) == (422, "handover_too_large")
    not_mine = client.post("/s/api/conflicts", json=item(world.respondents[3]), headers=phone)
    assert (not_mine.status_code, not_mine.json()["error"]) == (403, "not_assigned")
    mismatch = item(world.respondents[0])
    mismatch["body"] = {"respondent_id": world.respondents[3]}
    other = client.post("/s/api/conflicts", json=mismatch, headers=phone)
    assert (other.status_code, other.json()["error"]) == (422, "handover_respondent_mismatch")
    assert db.execute(select(func.count()).select_from(Handover)).scalar_one() == 0
