"""The dashboard served from its snapshot: counted and stored on the first request,
served as stored while fresh, served stale while one queued job counts it again."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.disposition import Outcome
from app.fieldwork import dashboard, snapshot
from app.fieldwork.models import DashboardSnapshot
from app.job.models import Job, JobStatus
from app.sample.models import Sample, SampledRespondent
from tests.api.console.conftest import Staff
from tests.api.factories import add_respondents, create_campaign
from tests.api.sampling_data import case_lines, csv_bytes, frame_and_draw, setup, upload


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The campaigns whose dashboard was counted, one entry per count."""
    calls: list[int] = []
    compute: Callable[..., Any] = dashboard.compute

    def counting(db: Session, campaign_id: int, unit_ids: Any) -> Any:
        calls.append(campaign_id)
        return compute(db, campaign_id, unit_ids)

    monkeypatch.setattr(snapshot, "compute", counting)
    return calls


def _campaign(client: TestClient, admin_headers: dict[str, str]) -> int:
    campaign_id = setup(client, admin_headers)
    upload(client, admin_headers, campaign_id, csv_bytes(case_lines(per_unit=4)))
    frame_and_draw(client, admin_headers, campaign_id)
    return campaign_id


def _refusals(html: str) -> int:
    found = re.search(r'class="figure">Từ chối<b>(\d+)<', html)
    assert found is not None
    return int(found.group(1))


def _refresh_jobs(db: Session) -> list[Job]:
    db.expire_all()
    return list(db.scalars(select(Job).where(Job.kind == snapshot.KIND)))


def test_first_request_counts_and_stores_then_fresh_is_served_as_stored(
    admin: Staff, client: TestClient, admin_headers: dict[str, str], db: Session, counted: list[int]
) -> None:
    campaign_id = _campaign(client, admin_headers)
    page = f"/staff/campaigns/{campaign_id}/dashboard"

    first = admin.client.get(page)
    assert first.status_code == 200
    assert counted == [campaign_id]
    stored = db.scalars(select(DashboardSnapshot)).one()
    assert (stored.campaign_id, stored.scope_key) == (campaign_id, "*")
    shown = re.search(r"Số liệu lúc (\d\d:\d\d:\d\d)", first.text)
    assert shown is not None

    again = admin.client.get(page, params={"fragment": "1"})
    assert again.status_code == 200
    assert counted == [campaign_id]  # not counted again
    assert f"Số liệu lúc {shown.group(1)}" in again.text
    assert _refresh_jobs(db) == []


def test_stale_snapshot_is_served_and_refreshed_by_one_job(
    admin: Staff, client: TestClient, admin_headers: dict[str, str], db: Session, counted: list[int]
) -> None:
    campaign_id = _campaign(client, admin_headers)
    other_id = create_campaign(client, admin_headers)
    add_respondents(db, other_id, 3)
    page = f"/staff/campaigns/{campaign_id}/dashboard"
    assert _refusals(admin.client.get(page).text) == 0
    assert _refusals(admin.client.get(f"/staff/campaigns/{other_id}/dashboard").text) == 0
    person = db.scalars(
        select(SampledRespondent)
        .join(Sample)
        .where(Sample.campaign_id == campaign_id, SampledRespondent.is_reserve.is_(False))
    ).first()
    assert person is not None
    person.outcome = Outcome.REFUSED
    for row in db.scalars(select(DashboardSnapshot)):
        row.computed_at -= timedelta(hours=1)
    db.commit()
    counted.clear()

    stale = admin.client.get(page)
    assert _refusals(stale.text) == 0  # served as stored
    assert len(admin.client.get(page, params={"fragment": "1"}).text) > 0
    jobs = _refresh_jobs(db)
    assert len(jobs) == 1  # the second request queued no other
    assert jobs[0].payload == {"campaign_id": campaign_id, "unit_ids": None}

    deadline = time.monotonic() + 30
    while _refresh_jobs(db)[0].status is not JobStatus.SUCCEEDED:
        assert time.monotonic() < deadline, "the refresh job did not run"
        time.sleep(0.1)
    assert counted == [campaign_id]
    refreshed = admin.client.get(page)
    assert _refusals(refreshed.text) == 1
    assert len(_refresh_jobs(db)) == 1
    assert counted == [campaign_id]
    rows = {row.campaign_id: row for row in db.scalars(select(DashboardSnapshot))}
    assert rows[campaign_id].refresh_queued_at is None
    assert rows[other_id].computed_at < rows[campaign_id].computed_at  # left as it was
