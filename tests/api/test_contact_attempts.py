"""Contact attempts and call-backs: recorded from the phone once per client_id, shown on
the surveyor's list (call-backs first, in time order, with the case's procedure), and
required before a reserve replaces a person not reached."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from analysis.disposition import Outcome
from app.audit.models import AuditEvent
from app.fieldwork.models import ContactAttempt
from app.sample.models import SampledRespondent
from tests.api.sampling_data import case_lines, csv_bytes, frame_and_draw, setup, upload
from tests.support.accounts import SURVEYOR_PASSWORD, add_surveyor
from tests.support.pages import log_in


def _attempt(respondent_id: int, result: str, at: str, **extra: Any) -> dict[str, Any]:
    return {
        "client_id": str(uuid.uuid4()),
        "respondent_id": respondent_id,
        "attempted_at": at,
        "result": result,
        **extra,
    }


def _field(client: TestClient, headers: dict[str, str], db: Session) -> tuple[int, list[int]]:
    """A campaign in fieldwork with a draw; its main sample assigned to ``dtv1``, one
    person of each stratum first."""
    campaign_id = setup(client, headers)
    upload(client, headers, campaign_id, csv_bytes(case_lines(20)))
    _frame, sample = frame_and_draw(client, headers, campaign_id)
    rows = client.get(f"/api/v1/samples/{sample['id']}/respondents", headers=headers).json()
    in_field = [r for r in rows if not r["is_reserve"]]
    firsts = {r["stratum"]: r["id"] for r in reversed(in_field)}
    ordered = sorted(firsts.values()) + [
        r["id"] for r in in_field if r["id"] not in firsts.values()
    ]
    add_surveyor(db, ordered)
    return campaign_id, ordered


def _cards(page: str) -> list[str]:
    return page.split('<li class="respondent card"')[1:]


def test_attempts_are_stored_once_and_call_backs_come_first_in_time_order(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    """Issue 8 (3): a surveyor could record no attempt and no call-back."""
    _campaign_id, in_field = _field(client, admin_headers, db)
    first, second, third = in_field[:3]
    csrf = log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    phone = {"X-CSRF-Token": csrf}
    late_call = _attempt(
        second,
        "call_back",
        "2024-10-01T09:00:00+07:00",
        callback_at="2024-10-03T17:30:00+07:00",
        note="Hẹn chiều thứ năm",
    )
    stored = client.post("/s/api/attempts", json=late_call, headers=phone)
    assert stored.status_code == 201, stored.text
    assert stored.json()["callback_at"] == "2024-10-03T10:30:00Z"
    assert client.post("/s/api/attempts", json=late_call, headers=phone).status_code == 200
    changed = client.post("/s/api/attempts", json={**late_call, "note": "khác"}, headers=phone)
    assert (changed.status_code, changed.json()["error"]) == (409, "client_id_conflict")
    no_time = client.post(
        "/s/api/attempts",
        json=_attempt(third, "call_back", "2024-10-01T09:10:00+07:00"),
        headers=phone,
    )
    assert (no_time.status_code, no_time.json()["error"]) == (422, "callback_needs_time")
    naive = client.post(
        "/s/api/attempts", json=_attempt(third, "no_answer", "2024-10-01T09:10:00"), headers=phone
    )
    assert naive.status_code == 422
    for body in (
        _attempt(third, "not_at_home", "2024-10-01T08:00:00+07:00"),
        _attempt(
            third, "call_back", "2024-10-01T08:05:00+07:00", callback_at="2024-10-02T08:00:00+07:00"
        ),
        _attempt(first, "no_answer", "2024-10-01T08:10:00+07:00"),
    ):
        assert client.post("/s/api/attempts", json=body, headers=phone).status_code == 201
    db.expire_all()
    assert db.execute(select(func.count()).select_from(ContactAttempt)).scalar_one() == 4

    page = client.get("/s/").text
    cards = _cards(page)
    order = [int(card.split('data-respondent="')[1].split('"')[0]) for card in cards]
    assert order[:2] == [third, second], "call-backs first, the earliest first"
    assert sorted(order[2:]) == sorted(r for r in in_field if r not in (second, third))
    assert "Hẹn lại: <time" in cards[0]
    assert "08:00 02/10/2024" in cards[0]
    assert "17:30 03/10/2024" in cards[1]
    assert 'Đã liên hệ: <span class="count">2</span> lần' in cards[0]
    assert "Hỏi về thủ tục: Đăng ký khai sinh, trả kết quả ngày" in cards[0]

    # A later attempt replaces the appointment; a person who answered has none.
    later = _attempt(third, "no_answer", "2024-10-02T08:00:00+07:00")
    assert client.post("/s/api/attempts", json=later, headers=phone).status_code == 201
    assert [
        int(card.split('data-respondent="')[1].split('"')[0])
        for card in _cards(client.get("/s/").text)
    ][:1] == [second]
    listed = client.get(f"/api/v1/respondents/{third}/attempts", headers=admin_headers).json()
    assert [a["result"] for a in listed] == ["not_at_home", "call_back", "no_answer"]

    # An attempt is only for one's own respondents.
    add_surveyor(db, [], username="dtv2", full_name="Người khác")
    client.cookies.clear()
    other = log_in(client, "s", "dtv2", SURVEYOR_PASSWORD)
    stranger = client.post(
        "/s/api/attempts",
        json=_attempt(first, "no_answer", "2024-10-01T08:10:00+07:00"),
        headers={"X-CSRF-Token": other},
    )
    assert (stranger.status_code, stranger.json()["error"]) == (403, "not_assigned")


def test_a_refusal_at_an_attempt_settles_a_pending_outcome(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    _campaign_id, in_field = _field(client, admin_headers, db)
    first = in_field[0]
    csrf = log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    refused = _attempt(first, "refused", "2024-10-01T08:00:00+07:00", note="Không muốn trả lời")
    assert client.post("/s/api/attempts", json=refused, headers={"X-CSRF-Token": csrf}).is_success
    db.expire_all()
    respondent = db.get_one(SampledRespondent, first)
    assert (respondent.outcome, respondent.outcome_note) == (Outcome.REFUSED, "Không muốn trả lời")
    event = db.execute(
        select(AuditEvent).where(AuditEvent.action == "respondent.outcome")
    ).scalar_one()
    assert event.payload["to"] == "refused"


def test_a_reserve_replaces_a_person_not_reached_only_after_the_campaign_attempts(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    """Issue 8 (3): a reserve could be released as soon as someone was marked not reached."""
    campaign_id, in_field = _field(client, admin_headers, db)
    first, second, third = in_field[:3]
    db.execute(
        update(SampledRespondent)
        .where(SampledRespondent.id.in_([first, second, third]))
        .values(outcome=Outcome.NOT_REACHABLE)
    )
    db.commit()

    def release(respondent_id: int) -> Any:
        return client.post(
            f"/api/v1/respondents/{respondent_id}/release-reserve", json={}, headers=admin_headers
        )

    def record(respondent_id: int, result: str, day: int) -> None:
        stored = client.post(
            f"/api/v1/respondents/{respondent_id}/attempts",
            json=_attempt(respondent_id, result, f"2024-10-{day:02d}T08:00:00+07:00"),
            headers=admin_headers,
        )
        assert stored.status_code == 201, stored.text

    record(first, "no_answer", 1)
    record(first, "not_at_home", 2)
    early = release(first)
    assert (early.status_code, early.json()["error"]) == (409, "reserve_needs_attempts")
    assert "mới được liên hệ 2 lần, cần ít nhất 3 lần" in early.json()["detail"]
    record(first, "no_answer", 3)
    assert release(first).status_code == 200

    # A number that leads nowhere needs no more attempts.
    record(second, "number_not_in_service", 1)
    assert release(second).status_code == 200

    # The campaign's own number of attempts.
    settings = client.get(f"/api/v1/campaigns/{campaign_id}", headers=admin_headers).json()
    changed = client.put(
        f"/api/v1/campaigns/{campaign_id}/settings",
        json={**settings["settings"], "attempts_before_reserve": 1},
        headers=admin_headers,
    )
    assert changed.status_code == 200, changed.text
    record(third, "no_answer", 1)
    assert release(third).status_code == 200
