"""Hardening of the capture surfaces: the citizens' links and the surveyors' phones refuse
bad input with 4xx."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from tests.api.capture.conftest import CaptureWorld
from tests.api.factories import VALID_ANSWERS
from tests.support.accounts import SURVEYOR_PASSWORD
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
