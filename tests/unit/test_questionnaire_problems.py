"""Every problem a questionnaire file can have reads as a Vietnamese sentence: the loader's
own codes and the Pydantic error types of the schema, each rendered through the catalogue
with every parameter filled in and no English left."""

from __future__ import annotations

import re

import pytest

from app.core.messages import MESSAGES, message, parameters
from app.core.validation import sentence
from app.questionnaire.problems import describe, field, line
from questionnaires import Problem, QuestionnaireError, load_questionnaire
from questionnaires.problems import CODES
from tests.unit.test_messages import VIETNAMESE_LETTERS

BASE = """\
code: test
title: Phiếu
edition: "2024"
halves: [{code: service, name: Dịch vụ}]
subindices: [{code: E, name: Tiếp cận, half: service}]
option_sets:
  yes_no: [{code: "1", label: Có}, {code: "2", label: Không}]
blocks:
  - code: b
    kind: satisfaction
    title: Khối
    items:
      - {code: GATE, type: single_choice, text: Lọc, options: yes_no}
      - {code: S1, number: 1, type: likert5, subindex: E, text: Tiêu chí}
"""

SUBINDEX = "{code: E, name: Tiếp cận, half: service}"


def _item(extra: str) -> str:
    """The base form with one more item."""
    return BASE + f"      - {{{extra}}}\n"


CASES: list[tuple[str, str | bytes]] = [
    ("questionnaire_not_utf8", b"code: \xff\n"),
    ("questionnaire_bad_yaml", "code: x\n  title: y\n"),
    ("questionnaire_bad_yaml_somewhere", "code: \x07\n"),
    ("questionnaire_not_a_mapping", "- a\n"),
    ("questionnaire_options_needed", _item("code: Q, type: multiple_choice, text: Q")),
    ("questionnaire_options_not_allowed", _item("code: Q, type: text, text: Q, options: yes_no")),
    ("questionnaire_min_max_number_only", _item("code: Q, type: text, text: Q, min: 1")),
    ("questionnaire_min_above_max", _item("code: Q, type: number, text: Q, min: 5, max: 1")),
    ("questionnaire_criterion_not_likert5", _item("code: Q, type: text, text: Q, subindex: E")),
    ("questionnaire_allow_na_scale_only", _item("code: Q, type: text, text: Q, allow_na: true")),
    ("questionnaire_language_code", BASE.replace("code: test", "code: test\nlanguage: 'vi!'")),
    ("questionnaire_text_shape", BASE.replace("title: Phiếu", "title: [Phiếu]")),
    ("questionnaire_text_not_string", BASE.replace("title: Phiếu", "title: {vi: P, en: yes}")),
    ("questionnaire_text_empty_in", BASE.replace("title: Phiếu", "title: {vi: P, en: ''}")),
    ("questionnaire_text_no_default", BASE.replace("title: Phiếu", "title: {en: Form}")),
    ("questionnaire_text_empty", BASE.replace("title: Phiếu", "title: ''")),
    ("questionnaire_subindex_twice", BASE.replace(SUBINDEX, f"{SUBINDEX}, {SUBINDEX}")),
    ("questionnaire_half_unknown", BASE.replace("half: service", "half: policy")),
    ("questionnaire_option_code_twice", BASE.replace('code: "2", label: Không', 'code: "1"')),
    (
        "questionnaire_block_code_twice",
        BASE + "  - {code: b, title: B, items: [{code: X, type: text, text: X}]}\n",
    ),
    ("questionnaire_item_code_twice", _item("code: GATE, type: text, text: Q")),
    ("questionnaire_option_set_unknown", BASE.replace("options: yes_no", "options: sex")),
    ("questionnaire_subindex_unknown", BASE.replace("subindex: E", "subindex: Z")),
    ("questionnaire_criterion_without_subindex", _item("code: Q, type: likert5, text: Q")),
    (
        "questionnaire_criterion_number_twice",
        _item("code: Q, number: 1, type: likert5, subindex: E, text: Q"),
    ),
    (
        "questionnaire_condition_on_itself",
        _item("code: Q, type: text, text: Q, show_if: {item: Q, in: [1]}"),
    ),
    (
        "questionnaire_condition_on_later",
        _item("code: Q, type: text, text: Q, show_if: {item: LATE, in: [1]}")
        + "      - {code: LATE, type: text, text: L}\n",
    ),
    (
        "questionnaire_condition_on_unknown",
        _item("code: Q, type: text, text: Q, show_if: {item: NOPE, in: [1]}"),
    ),
    (
        "questionnaire_condition_value",
        _item("code: Q, type: text, text: Q, show_if: {item: GATE, in: ['3']}"),
    ),
    (
        "questionnaire_subindex_without_criteria",
        BASE.replace("subindex: E", "subindex: E2").replace(
            "half: service}]", "half: service}, {code: E2, name: Khác, half: service}]"
        ),
    ),
    (
        "questionnaire_default_language_unlisted",
        BASE.replace("code: test", "code: test\nlanguages: [en]"),
    ),
    (
        "questionnaire_language_unlisted",
        BASE.replace("code: test", "code: test\nlanguages: [vi]").replace(
            "title: Phiếu", "title: {vi: Phiếu, en: Form}"
        ),
    ),
    # Pydantic's own checks of each part's shape.
    ("missing", BASE.replace("title: Phiếu\n", "")),
    ("extra_forbidden", BASE.replace("code: test", "code: test\ncolour: red")),
    ("enum", BASE.replace("kind: satisfaction", "kind: happiness")),
    ("literal_error", BASE.replace("code: test", "code: test\nformat: 2")),
    ("string_type", BASE.replace('edition: "2024"', "edition: 2024")),
    ("string_too_short", BASE.replace('edition: "2024"', 'edition: ""')),
    ("bool_parsing", _item("code: Q, type: number, text: Q, integer: maybe")),
    ("int_parsing", _item("code: Q, type: text, text: Q, max_length: many")),
    ("int_from_float", _item("code: Q, type: text, text: Q, max_length: 2.5")),
    ("float_parsing", _item("code: Q, type: number, text: Q, min: low")),
    ("greater_than_equal", _item("code: Q, type: text, text: Q, max_length: 0")),
    ("less_than_equal", _item("code: Q, type: text, text: Q, max_length: 99999")),
    ("too_short", BASE + "  - {code: empty, title: Trống, items: []}\n"),
    ("too_long", BASE.replace("code: test", "code: test\nscales: {expectation3: [a, b, c, d]}")),
    ("list_type", BASE.replace("halves: [{code: service, name: Dịch vụ}]", "halves: 3")),
    ("dict_type", BASE.replace("option_sets:\n  yes_no:", "option_sets: 3\nunused:")),
    ("model_type", BASE.replace("code: test", "code: test\nscoring: 3")),
]
"""One broken file per code: the code it must produce."""

CASES_BY_CODE = dict(CASES)
PYDANTIC_TYPES = {code for code, _ in CASES if code not in CODES}

ENGLISH = re.compile(
    r"\b(the|is|are|should|must|required|input|field|valid|item|not|used|twice|defined)\b"
)


def _problems(text: str | bytes) -> list[Problem]:
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(text)
    return caught.value.problems


@pytest.mark.parametrize(("code", "text"), CASES, ids=[code for code, _ in CASES])
def test_each_problem_reads_as_a_vietnamese_sentence(code: str, text: str | bytes) -> None:
    found = _problems(text)
    assert code in {p.code for p in found}, found
    for problem in found:
        rendered = describe(problem)
        assert set(rendered.lower()) & VIETNAMESE_LETTERS, (problem, rendered)
        assert "{" not in rendered, rendered
        assert not ENGLISH.search(rendered.lower().replace("«", " ").replace("»", " ")), rendered
        assert line(problem) == (f"{problem.path}: {rendered}" if problem.path else rendered)
        assert field(problem) == {"path": problem.path, "code": problem.code, "message": rendered}
        if problem.code in MESSAGES:
            # every parameter the sentence names is one the problem carries
            assert parameters(problem.code) <= dict(problem.params).keys(), problem
            assert rendered == message(problem.code, **dict(problem.params))
        else:
            # a mapped Pydantic type, never the generic sentence
            assert rendered != message("input_invalid", field=dict(problem.params)["field"])


def test_every_code_has_a_case_and_a_sentence_with_its_parameters() -> None:
    assert set(CODES) <= {code for code, _ in CASES}
    for code, names in CODES.items():
        assert parameters(code) == set(names), code


def test_each_code_carries_the_parameters_it_declares() -> None:
    for code, text in CASES:
        if code in CODES:
            carried = {frozenset(dict(p.params)) for p in _problems(text) if p.code == code}
            assert carried == {frozenset(CODES[code])}, code


def test_a_pydantic_type_keeps_its_path_and_names_its_field() -> None:
    (found,) = _problems(_item("code: Q, type: likert7, text: Q"))
    assert found.path == "blocks[0].items[2].type"
    assert describe(found) == (
        "Trường «type» phải là một trong các giá trị: 'likert5', 'single_choice', "
        "'multiple_choice', 'expectation3', 'number' hoặc 'text'."
    )
    assert {"missing", "extra_forbidden", "enum", "string_type"} <= PYDANTIC_TYPES


def test_a_length_is_counted_in_characters_for_a_text_and_in_entries_for_a_list() -> None:
    (code,) = _problems(BASE.replace("code: test", "code: " + "t" * 65))
    assert describe(code) == "Trường «code» dài quá 64 ký tự."
    (scale,) = _problems(CASES_BY_CODE["too_long"])
    assert describe(scale) == "Trường «expectation3» có nhiều nhất 3 phần tử."


def test_an_unmapped_pydantic_type_still_names_its_field() -> None:
    assert sentence("some_future_type", {"field": "edition"}) == message(
        "input_invalid", field="edition"
    )
