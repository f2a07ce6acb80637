"""(c) Skip logic: items hidden by show_if are hidden and cleared as the respondent
answers, required items are enforced, back/next keeps answers, the review screen
lists only what was asked; and the browser's rule is the server's rule."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.response.models import Response
from questionnaires import (
    Questionnaire,
    bundled_path,
    load_questionnaire,
    load_questionnaire_file,
    visible_items,
)
from tests.e2e.conftest import Served
from tests.e2e.helpers import answer_item, fill_screen, next_screen
from tests.e2e.test_citizen_link import issue_link

pytestmark = pytest.mark.browser


def shown(page: Page, code: str) -> bool:
    return page.locator(f'fieldset.sv-item[data-code="{code}"]').is_visible()


def test_skip_logic_hides_and_clears_dependent_items(
    page: Page, served: Served, screens: Path
) -> None:
    token = issue_link(served, served.world.respondents[4])
    page.goto(f"/r/{token}")

    # Required items are enforced before moving on.
    page.get_by_role("button", name="Tiếp").click()
    expect(page.locator(".sv-error:visible").first).to_have_text("Xin trả lời câu hỏi này.")
    expect(page.locator(".sv-progress-text")).to_contain_text("Phần 1/")
    page.screenshot(path=screens / "01-required.png")

    # P10 (channels, multiple choice) decides which of P11–P17 are asked.
    assert not shown(page, "P11")
    answer_item(page, "P10", "multiple_choice", ["1", "3"])
    assert shown(page, "P11")
    assert shown(page, "P13")
    assert not shown(page, "P12")
    answer_item(page, "P11", "single_choice", "3")
    page.locator('fieldset[data-code="P10"] input[value="1"]').uncheck()
    assert not shown(page, "P11")
    page.locator('fieldset[data-code="P10"] input[value="1"]').check()
    assert shown(page, "P11")
    expect(page.locator('fieldset[data-code="P11"] input:checked')).to_have_count(0)
    page.screenshot(path=screens / "02-channels.png", full_page=True)
    page.locator('fieldset[data-code="P10"] input[value="1"]').uncheck()
    fill_screen(page)
    next_screen(page)
    fill_screen(page)
    next_screen(page)

    # The service criteria are asked only of people who went to the one-stop shop.
    expect(page.locator(".sv-progress-text")).to_contain_text("Phần 3/")
    answer_item(page, "GATE_TTHC", "single_choice", "1")
    assert shown(page, "S24")
    answer_item(page, "S24", "likert5", 5)
    answer_item(page, "GATE_TTHC", "single_choice", "2")
    assert not shown(page, "S24")
    answer_item(page, "GATE_TTHC", "single_choice", "1")
    expect(page.locator('fieldset[data-code="S24"] input:checked')).to_have_count(0)
    answer_item(page, "GATE_TTHC", "single_choice", "2")
    fill_screen(page)
    page.screenshot(path=screens / "03-service-skipped.png", full_page=True)
    next_screen(page)

    # Back and next keep every answer.
    page.get_by_role("button", name="Quay lại").click()
    expect(page.locator('fieldset[data-code="GATE_TTHC"] input:checked')).to_have_value("2")
    page.get_by_role("button", name="Quay lại").click()
    page.get_by_role("button", name="Quay lại").click()
    expect(page.locator('fieldset[data-code="P13"] input:checked')).to_have_count(1)
    expect(page.locator('fieldset[data-code="P10"] input:checked')).to_have_count(1)
    for _ in range(3):
        next_screen(page)
    while page.locator("button.sv-next").is_visible():
        fill_screen(page)
        next_screen(page)
    review = page.locator("section.sv-review")
    expect(review).to_be_visible()
    expect(review.locator('dd[data-code="P13"]')).to_have_count(1)
    expect(review.locator('dd[data-code="P11"]')).to_have_count(0)
    expect(review.locator('dd[data-code="S24"]')).to_have_count(0)
    page.screenshot(path=screens / "04-review.png", full_page=True)
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.locator("#done")).to_be_visible()

    with served.session() as db:
        response = db.execute(select(Response)).scalar_one()
        answers = {a.item_code: a.value for a in response.answers}
    assert answers["P10"] == ["3"]
    assert answers["GATE_TTHC"] == "2"
    assert not {"P11", "P12", "S24", "S36"} & set(answers)


CHAINS = """
code: chains
title: Phiếu kiểm tra điều kiện
edition: "2024"
option_sets:
  two: [{code: "1", label: một}, {code: "2", label: hai}]
blocks:
  - code: one
    title: Một
    items:
      - {code: A, type: single_choice, text: A, options: two}
      - {code: B, type: single_choice, text: B, options: two, show_if: {item: A, in: ["1"]}}
      - code: C
        type: likert5
        text: C
        show_if: [{item: A, in: ["1", "2"]}, {item: B, in: ["2"]}]
      - {code: M, type: multiple_choice, text: M,
         options: [{code: x, label: x}, {code: y, label: y}, {code: z, label: z}]}
      - {code: N, type: expectation3, text: N, allow_na: true, show_if: {item: M, in: [x, z]}}
      - code: O
        type: number
        text: O
        show_if: [{item: N, in: ["1", "3"]}, {item: C, in: ["4", "5"]}]
"""


def _random_answers(form: Questionnaire, rng: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in form.items():
        if rng.random() < 0.25:
            continue
        codes = [o.code for o in form.options_of(item)]
        kind = item.type.value
        if kind == "multiple_choice":
            answers[item.code] = rng.sample(codes, rng.randint(1, len(codes)))
        elif kind in ("likert5", "expectation3"):
            answers[item.code] = (
                "na" if item.allow_na and rng.random() < 0.2 else int(rng.choice(codes))
            )
        elif kind == "single_choice":
            answers[item.code] = rng.choice(codes)
        elif kind == "number":
            answers[item.code] = rng.randint(0, 90)
    return answers


def test_browser_skip_logic_mirrors_the_server(page: Page, served: Served) -> None:
    """SIPAS.visibleItems (form.js) against questionnaires.visible_items on random answers."""
    page.goto("/r")  # any page of the site; form.js is loaded below
    page.add_script_tag(url="/static/js/form.js")
    rng = random.Random(20241121)
    for form in (
        load_questionnaire_file(bundled_path("national-2024")),
        load_questionnaire(CHAINS.encode(), source="chains"),
    ):
        items = [
            {
                "code": i.code,
                "show_if": [{"item": c.item, "in": list(c.values)} for c in i.conditions],
            }
            for i in form.items()
        ]
        cases = [_random_answers(form, rng) for _ in range(300)]
        browser = page.evaluate(
            "([items, cases]) => cases.map(a => [...SIPAS.visibleItems(items, a)].sort())",
            [items, cases],
        )
        server = [sorted(visible_items(form, answers)) for answers in cases]
        assert browser == server
        assert len({tuple(v) for v in server}) >= 6, "the cases exercise the conditions"
