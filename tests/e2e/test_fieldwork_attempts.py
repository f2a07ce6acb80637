"""Issue 8, acceptance 3: on a 360×640 phone a surveyor records two attempts (the second a
call-back) without a connection, sees them on the card with their own labels and the
person moved to the top of the list, syncs, then completes the interview; an
administrator corrects an outcome a surveyor set by mistake; and (issue 9, fieldwork)
moves two people to another surveyor and replaces a refusal by a reserve."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from analysis.contact import AttemptResult
from analysis.disposition import Outcome
from app.audit.models import AuditEvent
from app.fieldwork.models import Assignment, ContactAttempt, Surveyor
from app.response.models import Response
from app.sample.models import SampledRespondent
from tests.e2e.conftest import Served, go_offline, go_online
from tests.e2e.helpers import complete_form
from tests.e2e.test_surveyor_offline import log_in, row
from tests.e2e.world import ADMIN, SURVEYOR

pytestmark = pytest.mark.browser


def _record_attempt(page: Page, respondent_id: int, result: str, callback: str = "") -> None:
    card = row(page, respondent_id).locator("details.attempt")
    card.locator("summary").click()
    expect(card.get_by_label("Thời gian liên hệ")).not_to_have_value("")
    card.get_by_label("Kết quả lần liên hệ").select_option(result)
    if callback:
        card.get_by_label("Hẹn lại lúc").fill(callback)
    card.get_by_role("button", name="Lưu lần liên hệ").click()


def test_two_attempts_with_a_call_back_then_the_interview(
    context: BrowserContext, page: Page, served: Served, screens: Path
) -> None:
    log_in(page, *SURVEYOR)
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "1")
    first, second, third = served.world.respondents[:3]
    assert page.locator("li.respondent").first.get_attribute("data-respondent") == str(first)

    go_offline(context)
    _record_attempt(page, third, "no_answer")
    expect(page.locator("#syncbar")).to_have_attribute("data-queued", "1")
    callback = (datetime.now() + timedelta(days=1)).replace(hour=17, minute=30)
    _record_attempt(page, third, "call_back", callback.strftime("%Y-%m-%dT%H:%M"))
    expect(page.locator("#syncbar")).to_have_attribute("data-queued", "2")
    card = row(page, third)
    expect(card.locator(".badge.local")).to_contain_text(
        "Lần liên hệ: Hẹn gọi lại, gặp lại (chờ đồng bộ)"
    )
    expect(card.locator(".callback time")).to_have_text(callback.strftime("%H:%M %d/%m/%Y"))
    expect(card.locator(".attempts .count")).to_have_text("2")
    expect(page.locator("li.respondent").first).to_have_attribute("data-respondent", str(third))
    # A queued outcome says which one it is, not just that something waits.
    refusal = row(page, second)
    final = refusal.locator("details.outcome")
    final.locator("summary").click()
    final.get_by_label("Kết quả").select_option("refused")
    final.get_by_role("button", name="Lưu kết quả").click()
    expect(refusal.locator(".badge.local")).to_have_text("Từ chối (chờ đồng bộ)")
    page.screenshot(path=screens / "01-attempts-offline.png", full_page=True)

    go_online(context)
    expect(page.locator("#syncbar")).to_have_attribute("data-queued", "0", timeout=15_000)
    page.reload()
    card = row(page, third)
    expect(page.locator("li.respondent").first).to_have_attribute("data-respondent", str(third))
    expect(card.locator(".attempts")).to_contain_text("Đã liên hệ: 2 lần")
    expect(card.locator(".callback")).to_be_visible()
    page.screenshot(path=screens / "02-call-back-first.png", full_page=True)

    card.get_by_role("link", name="Phỏng vấn").click()
    complete_form(page)
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.locator("h1")).to_contain_text("Người cần khảo sát")
    expect(page.locator("#syncbar")).to_have_attribute("data-queued", "0", timeout=15_000)
    page.reload()
    expect(row(page, third).locator(".badge.status")).to_have_text("Đã hoàn thành")
    expect(row(page, third).locator(".callback")).to_be_hidden()
    page.screenshot(path=screens / "03-completed.png", full_page=True)

    with served.session() as db:
        attempts = (
            db.execute(select(ContactAttempt).order_by(ContactAttempt.attempted_at)).scalars().all()
        )
        assert [(a.respondent_id, a.result) for a in attempts] == [
            (third, AttemptResult.NO_ANSWER),
            (third, AttemptResult.CALL_BACK),
        ]
        assert attempts[1].callback_at is not None
        (response,) = db.execute(select(Response)).scalars().all()
        assert response.respondent_id == third
        outcomes = dict(db.execute(select(SampledRespondent.id, SampledRespondent.outcome)).all())
        assert (outcomes[third], outcomes[second]) == (Outcome.COMPLETED, Outcome.REFUSED)


def test_an_administrator_corrects_a_mis_set_outcome(
    page: Page, served: Served, screens: Path
) -> None:
    mistaken = served.world.respondents[0]
    with served.session() as db:
        db.get_one(SampledRespondent, mistaken).outcome = Outcome.REFUSED
        db.commit()
    page.goto("/staff/login")
    page.get_by_label("Tên đăng nhập").fill(ADMIN[0])
    page.get_by_label("Mật khẩu").fill(ADMIN[1])
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Đường link, thư mời, phiếu giấy").click()
    section = page.locator("#outcome-correction")
    section.get_by_label("Mã số người được chọn").fill(str(mistaken))
    section.get_by_label("Kết quả đúng").select_option(label="Chưa khảo sát")
    section.get_by_label("Lý do sửa").fill("Điều tra viên bấm nhầm «Từ chối»; chưa liên hệ")
    page.screenshot(path=screens / "01-correction-form.png", full_page=True)
    section.get_by_role("button", name="Sửa kết quả").click()
    expect(page.locator("#outcome-correction .toast")).to_contain_text(
        f"Đã sửa kết quả tiếp cận của người được chọn số {mistaken}"
    )
    page.screenshot(path=screens / "02-corrected.png", full_page=True)
    with served.session() as db:
        assert db.get_one(SampledRespondent, mistaken).outcome is Outcome.PENDING
        event = db.execute(
            select(AuditEvent).where(AuditEvent.action == "respondent.outcome_corrected")
        ).scalar_one()
        assert event.payload == {
            "from": "refused",
            "to": "pending",
            "reason": "Điều tra viên bấm nhầm «Từ chối»; chưa liên hệ",
        }


def test_an_administrator_moves_people_and_releases_a_reserve(
    page: Page, served: Served, screens: Path
) -> None:
    refused, first, second = served.world.respondents[:3]
    with served.session() as db:
        person = db.get_one(SampledRespondent, refused)
        person.outcome = Outcome.REFUSED
        reserve = SampledRespondent(
            sample_id=person.sample_id,
            stratum=person.stratum,
            draw_order=100,
            is_reserve=True,
            inclusion_probability=0.5,
            design_weight=2.0,
            full_name="Người dự phòng Một",
            unit_id=person.unit_id,
        )
        other = Surveyor(full_name="Lê Văn Hai", organisation="Mặt trận Tổ quốc")
        db.add_all([reserve, other])
        db.commit()
        reserve_id, other_id = reserve.id, other.id
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/staff/login")
    page.get_by_label("Tên đăng nhập").fill(ADMIN[0])
    page.get_by_label("Mật khẩu").fill(ADMIN[1])
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Đường link, thư mời, phiếu giấy").click()
    page.get_by_role("link", name="Giao lại và thay người dự phòng").click()
    expect(page.locator("#attempts-required")).to_have_text("3")

    page.get_by_label(f"Chọn người số {first}").check()
    page.get_by_label(f"Chọn người số {second}").check()
    page.get_by_label("Điều tra viên nhận").select_option(str(other_id))
    page.screenshot(path=screens / "01-move-two.png", full_page=True)
    page.get_by_role("button", name="Chuyển", exact=True).click()
    expect(page.locator("#done .toast")).to_contain_text(
        "Đã chuyển 2 người cho điều tra viên Lê Văn Hai"
    )
    expect(page.locator(f'tr[data-respondent="{first}"] td[data-surveyor]')).to_have_text(
        "Lê Văn Hai"
    )

    page.get_by_label("Tôi hiểu rằng việc thay người không hoàn tác được").check()
    page.locator(f'tr[data-respondent="{refused}"]').get_by_role(
        "button", name="Thay bằng người dự phòng"
    ).click()
    expect(page.locator("#done .toast")).to_contain_text(
        f"Người dự phòng số {reserve_id} đã thay cho người được chọn số {refused}"
    )
    expect(page.locator(f'#replacements tr[data-reserve="{reserve_id}"]')).to_contain_text(
        "Người dự phòng Một"
    )
    page.screenshot(path=screens / "02-reserve-released.png", full_page=True)
    with served.session() as db:
        holders = dict(
            db.execute(select(Assignment.sampled_respondent_id, Assignment.surveyor_id)).all()
        )
        assert (holders[first], holders[second]) == (other_id, other_id)
        assert holders[reserve_id] == holders[refused] != other_id
        assert db.get_one(SampledRespondent, refused).outcome is Outcome.REPLACED
