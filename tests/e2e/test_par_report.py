"""The staff console offers the annual report of a published campaign: an admin imports
the units' PAR components (one bad file first, its rows shown), sees the PAR table and
downloads the Word report, which opens with python-docx."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from app.campaign import service as campaign_service
from app.campaign.models import CampaignStatus
from app.campaign.schemas import CampaignCreate
from app.questionnaire import service as questionnaire_service
from app.response import service as response_service
from app.response.models import ResponseMode
from app.response.schemas import ResponseSubmit
from app.result import service as result_service
from questionnaires import bundled_path
from tests.e2e.conftest import Served
from tests.e2e.world import ADMIN
from tests.unit.test_analysis import answers

pytestmark = pytest.mark.browser

COMPONENTS = (
    "STT;Đơn vị;Nhóm;Điểm chuẩn tối đa;Điểm tự đánh giá;Khảo sát CBCC VC\n"
    "1;Phường 1;Cấp xã;100,00;51,34;13,13\n"
    "2;Xã Phú Tâm;Cấp xã;100,00;47,80;13,63\n"
)
BAND_SENTENCE = (
    "Kết quả có 01 đơn vị được xếp nhóm A (rất tốt) (có kết quả chỉ số CCHC đạt từ 90% trở "
    "lên) và 01 đơn vị xếp nhóm C (khá) (có kết quả chỉ số CCHC đạt dưới 80%)."
)


def published_campaign(db: Session) -> int:
    """A unit-service campaign on An Giang's scheme (SIPAS = 32 × the unit's rate): ten
    people at Phường 1 all satisfied, ten at Xã Phú Tâm of whom half; published."""
    draft = questionnaire_service.create_draft(
        db, bundled_path("unit-service").read_bytes(), actor=None
    )
    questionnaire_service.publish(db, draft.code, draft.version, actor=None)
    campaign = campaign_service.create(
        db,
        CampaignCreate(
            name="Chỉ số CCHC năm 2024",
            year=2024,
            scope_unit_code="st",
            questionnaire_code=draft.code,
            questionnaire_version=draft.version,
            weight_scheme="an-giang-unit",
        ),
        actor=None,
    )
    campaign_service.change_status(db, campaign.id, CampaignStatus.FIELDWORK, actor=None)
    for unit, scores in (("st-p1", [5] * 10), ("st-pt", [5] * 5 + [2] * 5)):
        for score in scores:
            body = ResponseSubmit(
                client_id=uuid.uuid4(),
                mode=ResponseMode.INTERVIEW,
                answers=answers(score),
                unit_code=unit,
            )
            response_service.submit(db, campaign.id, body)
    campaign_service.change_status(db, campaign.id, CampaignStatus.CLOSED, actor=None)
    result_service.publish(db, campaign.id, actor=None)
    return campaign.id


@pytest.fixture
def office(browser: Browser, served: Served) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1366, "height": 768},
        base_url=served.base_url,
        locale="vi-VN",
        accept_downloads=True,
    )
    yield context.new_page()
    context.close()


def test_download_the_report_of_a_published_campaign(
    office: Page, served: Served, screens: Path, tmp_path: Path
) -> None:
    with served.session() as db:
        campaign_id = published_campaign(db)
    page = office
    page.goto("/staff/login")
    page.get_by_label("Tên đăng nhập").fill(ADMIN[0])
    page.get_by_label("Mật khẩu").fill(ADMIN[1])
    page.get_by_role("button", name="Đăng nhập").click()
    row = page.locator("tr", has_text="Chỉ số CCHC năm 2024")
    expect(row).to_contain_text("Đã công bố")
    row.get_by_role("link", name="Chỉ số CCHC, báo cáo").click()
    expect(page.locator("h1")).to_contain_text("Chỉ số CCHC")

    bad = tmp_path / "sai.csv"
    bad.write_text(COMPONENTS.replace("47,80", "47,8x"), encoding="utf-8")
    page.locator('input[type="file"]').set_input_files(bad)
    page.get_by_role("button", name="Nhập tệp").click()
    errors = page.locator("table.par-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("Điểm tự đánh giá")
    expect(errors.first).to_contain_text("3")
    page.screenshot(path=screens / "01-par-row-errors.png", full_page=True)

    good = tmp_path / "diem-cchc.csv"
    good.write_text(COMPONENTS, encoding="utf-8")
    page.locator('input[type="file"]').set_input_files(good)
    page.get_by_role("button", name="Nhập tệp").click()
    expect(page.locator(".toast")).to_contain_text("Đã nhập điểm của 2 đơn vị")
    ward = page.locator("table.par-table tr", has_text="Phường 1")
    expect(ward).to_contain_text("96,47%")  # 51,34 + 13,13 + 32 × 100%
    page.screenshot(path=screens / "02-par-table.png", full_page=True)

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Tải báo cáo (Word)").click()
    saved = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(saved)
    assert saved.name == f"bao-cao-chi-so-cchc-dot-{campaign_id}.docx"
    document = Document(str(saved))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "(kết quả đã công bố)" in text
    assert BAND_SENTENCE in text
    cells = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert cells[1][:2] == ["1", "Phường 1"]
    assert cells[1][7] == "96,47%"
