"""A questionnaire as the pages render it: blocks, items and their answer options.

One renderer (``templates/form.html``, ``static/js/form.js``) serves the
surveyors' interview and the citizens' personal link; paper data entry shows the
same items in a keyed layout. Skip logic travels with each item as its
``show_if`` conditions, evaluated in the browser exactly as
:func:`questionnaires.answers.is_visible` evaluates them on the server.

A form offered in several languages is rendered in its default language
(Vietnamese, the authority) with every text keyed (``data-t``), and carries the
texts of each offered language (:func:`form_texts`) so that ``form.js`` switches
the language in the browser, offline too, without touching the answers: those
are option codes whatever the language (``questionnaires/FORMAT.md``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from questionnaires import Item, ItemType, Label, Questionnaire, language_name
from questionnaires.schema import NOT_APPLICABLE, SCALE_TYPES, Option


class OptionView(BaseModel):
    code: str
    label: str


class ItemView(BaseModel):
    code: str
    type: str
    text: str
    help: str | None
    required: bool
    options: list[OptionView]
    show_if: list[dict[str, Any]]
    number: int | None
    min: float | None
    max: float | None
    integer: bool
    max_length: int
    max_selected: int | None

    @property
    def is_choice(self) -> bool:
        return self.type != ItemType.NUMBER and self.type != ItemType.TEXT

    @property
    def is_multiple(self) -> bool:
        return self.type == ItemType.MULTIPLE_CHOICE


class BlockView(BaseModel):
    code: str
    title: str
    intro: str | None
    items: list[ItemView]


class LanguageView(BaseModel):
    code: str
    name: str
    """The language's name for itself (English, ភាសាខ្មែរ), as the switcher shows it."""


class FormView(BaseModel):
    code: str
    title: str
    blocks: list[BlockView]
    language: str
    """The default language, in which the page is rendered."""
    languages: list[LanguageView]
    texts: dict[str, dict[str, str]]
    """Per other offered language, the texts written for it by key (:func:`form_texts`)."""


def _options(form: Questionnaire, item: Item) -> list[Option]:
    options = form.options_of(item)
    if item.type in SCALE_TYPES and item.allow_na:
        options.append(Option(code=NOT_APPLICABLE, label=form.scales.not_applicable))
    return options


def _keyed_labels(form: Questionnaire) -> Iterator[tuple[str, Label]]:
    """Every text the form shows, by the key ``form.html`` puts on its element."""
    yield "title", form.title
    for block in form.blocks:
        yield f"b:{block.code}.title", block.title
        if block.intro:
            yield f"b:{block.code}.intro", block.intro
        for item in block.items:
            yield f"i:{item.code}.text", item.text
            if item.help:
                yield f"i:{item.code}.help", item.help
            for option in _options(form, item):
                yield f"o:{item.code}:{option.code}", option.label


def form_texts(form: Questionnaire) -> dict[str, dict[str, str]]:
    """``{language: {key: text}}`` for every offered language but the default one, in
    which the page is rendered: only what is translated (the browser shows the
    default text, marked as such, for the rest)."""
    labels = list(_keyed_labels(form))
    texts: dict[str, dict[str, str]] = {}
    for language in form.offered_languages()[1:]:
        written = ((key, label.translated(language)) for key, label in labels)
        texts[language] = {key: text for key, text in written if text is not None}
    return texts


def _item(form: Questionnaire, item: Item) -> ItemView:
    options = [OptionView(code=o.code, label=o.label) for o in _options(form, item)]
    return ItemView(
        code=item.code,
        type=item.type.value,
        text=item.text,
        help=item.help,
        required=item.is_required,
        options=options,
        show_if=[{"item": c.item, "in": list(c.values)} for c in item.conditions],
        number=item.number,
        min=item.min,
        max=item.max,
        integer=item.integer,
        max_length=item.max_length,
        max_selected=item.max_selected,
    )


def form_view(form: Questionnaire) -> FormView:
    languages = form.offered_languages()
    return FormView(
        code=form.code,
        title=form.title,
        language=form.language,
        languages=[LanguageView(code=code, name=language_name(code)) for code in languages],
        texts=form_texts(form) if len(languages) > 1 else {},
        blocks=[
            BlockView(
                code=block.code,
                title=block.title,
                intro=block.intro,
                items=[_item(form, item) for item in block.items],
            )
            for block in form.blocks
        ],
    )
