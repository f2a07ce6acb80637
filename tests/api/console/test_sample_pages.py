"""Sampling in the browser: a case list with bad rows and its row report (on screen and
as CSV), the frame, sizes and the allocation preview, a committed seed, the draw, and
its verification; supervisors verify but draw nothing."""

from __future__ import annotations

import io
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.auth.models import User
from app.campaign.scope import set_supervisor_scope
from app.case import jobs as case_jobs
from app.job.models import Job, JobStatus
from app.sample.models import Sample, SampledRespondent
from app.sample.service import seed_sha256
from tests.api.console.conftest import SUPERVISOR, Staff
from tests.api.sampling_data import case_lines, csv_bytes, setup
from tests.support.pages import log_in

BAD_ROWS = [
    "61,HS99998,Đăng ký khai sinh,Hộ tịch,Sở Không Có,Trần Văn X,0911111111,Ấp 1,"
    "01/03/2024,05/03/2024,Trực tiếp",
    "62,HS99999,Đăng ký khai sinh,Hộ tịch,Sở Tư pháp,Trần Văn Y,0911111112,Ấp 1,"
    "01/03/2024,31/02/2024,Trực tiếp",
]


def imported(staff: Staff, campaign_id: int, data: bytes) -> Any:
    """Upload a case list from the page, follow its job as the progress bar does, then
    open the job's page again (the row report, or why the file was refused)."""
    queued = staff.client.post(
        f"/staff/campaigns/{campaign_id}/case-lists",
        data={"csrf_token": staff.csrf},
        files={"file": ("cases.csv", data)},
        follow_redirects=False,
    )
    assert queued.status_code == 303, queued.text
    job_page = queued.headers["location"]
    assert re.fullmatch(rf"/staff/campaigns/{campaign_id}/case-imports/\d+", job_page)
    deadline = time.monotonic() + 60
    while True:
        status = staff.client.get(f"{job_page}/status")
        assert status.status_code == 200, status.text
        if status.json()["status"] in ("succeeded", "failed"):
            return staff.client.get(job_page)
        assert time.monotonic() < deadline, status.json()
        time.sleep(0.05)


def test_case_list_frame_plan_commit_draw_verify(
    admin: Staff, client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    page = f"/staff/campaigns/{campaign_id}/sample"
    assert "Chưa có danh sách hồ sơ nào" in admin.client.get(page).text

    uploaded = imported(admin, campaign_id, csv_bytes(case_lines() + BAD_ROWS))
    assert uploaded.status_code == 200
    assert re.search(r'id="accepted">60<', uploaded.text)
    assert re.search(r'id="rejected">2<', uploaded.text)
    assert "Sở Không Có" in uploaded.text
    report = re.search(r'href="(/staff/case-lists/\d+/rejections.csv)"', uploaded.text)
    assert report is not None
    lines = admin.client.get(report.group(1)).text.lstrip("\ufeff").splitlines()
    assert lines[0] == "Dòng,Cột,Giá trị,Lý do"
    assert [line.split(",")[0] for line in lines[1:]] == ["62", "63"]

    built = admin.client.post(
        f"/staff/campaigns/{campaign_id}/frames", data={"csrf_token": admin.csrf}
    )
    assert built.status_code == 200
    assert "60</strong> người trong 3 tầng" in built.text
    sized = admin.client.get(page, params={"n": 12, "minimum": 2, "reserve_ratio": 0.5})
    assert re.search(r'id="yamane">53<', sized.text)  # 60 / (1 + 60 × 0.05²) = 52.2 → 53
    plan = re.search(r'<table id="plan">.*?</table>', sized.text, re.S)
    assert plan is not None
    assert plan.group(0).count('<td class="num">4</td>') >= 3  # 12 over three equal strata

    admin.client.post(
        f"/staff/campaigns/{campaign_id}/commitments",
        data={"csrf_token": admin.csrf, "seed": "20240315"},
    )
    assert seed_sha256("20240315") in admin.client.get(page).text
    wrong = admin.client.post(
        f"/staff/campaigns/{campaign_id}/draws",
        data={
            "csrf_token": admin.csrf,
            "seed": "1",
            "n": "12",
            "minimum": "2",
            "reserve_ratio": "0.5",
            "commitment_id": "1",
        },
    )
    assert wrong.status_code == 422
    assert db.execute(select(Sample)).first() is None
    drawn = admin.client.post(
        f"/staff/campaigns/{campaign_id}/draws",
        data={
            "csrf_token": admin.csrf,
            "seed": "20240315",
            "n": "12",
            "minimum": "2",
            "reserve_ratio": "0.5",
            "commitment_id": "1",
        },
    )
    assert drawn.status_code == 200
    sample = db.execute(select(Sample)).scalar_one()
    assert sample.seed_commitment == seed_sha256("20240315")
    people = db.execute(select(SampledRespondent)).scalars().all()
    assert (sum(not p.is_reserve for p in people), sum(p.is_reserve for p in people)) == (12, 6)

    verified = admin.client.post(
        f"/staff/samples/{sample.id}/verify", data={"csrf_token": admin.csrf}
    )
    assert "KHỚP (MATCH)" in verified.text
    assert sample.sample_digest in verified.text


def test_supervisors_verify_but_upload_and_draw_nothing(
    admin: Staff, client: TestClient, admin_headers: dict[str, str], supervisor_id: int, db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    set_supervisor_scope(db, supervisor_id, campaign_ids=[campaign_id], unit_ids=[], actor=None)
    client.cookies.clear()
    csrf = log_in(client, "staff", *SUPERVISOR)
    page = client.get(f"/staff/campaigns/{campaign_id}/sample")
    assert page.status_code == 200
    assert f'action="/staff/campaigns/{campaign_id}/case-lists"' not in page.text
    refused = client.post(
        f"/staff/campaigns/{campaign_id}/case-lists",
        data={"csrf_token": csrf},
        files={"file": ("cases.csv", csv_bytes(case_lines()))},
    )
    assert refused.status_code == 403
    assert "Chỉ quản trị viên" in refused.text
    assert db.execute(select(Job)).first() is None


def test_a_case_list_import_runs_as_a_job_the_page_follows(
    admin: Staff, client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    """The upload answers at once; the import's page shows the job's progress (bytes of
    the file) and asks its status without reloading; a refused file shows every reason
    with its row, and stores nothing."""
    campaign_id = setup(client, admin_headers)
    data = csv_bytes(case_lines())
    actor = db.get(User, admin.user_id)
    job = case_jobs.enqueue_import(
        db, campaign_id, io.BytesIO(data), "cases.csv", mapping=None, actor=actor
    )
    # Held by a worker elsewhere, half-way through the file.
    held = {"worker": "may-khac", "lease_until": datetime.now(UTC) + timedelta(hours=1)}
    db.execute(
        update(Job)
        .where(Job.id == job.id)
        .values(status=JobStatus.RUNNING, progress_done=len(data) // 2, **held)
    )
    db.commit()
    job_page = f"/staff/campaigns/{campaign_id}/case-imports/{job.id}"
    running = admin.client.get(job_page)
    assert running.status_code == 200
    assert f'data-status-url="{job_page}/status"' in running.text
    assert "js/case_import.js" in running.text
    assert re.search(r'<progress max="100" value="(49|50)"', running.text)
    status = admin.client.get(f"{job_page}/status").json()
    assert status["status"] == "running"
    assert status["progress"]["total"] == len(data)
    assert round(status["progress"]["fraction"], 2) == 0.5
    listed = admin.client.get(f"/staff/campaigns/{campaign_id}/sample").text
    assert f'href="{job_page}">xem tiến độ</a>' in listed  # found again after leaving
    other = admin.client.get(f"/staff/campaigns/{campaign_id + 1}/case-imports/{job.id}")
    assert other.status_code == 404
    db.execute(
        update(Job)
        .where(Job.id == job.id)
        .values(status=JobStatus.QUEUED, worker=None, lease_until=None, progress_done=0)
    )
    db.commit()

    unusable = csv_bytes(
        [
            "1,X,Khai sinh,Hộ tịch,Sở Tư pháp,A,123,Ấp 1,01/03/2024,05/03/2024,",
            "2,Y,Khai sinh,Hộ tịch,Sở Tư pháp,B,0912345678,Ấp 1,xx/03/2024,05/03/2024,",
        ]
    )
    refused = imported(admin, campaign_id, unusable)
    assert refused.status_code == 422
    assert "dòng 2, cột Số điện thoại" in refused.text
    assert "dòng 3" in refused.text
    jobs = db.execute(select(Job).order_by(Job.id)).scalars().all()
    assert jobs[-1].status is JobStatus.FAILED
    lists = admin.client.get(f"/staff/campaigns/{campaign_id}/sample").text
    assert lists.count("Báo cáo từng dòng") == 1  # the first file only: the second stored nothing
