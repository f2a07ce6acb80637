"""Problems in a questionnaire file: a code and its parameters, never a sentence.

Each problem the loader finds is a :class:`Problem`: its path in the file
(``blocks[2].items[5].show_if.item``), a stable ``code`` and the values a sentence
about it needs. The sentences are the service's (Vietnamese, in the one catalogue
``app/core/messages.py``, keyed by these codes), so this pure package holds none.

Codes are those of :data:`CODES`, or a Pydantic error type (``missing``,
``extra_forbidden``, ``enum``, ...) for a part of the wrong shape: its parameters
are the error's context and ``field``, the last name of the path.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic_core import PydanticCustomError

CODES: dict[str, tuple[str, ...]] = {
    # Reading the file.
    "questionnaire_not_utf8": ("byte",),
    "questionnaire_bad_yaml": ("line", "column"),
    "questionnaire_bad_yaml_somewhere": (),
    "questionnaire_not_a_mapping": (),
    # One part of the file (checked by the schema).
    "questionnaire_options_needed": ("type",),
    "questionnaire_options_not_allowed": ("type",),
    "questionnaire_min_max_number_only": (),
    "questionnaire_min_above_max": (),
    "questionnaire_criterion_not_likert5": (),
    "questionnaire_allow_na_scale_only": (),
    "questionnaire_language_code": ("value",),
    "questionnaire_text_shape": (),
    "questionnaire_text_not_string": ("language",),
    "questionnaire_text_empty_in": ("language",),
    "questionnaire_text_no_default": ("language",),
    "questionnaire_text_empty": (),
    # Parts that relate to each other.
    "questionnaire_subindex_twice": ("code",),
    "questionnaire_half_unknown": ("half",),
    "questionnaire_option_code_twice": ("code",),
    "questionnaire_block_code_twice": ("code",),
    "questionnaire_item_code_twice": ("code",),
    "questionnaire_option_set_unknown": ("name",),
    "questionnaire_subindex_unknown": ("subindex",),
    "questionnaire_criterion_without_subindex": ("item",),
    "questionnaire_criterion_number_twice": ("number", "other"),
    "questionnaire_condition_on_itself": ("item",),
    "questionnaire_condition_on_later": ("target", "item"),
    "questionnaire_condition_on_unknown": ("target",),
    "questionnaire_condition_value": ("value", "target"),
    "questionnaire_subindex_without_criteria": ("code",),
    "questionnaire_default_language_unlisted": ("language",),
    "questionnaire_language_unlisted": ("language",),
}
"""The loader's own problem codes and the parameters each carries."""


@dataclass(frozen=True)
class Problem:
    """One problem in a questionnaire file: where it is, its code and parameters."""

    path: str
    code: str
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        """``blocks[0].items[1].code: questionnaire_item_code_twice (code=Q1)``, for logs
        and scripts; people read the catalogue's sentence instead."""
        given = ", ".join(f"{name}={value}" for name, value in self.params)
        text = f"{self.code} ({given})" if given else self.code
        return f"{self.path}: {text}" if self.path else text


def problem(path: str, code: str, /, **params: object) -> Problem:
    """A :class:`Problem` with its parameters as text."""
    return Problem(path, code, tuple((name, str(value)) for name, value in params.items()))


def refusal(code: str, /, **params: object) -> PydanticCustomError:
    """What a schema validator raises: Pydantic reports it with ``code`` as its type."""
    return PydanticCustomError(code, code, {name: str(v) for name, v in params.items()})
