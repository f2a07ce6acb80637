"""(d) Staff screens, each saved as a screenshot for review: links issued for a unit,
its printable letters (also printed to PDF: one A4 page per letter), and a paper
questionnaire typed in with the keyboard only. Desktop-sized window: these are
office pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.response.models import Response, ResponseMode
from app.sample.models import SampledRespondent
from tests.e2e.conftest import Served
from tests.e2e.world import ADMIN, PEOPLE

pytestmark = pytest.mark.browser

CODE = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")
NEXT_ANSWER = """() => {
    const input = document.activeElement;
    const row = input.closest(".paper-row[data-code]");
    if (!row) return null;
    const type = row.dataset.type, options = JSON.parse(row.dataset.options);
    if (type === "likert5") return "4";
    if (type === "expectation3") return "2";
    if (type === "number") return "35";
    if (type === "text") return "";
    return options[0];
}"""


@pytest.fixture
def office(browser: Browser, served: Served) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=served.base_url, locale="vi-VN"
    )
    yield context.new_page()
    context.close()


def log_in(page: Page, screens: Path | None = None) -> None:
    page.goto("/staff/login")
    if screens is not None:
        page.screenshot(path=screens / "01-staff-login.png")
    page.get_by_label("Tên đăng nhập").fill(ADMIN[0])
    page.get_by_label("Mật khẩu").fill(ADMIN[1])
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("header .who")).to_be_visible()


def test_links_letters_and_paper_entry(office: Page, served: Served, screens: Path) -> None:
    page = office
    log_in(page, screens)
    page.get_by_role("link", name="Đường link, thư mời, phiếu giấy").click()
    page.locator('select[name="unit_id"]').select_option(label="Phường 1")
    page.locator('input[name="expires_on"]').fill((date.today() + timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Tạo đường link").click()
    expect(page.locator(".toast")).to_contain_text("Đã tạo 3 đường link mới")
    page.screenshot(path=screens / "02-campaign.png", full_page=True)

    page.locator("tr", has_text="Phường 1").get_by_role("link", name="In thư mời").click()
    letters = page.locator("article.letter")
    expect(letters).to_have_count(3)
    in_ward = [name for name, _, address in PEOPLE if "Phường 1" in address]
    for name in in_ward:
        expect(page.locator("article.letter", has_text=name)).to_have_count(1)
    expect(letters.first.locator(".qr svg")).to_be_visible()
    expect(letters.first.locator(".code")).to_have_text(CODE)
    page.screenshot(path=screens / "03-letters.png", full_page=True)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    page.emulate_media(media="screen")
    (screens / "letters.pdf").write_bytes(pdf)
    assert len(PDF_PAGE.findall(pdf)) == 3, "one A4 page per letter"

    respondent = served.world.respondents[1]
    page.goto(f"/staff/campaigns/{served.world.campaign_id}/paper")
    expect(page.locator("#paper-respondent")).to_be_focused()
    page.keyboard.type(str(respondent))
    page.keyboard.press("Enter")
    typed = 0
    while (answer := page.evaluate(NEXT_ANSWER)) is not None:
        page.keyboard.type(answer)
        page.keyboard.press("Enter")
        typed += 1
    expect(page.locator("#paper-save")).to_be_focused()
    page.screenshot(path=screens / "04-paper-typed.png", full_page=True)
    page.keyboard.press("Enter")
    expect(page.locator("#paper-status")).to_contain_text("Đã lưu phiếu số")
    page.screenshot(path=screens / "05-paper-saved.png")
    assert typed > 40

    with served.session() as db:
        response = db.execute(select(Response)).scalar_one()
        assert (response.mode, response.respondent_id) == (ResponseMode.PAPER, respondent)
        answers = {a.item_code: a.value for a in response.answers}
        assert answers["S24"] == 4
        assert db.get_one(SampledRespondent, respondent).outcome.value == "completed"
    assert sorted(p.name for p in screens.iterdir()) == [
        "01-staff-login.png",
        "02-campaign.png",
        "03-letters.png",
        "04-paper-typed.png",
        "05-paper-saved.png",
        "letters.pdf",
    ]


def test_paper_entry_names_the_first_missing_item_next_to_it_in_view(
    office: Page, served: Served, screens: Path
) -> None:
    page = office
    log_in(page)
    page.goto(f"/staff/campaigns/{served.world.campaign_id}/paper")
    page.keyboard.type(str(served.world.respondents[1]))
    page.keyboard.press("Enter")
    page.keyboard.type(page.evaluate(NEXT_ANSWER))
    page.keyboard.press("Enter")
    page.keyboard.press("Control+Enter")

    missing = page.locator(".paper-row.bad")
    first = missing.first
    assert first.get_attribute("data-code") == "P02"
    assert missing.count() > 40
    expect(first.locator("input.key")).to_be_focused()
    note = first.locator(".paper-error")
    expect(note).to_have_text("Chưa nhập (câu bắt buộc)")
    expect(note).to_be_in_viewport()
    number = first.locator(".code").inner_text()
    expect(page.locator("#paper-status")).to_contain_text(f"đầu tiên là câu {number} ")
    page.screenshot(path=screens / "paper-first-missing.png")
    with served.session() as db:
        assert db.execute(select(Response)).first() is None


def test_the_respondent_number_label_of_paper_entry_renders_in_one_font(
    office: Page, served: Served
) -> None:
    """«Mã số» is drawn by one font, one glyph per letter. A font that lacks «ố» (such
    as DejaVu Sans Mono) gets it drawn from another font or built from «ô» and a
    combining accent that lands on the circumflex: both look broken."""
    page = office
    log_in(page)
    page.goto(f"/staff/campaigns/{served.world.campaign_id}/paper")
    label = page.locator(".paper-row .code").first
    expect(label).to_have_text("Mã số")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": ".paper-row .code"})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    assert [font["glyphCount"] for font in fonts] == [len("Mã số")], fonts
