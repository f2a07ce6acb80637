"""Driving the questionnaire form like a person would: click, type, next."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

VISIBLE_ITEMS = "section.sv-block:not([hidden]) fieldset.sv-item:not([hidden])"


def answer_item(page: Page, code: str, value: Any) -> None:
    item = page.locator(f'fieldset.sv-item[data-code="{code}"]')
    kind = item.get_attribute("data-type")
    if kind == "multiple_choice":
        for option in value:
            item.locator(f'input[value="{option}"]').check()
    elif kind in ("number", "text"):
        item.locator(".sv-input").fill(str(value))
    else:
        item.locator(f'input[value="{value}"]').check()


def _default(page: Page, code: str, kind: str) -> Any:
    if kind == "likert5":
        return 4
    if kind == "expectation3":
        return 2
    if kind == "number":
        return 35
    first = page.locator(f'fieldset.sv-item[data-code="{code}"] input').first.get_attribute("value")
    return [first] if kind == "multiple_choice" else first


def fill_screen(page: Page, answers: dict[str, Any] | None = None) -> list[str]:
    """Answer every visible item of the current screen (items shown by an answer
    included); ``answers`` overrides the default choice. Returns the codes answered."""
    answers = answers or {}
    done: list[str] = []
    while True:
        shown = page.eval_on_selector_all(
            VISIBLE_ITEMS,
            "els => els.map(e => [e.dataset.code, e.dataset.type, e.dataset.required])",
        )
        todo = [(code, kind, req) for code, kind, req in shown if code not in done]
        if not todo:
            return done
        code, kind, required = todo[0]
        done.append(code)
        if code in answers:
            answer_item(page, code, answers[code])
        elif required == "1":
            answer_item(page, code, _default(page, code, kind))


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
