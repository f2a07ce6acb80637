"""``check_answers``: what a response may contain, and its canonical form."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from questionnaires import (
    AnswerCheck,
    Questionnaire,
    bundled_path,
    check_answers,
    load_questionnaire,
    load_questionnaire_file,
    visible_items,
)
from questionnaires.schema import ItemType

FORM = """\
code: answers-test
title: Phiếu thử câu trả lời
edition: "2024"
halves:
  - {code: service, name: Việc cung ứng dịch vụ hành chính công}
subindices:
  - {code: E, name: Tiếp cận dịch vụ, half: service}
option_sets:
  yes_no:
    - {code: "1", label: Có}
    - {code: "2", label: Không}
blocks:
  - code: intro
    kind: perception
    title: Nhận định
    items:
      - code: USED
        type: single_choice
        text: Ông/bà đã đến Bộ phận Một cửa chưa?
        options: yes_no
      - code: CHANNELS
        type: multiple_choice
        text: Kênh thông tin ông/bà đã dùng
        max_selected: 2
        required: false
        options:
          - {code: "1", label: Loa phát thanh xã}
          - {code: "2", label: "Người thân, bạn bè"}
          - {code: "3", label: Mạng internet}
      - code: VIA_WEB
        type: single_choice
        text: Kênh mạng internet có phù hợp không?
        options: yes_no
        show_if: {item: CHANNELS, in: ["3"]}
      - {code: AGE, type: number, text: Tuổi, min: 18, max: 100, integer: true}
      - {code: INCOME, type: number, text: Thu nhập (triệu đồng), min: 0, required: false}
  - code: service
    kind: satisfaction
    title: Mức độ hài lòng
    items:
      - code: S1
        type: likert5
        subindex: E
        allow_na: true
        text: Bộ phận Một cửa dễ tìm, dễ thấy.
        show_if: {item: USED, in: ["1"]}
      - code: S2
        type: likert5
        subindex: E
        text: Bộ phận Một cửa có đủ ghế ngồi chờ.
        show_if: {item: USED, in: ["1"]}
      - code: PAKN
        type: single_choice
        text: Ông/bà đã phản ánh, kiến nghị chưa?
        options: yes_no
        show_if: {item: USED, in: ["1"]}
      - code: S3
        type: likert5
        subindex: E
        text: Phản ánh, kiến nghị được xử lý đúng quy định.
        show_if: {item: PAKN, in: ["1"]}
  - code: expectations
    kind: expectations
    title: Mong đợi
    items:
      - {code: X1, type: expectation3, text: Nâng cao thái độ phục vụ.}
      - {code: X2, type: expectation3, text: Ứng dụng công nghệ thông tin., allow_na: true}
      - {code: NOTE, type: text, text: Ý kiến khác, max_length: 10}
"""


@pytest.fixture(scope="module")
def form() -> Questionnaire:
    return load_questionnaire(FORM)


@pytest.fixture(scope="module")
def national() -> Questionnaire:
    return load_questionnaire_file(bundled_path("national-2024"))


def valid_answers(**changes: Any) -> dict[str, Any]:
    """A complete, valid response to FORM, with ``changes`` applied (None removes)."""
    answers: dict[str, Any] = {
        "USED": "1",
        "CHANNELS": ["3", "1"],
        "VIA_WEB": "1",
        "AGE": 34,
        "INCOME": 7.5,
        "S1": 4,
        "S2": 5,
        "PAKN": "1",
        "S3": 3,
        "X1": 1,
        "X2": 2,
        "NOTE": "Tốt",
    }
    for code, value in changes.items():
        if value is None:
            answers.pop(code, None)
        else:
            answers[code] = value
    return answers


def codes(check: AnswerCheck) -> list[tuple[str, str]]:
    return [(p.item, p.code) for p in check.problems]


# ------------------------------------------------------------------- accepted answers


def test_valid_complete_response_is_accepted_and_canonicalised(form: Questionnaire) -> None:
    decomposed = unicodedata.normalize("NFD", "Rất tốt")
    check = check_answers(
        form,
        valid_answers(USED=1, CHANNELS=[3, "1"], AGE=34.0, NOTE=f"  {decomposed} "),
    )
    assert check.ok, check.problems
    assert check.answers == {
        "USED": "1",
        "CHANNELS": ["1", "3"],  # option order, strings
        "VIA_WEB": "1",
        "AGE": 34,
        "INCOME": 7.5,
        "S1": 4,
        "S2": 5,
        "PAKN": "1",
        "S3": 3,
        "X1": 1,
        "X2": 2,
        "NOTE": unicodedata.normalize("NFC", "Rất tốt"),
    }
    assert isinstance(check.answers["AGE"], int)
    assert check.visible == frozenset(item.code for item in form.items())


def test_unanswered_optional_items_are_left_out(form: Questionnaire) -> None:
    check = check_answers(form, valid_answers(CHANNELS=[], VIA_WEB=None, INCOME=None, NOTE=""))
    assert check.ok, check.problems
    assert not {"CHANNELS", "VIA_WEB", "INCOME", "NOTE"} & check.answers.keys()
    assert "VIA_WEB" not in check.visible  # its condition is on an unanswered item


@pytest.mark.parametrize("blank", [None, "", "   ", []])
def test_blank_values_mean_unanswered(form: Questionnaire, blank: Any) -> None:
    check = check_answers(form, valid_answers(NOTE=blank) | {"NOTE": blank})
    assert check.ok, check.problems
    assert "NOTE" not in check.answers


def test_na_only_where_allowed(form: Questionnaire) -> None:
    check = check_answers(form, valid_answers(S1="na", X2="na"))
    assert check.ok, check.problems
    assert (check.answers["S1"], check.answers["X2"]) == ("na", "na")

    check = check_answers(form, valid_answers(S2="na", X1="na"))
    assert codes(check) == [("S2", "wrong_type"), ("X1", "wrong_type")]


# ------------------------------------------------------------------- refused answers


def test_unknown_item(form: Questionnaire) -> None:
    check = check_answers(form, valid_answers(S99=4))
    assert codes(check) == [("S99", "unknown_item")]
    assert "S99" not in check.answers


@pytest.mark.parametrize(
    ("item", "value"),
    [
        pytest.param("S1", "4", id="string-for-likert"),
        pytest.param("S1", True, id="bool-for-likert"),
        pytest.param("S1", 4.0, id="float-for-likert"),
        pytest.param("X1", "1", id="string-for-expectation"),
        pytest.param("USED", ["1"], id="list-for-single-choice"),
        pytest.param("USED", True, id="bool-for-single-choice"),
        pytest.param("USED", {"code": "1"}, id="mapping-for-single-choice"),
        pytest.param("CHANNELS", "1", id="string-for-multiple-choice"),
        pytest.param("CHANNELS", ["1", False], id="bool-in-multiple-choice"),
        pytest.param("AGE", "34", id="string-for-number"),
        pytest.param("AGE", True, id="bool-for-number"),
        pytest.param("NOTE", 5, id="number-for-text"),
    ],
)
def test_wrong_type(form: Questionnaire, item: str, value: Any) -> None:
    check = check_answers(form, valid_answers(**{item: value}))
    assert (item, "wrong_type") in codes(check)
    assert item not in check.answers


@pytest.mark.parametrize(
    ("item", "value"),
    [
        pytest.param("USED", "3", id="single-choice"),
        pytest.param("USED", 9, id="single-choice-int"),
        pytest.param("CHANNELS", ["1", "9"], id="multiple-choice"),
        pytest.param("S1", 0, id="likert-0"),
        pytest.param("S1", 6, id="likert-6"),
        pytest.param("X1", 4, id="expectation-4"),
    ],
)
def test_option_not_in_list(form: Questionnaire, item: str, value: Any) -> None:
    check = check_answers(form, valid_answers(**{item: value}))
    assert (item, "option_not_in_list") in codes(check)


def test_missing_required_item(form: Questionnaire) -> None:
    check = check_answers(form, valid_answers(S2=None, X1=None, AGE=None))
    assert codes(check) == [
        ("AGE", "missing_required"),
        ("S2", "missing_required"),
        ("X1", "missing_required"),
    ]


def test_required_applies_only_while_shown(form: Questionnaire) -> None:
    answers = valid_answers(USED="2", S1=None, S2=None, PAKN=None, S3=None)
    check = check_answers(form, answers)
    assert check.ok, check.problems
    assert not {"S1", "S2", "PAKN", "S3"} & check.visible


def test_answer_to_hidden_item(form: Questionnaire) -> None:
    check = check_answers(form, valid_answers(USED="2", S2=None, PAKN=None, S3=None))
    assert codes(check) == [("S1", "hidden_item")]
    assert "S1" not in check.answers


def test_hidden_items_cascade(form: Questionnaire) -> None:
    # S3 depends on PAKN, which depends on USED: with USED = "2" both are hidden.
    check = check_answers(form, valid_answers(USED="2", S1=None, S2=None, PAKN=None))
    assert codes(check) == [("S3", "hidden_item")]
    # PAKN shown but answered "2": S3 hidden.
    check = check_answers(form, valid_answers(PAKN="2"))
    assert codes(check) == [("S3", "hidden_item")]
    # an invalid answer to the gate does not show what depends on it
    check = check_answers(form, valid_answers(USED="7", S1=None, S2=None, PAKN=None, S3=None))
    assert codes(check) == [("USED", "option_not_in_list")]
    assert visible_items(form, check.answers) == check.visible


def test_condition_on_multiple_choice(form: Questionnaire) -> None:
    check = check_answers(form, valid_answers(CHANNELS=["1", "2"], VIA_WEB=None))
    assert check.ok, check.problems
    assert "VIA_WEB" not in check.visible
    check = check_answers(form, valid_answers(CHANNELS=["1", "2"]))
    assert codes(check) == [("VIA_WEB", "hidden_item")]
    check = check_answers(form, valid_answers(CHANNELS=["3"], VIA_WEB=None))
    assert codes(check) == [("VIA_WEB", "missing_required")]


def test_multiple_choice_duplicates_and_max_selected(form: Questionnaire) -> None:
    check = check_answers(form, valid_answers(CHANNELS=["1", "1"], VIA_WEB=None))
    assert codes(check) == [("CHANNELS", "wrong_type")]
    check = check_answers(form, valid_answers(CHANNELS=["1", 1], VIA_WEB=None))
    assert codes(check) == [("CHANNELS", "wrong_type")]
    check = check_answers(form, valid_answers(CHANNELS=["1", "2", "3"]))
    assert ("CHANNELS", "out_of_range") in codes(check)


@pytest.mark.parametrize(
    ("item", "value", "problem"),
    [
        pytest.param("AGE", 17, "out_of_range", id="below-min"),
        pytest.param("AGE", 101, "out_of_range", id="above-max"),
        pytest.param("AGE", 34.5, "wrong_type", id="not-whole"),
        pytest.param("INCOME", -0.5, "out_of_range", id="negative"),
        pytest.param("INCOME", float("nan"), "wrong_type", id="nan"),
        pytest.param("INCOME", float("inf"), "wrong_type", id="infinite"),
    ],
)
def test_number_limits(form: Questionnaire, item: str, value: Any, problem: str) -> None:
    check = check_answers(form, valid_answers(**{item: value}))
    assert codes(check) == [(item, problem)]


def test_number_bounds_are_inclusive(form: Questionnaire) -> None:
    check = check_answers(form, valid_answers(AGE=18, INCOME=0))
    assert check.ok, check.problems
    check = check_answers(form, valid_answers(AGE=100, INCOME=12.25))
    assert check.ok, check.problems
    assert check.answers["INCOME"] == 12.25


def test_text_is_nfc_and_limited_in_length(form: Questionnaire) -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Ánh")  # 10 characters once composed
    assert len(nfd) > 10
    check = check_answers(form, valid_answers(NOTE=nfd))
    assert check.ok, check.problems
    assert check.answers["NOTE"] == "Nguyễn Ánh"
    assert unicodedata.is_normalized("NFC", str(check.answers["NOTE"]))
    check = check_answers(form, valid_answers(NOTE="Nguyễn Ánh!"))
    assert codes(check) == [("NOTE", "out_of_range")]


def test_partial_response_does_not_report_missing_items(form: Questionnaire) -> None:
    check = check_answers(form, {"USED": "1", "S1": 5}, complete=False)
    assert check.ok, check.problems
    assert check.answers == {"USED": "1", "S1": 5}
    # other problems are still reported
    check = check_answers(form, {"USED": "1", "S1": 9, "BOGUS": 1}, complete=False)
    assert codes(check) == [("BOGUS", "unknown_item"), ("S1", "option_not_in_list")]


def test_every_problem_is_reported_at_once(form: Questionnaire) -> None:
    check = check_answers(
        form, valid_answers(USED="5", S1=None, S2=None, PAKN=None, S3=None, X1=None, Q_UNKNOWN="x")
    )
    assert sorted(codes(check)) == [
        ("Q_UNKNOWN", "unknown_item"),
        ("USED", "option_not_in_list"),
        ("X1", "missing_required"),
    ]
    assert not check.ok


# --------------------------------------------------------------------- national-2024


def _complete_national_response(q: Questionnaire, **gates: str) -> dict[str, Any]:
    """Answer every shown item of the national form with a valid value."""
    answers: dict[str, Any] = {}
    for item in q.items():
        if item.code not in visible_items(q, answers):
            continue
        if item.code in gates:
            answers[item.code] = gates[item.code]
        elif item.type is ItemType.LIKERT5:
            answers[item.code] = 4
        elif item.type is ItemType.EXPECTATION3:
            answers[item.code] = 1
        elif item.type is ItemType.MULTIPLE_CHOICE:
            answers[item.code] = [q.options_of(item)[0].code]
        elif item.type is ItemType.SINGLE_CHOICE:
            answers[item.code] = q.options_of(item)[0].code
        elif item.type is ItemType.TEXT:
            answers[item.code] = "Không có ý kiến."
    return answers


SERVICE_CRITERIA = [f"S{n}" for n in range(24, 40)]


def test_national_gate_no_hides_the_service_criteria(national: Questionnaire) -> None:
    answers = _complete_national_response(national, GATE_TTHC="2")
    assert not set(SERVICE_CRITERIA) & answers.keys()
    check = check_answers(national, answers)
    assert check.ok, check.problems
    assert not (set(SERVICE_CRITERIA) | {"GATE_PAKN"}) & check.visible
    # answering a hidden criterion is refused
    check = check_answers(national, answers | {"S24": 5, "S38": 4})
    assert codes(check) == [("S24", "hidden_item"), ("S38", "hidden_item")]


def test_national_feedback_gate(national: Questionnaire) -> None:
    answers = _complete_national_response(national, GATE_TTHC="1", GATE_PAKN="2")
    check = check_answers(national, answers)
    assert check.ok, check.problems
    assert {f"S{n}" for n in range(24, 37)} <= check.visible
    assert not {"S37", "S38", "S39"} & check.visible
    # without the S24–S36 answers they are missing, but S37–S39 are not
    without = {k: v for k, v in answers.items() if k not in SERVICE_CRITERIA}
    check = check_answers(national, without)
    assert codes(check) == [(f"S{n}", "missing_required") for n in range(24, 37)]


def test_national_full_response_with_feedback(national: Questionnaire) -> None:
    answers = _complete_national_response(national, GATE_TTHC="1", GATE_PAKN="1")
    answers["S39"] = "na"
    check = check_answers(national, answers)
    assert check.ok, check.problems
    assert set(SERVICE_CRITERIA) <= check.answers.keys()
    assert check.answers["S39"] == "na"
    assert len([c for c in national.criteria() if c.code in check.answers]) == 39
