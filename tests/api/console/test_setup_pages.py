"""Setup in the browser: units from CSV, questionnaires uploaded, previewed and
published, campaigns created, edited while draft, moved along their steps, and the
settings letters and fieldwork use."""

from __future__ import annotations

import io

import httpx
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.campaign.models import Campaign, CampaignStatus
from app.questionnaire.models import QuestionnaireVersion, VersionStatus
from app.unit.models import Unit
from questionnaires import bundled_path, load_questionnaire_file
from questionnaires.xlsform import from_xlsform, to_xlsform
from tests.api.console.conftest import UNITS_CSV, Staff


def _upload(staff: Staff, path: str, name: str, content: bytes) -> httpx.Response:
    response: httpx.Response = staff.client.post(
        path, data={"csrf_token": staff.csrf}, files={"file": (name, content)}
    )
    return response


def test_units_upload_lists_every_problem_or_builds_the_tree(admin: Staff, db: Session) -> None:
    empty = admin.client.get("/staff/units").text
    assert "Chưa có đơn vị nào" in empty
    bad = UNITS_CSV + "st-x,Xã X,village,st,,\nst-y,Xã Y,commune,nowhere,,\n"
    refused = _upload(admin, "/staff/units", "units.csv", bad.encode())
    assert refused.status_code == 422
    assert "dòng 5" in refused.text
    assert "dòng 6" in refused.text
    assert db.scalar(select(func.count()).select_from(Unit)) == 0

    done = _upload(admin, "/staff/units", "units.csv", UNITS_CSV.encode())
    assert done.status_code == 200
    assert "Đã thêm 3 đơn vị" in done.text
    assert "Xã Phú Tâm" in done.text
    assert "30/06/2025" in done.text


def test_questionnaire_problems_preview_and_publish(admin: Staff, db: Session) -> None:
    broken = _upload(
        admin, "/staff/questionnaires", "form.yaml", b"code: x\ncolour: red\nblocks: 3\n"
    )
    assert broken.status_code == 422
    # each problem with its path in the file, in Vietnamese
    for problem in (
        "<code>title</code>: Thiếu trường «title»: trường này bắt buộc.",
        "<code>blocks</code>: Trường «blocks» phải là một danh sách.",
        "<code>colour</code>: Trường «colour» không được chấp nhận; xin bỏ trường này.",
    ):
        assert problem in broken.text
    assert "Field required" not in broken.text
    assert "Input should" not in broken.text

    draft = _upload(
        admin, "/staff/questionnaires", "national.yaml", bundled_path("national-2024").read_bytes()
    )
    assert draft.status_code == 200
    assert "Bản nháp" in draft.text
    assert "Công bố bộ câu hỏi" in draft.text
    assert (
        'Ngôn ngữ của phiếu: <span lang="vi">Tiếng Việt</span> (mặc định, bản gốc), '
        '<span lang="en">English</span>.'
    ) in draft.text
    preview = admin.client.get("/staff/questionnaires/national-2024/1/preview")
    assert preview.status_code == 200
    assert 'class="sv-form"' in preview.text
    assert 'data-lang="en"' in preview.text  # staff preview the translation too
    assert "js/preview.js" in preview.text

    published = admin.client.post(
        "/staff/questionnaires/national-2024/1/publish",
        data={"csrf_token": admin.csrf, "confirm": "on"},
    )
    assert published.status_code == 200
    version = db.execute(select(QuestionnaireVersion)).scalar_one()
    assert version.status is VersionStatus.PUBLISHED
    assert "Công bố bộ câu hỏi" not in published.text


def test_a_questionnaire_goes_out_and_comes_back_in_as_xlsform(admin: Staff) -> None:
    form = load_questionnaire_file(bundled_path("unit-service"))
    cut = to_xlsform(form)[:200]  # a workbook cut short: a zip archive, unreadable
    refused = _upload(admin, "/staff/questionnaires", "form.xlsx", cut)
    assert refused.status_code == 422
    assert "Tệp không phải bảng tính Excel (.xlsx) đọc được" in refused.text

    draft = _upload(admin, "/staff/questionnaires", "form.xlsx", to_xlsform(form))
    assert draft.status_code == 200
    assert "Bản nháp" in draft.text
    assert 'href="/staff/questionnaires/unit-service/1/xlsform"' in draft.text
    download = admin.client.get("/staff/questionnaires/unit-service/1/xlsform")
    assert download.status_code == 200
    assert download.headers["content-disposition"] == 'attachment; filename="unit-service-v1.xlsx"'
    assert from_xlsform(download.content) == form

    book = load_workbook(io.BytesIO(download.content))
    book["survey"]["A2"] = "begin repeat"
    changed = io.BytesIO()
    book.save(changed)
    admin.client.post(
        "/staff/questionnaires/unit-service/1/publish",
        data={"csrf_token": admin.csrf, "confirm": "on"},
    )
    listed = _upload(admin, "/staff/questionnaires", "form.xlsx", changed.getvalue())
    assert listed.status_code == 422
    assert "<code>Trang tính «survey», dòng 2, cột «type»</code>: Kiểu câu hỏi «begin repeat»" in (
        listed.text
    )

    book["survey"]["A2"] = "begin group"
    book["sipas_subindices"]["B2"] = "nowhere"  # a half the form does not have
    broken = io.BytesIO()
    book.save(broken)
    refused_rules = _upload(admin, "/staff/questionnaires", "form.xlsx", broken.getvalue())
    assert refused_rules.status_code == 422
    assert (
        "<code>Trang tính «sipas_subindices», dòng 2</code>: "
        "Nửa «nowhere» chưa được khai báo trong halves."
    ) in refused_rules.text
    assert "is not defined" not in refused_rules.text


def _campaign_form(admin: Staff, **overrides: str) -> dict[str, str]:
    return {
        "csrf_token": admin.csrf,
        "name": "Khảo sát SIPAS 2025",
        "year": "2025",
        "scope_unit_code": "st",
        "questionnaire": "national-2024@1",
        "weight_scheme": "national-province",
        **overrides,
    }


def ready_for_campaigns(admin: Staff) -> None:
    _upload(admin, "/staff/units", "units.csv", UNITS_CSV.encode())
    admin.client.post(
        "/staff/questionnaires/bundled", data={"csrf_token": admin.csrf, "code": "national-2024"}
    )
    admin.client.post(
        "/staff/questionnaires/national-2024/1/publish", data={"csrf_token": admin.csrf}
    )


def test_campaign_created_edited_while_draft_then_locked(admin: Staff, db: Session) -> None:
    assert "Chưa có đơn vị nào" in admin.client.get("/staff/campaigns/new").text
    ready_for_campaigns(admin)
    bad = admin.client.post("/staff/campaigns", data=_campaign_form(admin, year="1800"))
    assert bad.status_code == 422
    assert "year" in bad.text

    created = admin.client.post("/staff/campaigns", data=_campaign_form(admin))
    assert created.status_code == 200
    campaign = db.execute(select(Campaign)).scalar_one()
    assert "Bắt đầu khảo sát" in created.text
    assert "Sửa thông tin" in created.text

    edited = admin.client.post(
        f"/staff/campaigns/{campaign.id}/edit", data=_campaign_form(admin, name="SIPAS 2025 (sửa)")
    )
    assert "Đã lưu thông tin" in edited.text
    assert "SIPAS 2025 (sửa)" in edited.text

    settings = admin.client.post(
        f"/staff/campaigns/{campaign.id}/settings",
        data={
            "csrf_token": admin.csrf,
            "issuing_agency": "Sở Nội vụ tỉnh Sóc Trăng",
            "document_number": "123/SNV-CCHC",
            "document_date": "2025-03-01",
            "hotline": "0299 3822 000",
            "attempts_before_reserve": "4",
        },
    )
    assert "Đã lưu cài đặt" in settings.text
    bad_hotline = admin.client.post(
        f"/staff/campaigns/{campaign.id}/settings",
        data={"csrf_token": admin.csrf, "hotline": "gọi tôi", "attempts_before_reserve": "3"},
    )
    assert bad_hotline.status_code == 422

    started = admin.client.post(
        f"/staff/campaigns/{campaign.id}/status",
        data={"csrf_token": admin.csrf, "status": "fieldwork", "confirm": "on"},
    )
    assert "Đã chuyển trạng thái: Đang khảo sát" in started.text
    assert "Sửa thông tin" not in started.text
    assert "Kết thúc khảo sát" in started.text
    locked = admin.client.post(f"/staff/campaigns/{campaign.id}/edit", data=_campaign_form(admin))
    assert locked.status_code == 409
    assert "dự thảo" in locked.text
    db.expire_all()
    stored = db.get_one(Campaign, campaign.id)
    assert (stored.name, stored.status, stored.attempts_before_reserve, stored.hotline) == (
        "SIPAS 2025 (sửa)",
        CampaignStatus.FIELDWORK,
        4,
        "0299 3822 000",
    )
