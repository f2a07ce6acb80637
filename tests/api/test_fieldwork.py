"""Outcomes of sampled respondents: recorded with a note and audited; ``completed`` only
from a complete response; corrected by staff with a reason; no fieldwork change once
the campaign is closed or published."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from analysis.disposition import Outcome
from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.campaign.scope import set_supervisor_scope
from app.sample.models import SampledRespondent
from tests.api.conftest import make_token
from tests.api.factories import add_respondents, response_body, setup_campaign
from tests.api.sampling_data import case_lines, csv_bytes, frame_and_draw, setup, upload
from tests.support.accounts import SURVEYOR_PASSWORD, add_surveyor
from tests.support.pages import log_in


def _move(client: TestClient, headers: dict[str, str], campaign_id: int, status: str) -> None:
    moved = client.post(
        f"/api/v1/campaigns/{campaign_id}/status", json={"status": status}, headers=headers
    )
    assert moved.status_code == 200, moved.text


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
    assert (by_hand.status_code, by_hand.json()["error"]) == (422, "replaced_by_hand")
    missing = client.post(
        "/api/v1/respondents/999/outcome", json={"outcome": "refused"}, headers=admin_headers
    )
    assert missing.status_code == 404

    # Once a complete response has come in, the outcome is final.
    answered = client.post(
        f"/api/v1/campaigns/{campaign_id}/responses",
        json=response_body(respondent_id=second),
        headers=admin_headers,
    )
    assert answered.status_code == 201
    final = client.post(
        f"/api/v1/respondents/{second}/outcome",
        json={"outcome": "not_reachable"},
        headers=admin_headers,
    )
    assert (final.status_code, final.json()["error"]) == (409, "outcome_final")
    assert "Đã hoàn thành" in final.json()["detail"]


def test_completed_is_never_recorded_by_hand(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    """Issue 8 (2a): a mis-tapped «Đã hoàn thành» locked the respondent for good."""
    campaign_id = setup_campaign(client, admin_headers)
    first, second = add_respondents(db, campaign_id, 2)
    by_api = client.post(
        f"/api/v1/respondents/{first}/outcome",
        json={"outcome": "completed"},
        headers=admin_headers,
    )
    assert (by_api.status_code, by_api.json()["error"]) == (422, "completed_by_hand")
    assert "phiếu trả lời hoàn chỉnh" in by_api.json()["detail"]

    add_surveyor(db, [second])
    csrf = log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    page = client.get("/s/").text
    form = page.split('class="outcome-form"')[1].split("</form>")[0]
    assert 'value="completed"' not in form
    assert 'value="refused"' in form
    by_phone = client.post(
        "/s/api/outcomes",
        json={"client_id": str(uuid.uuid4()), "respondent_id": second, "outcome": "completed"},
        headers={"X-CSRF-Token": csrf},
    )
    assert by_phone.status_code == 422
    db.expire_all()
    outcomes = db.execute(select(SampledRespondent.outcome)).scalars().all()
    assert outcomes == [Outcome.PENDING, Outcome.PENDING]


def test_staff_correct_a_mis_set_outcome_with_a_reason_kept_in_the_audit_trail(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    """Issue 8 (2a): an admin asked to undo a mis-set outcome got 409 ``outcome_final``."""
    campaign_id = setup_campaign(client, admin_headers)
    first, second = add_respondents(db, campaign_id, 2)
    # A «Đã hoàn thành» tapped by mistake before this rule, with no response behind it.
    db.execute(
        update(SampledRespondent)
        .where(SampledRespondent.id == first)
        .values(outcome=Outcome.COMPLETED)
    )
    db.commit()
    supervisor = {"Authorization": f"Bearer {make_token(db, 'giamsat', Role.SUPERVISOR)}"}
    url = f"/api/v1/respondents/{first}/outcome-corrections"
    body = {"outcome": "pending", "reason": "Điều tra viên bấm nhầm «Đã hoàn thành»"}
    not_given = client.post(url, json=body, headers=supervisor)
    assert (not_given.status_code, not_given.json()["error"]) == (403, "campaign_not_given")
    giamsat = db.execute(select(User).where(User.username == "giamsat")).scalar_one()
    set_supervisor_scope(db, giamsat.id, campaign_ids=[campaign_id], unit_ids=[], actor=None)
    no_reason = client.post(url, json={"outcome": "pending"}, headers=supervisor)
    assert no_reason.status_code == 422
    corrected = client.post(url, json=body, headers=supervisor)
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["outcome"] == "pending"
    event = db.execute(
        select(AuditEvent).where(AuditEvent.action == "respondent.outcome_corrected")
    ).scalar_one()
    assert event.payload == {
        "from": "completed",
        "to": "pending",
        "reason": "Điều tra viên bấm nhầm «Đã hoàn thành»",
    }
    assert event.actor_user_id is not None
    assert event.created_at is not None
    again = client.post(url, json={"outcome": "pending", "reason": "lần nữa"}, headers=supervisor)
    assert (again.status_code, again.json()["error"]) == (409, "outcome_unchanged")
    surveyor = {"Authorization": f"Bearer {make_token(db, 'dtv', Role.SURVEYOR)}"}
    refused = client.post(url, json={"outcome": "refused", "reason": "thử"}, headers=surveyor)
    assert refused.status_code == 403

    # A refusal recorded by mistake is corrected too; «replaced» is never set this way.
    client.post(
        f"/api/v1/respondents/{second}/outcome", json={"outcome": "refused"}, headers=admin_headers
    )
    second_url = f"/api/v1/respondents/{second}/outcome-corrections"
    fixed = client.post(
        second_url,
        json={"outcome": "not_reachable", "reason": "Không gặp được, không phải từ chối"},
        headers=admin_headers,
    )
    assert fixed.json()["outcome"] == "not_reachable"
    replaced = client.post(
        second_url, json={"outcome": "replaced", "reason": "thay"}, headers=admin_headers
    )
    assert replaced.status_code == 422


def test_completed_backed_by_a_complete_response_cannot_be_corrected(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    """The first complete response counts: its «Đã hoàn thành» stays, and «Đã hoàn thành»
    needs a complete response."""
    campaign_id = setup_campaign(client, admin_headers)
    answered, other = add_respondents(db, campaign_id, 2)
    stored = client.post(
        f"/api/v1/campaigns/{campaign_id}/responses",
        json=response_body(respondent_id=answered),
        headers=admin_headers,
    )
    assert stored.status_code == 201
    away = client.post(
        f"/api/v1/respondents/{answered}/outcome-corrections",
        json={"outcome": "refused", "reason": "Người dân đổi ý"},
        headers=admin_headers,
    )
    assert (away.status_code, away.json()["error"]) == (409, "outcome_has_response")
    assert "phiếu trả lời hoàn chỉnh" in away.json()["detail"]
    to_completed = client.post(
        f"/api/v1/respondents/{other}/outcome-corrections",
        json={"outcome": "completed", "reason": "Đã phỏng vấn xong"},
        headers=admin_headers,
    )
    assert (to_completed.status_code, to_completed.json()["error"]) == (
        409,
        "outcome_completed_needs_response",
    )
    db.expire_all()
    assert db.get_one(SampledRespondent, answered).outcome is Outcome.COMPLETED
    assert db.get_one(SampledRespondent, other).outcome is Outcome.PENDING


def _drawn_and_assigned(
    client: TestClient, headers: dict[str, str], db: Session
) -> tuple[int, int, list[dict[str, Any]], int]:
    """A campaign in fieldwork with a draw, all of it assigned to surveyor ``dtv1``."""
    campaign_id = setup(client, headers)
    upload(client, headers, campaign_id, csv_bytes(case_lines(20)))
    _frame, sample = frame_and_draw(client, headers, campaign_id)
    rows = client.get(f"/api/v1/samples/{sample['id']}/respondents", headers=headers).json()
    in_field = [r["id"] for r in rows if not r["is_reserve"]]
    surveyor_id = add_surveyor(db, in_field)
    return campaign_id, sample["id"], rows, surveyor_id


def test_fieldwork_changes_after_closing_answer_409_and_replays_still_answer(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    """Issue 8 (2f): reserves were released, respondents assigned and outcomes recorded
    after the campaign closed."""
    campaign_id, sample_id, rows, surveyor_id = _drawn_and_assigned(client, admin_headers, db)
    first, second, third = [r["id"] for r in rows if not r["is_reserve"]][:3]
    csrf = log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    phone = {"X-CSRF-Token": csrf}
    outcome = {
        "client_id": str(uuid.uuid4()),
        "respondent_id": first,
        "outcome": "refused",
        "note": None,
    }
    attempt = {
        "client_id": str(uuid.uuid4()),
        "respondent_id": second,
        "attempted_at": "2024-10-01T08:30:00+07:00",
        "result": "not_at_home",
    }
    assert client.post("/s/api/outcomes", json=outcome, headers=phone).status_code == 201
    assert client.post("/s/api/attempts", json=attempt, headers=phone).status_code == 201

    _move(client, admin_headers, campaign_id, "closed")
    refusals = {
        "release": client.post(
            f"/api/v1/respondents/{first}/release-reserve", json={}, headers=admin_headers
        ),
        "assign": client.post(
            f"/api/v1/samples/{sample_id}/assignments",
            json={"surveyor_ids": [surveyor_id]},
            headers=admin_headers,
        ),
        "reassign": client.post(
            "/api/v1/assignments/reassign",
            json={"respondent_ids": [third], "surveyor_id": surveyor_id},
            headers=admin_headers,
        ),
        "outcome": client.post(
            f"/api/v1/respondents/{third}/outcome",
            json={"outcome": "refused"},
            headers=admin_headers,
        ),
        "attempt": client.post(
            f"/api/v1/respondents/{third}/attempts",
            json={**attempt, "client_id": str(uuid.uuid4())},
            headers=admin_headers,
        ),
        "phone outcome": client.post(
            "/s/api/outcomes",
            json={**outcome, "client_id": str(uuid.uuid4()), "respondent_id": third},
            headers=phone,
        ),
        "phone attempt": client.post(
            "/s/api/attempts",
            json={**attempt, "client_id": str(uuid.uuid4()), "respondent_id": third},
            headers=phone,
        ),
    }
    for name, answer in refusals.items():
        assert (answer.status_code, answer.json()["error"]) == (
            409,
            "campaign_not_in_fieldwork",
        ), name
        assert "chỉ làm được khi đợt đang khảo sát" in answer.json()["detail"], name

    # What the phones stored during fieldwork still answers as stored.
    assert client.post("/s/api/outcomes", json=outcome, headers=phone).status_code == 200
    assert client.post("/s/api/attempts", json=attempt, headers=phone).status_code == 200

    # Closed: staff may still correct an outcome; published: no longer.
    corrected = client.post(
        f"/api/v1/respondents/{first}/outcome-corrections",
        json={"outcome": "not_reachable", "reason": "Ghi nhầm từ chối"},
        headers=admin_headers,
    )
    assert corrected.status_code == 200, corrected.text
    published = client.post(f"/api/v1/campaigns/{campaign_id}/publish", headers=admin_headers)
    assert published.status_code == 200, published.text
    late = client.post(
        f"/api/v1/respondents/{first}/outcome-corrections",
        json={"outcome": "refused", "reason": "Sửa lại"},
        headers=admin_headers,
    )
    assert (late.status_code, late.json()["error"]) == (409, "campaign_published")
    db.expire_all()
    assert db.get_one(SampledRespondent, third).outcome is Outcome.PENDING


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
