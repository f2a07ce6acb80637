"""Long work as jobs: queued with ``Prefer: respond-async``, run by workers, progress
and result readable through the API, and a worker killed mid-import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.case.models import Case, CaseFrame
from tests.api.sampling_data import case_lines, csv_bytes, setup
from tests.api.test_results import submit

ROOT = Path(__file__).resolve().parents[2]
ASYNC = {"Prefer": "respond-async"}


def _count(db: Session, model: type) -> int:
    db.expire_all()
    return int(db.execute(select(func.count()).select_from(model)).scalar_one())


def _queue_import(
    client: TestClient, headers: dict[str, str], campaign_id: int, data: bytes
) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/campaigns/{campaign_id}/case-lists",
        files={"file": ("cases.csv", data, "text/csv")},
        headers={**headers, **ASYNC},
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    assert job["status"] == "queued"
    assert job["progress"] == {"done": 0, "total": len(data), "fraction": 0.0}
    return dict(job)


def _wait(
    client: TestClient,
    headers: dict[str, str],
    job_id: int,
    until: Callable[[dict[str, Any]], bool],
    seconds: float = 60.0,
) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        response = client.get(f"/api/v1/jobs/{job_id}", headers=headers)
        assert response.status_code == 200, response.text
        job = dict(response.json())
        if until(job):
            return job
        assert time.monotonic() < deadline, f"job {job_id} still {job['status']}"
        time.sleep(0.02)


def _finished(job: dict[str, Any]) -> bool:
    return job["status"] in ("succeeded", "failed")


def test_an_import_runs_as_a_job(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    data = csv_bytes(case_lines(5))
    job = _queue_import(client, admin_headers, campaign_id, data)
    done = _wait(client, admin_headers, job["id"], _finished)
    assert done["status"] == "succeeded", done
    assert done["kind"] == "case_import"
    assert done["progress"]["fraction"] == 1.0
    assert done["result"]["case_list"]["accepted_count"] == 15
    assert done["attempts"] == 1
    assert _count(db, Case) == 15
    listed = client.get("/api/v1/jobs", headers=admin_headers).json()
    assert [j["id"] for j in listed] == [job["id"]]

    refused = _queue_import(client, admin_headers, campaign_id, b"Ghi ch\xc3\xba,X\n1,2\n")
    failed = _wait(client, admin_headers, refused["id"], _finished)
    assert failed["status"] == "failed"
    assert failed["error"]["error"] == "bad_header"
    assert failed["result"] is None
    assert _count(db, CaseFrame) == 1
    missing = client.get("/api/v1/jobs/999", headers=admin_headers)
    assert missing.status_code == 404
    assert missing.json()["error"] == "job_not_found"


def test_results_are_computed_and_exported_as_jobs(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    campaign_id = setup(client, admin_headers)
    for score in (5, 4, 2):
        submit(client, admin_headers, campaign_id, {"S24": score, "FEEDBACK": "2", "R_SEX": "1"})
    queued = client.post(
        f"/api/v1/campaigns/{campaign_id}/results", headers={**admin_headers, **ASYNC}
    )
    assert queued.status_code == 202, queued.text
    computed = _wait(client, admin_headers, queued.json()["id"], _finished)
    assert computed["status"] == "succeeded", computed
    assert computed["result"]["responses_used"] == 3

    url = f"/api/v1/campaigns/{campaign_id}/results/criteria.csv"
    direct = client.get(url, headers=admin_headers)
    export = client.get(url, headers={**admin_headers, **ASYNC})
    assert export.status_code == 202, export.text
    job_id = export.json()["id"]
    early = client.get(f"/api/v1/jobs/{job_id}/output", headers=admin_headers)
    assert early.status_code in (200, 409)
    exported = _wait(client, admin_headers, job_id, _finished)
    assert exported["status"] == "succeeded", exported
    assert exported["has_output"] is True
    output = client.get(f"/api/v1/jobs/{job_id}/output", headers=admin_headers)
    assert output.status_code == 200
    assert output.content == direct.content
    assert "criteria.csv" in output.headers["Content-Disposition"]


def _worker(url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SIPAS_DATABASE_URL": url,
        "SIPAS_JOB_LEASE_SECONDS": "2",
        "SIPAS_JOB_HEARTBEAT_SECONDS": "0.1",
        "SIPAS_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-c", "from app.cli.main import main; main()", "worker", "--poll", "0.2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_a_worker_killed_mid_import_leaves_the_import_to_the_next_once(
    api: FastAPI, admin_headers: dict[str, str], db: Session, backend: str
) -> None:
    """A worker process is killed (SIGKILL) while it imports; another worker takes the
    job up when the lease runs out and the list is imported exactly once."""
    if backend != "postgresql":
        pytest.skip("worker processes share PostgreSQL; SQLite runs jobs in the web process")
    client = TestClient(api)  # no lifespan: no in-process runner, only the workers
    campaign_id = setup(client, admin_headers)
    data = csv_bytes(case_lines(17_000))
    job = _queue_import(client, admin_headers, campaign_id, data)
    url = api.state.settings.database_url

    first = _worker(url)
    try:
        running = _wait(
            client,
            admin_headers,
            job["id"],
            lambda j: _finished(j) or (j["status"] == "running" and j["progress"]["done"] > 0),
            seconds=600,  # a worker process starts slowly on a loaded machine
        )
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert running["status"] == "running", running
    assert 0 < running["progress"]["done"] < running["progress"]["total"]
    assert _count(db, Case) == 0  # the killed import's transaction stored nothing

    second = _worker(url)
    try:
        done = _wait(client, admin_headers, job["id"], _finished, seconds=600)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
    assert done["status"] == "succeeded", done
    assert done["attempts"] == 2
    assert done["progress"]["fraction"] == 1.0
    accepted = done["result"]["case_list"]["accepted_count"]
    assert accepted == 51_000
    assert _count(db, Case) == accepted
    assert _count(db, CaseFrame) == 1
    stored = db.execute(
        select(func.count(func.distinct(Case.row_number))).select_from(Case)
    ).scalar_one()
    assert stored == accepted  # no row twice
