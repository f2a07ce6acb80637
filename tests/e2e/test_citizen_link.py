"""(b) A citizen opens the personal link, answers half, closes the page, reopens
the link, finishes and submits; reopening shows completion and a second
submission is refused. The page never shows the person's name, phone or address.
A citizen who closes the page right after «Tiếp» finds that screen and every
answer again (issue 8, 2c)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from analysis.disposition import Outcome
from app.link import service as citizen_service
from app.response.models import Response, ResponseMode, ResponseStatus
from app.sample.models import SampledRespondent
from tests.api.factories import add_respondents
from tests.e2e.conftest import Served
from tests.e2e.helpers import complete_form, fill_screen, next_screen
from tests.e2e.world import PEOPLE
from tests.support.campaigns import campaign_in_fieldwork
from tests.support.links import citizen_token

pytestmark = pytest.mark.browser


def issue_link(served: Served, respondent_id: int, campaign_id: int | None = None) -> str:
    secret = served.app.state.settings.secret_key
    with served.session() as db:
        return citizen_token(db, secret, campaign_id or served.world.campaign_id, respondent_id)


def reopen(context: BrowserContext, token: str, part: str) -> Page:
    """The link opened again in a new page, resumed on ``part`` ("Phần 3/")."""
    again = context.new_page()
    again.goto(f"/r/{token}")
    expect(again.locator(".sv-progress-text")).to_contain_text(part)
    expect(again.locator("#save-state")).to_contain_text("Tiếp tục từ chỗ")
    return again


def assert_no_personal_data(page: Page) -> None:
    html = page.content()
    for name, phone, address in PEOPLE:
        assert name not in html
        assert phone not in html
        assert address not in html


def stored(served: Served) -> list[Response]:
    with served.session() as db:
        rows = db.execute(select(Response)).scalars().all()
        for row in rows:
            _ = row.answers
        return list(rows)


def test_citizen_answers_half_comes_back_and_finishes(
    context: BrowserContext, page: Page, served: Served, screens: Path
) -> None:
    respondent = served.world.respondents[4]
    token = issue_link(served, respondent)

    page.goto(f"/r/{token}")
    expect(page.locator(".sv-progress-text")).to_contain_text("Phần 1/")
    assert token not in page.content()
    assert_no_personal_data(page)
    page.screenshot(path=screens / "01-citizen-first-screen.png", full_page=True)
    fill_screen(page)
    next_screen(page)
    fill_screen(page)
    next_screen(page)
    expect(page.locator(".sv-progress-text")).to_contain_text("Phần 3/")
    expect(page.locator("#save-state")).to_contain_text("Đã lưu")
    (partial,) = stored(served)
    assert (partial.status, partial.mode) == (ResponseStatus.PARTIAL, ResponseMode.SELF)
    half = {a.item_code: a.value for a in partial.answers}
    page.close()

    again = reopen(context, token, "Phần 3/")
    again.screenshot(path=screens / "02-citizen-resumed.png", full_page=True)
    again.get_by_role("button", name="Quay lại").click()
    expect(again.locator(".sv-progress-text")).to_contain_text("Phần 2/")
    some_item = next(code for code in half if code.startswith("S"))
    checked = again.locator(f'fieldset[data-code="{some_item}"] input:checked')
    expect(checked).to_have_attribute("value", str(half[some_item]))
    next_screen(again)
    complete_form(again)
    again.screenshot(path=screens / "03-citizen-review.png", full_page=True)
    again.get_by_role("button", name="Gửi phiếu").click()
    expect(again.locator("#done")).to_be_visible()
    again.screenshot(path=screens / "04-citizen-thanks.png", full_page=True)

    (complete,) = stored(served)
    assert (complete.status, complete.mode) == (ResponseStatus.COMPLETE, ResponseMode.SELF)
    answers = {a.item_code: a.value for a in complete.answers}
    assert {k: answers[k] for k in half} == half
    assert len(answers) > len(half)

    again.goto(f"/r/{token}")
    expect(again.locator("h1")).to_have_text("Khảo sát đã hoàn thành")
    assert_no_personal_data(again)
    again.screenshot(path=screens / "05-citizen-already-complete.png", full_page=True)
    status = again.evaluate(
        """answers => fetch(location.pathname + "/answers", {
            method: "PUT", headers: {"Content-Type": "application/json"},
            body: JSON.stringify({answers, complete: true})}).then(r => r.status)""",
        {**answers, "S24": 1} if "S24" in answers else answers,
    )
    assert status == 409
    (unchanged,) = stored(served)
    assert {a.item_code: a.value for a in unchanged.answers} == answers
    with served.session() as db:
        assert db.get_one(SampledRespondent, respondent).outcome is Outcome.COMPLETED
    again.close()


def test_unknown_and_revoked_links_look_the_same(page: Page, served: Served) -> None:
    respondent = served.world.respondents[4]
    token = issue_link(served, respondent)
    with served.session() as db:
        citizen_service.revoke_link(db, served.world.campaign_id, respondent, actor=None)
    revoked = page.goto(f"/r/{token}")
    assert revoked is not None
    revoked_text = page.locator("main").inner_text()
    unknown = page.goto("/r/" + "x" * len(token))
    assert unknown is not None
    assert (revoked.status, unknown.status) == (404, 404)
    assert page.locator("main").inner_text() == revoked_text
    assert "không còn hiệu lực" in revoked_text


def _saved_answers(served: Served, wanted: int, seconds: float = 10.0) -> dict[str, object]:
    """The answers stored for the one response, once it holds ``wanted`` of them."""
    deadline = time.monotonic() + seconds
    answers: dict[str, object] = {}
    while time.monotonic() < deadline:
        rows = stored(served)
        answers = {a.item_code: a.value for a in rows[0].answers} if rows else {}
        if len(answers) >= wanted:
            break
        time.sleep(0.1)
    return answers


def test_citizen_who_closes_the_page_after_part_one_resumes_on_part_two_with_part_one_kept(
    context: BrowserContext, page: Page, served: Served, screens: Path
) -> None:
    # The unit form: part 1 required, part 2 (expectations) all optional, part 3 profile.
    with served.session() as db:
        campaign = campaign_in_fieldwork(db, "Khảo sát đơn vị", form="unit-service")
        (respondent,) = add_respondents(db, campaign, 1)
    token = issue_link(served, respondent, campaign)

    page.goto(f"/r/{token}")
    expect(page.locator(".sv-progress-text")).to_contain_text("Phần 1/3")
    part_one = fill_screen(page, {"S24": 5, "S30": 2, "GATE_PAKN": "1", "S37": 3})
    page.locator("button.sv-next").click()
    expect(page.locator(".sv-progress-text")).to_contain_text("Phần 2/3")
    page.close()  # at once: no waiting for «Đã lưu»

    answers = _saved_answers(served, len(part_one))
    assert set(answers) == set(part_one)
    assert (answers["S24"], answers["S30"], answers["S37"]) == (5, 2, 3)

    again = reopen(context, token, "Phần 2/3")
    again.screenshot(path=screens / "resumed-on-part-2.png", full_page=True)
    again.get_by_role("button", name="Quay lại").click()
    expect(again.locator(".sv-progress-text")).to_contain_text("Phần 1/3")
    for code, value in answers.items():
        checked = again.locator(f'fieldset[data-code="{code}"] input:checked')
        expect(checked).to_have_attribute("value", str(value))
    again.close()
