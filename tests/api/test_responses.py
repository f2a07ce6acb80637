"""Responses: every answer validated, stored once per client_id, replays safe."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from analysis.disposition import Outcome
from app.audit.models import AuditEvent
from app.core.db import Base
from app.response.models import Answer, Response
from app.sample.models import SampledRespondent
from tests.api.factories import VALID_ANSWERS, add_respondents, response_body, setup_campaign
from tests.support.server import running_server


def _count(db: Session, model: type) -> int:
    db.expire_all()
    return int(db.execute(select(func.count()).select_from(model)).scalar_one())


def test_valid_response_is_stored(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    body = response_body(unit_code="st")
    stored = client.post(
        f"/api/v1/campaigns/{campaign_id}/responses", json=body, headers=admin_headers
    )
    assert stored.status_code == 201, stored.text
    got = stored.json()
    assert got["answers"] == VALID_ANSWERS
    assert got["status"] == "complete"
    assert got["mode"] == "interview"
    assert got["unit_code"] == "st"
    assert got["submitted_at"] is not None
    assert _count(db, Answer) == 4
    listed = client.get(f"/api/v1/campaigns/{campaign_id}/responses", headers=admin_headers)
    assert [r["client_id"] for r in listed.json()] == [body["client_id"]]


def test_new_responses_are_stored_from_plain_rows(
    client: TestClient, admin_headers: dict[str, str], db: Session, backend: str
) -> None:
    """On PostgreSQL, a new response of a form parsed already loads no ORM object (the
    token, the campaign and the respondent are plain rows), and is stored and answered
    as the ORM path stores and answers it."""
    campaign_id = setup_campaign(client, admin_headers)
    first, second = add_respondents(db, campaign_id, 2)
    db.commit()
    url = f"/api/v1/campaigns/{campaign_id}/responses"
    parsed = client.post(url, json=response_body(respondent_id=first), headers=admin_headers)
    assert parsed.status_code == 201, parsed.text
    loaded: list[object] = []

    def on_load(target: object, _context: object) -> None:
        loaded.append(target)

    event.listen(Base, "load", on_load, propagate=True)
    try:
        body = response_body(respondent_id=second)
        stored = client.post(url, json=body, headers=admin_headers)
    finally:
        event.remove(Base, "load", on_load)
    assert stored.status_code == 201, stored.text
    if backend == "postgresql":
        assert loaded == []
    assert stored.json() == client.get(f"{url}/{body['client_id']}", headers=admin_headers).json()
    db.expire_all()
    assert db.get_one(SampledRespondent, second).outcome is Outcome.COMPLETED
    events = db.execute(
        select(AuditEvent.entity_id, AuditEvent.actor_user_id).where(
            AuditEvent.action == "respondent.outcome"
        )
    ).all()
    assert {entity for entity, _actor in events} == {str(first), str(second)}
    assert all(actor is not None for _entity, actor in events)


def test_three_problems_in_one_422_and_nothing_stored(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    answers = {"S24": 7, "FEEDBACK": "2", "UNKNOWN": 1}  # wrong option, unknown, R_SEX missing
    response = client.post(
        f"/api/v1/campaigns/{campaign_id}/responses",
        json=response_body(answers),
        headers=admin_headers,
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_answers"
    problems = {(f["item"], f["code"]) for f in body["fields"]}
    assert problems == {
        ("S24", "option_not_in_list"),
        ("UNKNOWN", "unknown_item"),
        ("R_SEX", "missing_required"),
    }
    assert _count(db, Response) == 0
    assert _count(db, Answer) == 0


def test_hidden_items_and_types(client: TestClient, admin_headers: dict[str, str]) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    url = f"/api/v1/campaigns/{campaign_id}/responses"
    hidden = {"S24": 4, "FEEDBACK": "2", "S37": 5, "R_SEX": "1"}
    response = client.post(url, json=response_body(hidden), headers=admin_headers)
    assert response.status_code == 422
    assert [(f["item"], f["code"]) for f in response.json()["fields"]] == [("S37", "hidden_item")]
    wrong_type = {"S24": "4", "FEEDBACK": ["1"], "S37": 5, "R_SEX": "1"}
    response = client.post(url, json=response_body(wrong_type), headers=admin_headers)
    assert {(f["item"], f["code"]) for f in response.json()["fields"]} == {
        ("S24", "wrong_type"),
        ("FEEDBACK", "wrong_type"),
    }
    # Without the feedback gate the K criterion is simply not asked: not missing.
    skipped = {"S24": 4, "FEEDBACK": "2", "R_SEX": "1"}
    assert client.post(url, json=response_body(skipped), headers=admin_headers).status_code == 201


def test_replay_same_payload_200_different_409(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    url = f"/api/v1/campaigns/{campaign_id}/responses"
    body = response_body()
    first = client.post(url, json=body, headers=admin_headers)
    assert first.status_code == 201
    replay = client.post(url, json=body, headers=admin_headers)
    assert replay.status_code == 200
    assert replay.json()["id"] == first.json()["id"]
    different = dict(body, answers={**VALID_ANSWERS, "S24": 1})
    conflict = client.post(url, json=different, headers=admin_headers)
    assert conflict.status_code == 409
    assert conflict.json()["error"] == "client_id_conflict"
    assert _count(db, Response) == 1
    stored = client.get(f"{url}/{body['client_id']}", headers=admin_headers).json()
    assert stored["answers"]["S24"] == 4


def test_partial_then_complete(client: TestClient, admin_headers: dict[str, str]) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    url = f"/api/v1/campaigns/{campaign_id}/responses"
    body = response_body({"S24": 3}, status="partial", mode="self")
    assert client.post(url, json=body, headers=admin_headers).status_code == 201
    item_url = f"{url}/{body['client_id']}"
    more = client.put(
        item_url, json={"answers": {"S24": 3, "FEEDBACK": "2"}}, headers=admin_headers
    )
    assert more.status_code == 200
    assert more.json()["status"] == "partial"
    incomplete = client.put(
        item_url, json={"status": "complete", "answers": {"S24": 3}}, headers=admin_headers
    )
    assert incomplete.status_code == 422
    final = {"S24": 3, "FEEDBACK": "2", "R_SEX": "2"}
    done = client.put(
        item_url, json={"status": "complete", "answers": final}, headers=admin_headers
    )
    assert done.status_code == 200
    assert done.json()["status"] == "complete"
    assert done.json()["mode"] == "self"
    same = client.put(
        item_url, json={"status": "complete", "answers": final}, headers=admin_headers
    )
    assert same.status_code == 200
    changed = client.put(
        item_url, json={"status": "complete", "answers": {**final, "S24": 5}}, headers=admin_headers
    )
    assert changed.status_code == 409


def test_only_during_fieldwork(client: TestClient, admin_headers: dict[str, str]) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    url = f"/api/v1/campaigns/{campaign_id}/responses"
    body = response_body()
    assert client.post(url, json=body, headers=admin_headers).status_code == 201
    client.post(
        f"/api/v1/campaigns/{campaign_id}/status", json={"status": "closed"}, headers=admin_headers
    )
    late = client.post(url, json=response_body(), headers=admin_headers)
    assert late.status_code == 409
    assert late.json()["error"] == "campaign_not_in_fieldwork"
    # A replay of what was stored during fieldwork is still answered, not refused.
    assert client.post(url, json=body, headers=admin_headers).status_code == 200
    assert (
        client.post("/api/v1/campaigns/999/responses", json=body, headers=admin_headers).status_code
        == 404
    )


def test_unknown_unit_and_respondent(client: TestClient, admin_headers: dict[str, str]) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    url = f"/api/v1/campaigns/{campaign_id}/responses"
    unit = client.post(url, json=response_body(unit_code="nowhere"), headers=admin_headers)
    assert unit.status_code == 422
    assert unit.json()["fields"][0]["path"] == "unit_code"
    person = client.post(url, json=response_body(respondent_id=12345), headers=admin_headers)
    assert person.status_code == 422
    assert person.json()["fields"][0]["path"] == "respondent_id"


def test_100_concurrent_posts_store_exactly_one(
    api: FastAPI, client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    """Concurrent replays of one client_id against a real server: one row, no errors."""
    campaign_id = setup_campaign(client, admin_headers)
    body = response_body()

    async def fire(base_url: str) -> list[int]:
        limits = httpx.Limits(max_connections=100)
        async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as http:
            results = await asyncio.gather(
                *[
                    http.post(
                        f"/api/v1/campaigns/{campaign_id}/responses",
                        json=body,
                        headers=admin_headers,
                    )
                    for _ in range(100)
                ]
            )
        return [r.status_code for r in results]

    with running_server(api) as base_url:
        codes = asyncio.run(fire(base_url))
    assert sorted(set(codes)) == [200, 201]
    assert codes.count(201) == 1
    assert _count(db, Response) == 1
    stored = db.execute(select(Response)).scalar_one()
    assert stored.client_id == uuid.UUID(body["client_id"])
    assert _count(db, Answer) == len(VALID_ANSWERS)
