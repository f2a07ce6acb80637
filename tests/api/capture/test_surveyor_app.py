"""The surveyors' app: log-in sessions with CSRF, assigned respondents only, and
sync endpoints where every replay is safe and every conflict is reported."""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from analysis.disposition import Outcome
from app.audit.models import AuditEvent
from app.auth.models import WebSession
from app.core.db import Base
from app.fieldwork.models import OutcomeReport
from app.response.models import Response, ResponseMode
from app.sample.models import SampledRespondent
from tests.api.capture.conftest import ADMIN_PASSWORD, CaptureWorld
from tests.api.factories import VALID_ANSWERS
from tests.support.accounts import SURVEYOR_PASSWORD, add_surveyor
from tests.support.pages import log_in


def _count(db: Session, model: type) -> int:
    db.expire_all()
    return int(db.execute(select(func.count()).select_from(model)).scalar_one())


def _interview(respondent_id: int, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "client_id": str(uuid.uuid4()),
        "respondent_id": respondent_id,
        "answers": VALID_ANSWERS,
        "started_at": "2024-10-01T08:30:00+07:00",
    }
    body.update(changes)
    return body


def _nonce(page_text: str) -> str:
    return page_text.split('name="login_csrf" value="')[1].split('"')[0]


def test_pages_need_a_surveyor_session(client: TestClient, world: CaptureWorld) -> None:
    redirect = client.get("/s/", follow_redirects=False)
    assert (redirect.status_code, redirect.headers["location"]) == (303, "/s/login")
    assert client.get("/s/api/session").json()["error"] == "login_required"

    form = client.get("/s/login")
    wrong = client.post(
        "/s/login",
        data={"username": "dtv1", "password": "sai-mat-khau", "login_csrf": _nonce(form.text)},
    )
    assert wrong.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in wrong.text
    admin_here = client.post(
        "/s/login",
        data={"username": "quantri", "password": ADMIN_PASSWORD, "login_csrf": _nonce(wrong.text)},
    )
    assert admin_here.status_code == 401, "only surveyors log in to the surveyors' app"
    forged = client.post(
        "/s/login",
        data={"username": "dtv1", "password": SURVEYOR_PASSWORD, "login_csrf": "forged"},
    )
    assert forged.status_code == 403
    assert "sipas_session" not in client.cookies


def test_wrong_passwords_are_throttled(
    client: TestClient, world: CaptureWorld, api: FastAPI
) -> None:
    page = client.get("/s/login")
    for _ in range(5):
        page = client.post(
            "/s/login",
            data={"username": "dtv1", "password": "sai", "login_csrf": _nonce(page.text)},
        )
        assert page.status_code == 401
    right = client.post(
        "/s/login",
        data={"username": "dtv1", "password": SURVEYOR_PASSWORD, "login_csrf": _nonce(page.text)},
    )
    assert right.status_code == 429
    assert "sipas_session" not in client.cookies


def test_surveyor_sees_only_assigned_contacts(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    add_surveyor(db, world.respondents[3:], username="dtv2", full_name="Lý Văn Hai")
    log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    page = client.get("/s/").text
    for number in (1, 2, 3):
        assert f"Người dân {number}" in page
        assert f"09120000{number:02d}" in page
    for number in (4, 5):
        assert f"Người dân {number}" not in page
        assert f"09120000{number:02d}" not in page
    assert "Khóm 3, Phường 1" in page
    assert page.count('class="respondent card"') == 3


def test_interview_replays_store_once_and_conflicts_are_reported(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    csrf = log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    headers = {"X-CSRF-Token": csrf}
    first = world.respondents[0]
    body = _interview(first)

    no_token = client.post("/s/api/responses", json=body)
    assert (no_token.status_code, no_token.json()["error"]) == (403, "csrf_failed")
    stored = client.post("/s/api/responses", json=body, headers=headers)
    assert stored.status_code == 201, stored.text
    replay = client.post("/s/api/responses", json=body, headers=headers)
    assert (replay.status_code, replay.json()["id"]) == (200, stored.json()["id"])
    changed = dict(body, answers={**VALID_ANSWERS, "S24": 1})
    conflict = client.post("/s/api/responses", json=changed, headers=headers)
    assert (conflict.status_code, conflict.json()["error"]) == (409, "client_id_conflict")
    again = client.post("/s/api/responses", json=_interview(first), headers=headers)
    assert (again.status_code, again.json()["error"]) == (409, "respondent_already_answered")

    assert _count(db, Response) == 1
    response = db.execute(select(Response)).scalar_one()
    assert (response.mode, response.respondent_id) == (ResponseMode.INTERVIEW, first)
    assert response.started_at is not None
    assert db.get_one(SampledRespondent, first).outcome is Outcome.COMPLETED
    audit = db.execute(
        select(AuditEvent).where(AuditEvent.action == "respondent.outcome")
    ).scalar_one()
    assert audit.payload["to"] == "completed"
    assert audit.actor_user_id is not None

    not_mine = client.post(
        "/s/api/responses", json=_interview(world.respondents[3]), headers=headers
    )
    assert (not_mine.status_code, not_mine.json()["error"]) == (403, "not_assigned")
    invalid = client.post(
        "/s/api/responses",
        json=_interview(world.respondents[1], answers={"S24": 9}),
        headers=headers,
    )
    assert invalid.status_code == 422
    assert {(f["item"], f["code"]) for f in invalid.json()["fields"]} == {
        ("S24", "option_not_in_list"),
        ("FEEDBACK", "missing_required"),
        ("R_SEX", "missing_required"),
    }
    assert _count(db, Response) == 1


def test_new_interviews_are_stored_from_plain_rows(
    client: TestClient, world: CaptureWorld, db: Session, backend: str
) -> None:
    """On PostgreSQL, a new interview of a form parsed already loads no ORM object (the
    log-in and the assignment are plain rows) and completes its respondent as the ORM
    path does, with the surveyor as the actor."""
    headers = {"X-CSRF-Token": log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)}
    first, second = world.respondents[:2]
    parsed = client.post("/s/api/responses", json=_interview(first), headers=headers)
    assert parsed.status_code == 201, parsed.text
    loaded: list[object] = []

    def on_load(target: object, _context: object) -> None:
        loaded.append(target)

    event.listen(Base, "load", on_load, propagate=True)
    try:
        stored = client.post("/s/api/responses", json=_interview(second), headers=headers)
    finally:
        event.remove(Base, "load", on_load)
    assert stored.status_code == 201, stored.text
    if backend == "postgresql":
        assert loaded == []
    db.expire_all()
    response = db.execute(select(Response).where(Response.respondent_id == second)).scalar_one()
    assert (response.id, response.unit_id) == (stored.json()["id"], world.unit_id)
    assert db.get_one(SampledRespondent, second).outcome is Outcome.COMPLETED
    actors = db.execute(
        select(AuditEvent.actor_user_id).where(AuditEvent.action == "respondent.outcome")
    ).scalars()
    assert len(set(actors)) == 1


def test_outcomes_are_stored_once_per_client_id(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    csrf = log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    headers = {"X-CSRF-Token": csrf}
    second = world.respondents[1]
    body = {
        "client_id": str(uuid.uuid4()),
        "respondent_id": second,
        "outcome": "refused",
        "note": "Bận, không muốn trả lời",
    }
    assert client.post("/s/api/outcomes", json=body, headers=headers).status_code == 201
    assert client.post("/s/api/outcomes", json=body, headers=headers).status_code == 200
    changed = client.post("/s/api/outcomes", json=dict(body, note="khác"), headers=headers)
    assert (changed.status_code, changed.json()["error"]) == (409, "client_id_conflict")
    by_hand = client.post(
        "/s/api/outcomes",
        json=dict(body, client_id=str(uuid.uuid4()), outcome="replaced"),
        headers=headers,
    )
    assert by_hand.status_code == 422
    assert _count(db, OutcomeReport) == 1
    respondent = db.get_one(SampledRespondent, second)
    assert (respondent.outcome, respondent.outcome_note) == (
        Outcome.REFUSED,
        "Bận, không muốn trả lời",
    )

    # The person answers after all: the interview wins, and a late refusal is refused.
    interview = client.post("/s/api/responses", json=_interview(second), headers=headers)
    assert interview.status_code == 201
    late = client.post(
        "/s/api/outcomes",
        json=dict(body, client_id=str(uuid.uuid4()), outcome="not_reachable"),
        headers=headers,
    )
    assert (late.status_code, late.json()["error"]) == (409, "outcome_final")
    db.expire_all()
    assert db.get_one(SampledRespondent, second).outcome is Outcome.COMPLETED


def test_offline_pages_service_worker_and_manifest(client: TestClient, world: CaptureWorld) -> None:
    log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    offline = client.get("/s/api/offline").json()
    assert offline == {"urls": ["/s/", f"/s/interview/{world.campaign_id}"]}
    form = client.get(f"/s/interview/{world.campaign_id}")
    assert form.status_code == 200
    assert 'data-code="S37"' in form.text
    assert 'data-show-if=\'[{"in": ["1"], "item": "FEEDBACK"}]\'' in form.text
    assert client.get("/s/interview/999").status_code == 404
    worker = client.get("/s/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert "/static/js/outbox.js?v=" in worker.text
    manifest = client.get("/s/manifest.webmanifest").json()
    assert (manifest["start_url"], manifest["display"]) == ("/s/", "standalone")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


def test_logout_ends_the_session(client: TestClient, world: CaptureWorld, db: Session) -> None:
    csrf = log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    assert _count(db, WebSession) == 1
    assert client.post("/s/logout", data={"csrf_token": "wrong"}).status_code == 403
    out = client.post("/s/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert (out.status_code, out.headers["location"]) == (303, "/s/login")
    assert _count(db, WebSession) == 0
    assert client.get("/s/api/session").status_code == 401
