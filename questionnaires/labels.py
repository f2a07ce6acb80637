"""Text shown to respondents, in the form's default language and its translations.

Every text of a questionnaire that a respondent reads (titles, questions, hints,
option and scale labels, names of halves and sub-indices) is a :class:`Label`.
In the file it is either a plain string, written in the form's default
``language`` (``vi`` unless the file says otherwise), or a mapping from
BCP-47 language tags to the text in that language::

    text: {vi: Ông/bà có hài lòng không?, en: Are you satisfied?, km: ...}

A :class:`Label` *is* its default-language text (a ``str``), so everything that
prints a label without asking for a language prints the authoritative
Vietnamese wording; :meth:`Label.in_language` gives a translation and falls back
to the default text where one is missing. Answers never depend on labels: they
are stored by item and option code (``questionnaires/FORMAT.md``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, ValidationInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from questionnaires.problems import refusal

DEFAULT_LANGUAGE = "vi"
"""Language of plain-string labels when a file does not set ``language``."""

LANGUAGE_CONTEXT = "language"
"""Validation-context key carrying the default language of the form being read."""

_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

LANGUAGE_NAMES: Mapping[str, str] = {
    "vi": "Tiếng Việt",
    "en": "English",
    "km": "ភាសាខ្មែរ",
    "zh": "中文",
    "lo": "ພາສາລາວ",
    "th": "ภาษาไทย",
    "fr": "Français",
}
"""Each language's own name for itself, as a language switcher shows it."""


def is_language_tag(value: object) -> bool:
    """Whether ``value`` is shaped like a BCP-47 tag (``vi``, ``en``, ``km``, ``en-GB``)."""
    return isinstance(value, str) and _TAG.fullmatch(value) is not None


def language_name(tag: str) -> str:
    """The name of a language in that language, or its tag when it is not known."""
    return LANGUAGE_NAMES.get(tag) or LANGUAGE_NAMES.get(tag.split("-")[0]) or tag


class Label(str):
    """A text in the form's default language, with its translations.

    ``str(label)`` and every string operation use the default-language text;
    ``translations`` holds the other languages exactly as written in the file.
    """

    language: str
    translations: Mapping[str, str]

    def __new__(
        cls,
        text: str,
        language: str = DEFAULT_LANGUAGE,
        translations: Mapping[str, str] | None = None,
    ) -> Label:
        label = super().__new__(cls, text)
        label.language = language
        label.translations = {k: v for k, v in (translations or {}).items() if k != language}
        return label

    def __reduce__(self) -> tuple[Any, ...]:
        return (Label, (str(self), self.language, dict(self.translations)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Label):
            return str.__eq__(self, other) and self.translations == other.translations
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__

    def translated(self, language: str) -> str | None:
        """The text written for ``language`` (``en-GB`` is served by ``en``), or None:
        no fallback to the default language."""
        if language == self.language:
            return str(self)
        found = self.translations.get(language)
        return found if found is not None else self.translations.get(language.split("-")[0])

    def in_language(self, language: str | None) -> str:
        """The text in ``language``; a missing translation falls back to the
        default-language text."""
        found = self.translated(language) if language else None
        return found if found is not None else str(self)

    def as_data(self) -> str | dict[str, str]:
        """The label as a questionnaire file writes it."""
        if not self.translations:
            return str(self)
        return {self.language: str(self), **self.translations}

    @classmethod
    def parse(cls, value: Any, language: str = DEFAULT_LANGUAGE) -> Label:
        """Read a label from a file: a string, or a mapping from language tags to text
        that must include ``language``, the form's default language."""
        if isinstance(value, Label):
            return value
        if isinstance(value, str):
            return cls(value, language)
        if not isinstance(value, Mapping):
            raise refusal("questionnaire_text_shape")
        texts: dict[str, str] = {}
        for tag, text in value.items():
            if not is_language_tag(tag):
                raise refusal("questionnaire_language_code", value=tag)
            if not isinstance(text, str):
                raise refusal("questionnaire_text_not_string", language=tag)
            if not text:
                raise refusal("questionnaire_text_empty_in", language=tag)
            texts[tag] = text
        if language not in texts:
            raise refusal("questionnaire_text_no_default", language=language)
        return cls(texts[language], language, texts)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.with_info_plain_validator_function(
            _validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda label: label.as_data() if isinstance(label, Label) else label
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
            ]
        }


def require_text(label: Label) -> Label:
    """For texts a form cannot do without (titles, questions, option labels)."""
    if not label:
        raise refusal("questionnaire_text_empty")
    return label


def _validate(value: Any, info: ValidationInfo) -> Label:
    context = info.context if isinstance(info.context, Mapping) else {}
    return Label.parse(value, context.get(LANGUAGE_CONTEXT) or DEFAULT_LANGUAGE)
