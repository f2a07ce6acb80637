"""Data review: the filtered table, review states (a comment is required to reject),
staff edits that keep the original and a history, and results that leave rejected
responses out and say how many."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.campaign.models import Campaign
from app.core.errors import UnprocessableError
from app.response import review as review_service
from app.response.models import AnswerEdit, Response, ReviewState
from tests.api.console.conftest import Staff
from tests.api.factories import response_body, setup_campaign


def test_review_states_edits_and_results_without_the_rejected(
    admin: Staff, client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    ids = []
    for satisfied in (5, 5, 1):
        body = response_body({"S24": satisfied, "FEEDBACK": "2", "R_SEX": "1"}, unit_code="st")
        stored = client.post(
            f"/api/v1/campaigns/{campaign_id}/responses", json=body, headers=admin_headers
        )
        assert stored.status_code == 201, stored.text
        ids.append(int(stored.json()["id"]))
    table = admin.client.get(f"/staff/campaigns/{campaign_id}/review").text
    assert "3 phiếu" in table
    assert all(f'data-response="{i}"' in table for i in ids)

    no_comment = admin.client.post(
        f"/staff/responses/{ids[2]}/review", data={"csrf_token": admin.csrf, "state": "rejected"}
    )
    assert no_comment.status_code == 422
    assert "lý do" in no_comment.text
    rejected = admin.client.post(
        f"/staff/responses/{ids[2]}/review",
        data={"csrf_token": admin.csrf, "state": "rejected", "comment": "Trả lời thay người khác"},
    )
    assert "Bị loại" in rejected.text
    assert "Trả lời thay người khác" in rejected.text
    approved = admin.client.post(
        f"/staff/responses/{ids[0]}/review", data={"csrf_token": admin.csrf, "state": "approved"}
    )
    assert approved.status_code == 200
    only_rejected = admin.client.get(
        f"/staff/campaigns/{campaign_id}/review", params={"state": "rejected"}
    ).text
    assert "1 phiếu" in only_rejected
    assert f'data-response="{ids[2]}"' in only_rejected

    bad_edit = admin.client.post(
        f"/staff/responses/{ids[1]}/edit",
        data={"csrf_token": admin.csrf, "item": "S24", "value": "9", "reason": "gõ nhầm"},
    )
    assert bad_edit.status_code == 422
    with pytest.raises(UnprocessableError) as refused:
        review_service.edit_answer(
            db, ids[1], "S24", "9", "gõ nhầm", actor=db.get_one(User, admin.user_id)
        )
    assert [(f["item"], f["message"]) for f in refused.value.fields] == [
        ("S24", "Câu S24: 9 không nằm trong thang 1–5.")
    ]
    db.rollback()
    edited = admin.client.post(
        f"/staff/responses/{ids[1]}/edit",
        data={"csrf_token": admin.csrf, "item": "S24", "value": "4", "reason": "Phiếu giấy ghi 4"},
    )
    assert edited.status_code == 200
    assert re.search(r"sửa câu S24: 5 → 4 — Phiếu giấy ghi 4", edited.text)
    db.expire_all()
    response = db.get_one(Response, ids[1])
    assert {a.item_code: a.value for a in response.answers}["S24"] == 4
    edit = db.execute(select(AnswerEdit)).scalar_one()
    assert (edit.old_value, edit.new_value, edit.edited_by_id) == (5, 4, admin.user_id)
    assert db.get_one(Response, ids[2]).review_state is ReviewState.REJECTED

    computed = client.post(f"/api/v1/campaigns/{campaign_id}/results", headers=admin_headers)
    assert computed.status_code == 200, computed.text
    results = client.get(f"/api/v1/campaigns/{campaign_id}/results", headers=admin_headers).json()
    assert results["rejected_responses"] == 1
    assert results["respondents"] == 2
    page = admin.client.get(f"/staff/campaigns/{campaign_id}/results").text
    assert "1 phiếu bị loại khi duyệt không được tính" in page
    assert 'id="sipas">100,00%' in page  # the two kept responses: 5 and (edited) 4


def test_quality_flags_show_in_review_and_per_surveyor(
    admin: Staff, client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    db.get_one(Campaign, campaign_id).min_interview_minutes = 10
    db.commit()
    started = (datetime.now(UTC) - timedelta(minutes=3)).isoformat()
    body = response_body(
        {"S24": 4, "FEEDBACK": "2", "R_SEX": "1"}, unit_code="st", started_at=started
    )
    stored = client.post(
        f"/api/v1/campaigns/{campaign_id}/responses", json=body, headers=admin_headers
    )
    response_id = stored.json()["id"]
    table = admin.client.get(f"/staff/campaigns/{campaign_id}/review").text
    assert "Phỏng vấn ngắn" in table
    detail = admin.client.get(f"/staff/responses/{response_id}").text
    assert re.search(r"Phỏng vấn 3,0 phút|Phỏng vấn 3\.0 phút", detail)
    assert "ngắn hơn ngưỡng 10 phút" in detail
    assert admin.client.get(f"/staff/campaigns/{campaign_id}/quality").status_code == 200


def test_the_review_page_offers_the_export_under_its_filters(
    admin: Staff, client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    for mode in ("interview", "paper", "paper"):
        body = response_body({"S24": 4, "FEEDBACK": "2", "R_SEX": "1"}, unit_code="st", mode=mode)
        stored = client.post(
            f"/api/v1/campaigns/{campaign_id}/responses", json=body, headers=admin_headers
        )
        assert stored.status_code == 201, stored.text
    unit_id = db.execute(select(Response.unit_id)).scalars().first()
    page = admin.client.get(
        f"/staff/campaigns/{campaign_id}/review",
        params={"unit": unit_id, "mode": "paper", "surveyor": ""},
    ).text
    link = re.search(rf'href="(/staff/campaigns/{campaign_id}/responses/export\.sav[^"]*)"', page)
    assert link is not None
    url = link.group(1).replace("&amp;", "&")
    assert "mode=paper" in url
    assert "surveyor" not in url
    got = admin.client.get(url)
    assert got.status_code == 200
    assert got.headers["x-rows"] == "2"
    assert got.content[:4] == b"$FL2"  # an SPSS system file
    csv_file = admin.client.get(f"/staff/campaigns/{campaign_id}/responses/export.csv").content
    assert csv_file.startswith("\ufeffma_phieu,".encode())
    assert len(csv_file.decode("utf-8-sig").strip().splitlines()) == 4
