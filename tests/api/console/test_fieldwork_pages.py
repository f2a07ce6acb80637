"""Fieldwork in the browser: moving one or many people to another surveyor (settled
people and unused reserves refused, the former surveyor still hands over what their
phone held), and releasing a reserve under the campaign's rule, showing who replaced
whom. Supervisors look but change nothing."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from analysis.disposition import Outcome
from app.audit.models import AuditEvent
from app.fieldwork.models import Assignment, FormerAssignment, Handover, Surveyor
from app.sample.models import SampledRespondent
from tests.api.console.conftest import SUPERVISOR, Staff
from tests.api.factories import response_body
from tests.api.sampling_data import case_lines, csv_bytes, frame_and_draw, setup, upload
from tests.support.accounts import SURVEYOR_PASSWORD, add_surveyor, supervise
from tests.support.pages import log_in


def _field(client: TestClient, headers: dict[str, str], db: Session) -> tuple[int, list[int], int]:
    """A campaign in fieldwork with a draw whose main sample is with ``dtv1``; the
    campaign, the people in the field (draw order) and a second surveyor without them."""
    campaign_id = setup(client, headers)
    upload(client, headers, campaign_id, csv_bytes(case_lines(20)))
    frame_and_draw(client, headers, campaign_id)
    people = list(
        db.execute(
            select(SampledRespondent.id)
            .where(SampledRespondent.is_reserve.is_(False))
            .order_by(SampledRespondent.stratum, SampledRespondent.draw_order)
        ).scalars()
    )
    add_surveyor(db, people)
    other = Surveyor(full_name="Lê Văn Hai", organisation="Mặt trận Tổ quốc")
    db.add(other)
    db.commit()
    return campaign_id, people, other.id


def _holder(db: Session, respondent_id: int) -> int | None:
    db.expire_all()
    return db.execute(
        select(Assignment.surveyor_id).where(Assignment.sampled_respondent_id == respondent_id)
    ).scalar_one_or_none()


def _reassign(staff: Staff, campaign_id: int, ids: list[int], surveyor_id: int) -> Any:
    return staff.client.post(
        f"/staff/campaigns/{campaign_id}/reassign",
        data={"csrf_token": staff.csrf, "respondent_ids": ids, "surveyor_id": surveyor_id},
    )


def test_one_or_many_people_move_to_another_surveyor(
    admin: Staff, client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id, people, other = _field(client, admin_headers, db)
    page = f"/staff/campaigns/{campaign_id}/respondents"
    first_holder = _holder(db, people[0])
    listed = admin.client.get(page)
    assert listed.status_code == 200
    assert f'<p id="roster-count">{len(people)} người' in listed.text
    assert listed.text.count('name="respondent_ids"') == len(people)
    done = client.post(
        f"/api/v1/campaigns/{campaign_id}/responses",
        json=response_body(respondent_id=people[0]),
        headers=admin_headers,
    )
    assert done.status_code == 201, done.text
    assert f'name="respondent_ids" value="{people[0]}"' not in admin.client.get(page).text

    settled = _reassign(admin, campaign_id, [people[0], people[1]], other)
    assert settled.status_code == 409
    assert f"người được chọn số {people[0]} đã hoàn thành" in settled.text
    assert _holder(db, people[1]) == first_holder  # all or none
    reserve = db.execute(
        select(SampledRespondent.id).where(SampledRespondent.is_reserve.is_(True)).limit(1)
    ).scalar_one()
    unused = _reassign(admin, campaign_id, [reserve], other)
    assert unused.status_code == 409
    assert "người dự phòng chưa được dùng" in unused.text
    nobody = _reassign(admin, campaign_id, [], other)
    assert nobody.status_code == 422

    one = _reassign(admin, campaign_id, [people[1]], other)
    assert one.status_code == 200
    assert "Đã chuyển 1 người cho điều tra viên Lê Văn Hai" in one.text
    many = _reassign(admin, campaign_id, [people[1], people[2], people[3]], other)
    assert "Đã chuyển 2 người" in many.text  # people[1] was already there
    assert [_holder(db, p) for p in people[1:4]] == [other] * 3
    mine = admin.client.get(page, params={"surveyor": other})
    assert '<p id="roster-count">3 người' in mine.text
    former = db.execute(select(FormerAssignment)).scalars().all()
    assert sorted(f.sampled_respondent_id for f in former) == people[1:4]
    assert {f.surveyor_id for f in former} == {first_holder}
    events = db.execute(
        select(AuditEvent).where(AuditEvent.action == "respondent.reassign")
    ).scalars()
    payloads = [e.payload for e in events]
    assert payloads[-1]["respondent_ids"] == sorted(people[2:4])
    assert payloads[-1]["from"] == {str(p): first_holder for p in sorted(people[2:4])}

    # The former surveyor's phone syncs nothing more for the person, but hands over
    # what it held to the supervisors.
    client.cookies.clear()
    phone = {"X-CSRF-Token": log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)}
    late = {
        "client_id": str(uuid.uuid4()),
        "respondent_id": people[1],
        "outcome": "refused",
    }
    refused = client.post("/s/api/outcomes", json=late, headers=phone)
    assert (refused.status_code, refused.json()["error"]) == (403, "not_assigned")
    handed = client.post(
        "/s/api/conflicts",
        json={
            "client_id": late["client_id"],
            "kind": "outcome",
            "respondent_id": people[1],
            "body": late,
            "error": refused.json(),
        },
        headers=phone,
    )
    assert handed.status_code == 201, handed.text
    item = db.execute(select(Handover)).scalar_one()
    assert (item.respondent_id, item.campaign_id) == (people[1], campaign_id)


def test_a_reserve_is_released_from_the_page_under_the_campaign_rule(
    admin: Staff, client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id, people, _other = _field(client, admin_headers, db)
    refused, unreached = people[0], people[1]
    db.execute(
        update(SampledRespondent)
        .where(SampledRespondent.id == refused)
        .values(outcome=Outcome.REFUSED)
    )
    db.execute(
        update(SampledRespondent)
        .where(SampledRespondent.id == unreached)
        .values(outcome=Outcome.NOT_REACHABLE)
    )
    db.commit()
    tried = client.post(
        f"/api/v1/respondents/{unreached}/attempts",
        json={
            "client_id": str(uuid.uuid4()),
            "respondent_id": unreached,
            "attempted_at": "2024-10-01T08:00:00+07:00",
            "result": "no_answer",
        },
        headers=admin_headers,
    )
    assert tried.status_code == 201, tried.text
    page = f"/staff/campaigns/{campaign_id}/respondents"
    listed = admin.client.get(page).text
    assert re.search(r'id="attempts-required">3<', listed)
    assert f'name="respondent_id" value="{refused}"' in listed
    assert f'name="respondent_id" value="{unreached}"' not in listed
    assert "Cần thêm 2 lần liên hệ" in listed
    assert "Chưa dùng người dự phòng nào" in listed
    left = int(re.search(r'id="reserves-left">(\d+)<', listed).group(1))  # type: ignore[union-attr]

    release = f"/staff/campaigns/{campaign_id}/release-reserve"
    early = admin.client.post(
        release, data={"csrf_token": admin.csrf, "respondent_id": unreached, "confirm": "true"}
    )
    assert early.status_code == 409
    assert "mới được liên hệ 1 lần, cần ít nhất 3 lần" in early.text
    unconfirmed = admin.client.post(
        release, data={"csrf_token": admin.csrf, "respondent_id": refused}
    )
    assert unconfirmed.status_code == 422
    assert "không hoàn tác được" in unconfirmed.text

    released = admin.client.post(
        release,
        data={
            "csrf_token": admin.csrf,
            "respondent_id": refused,
            "confirm": "true",
            "note": "Từ chối qua điện thoại",
        },
    )
    assert released.status_code == 200
    reserve = db.execute(
        select(SampledRespondent).where(SampledRespondent.replaces_id == refused)
    ).scalar_one()
    assert f"Người dự phòng số {reserve.id} đã thay cho người được chọn số {refused}" in (
        released.text
    )
    assert f'data-reserve="{reserve.id}" data-replaced="{refused}"' in released.text
    assert re.search(rf'id="reserves-left">{left - 1}<', released.text)
    assert _holder(db, reserve.id) == _holder(db, refused)
    event = db.execute(
        select(AuditEvent).where(AuditEvent.action == "respondent.replaced")
    ).scalar_one()
    assert event.payload["reserve_id"] == reserve.id
    again = admin.client.post(
        release, data={"csrf_token": admin.csrf, "respondent_id": refused, "confirm": "true"}
    )
    assert again.status_code == 409


def test_supervisors_see_their_units_but_move_and_release_nothing(
    admin: Staff,
    client: TestClient,
    admin_headers: dict[str, str],
    supervisor_id: int,
    db: Session,
) -> None:
    campaign_id, people, other = _field(client, admin_headers, db)
    supervise(db, SUPERVISOR[0], campaign_id, unit_code="st-tu-phap")
    client.cookies.clear()
    csrf = log_in(client, "staff", *SUPERVISOR)
    seen = client.get(f"/staff/campaigns/{campaign_id}/respondents")
    assert seen.status_code == 200
    assert 'name="respondent_ids"' not in seen.text
    assert 'name="surveyor_id"' not in seen.text
    assert 'id="release"' not in seen.text
    count = int(re.search(r'id="roster-count">(\d+)', seen.text).group(1))  # type: ignore[union-attr]
    assert 0 < count < len(people)
    moved = client.post(
        f"/staff/campaigns/{campaign_id}/reassign",
        data={"csrf_token": csrf, "respondent_ids": [people[0]], "surveyor_id": other},
    )
    assert moved.status_code == 403
    released = client.post(
        f"/staff/campaigns/{campaign_id}/release-reserve",
        data={"csrf_token": csrf, "respondent_id": people[0], "confirm": "true"},
    )
    assert released.status_code == 403
    assert _holder(db, people[0]) != other


def test_empty_pages_name_the_next_step(
    admin: Staff, client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    sample_tab = f'href="/staff/campaigns/{campaign_id}/sample"'
    fieldwork = admin.client.get(f"/staff/campaigns/{campaign_id}").text
    assert "Chưa có mẫu khảo sát cho đợt này. Bước tiếp theo:" in fieldwork
    assert sample_tab in fieldwork
    roster = admin.client.get(f"/staff/campaigns/{campaign_id}/respondents").text
    assert "Bước tiếp theo: <a href" in roster
    assert sample_tab in roster
    surveyors = admin.client.get("/staff/surveyors").text
    assert "Chưa có điều tra viên nào. Bước tiếp theo: thêm điều tra viên" in surveyors
    quality = admin.client.get(f"/staff/campaigns/{campaign_id}/quality").text
    assert "bước tiếp theo: <a href" in quality
    setup_page = admin.client.get(f"/staff/campaigns/{campaign_id}/setup").text
    assert '<dd id="scope">Tỉnh Sóc Trăng (st)</dd>' in setup_page  # a name, not a code

    upload(client, admin_headers, campaign_id, csv_bytes(case_lines(4)))
    frame_and_draw(client, admin_headers, campaign_id)
    board = admin.client.get(f"/staff/campaigns/{campaign_id}/dashboard").text
    assert "Chưa có phiếu hoàn thành nào. Biểu đồ hiện khi" in board
    drawn = admin.client.get(f"/staff/campaigns/{campaign_id}/sample").text
    assert f'href="/staff/campaigns/{campaign_id}/respondents"' in drawn


def test_each_surveyors_list_is_printed_or_downloaded_from_the_page(
    admin: Staff, client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id, people, other = _field(client, admin_headers, db)
    page = admin.client.get(f"/staff/campaigns/{campaign_id}/respondents").text
    assert f'data-list="{other}"' not in page  # holds nobody yet
    lists = re.findall(r'href="(/staff/samples/\d+/surveyors/\d+/list(?:\.\w+)?)"', page)
    assert len(lists) == 3
    printed, as_xlsx, as_csv = (admin.client.get(url) for url in lists)
    assert "DANH SÁCH NGƯỜI DÂN ĐƯỢC CHỌN KHẢO SÁT" in printed.text
    assert as_xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = as_csv.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("STT,Mã người được chọn")
    assert len(rows) == 1 + len(people)
