"""Vietnamese sentences for pydantic's validation errors, through the catalogue.

Request bodies, query parameters and uploaded rows are checked by pydantic, whose
messages are English. Each error type maps to a catalogue code; the sentence names
the field's path. A custom validator raises ``PydanticCustomError(code, ...)``
with a catalogue code as its type. Unmapped types get a generic sentence that
still names the field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.core.messages import MESSAGES, message

_CODES = {
    "missing": "input_missing",
    "string_type": "input_text",
    "string_too_short": "input_too_short",
    "string_too_long": "input_too_long",
    "string_pattern_mismatch": "input_pattern",
    "int_parsing": "input_integer",
    "int_type": "input_integer",
    "int_from_float": "input_integer",
    "float_parsing": "input_number",
    "float_type": "input_number",
    "finite_number": "input_number",
    "decimal_parsing": "input_number",
    "bool_parsing": "input_boolean",
    "bool_type": "input_boolean",
    "literal_error": "input_choice",
    "enum": "input_choice",
    "uuid_parsing": "input_uuid",
    "uuid_type": "input_uuid",
    "date_parsing": "input_date",
    "date_from_datetime_parsing": "input_date",
    "date_from_datetime_inexact": "input_date",
    "date_type": "input_date",
    "datetime_parsing": "input_datetime",
    "datetime_from_date_parsing": "input_datetime",
    "datetime_type": "input_datetime",
    "greater_than": "input_greater_than",
    "greater_than_equal": "input_at_least",
    "less_than": "input_less_than",
    "less_than_equal": "input_at_most",
    "too_short": "input_few_items",
    "too_long": "input_many_items",
    "list_type": "input_list",
    "dict_type": "input_object",
    "model_type": "input_object",
    "model_attributes_type": "input_object",
    "extra_forbidden": "input_extra",
    "json_invalid": "input_json",
    "value_error": "input_invalid",
}
"""Pydantic error type → catalogue code."""

_ITEM_COUNTS = {"input_few_items": "input_too_short", "input_many_items": "input_too_long"}


def path(loc: Sequence[int | str]) -> str:
    """``body.answers.A1``: where in the request (or row) the problem is."""
    return ".".join(str(part) for part in loc)


def field_message(error: Mapping[str, Any], where: str | None = None) -> str:
    """The Vietnamese sentence for one pydantic error (an item of ``exc.errors()``)."""
    field = where if where is not None else path(error["loc"])
    return sentence(str(error["type"]), {"field": field, **(error.get("ctx") or {})})


def sentence(kind: str, params: Mapping[str, object]) -> str:
    """The sentence for a catalogue code or a pydantic error type, such as a problem a
    pure package reports; ``params`` name the ``field`` and carry the error's context."""
    code = _CODES.get(kind, kind if kind in MESSAGES else "input_invalid")
    if code in _ITEM_COUNTS and params.get("field_type") == "Value":
        code = _ITEM_COUNTS[code]  # a length constraint on a text: characters, not items
    filled = {
        name: str(value).replace(" or ", " hoặc ") if name == "expected" else value
        for name, value in params.items()
    }
    try:
        return message(code, **filled)
    except KeyError:  # the sentence wants a value this error did not carry
        return message("input_invalid", field=params.get("field", ""))
