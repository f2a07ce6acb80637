"""Sampling in the browser: a case list with bad rows and its row report (on screen and
as CSV), the frame, sizes and the allocation preview, a committed seed, the draw, and
its verification; supervisors verify but draw nothing."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campaign.scope import set_supervisor_scope
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


def test_case_list_frame_plan_commit_draw_verify(
    admin: Staff, client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    page = f"/staff/campaigns/{campaign_id}/sample"
    assert "Chưa có danh sách hồ sơ nào" in admin.client.get(page).text

    uploaded = admin.client.post(
        f"/staff/campaigns/{campaign_id}/case-lists",
        data={"csrf_token": admin.csrf},
        files={"file": ("cases.csv", csv_bytes(case_lines() + BAD_ROWS))},
    )
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
