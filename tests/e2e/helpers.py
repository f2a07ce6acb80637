"""Driving the questionnaire form like a person would: click, type, next."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

VISIBLE_ITEMS = "section.sv-block:not([hidden]) fieldset.sv-item:not([hidden])"


ALL_ITEMS = "fieldset.sv-item"
SHOWN = """els => els.filter(e => !e.querySelector("input:checked")
    && !(e.querySelector(".sv-input") || {}).value).map(e => [
    e.dataset.code, e.dataset.type, e.dataset.required,
    (e.querySelector("input[type=radio], input[type=checkbox]") || {}).value || null])"""


def answer_item(page: Page, code: str, kind: str, value: Any) -> None:
    item = page.locator(f'fieldset.sv-item[data-code="{code}"]')
    if kind == "multiple_choice":
        for option in value:
            item.locator(f'input[value="{option}"]').check()
    elif kind in ("number", "text"):
        item.locator(".sv-input").fill(str(value))
    else:
        item.locator(f'input[value="{value}"]').check()


def _default(kind: str, first_option: str | None) -> Any:
    if kind == "likert5":
        return 4
    if kind == "expectation3":
        return 2
    if kind == "number":
        return 35
    return [first_option] if kind == "multiple_choice" else first_option


def fill_screen(page: Page, answers: dict[str, Any] | None = None) -> list[str]:
    """Answer every visible, unanswered item of the current screen (items shown by an
    answer included); ``answers`` overrides the default choice. Returns their codes."""
    answers = answers or {}
    triggers = set(
        page.eval_on_selector_all(
            ALL_ITEMS, "els => els.flatMap(e => JSON.parse(e.dataset.showIf).map(c => c.item))"
        )
    )
    done: list[str] = []
    while True:
        shown = page.eval_on_selector_all(VISIBLE_ITEMS, SHOWN)
        todo = [row for row in shown if row[0] not in done]
        if not todo:
            return done
        for code, kind, required, first_option in todo:
            done.append(code)
            if code in answers:
                answer_item(page, code, kind, answers[code])
            elif required == "1":
                answer_item(page, code, kind, _default(kind, first_option))
            if code in triggers:
                # Its answer may show items below it: look again before going on.
                break


def next_screen(page: Page) -> None:
    before = page.locator(".sv-progress-text").inner_text()
    page.locator("button.sv-next").click()
    expect(page.locator(".sv-progress-text")).not_to_have_text(before)


def complete_form(
    page: Page, answers: dict[str, Any] | None = None, shots: Path | None = None, prefix: str = ""
) -> None:
    """Answer every screen and stop on the review screen."""
    screen = 0
    while page.locator("button.sv-next").is_visible():
        fill_screen(page, answers)
        screen += 1
        if shots is not None:
            page.screenshot(path=shots / f"{prefix}screen-{screen}.png", full_page=True)
        next_screen(page)
    expect(page.locator("section.sv-review")).to_be_visible()
