"""Letters as jobs: the whole campaign's letters are made by a worker with their progress,
then printed from what the job kept; refusals come at once or as the job's error."""

from __future__ import annotations

import json
import time

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.job.models import Job
from app.job.worker import run_next
from app.link import service as link_service
from tests.api.capture.conftest import (
    ADMIN_PASSWORD,
    LETTER_SETTINGS,
    SUPERVISOR_PASSWORD,
    CaptureWorld,
)
from tests.api.capture.test_citizen_links import issue_and_print
from tests.support.pages import log_in


def _queue(client: TestClient, csrf: str, campaign_id: int, unit: str = "") -> httpx.Response:
    response: httpx.Response = client.post(
        f"/staff/campaigns/{campaign_id}/letters",
        data={"csrf_token": csrf, "unit_id": unit},
        follow_redirects=False,
    )
    return response


def _articles(page: str) -> list[str]:
    return [a.split("</article>")[0] for a in page.split('<article class="letter"')[1:]]


def _until_made(client: TestClient, url: str, seconds: float = 60.0) -> str:
    """The job's page once it no longer says it is at work."""
    deadline = time.monotonic() + seconds
    while True:
        page = client.get(url)
        assert page.status_code == 200, page.text
        if 'data-status="queued"' not in page.text and 'data-status="running"' not in page.text:
            return str(page.text)
        assert time.monotonic() < deadline, "the letters job did not finish"
        time.sleep(0.05)


def test_the_campaigns_letters_are_made_as_a_job_with_progress(
    client: TestClient,
    world: CaptureWorld,
    admin_headers: dict[str, str],
    db: Session,
) -> None:
    issue_and_print(client, world)
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    campaign_page = client.get(f"/staff/campaigns/{world.campaign_id}").text
    assert f'<form method="post" action="/staff/campaigns/{world.campaign_id}/letters"' in (
        campaign_page
    )
    queued = _queue(client, csrf, world.campaign_id)
    assert queued.status_code == 303, queued.text
    job_url = queued.headers["location"]
    job_id = int(job_url.rsplit("/", 1)[1])
    assert job_url == f"/staff/campaigns/{world.campaign_id}/letters/{job_id}"

    made = _until_made(client, job_url)
    direct = client.get(f"/staff/campaigns/{world.campaign_id}/letters").text
    assert len(_articles(made)) == len(world.respondents)
    assert _articles(made) == _articles(direct)  # the same letters, QR codes included

    job = client.get(f"/api/v1/jobs/{job_id}", headers=admin_headers).json()
    assert job["kind"] == "letters"
    assert job["status"] == "succeeded"
    assert job["progress"] == {"done": 5, "total": 5, "fraction": 1.0}
    assert job["result"]["letters"] == 5
    assert job["result"]["without_link"] == 0
    assert "Khóm" not in json.dumps(job["result"])  # no address outside the letters
    output = client.get(f"/api/v1/jobs/{job_id}/output", headers=admin_headers)
    assert output.status_code == 200
    assert output.headers["content-type"].startswith("application/json")
    assert len(output.json()["letters"]) == 5

    one_unit = _queue(client, csrf, world.campaign_id, unit=str(world.unit_id))
    assert one_unit.status_code == 303
    assert len(_articles(_until_made(client, one_unit.headers["location"]))) == 5


def test_letters_are_refused_at_once_when_a_setting_is_missing(
    client: TestClient, world: CaptureWorld, admin_headers: dict[str, str], db: Session
) -> None:
    changed = client.put(
        f"/api/v1/campaigns/{world.campaign_id}/settings",
        json={**LETTER_SETTINGS, "hotline": None},
        headers=admin_headers,
    )
    assert changed.status_code == 200, changed.text
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    refused = _queue(client, csrf, world.campaign_id)
    assert refused.status_code == 409
    assert "còn thiếu số điện thoại đường dây nóng." in refused.text
    assert f'<a href="/staff/campaigns/{world.campaign_id}/setup">' in refused.text
    assert db.execute(select(Job)).first() is None


def test_a_letters_job_waits_its_turn_and_fails_when_fieldwork_ended_meanwhile(
    api: FastAPI,
    client: TestClient,
    world: CaptureWorld,
    admin_headers: dict[str, str],
) -> None:
    """The in-process runner is stopped: the test runs the jobs itself, one by one."""
    api.state.job_runner.stop()
    secret = api.state.settings.secret_key
    issue_and_print(client, world)
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    job_url = _queue(client, csrf, world.campaign_id).headers["location"]
    waiting = client.get(job_url)
    assert waiting.status_code == 200
    assert 'data-status="queued"' in waiting.text
    assert '<meta http-equiv="refresh" content="2">' in waiting.text
    assert "Đang chờ đến lượt" in waiting.text
    assert run_next(api.state.sessionmaker, "test-worker", secret) is not None
    assert len(_articles(client.get(job_url).text)) == 5

    later = _queue(client, csrf, world.campaign_id).headers["location"]
    closed = client.post(
        f"/api/v1/campaigns/{world.campaign_id}/status",
        json={"status": "closed"},
        headers=admin_headers,
    )
    assert closed.status_code == 200, closed.text
    assert run_next(api.state.sessionmaker, "test-worker", secret) is not None
    failed = client.get(later)
    assert 'data-status="failed"' in failed.text
    assert "Không chuẩn bị được thư mời" in failed.text
    assert "«đã kết thúc»" in failed.text
    assert "refresh" not in failed.text
    assert 'class="letter"' not in failed.text


def test_a_letters_job_is_shown_only_to_its_author_and_administrators(
    client: TestClient, world: CaptureWorld
) -> None:
    issue_and_print(client, world)
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    job_url = _queue(client, csrf, world.campaign_id).headers["location"]
    _until_made(client, job_url)
    job_id = job_url.rsplit("/", 1)[1]
    elsewhere = client.get(f"/staff/campaigns/{world.campaign_id + 1}/letters/{job_id}")
    assert elsewhere.status_code == 404
    client.cookies.clear()
    log_in(client, "staff", "giamsat", SUPERVISOR_PASSWORD)
    other = client.get(job_url)
    assert other.status_code == 404
    assert f"Không có công việc số {job_id}." in other.text


def test_letters_report_their_progress(
    api: FastAPI, client: TestClient, world: CaptureWorld, db: Session
) -> None:
    issue_and_print(client, world)
    reports: list[tuple[int, int | None]] = []
    batch = link_service.letters(
        db,
        api.state.settings.secret_key,
        "http://localhost",
        world.campaign_id,
        None,
        progress=lambda done, total: reports.append((done, total)),
    )
    assert len(batch.letters) == 5
    assert reports == [(0, 5), (5, 5)]
