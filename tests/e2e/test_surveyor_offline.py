"""(a) A surveyor works offline: three interviews and a refusal, a reload while
offline, then back online: exactly three responses and one outcome are stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import func, select

from analysis.disposition import Outcome
from app.audit.models import AuditEvent
from app.fieldwork.models import Handover, OutcomeReport
from app.response.models import Response, ResponseMode
from app.sample.models import SampledRespondent
from tests.e2e.conftest import Served, go_offline, go_online
from tests.e2e.helpers import complete_form
from tests.e2e.world import SURVEYOR

pytestmark = pytest.mark.browser


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/s/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("h1")).to_contain_text("Người cần khảo sát")


def row(page: Page, respondent_id: int):  # type: ignore[no-untyped-def]
    return page.locator(f'li.respondent[data-respondent="{respondent_id}"]')


def test_offline_interviews_and_refusal_sync_once(
    context: BrowserContext, page: Page, served: Served, screens: Path
) -> None:
    log_in(page, *SURVEYOR)
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "1")
    page.screenshot(path=screens / "01-list.png", full_page=True)
    first, second, third, fourth = served.world.respondents[:4]

    go_offline(context)
    served.paths.clear()
    for number, respondent in enumerate((first, second, third), start=1):
        row(page, respondent).get_by_role("link", name="Phỏng vấn").click()
        expect(page.locator("#respondent-label")).to_contain_text("Người được phỏng vấn")
        complete_form(page, shots=screens if number == 1 else None, prefix="02-interview-")
        if number == 1:
            page.screenshot(path=screens / "03-review.png", full_page=True)
        page.get_by_role("button", name="Gửi phiếu").click()
        expect(page.locator("h1")).to_contain_text("Người cần khảo sát")
        expect(page.locator("#syncbar")).to_have_attribute("data-queued", str(number))

    refusal = row(page, fourth)
    final = refusal.locator("details.outcome")
    final.locator("summary").click()
    final.get_by_label("Kết quả").select_option("refused")
    final.get_by_label("Ghi chú").fill("Bận việc nhà, không muốn trả lời")
    final.get_by_role("button", name="Lưu kết quả").click()
    expect(page.locator("#syncbar")).to_have_attribute("data-queued", "4")

    page.reload()
    expect(page.locator("#syncbar")).to_have_attribute("data-queued", "4")
    expect(page.locator("#syncbar .pending")).to_contain_text("Chờ đồng bộ: 4")
    page.screenshot(path=screens / "04-offline-after-reload.png", full_page=True)
    # Only the browser's own update check of the service worker script slips through
    # playwright's offline emulation; no request of the app reaches the server.
    reached = [path for path in served.paths if path != "GET /s/sw.js"]
    assert reached == [], f"nothing may reach the server while offline: {reached}"

    with served.session() as db:
        assert db.execute(select(func.count()).select_from(Response)).scalar_one() == 0

    go_online(context)
    expect(page.locator("#syncbar")).to_have_attribute("data-queued", "0", timeout=15_000)
    page.screenshot(path=screens / "05-synced.png", full_page=True)

    with served.session() as db:
        responses = db.execute(select(Response)).scalars().all()
        assert sorted(r.respondent_id or 0 for r in responses) == sorted([first, second, third])
        assert {r.mode for r in responses} == {ResponseMode.INTERVIEW}
        reports = db.execute(select(OutcomeReport)).scalars().all()
        assert [(r.respondent_id, r.outcome) for r in reports] == [(fourth, Outcome.REFUSED)]
        outcomes = dict(db.execute(select(SampledRespondent.id, SampledRespondent.outcome)).all())
        assert [outcomes[r] for r in (first, second, third, fourth)] == [
            Outcome.COMPLETED,
            Outcome.COMPLETED,
            Outcome.COMPLETED,
            Outcome.REFUSED,
        ]


QUEUE_AGAIN = """async ([body, answers]) => {
    await SIPAS.outbox.put({client_id: body.client_id, kind: "response", state: "queued",
        respondent_id: body.respondent_id, body: {...body, answers}});
    await SIPAS.outbox.sync(true);
}"""


def test_a_replayed_interview_stores_once_and_a_conflict_is_kept(
    context: BrowserContext, page: Page, served: Served, screens: Path
) -> None:
    log_in(page, *SURVEYOR)
    first = served.world.respondents[0]
    row(page, first).get_by_role("link", name="Phỏng vấn").click()
    complete_form(page)
    with page.expect_request("**/s/api/responses") as sent:
        page.get_by_role("button", name="Gửi phiếu").click()
    body = sent.value.post_data_json
    assert isinstance(body, dict)
    expect(page.locator("#syncbar")).to_have_attribute("data-queued", "0")

    # The phone never heard the answer and sends the same interview again: stored once.
    page.evaluate(QUEUE_AGAIN, [body, body["answers"]])
    expect(page.locator("#syncbar")).to_have_attribute("data-queued", "0")
    expect(page.locator("#syncbar")).to_have_attribute("data-conflicts", "0")

    # Same client_id, different answers: refused, kept on the phone, shown to the surveyor.
    changed = {**body["answers"], "P01": "1" if body["answers"]["P01"] != "1" else "2"}
    page.evaluate(QUEUE_AGAIN, [body, changed])
    expect(page.locator("#syncbar")).to_have_attribute("data-conflicts", "1")
    page.reload()
    conflict = page.locator("#conflicts li.conflict")
    expect(conflict).to_contain_text("Đã lưu một bản khác có cùng mã gửi")
    expect(page.locator("#syncbar .pending")).to_contain_text("Cần xử lý: 1")
    page.screenshot(path=screens / "conflict.png", full_page=True)
    with served.session() as db:
        (stored,) = db.execute(select(Response)).scalars().all()
        assert {a.item_code: a.value for a in stored.answers} == body["answers"]

    conflict.get_by_role("button", name="Chuyển cho giám sát viên").click()
    expect(page.locator("#conflicts")).to_be_hidden()
    with served.session() as db:
        queued = db.execute(select(Handover)).scalar_one()
        assert queued.body["answers"] == changed
        assert queued.error["code"] == "client_id_conflict"
        assert db.execute(
            select(AuditEvent).where(AuditEvent.action == "capture.conflict_handed_over")
        ).scalar_one()
        assert db.execute(select(func.count()).select_from(Response)).scalar_one() == 1
