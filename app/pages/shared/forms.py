"""A questionnaire as the pages render it: blocks, items and their answer options.

One renderer (``templates/form.html``, ``static/js/form.js``) serves the
surveyors' interview and the citizens' personal link; paper data entry shows the
same items in a keyed layout. Skip logic travels with each item as its
``show_if`` conditions, evaluated in the browser exactly as
:func:`questionnaires.answers.is_visible` evaluates them on the server.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from questionnaires import Item, ItemType, Questionnaire
from questionnaires.schema import NOT_APPLICABLE, SCALE_TYPES


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


class FormView(BaseModel):
    code: str
    title: str
    blocks: list[BlockView]


def _item(form: Questionnaire, item: Item) -> ItemView:
    options = [OptionView(code=o.code, label=o.label) for o in form.options_of(item)]
    if item.type in SCALE_TYPES and item.allow_na:
        options.append(OptionView(code=NOT_APPLICABLE, label=form.scales.not_applicable))
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
    return FormView(
        code=form.code,
        title=form.title,
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
