"""Pydantic schema of a questionnaire file (phiếu khảo sát) in format 1.

The format is documented in ``questionnaires/FORMAT.md``. A questionnaire is
data, never code: the satisfaction criteria (tiêu chí), their grouping into
sub-indices (chỉ số thành phần) and halves, and the scoring rule all live in
the file, so that a new edition of the Ministry's form (SIPAS methodology,
spec §2) is a new file, not a code change.

Structural rules are enforced here; rules that relate several parts of a file
(unique codes, conditions on earlier items, ...) live in
:mod:`questionnaires.loader` so that every problem is reported at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from questionnaires.labels import DEFAULT_LANGUAGE, Label, is_language_tag, require_text
from questionnaires.problems import refusal


def _to_code(value: Any) -> Any:
    """Accept ``1`` and ``"1"`` alike for codes written in YAML."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    return value


Code = Annotated[str, BeforeValidator(_to_code), Field(min_length=1, max_length=64)]
ConditionValue = Annotated[str, BeforeValidator(_to_code)]
Text = Annotated[Label, AfterValidator(require_text)]
"""A text a form cannot do without; like every :class:`Label` it may be translated."""


def _check_language_tag(value: str) -> str:
    if not is_language_tag(value):
        raise refusal("questionnaire_language_code", value=value)
    return value


LanguageTag = Annotated[str, AfterValidator(_check_language_tag)]


class ItemType(StrEnum):
    """The kinds of question a form can ask."""

    LIKERT5 = "likert5"
    """Five-point satisfaction scale, answered 1–5 (Rất không hài lòng … Rất hài lòng)."""
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    EXPECTATION3 = "expectation3"
    """Three-level expectation scale, answered 1 Rất nhiều, 2 Nhiều, 3 Ít."""
    NUMBER = "number"
    TEXT = "text"


SCALE_TYPES = frozenset({ItemType.LIKERT5, ItemType.EXPECTATION3})
CHOICE_TYPES = frozenset({ItemType.SINGLE_CHOICE, ItemType.MULTIPLE_CHOICE})
NOT_APPLICABLE = "na"
"""Answer value for "không áp dụng / không biết" on items with ``allow_na``."""


class ScoringRule(StrEnum):
    """How answers to a criterion become its rate (spec §3)."""

    TOP_TWO_BOX = "top_two_box"
    """Share of valid answers that are 4 or 5, × 100 (the Ministry's "% hài lòng")."""
    MEAN_RESCALED = "mean_rescaled"
    """Mean answer rescaled from 1–5 to 0–100: (mean − 1) / 4 × 100."""


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Option(StrictModel):
    code: Code
    label: Text


class Condition(StrictModel):
    """Show an item only when an earlier item's answer is one of ``values``.

    For a multiple-choice item the condition holds when any selected option is
    in ``values``.
    """

    item: Code
    values: list[ConditionValue] = Field(alias="in", min_length=1)


class Scales(StrictModel):
    """Labels of the fixed scales; codes are 1..5 and 1..3."""

    likert5: list[Label] = Field(
        default=[
            Label("Rất không hài lòng"),
            Label("Không hài lòng"),
            Label("Bình thường"),
            Label("Hài lòng"),
            Label("Rất hài lòng"),
        ],
        min_length=5,
        max_length=5,
    )
    expectation3: list[Label] = Field(
        default=[Label("Rất nhiều"), Label("Nhiều"), Label("Ít")], min_length=3, max_length=3
    )
    not_applicable: Label = Label("Không áp dụng / Không biết")


class Item(StrictModel):
    code: Code
    type: ItemType
    text: Text
    help: Label | None = None
    required: bool | None = None
    """Defaults to true for every type but ``text``."""
    options: list[Option] | str | None = None
    """Choice items: the options, or the name of an entry of ``option_sets``."""
    subindex: Code | None = None
    """Makes a likert5 item a criterion of this sub-index."""
    number: int | None = Field(default=None, ge=1)
    """The criterion's number as printed on the form (1–39 in the 2024 edition)."""
    allow_na: bool = False
    show_if: Condition | list[Condition] | None = None
    min: float | None = None
    max: float | None = None
    integer: bool = False
    max_length: int = Field(default=2000, ge=1, le=20000)
    max_selected: int | None = Field(default=None, ge=1)

    @property
    def is_required(self) -> bool:
        return self.required if self.required is not None else self.type is not ItemType.TEXT

    @property
    def conditions(self) -> tuple[Condition, ...]:
        if self.show_if is None:
            return ()
        if isinstance(self.show_if, Condition):
            return (self.show_if,)
        return tuple(self.show_if)

    @property
    def is_criterion(self) -> bool:
        return self.subindex is not None

    @model_validator(mode="after")
    def _check_type_fields(self) -> Item:
        if self.type in CHOICE_TYPES and self.options is None:
            raise refusal("questionnaire_options_needed", type=self.type.value)
        if self.type not in CHOICE_TYPES and self.options is not None:
            raise refusal("questionnaire_options_not_allowed", type=self.type.value)
        if self.type is not ItemType.NUMBER and (self.min is not None or self.max is not None):
            raise refusal("questionnaire_min_max_number_only")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise refusal("questionnaire_min_above_max")
        if self.subindex is not None and self.type is not ItemType.LIKERT5:
            raise refusal("questionnaire_criterion_not_likert5")
        if self.allow_na and self.type not in SCALE_TYPES:
            raise refusal("questionnaire_allow_na_scale_only")
        return self


class BlockKind(StrEnum):
    PERCEPTION = "perception"
    SATISFACTION = "satisfaction"
    EXPECTATIONS = "expectations"
    PROFILE = "profile"
    OTHER = "other"


class Block(StrictModel):
    code: Code
    kind: BlockKind = BlockKind.OTHER
    title: Text
    intro: Label | None = None
    items: list[Item] = Field(min_length=1)


class Half(StrictModel):
    """One of the two halves of SIPAS: policy (A–D) or public service (E–K)."""

    code: Code
    name: Text


class SubIndex(StrictModel):
    code: Code
    name: Text
    half: Code


class Scoring(StrictModel):
    rule: ScoringRule = ScoringRule.TOP_TWO_BOX


class Questionnaire(StrictModel):
    """A whole questionnaire file. Use :func:`questionnaires.load_questionnaire` to build one."""

    format: Literal[1] = 1
    code: Code
    title: Text
    edition: str = Field(min_length=1)
    description: str | None = None
    language: LanguageTag = DEFAULT_LANGUAGE
    """The language of plain-string texts and the fallback for missing translations."""
    languages: list[LanguageTag] | None = None
    """The languages the form offers; when absent, those its texts are written in."""
    scoring: Scoring = Scoring()
    scales: Scales = Scales()
    option_sets: dict[str, list[Option]] = Field(default_factory=dict)
    halves: list[Half] = Field(default_factory=list)
    subindices: list[SubIndex] = Field(default_factory=list)
    blocks: list[Block] = Field(min_length=1)

    def items(self) -> list[Item]:
        """Every item in form order."""
        return [item for block in self.blocks for item in block.items]

    def item_map(self) -> dict[str, Item]:
        return {item.code: item for item in self.items()}

    def criteria(self) -> list[Item]:
        """The satisfaction criteria (likert5 items with a sub-index) in form order."""
        return [item for item in self.items() if item.is_criterion]

    def criteria_by_subindex(self) -> dict[str, list[Item]]:
        grouped: dict[str, list[Item]] = {s.code: [] for s in self.subindices}
        for item in self.criteria():
            assert item.subindex is not None
            grouped.setdefault(item.subindex, []).append(item)
        return grouped

    def options_of(self, item: Item) -> list[Option]:
        """The answer options of an item, resolving option-set names and fixed scales."""
        if item.type is ItemType.LIKERT5:
            labels = self.scales.likert5
        elif item.type is ItemType.EXPECTATION3:
            labels = self.scales.expectation3
        elif isinstance(item.options, str):
            return list(self.option_sets[item.options])
        else:
            return list(item.options or [])
        return [Option(code=str(i), label=label) for i, label in enumerate(labels, start=1)]

    def labels(self) -> Iterator[tuple[str, Label]]:
        """Every text of the form with its path in the file (``blocks[0].items[2].text``)."""
        return _labels(self, "")

    def offered_languages(self) -> list[str]:
        """The languages the form offers, its default language first: the ``languages``
        list when the file has one, else every language its texts are written in."""
        offered = dict.fromkeys([self.language])
        if self.languages is not None:
            offered.update(dict.fromkeys(self.languages))
        else:
            for _, label in self.labels():
                offered.update(dict.fromkeys(label.translations))
        return list(offered)

    def choose_language(self, wanted: str | None) -> str:
        """The offered language closest to ``wanted`` (``en-GB`` gives ``en``), else
        the default language."""
        offered = self.offered_languages()
        for candidate in (wanted, (wanted or "").split("-")[0]):
            if candidate in offered:
                return candidate
        return self.language

    def localized(self, language: str | None) -> Questionnaire:
        """A copy of the form whose every text is in the offered language closest to
        ``language``, the default-language text standing in for a missing translation."""
        chosen = self.choose_language(language)
        copy = _localize(self, chosen)
        assert isinstance(copy, Questionnaire)
        return copy.model_copy(update={"language": chosen, "languages": None})


def _labels(value: Any, path: str) -> Iterator[tuple[str, Label]]:
    if isinstance(value, Label):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            key = field.alias or name
            yield from _labels(getattr(value, name), f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, element in enumerate(value):
            yield from _labels(element, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, element in value.items():
            yield from _labels(element, f"{path}.{key}")


def _localize(value: Any, language: str) -> Any:
    if isinstance(value, Label):
        return Label(value.in_language(language), language)
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return value.model_copy(update={n: _localize(getattr(value, n), language) for n in fields})
    if isinstance(value, list):
        return [_localize(element, language) for element in value]
    if isinstance(value, dict):
        return {key: _localize(element, language) for key, element in value.items()}
    return value
