"""A citizen switches the national 2024 form to English and back, answers by
clicking the English labels and submits: the stored answers are the same codes as
those of a citizen who answered the same choices in Vietnamese (issue 11, 5). A
surveyor does the same offline, and the interview keeps its language on a reload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from app.response.models import Response, ResponseStatus
from tests.e2e.conftest import Served, go_offline, go_online
from tests.e2e.helpers import complete_form, fill_screen, next_screen
from tests.e2e.test_citizen_link import issue_link
from tests.e2e.test_surveyor_offline import log_in, row
from tests.e2e.world import SURVEYOR

pytestmark = pytest.mark.browser

CHOICES = {
    "vi": {
        "P01": "Rất quan tâm",
        "P10": "Qua mạng internet",
        "S01": "Rất hài lòng",
        "S02": "Không áp dụng / Không biết",
    },
    "en": {
        "P01": "Very interested",
        "P10": "The internet",
        "S01": "Very satisfied",
        "S02": "Not applicable / Don't know",
    },
}
"""The same answers, chosen by their label in each language."""
EXPECTED_CODES = {"P01": "3", "P10": ["6"], "S01": 5, "S02": "na"}


def choose(page: Page, labels: dict[str, str], codes: list[str]) -> None:
    for code in codes:
        page.locator(f'fieldset[data-code="{code}"]').get_by_text(labels[code], exact=True).click()


def answer(page: Page, language: str) -> None:
    """Answer the whole form, the four items of CHOICES by clicking their labels."""
    labels = CHOICES[language]
    choose(page, labels, ["P01", "P10"])
    fill_screen(page)
    next_screen(page)
    choose(page, labels, ["S01", "S02"])
    fill_screen(page)
    next_screen(page)
    complete_form(page)


def submit(page: Page) -> None:
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.locator("#done")).to_be_visible()


def stored_answers(served: Served, respondent_id: int) -> dict[str, Any]:
    with served.session() as db:
        response = db.execute(
            select(Response).where(Response.respondent_id == respondent_id)
        ).scalar_one()
        assert response.status is ResponseStatus.COMPLETE
        return {a.item_code: a.value for a in response.answers}


def expect_language(page: Page, language: str, title: str, block: str, option: str) -> None:
    expect(page.locator("h1.form-title")).to_have_text(title)
    expect(page.locator("h1.form-title")).to_have_attribute("lang", language)
    expect(page.locator("section.sv-block:not([hidden]) h2")).to_have_text(block)
    expect(page.locator("section.sv-block:not([hidden]) h2")).to_have_attribute("lang", language)
    p01 = page.locator('fieldset[data-code="P01"] .sv-opt span').last
    expect(p01).to_have_text(option)
    expect(p01).to_have_attribute("lang", language)
    expect(page.locator(f'button.sv-lang[data-lang="{language}"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    # the page around the questionnaire stays Vietnamese, and says so
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert page.evaluate("document.getElementById('survey').lang") == ""  # inherits vi
    expect(page.locator("button.sv-next")).to_have_text("Tiếp")


def test_english_and_back_stores_the_same_codes_as_vietnamese(
    page: Page, served: Served, screens: Path
) -> None:
    in_vietnamese, in_english = served.world.respondents[3], served.world.respondents[4]

    page.goto(f"/r/{issue_link(served, in_vietnamese)}")
    expect(page.locator(".sv-progress-text")).to_contain_text("Phần 1/")
    assert page.locator("button.sv-lang").all_inner_texts() == ["Tiếng Việt", "English"]
    answer(page, "vi")
    submit(page)

    english_page = page.context.new_page()
    english_page.goto(f"/r/{issue_link(served, in_english)}")
    english_page.get_by_role("button", name="English").click()
    expect_language(
        english_page,
        "en",
        "Survey of the satisfaction of citizens and organisations with the service of state "
        "administrative agencies, 2024",
        "Your views and assessments",
        "Very interested",
    )
    expect(english_page.locator(".sv-progress-text")).to_contain_text("Your views and assessments")
    english_page.screenshot(path=screens / "01-citizen-in-english.png", full_page=True)

    english_page.get_by_role("button", name="Tiếng Việt").click()
    expect_language(
        english_page,
        "vi",
        "Phiếu khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan "
        "hành chính nhà nước năm 2024",
        "Nhận định, đánh giá của ông/bà",
        "Rất quan tâm",
    )

    english_page.get_by_role("button", name="English").click()
    english_page.reload()  # the choice is remembered on the device
    expect(english_page.locator("section.sv-block:not([hidden]) h2")).to_have_text(
        "Your views and assessments"
    )
    answer(english_page, "en")
    review = english_page.locator('.sv-review dd[data-code="P01"]')
    expect(review).to_have_text("Very interested")
    expect(review).to_have_attribute("lang", "en")
    english_page.screenshot(path=screens / "02-citizen-review-in-english.png", full_page=True)
    english_page.get_by_role("button", name="Tiếng Việt").click()
    expect(review).to_have_text("Rất quan tâm")
    english_page.get_by_role("button", name="English").click()
    expect(review).to_have_text("Very interested")
    submit(english_page)

    vietnamese_answers = stored_answers(served, in_vietnamese)
    english_answers = stored_answers(served, in_english)
    assert {code: english_answers[code] for code in EXPECTED_CODES} == EXPECTED_CODES
    assert english_answers == vietnamese_answers


def test_a_surveyor_interviews_in_english_offline(
    context: BrowserContext, page: Page, served: Served
) -> None:
    respondent = served.world.respondents[0]
    log_in(page, *SURVEYOR)
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "1")
    go_offline(context)
    row(page, respondent).get_by_role("link", name="Phỏng vấn").click()
    page.get_by_role("button", name="English").click()
    block_title = page.locator("section.sv-block:not([hidden]) h2")
    expect(block_title).to_have_text("Your views and assessments")
    choose(page, CHOICES["en"], ["P01"])
    page.reload()  # offline: the cached page, the draft and its language from the phone
    expect(block_title).to_have_text("Your views and assessments")
    expect(page.locator('fieldset[data-code="P01"] input:checked')).to_have_value("3")
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(block_title).to_have_text("Nhận định, đánh giá của ông/bà")
    complete_form(page)
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.locator("#syncbar")).to_have_attribute("data-queued", "1")
    go_online(context)
    expect(page.locator("#syncbar")).to_have_attribute("data-queued", "0", timeout=15_000)
    assert stored_answers(served, respondent)["P01"] == "3"
