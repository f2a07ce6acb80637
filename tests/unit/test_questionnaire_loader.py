"""The loader refuses malformed questionnaire files, listing every problem with its path."""

from __future__ import annotations

import textwrap

import pytest

from questionnaires import (
    Problem,
    Questionnaire,
    QuestionnaireError,
    load_questionnaire,
    validate_questionnaire,
)
from questionnaires.problems import problem

HEADER = """\
code: test
title: Phiếu thử nghiệm
edition: "2024"
halves:
  - {code: service, name: Việc cung ứng dịch vụ hành chính công}
"""

SUBINDICES = """\
subindices:
  - {code: E, name: Tiếp cận dịch vụ, half: service}
"""

OPTION_SETS = """\
option_sets:
  yes_no:
    - {code: "1", label: Có}
    - {code: "2", label: Không}
"""

VALID_ITEMS = """\
- code: GATE
  type: single_choice
  text: Ông/bà đã giải quyết thủ tục hành chính tại Bộ phận Một cửa chưa?
  options: yes_no
- code: S24
  number: 24
  type: likert5
  subindex: E
  text: Bộ phận Một cửa có biển hiệu, hướng dẫn rõ ràng, dễ tìm, dễ thấy.
  show_if: {item: GATE, in: ["1"]}
"""


def form(
    items: str = VALID_ITEMS,
    *,
    subindices: str = SUBINDICES,
    option_sets: str = OPTION_SETS,
    header: str = HEADER,
) -> str:
    """A whole questionnaire file around ``items`` (written unindented)."""
    return (
        header
        + subindices
        + option_sets
        + "blocks:\n"
        + "  - code: service\n"
        + "    kind: satisfaction\n"
        + "    title: Mức độ hài lòng\n"
        + "    items:\n"
        + textwrap.indent(textwrap.dedent(items), " " * 6)
    )


def problems_of(text: str | bytes) -> list[Problem]:
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(text, source="test.yaml")
    assert caught.value.source == "test.yaml"
    return caught.value.problems


def test_the_base_form_is_valid() -> None:
    q = load_questionnaire(form())
    assert isinstance(q, Questionnaire)
    assert [c.code for c in q.criteria()] == ["S24"]


# One malformed file per kind of problem: (items, other parts, expected path, (code, some of
# its parameters)).
CASES = [
    pytest.param(
        VALID_ITEMS
        + """\
- {code: S24, number: 25, type: likert5, subindex: E, text: Lặp mã.}
""",
        {},
        "blocks[0].items[2].code",
        ("questionnaire_item_code_twice", {"code": "S24"}),
        id="duplicate-item-code",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- {code: S25, number: 25, type: likert5, text: Tiêu chí không có chỉ số thành phần.}
""",
        {},
        "blocks[0].items[2].subindex",
        ("questionnaire_criterion_without_subindex", {"item": "S25"}),
        id="criterion-without-subindex",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- code: S25
  type: likert5
  subindex: E
  text: Điều kiện trên câu không có.
  show_if: {item: NOPE, in: ["1"]}
""",
        {},
        "blocks[0].items[2].show_if.item",
        ("questionnaire_condition_on_unknown", {"target": "NOPE"}),
        id="show-if-unknown-item",
    ),
    pytest.param(
        """\
- code: S24
  type: likert5
  subindex: E
  text: Điều kiện trên câu hỏi đứng sau.
  show_if: {item: GATE, in: ["1"]}
- {code: GATE, type: single_choice, text: Câu hỏi lọc, options: yes_no}
""",
        {},
        "blocks[0].items[0].show_if.item",
        ("questionnaire_condition_on_later", {"target": "GATE", "item": "S24"}),
        id="show-if-later-item",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- code: S25
  type: likert5
  subindex: E
  text: Danh sách điều kiện.
  show_if:
    - {item: GATE, in: ["1"]}
    - {item: LATER, in: ["1"]}
- {code: LATER, type: single_choice, text: Câu hỏi sau, options: yes_no}
""",
        {},
        "blocks[0].items[2].show_if[1].item",
        ("questionnaire_condition_on_later", {"target": "LATER", "item": "S25"}),
        id="show-if-list-later-item",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- code: S25
  type: likert5
  subindex: E
  text: Tự tham chiếu.
  show_if: {item: S25, in: ["1"]}
""",
        {},
        "blocks[0].items[2].show_if.item",
        ("questionnaire_condition_on_itself", {"item": "S25"}),
        id="show-if-self",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- code: Q_CHANNEL
  type: single_choice
  text: Kênh thông tin
  options:
    - {code: "1", label: Loa phát thanh xã}
    - {code: "1", label: Mạng internet}
""",
        {},
        "blocks[0].items[2].options[1].code",
        ("questionnaire_option_code_twice", {"code": "1"}),
        id="option-code-reused-in-item",
    ),
    pytest.param(
        VALID_ITEMS,
        {
            "option_sets": """\
option_sets:
  yes_no:
    - {code: "1", label: Có}
    - {code: 1, label: Không}
"""
        },
        "option_sets.yes_no[1].code",
        ("questionnaire_option_code_twice", {"code": "1"}),
        id="option-code-reused-in-option-set",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- {code: Q_SEX, type: single_choice, text: Giới tính, options: gioi_tinh}
""",
        {},
        "blocks[0].items[2].options",
        ("questionnaire_option_set_unknown", {"name": "gioi_tinh"}),
        id="undefined-option-set",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- {code: S25, number: 25, type: likert5, subindex: Z, text: Chỉ số thành phần lạ.}
""",
        {},
        "blocks[0].items[2].subindex",
        ("questionnaire_subindex_unknown", {"subindex": "Z"}),
        id="unknown-subindex",
    ),
    pytest.param(
        VALID_ITEMS,
        {
            "subindices": """\
subindices:
  - {code: E, name: Tiếp cận dịch vụ, half: service}
  - {code: G, name: Thủ tục hành chính, half: service}
"""
        },
        "subindices[1]",
        ("questionnaire_subindex_without_criteria", {"code": "G"}),
        id="subindex-without-criteria",
    ),
    pytest.param(
        VALID_ITEMS,
        {
            "subindices": """\
subindices:
  - {code: E, name: Tiếp cận dịch vụ, half: dich_vu}
"""
        },
        "subindices[0].half",
        ("questionnaire_half_unknown", {"half": "dich_vu"}),
        id="undefined-half",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- {code: S25, number: 24, type: likert5, subindex: E, text: Trùng số thứ tự tiêu chí.}
""",
        {},
        "blocks[0].items[2].number",
        ("questionnaire_criterion_number_twice", {"number": "24", "other": "S24"}),
        id="duplicate-criterion-number",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- {code: S25, type: likert7, subindex: E, text: Thang đo không có.}
""",
        {},
        "blocks[0].items[2].type",
        ("enum", {"field": "type"}),
        id="wrong-type-name",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- {code: S25, type: likert5, subindex: E}
""",
        {},
        "blocks[0].items[2].text",
        ("missing", {}),
        id="missing-item-text",
    ),
    pytest.param(
        VALID_ITEMS,
        {"header": 'code: test\nedition: "2024"\nhalves:\n  - {code: service, name: Dịch vụ}\n'},
        "title",
        ("missing", {}),
        id="missing-title",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- code: S25
  type: likert5
  subindex: E
  text: Giá trị điều kiện không phải câu trả lời.
  show_if: {item: GATE, in: ["3"]}
""",
        {},
        "blocks[0].items[2].show_if.in",
        ("questionnaire_condition_value", {"value": "3", "target": "GATE"}),
        id="condition-value-not-an-option",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- code: S25
  type: likert5
  subindex: E
  text: Điều kiện trên một tiêu chí.
  show_if: {item: S24, in: [4, 5, 6]}
""",
        {},
        "blocks[0].items[2].show_if.in",
        ("questionnaire_condition_value", {"value": "6", "target": "S24"}),
        id="condition-value-off-the-likert-scale",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- {code: Q_AGE, type: number, text: Tuổi, integer: maybe}
""",
        {},
        "blocks[0].items[2].integer",
        ("bool_parsing", {"field": "integer"}),
        id="field-named-like-a-union-tag",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- {code: Q_NOTE, type: text, text: Ghi chú, options: yes_no}
""",
        {},
        "blocks[0].items[2]",
        ("questionnaire_options_not_allowed", {"type": "text"}),
        id="options-on-a-text-item",
    ),
    pytest.param(
        VALID_ITEMS
        + """\
- {code: Q_SEX, type: single_choice, text: Giới tính, options: [{code: "1"}]}
""",
        {},
        "blocks[0].items[2].options[0].label",
        ("missing", {}),
        id="option-without-label",
    ),
]


@pytest.mark.parametrize(("items", "parts", "path", "expected"), CASES)
def test_each_problem_is_reported_with_its_path(
    items: str, parts: dict[str, str], path: str, expected: tuple[str, dict[str, str]]
) -> None:
    found = problems_of(form(items, **parts))
    matching = [p for p in found if p.path == path]
    assert matching, f"no problem at {path!r}; got {found}"
    code, params = expected
    assert any(p.code == code and params.items() <= dict(p.params).items() for p in matching), (
        matching
    )
    # nothing else is wrong with the file; Pydantic may add a note on the enclosing
    # field of a union (``options: list | str``), never anything elsewhere
    assert all(path.startswith(p.path) for p in found), found


def test_option_set_names_are_kept_in_paths() -> None:
    found = problems_of(
        form(
            VALID_ITEMS,
            option_sets=OPTION_SETS + '  strong_agree:\n    - {code: "1", label: ""}\n',
        )
    )
    assert [p.path for p in found] == ["option_sets.strong_agree[0].label"]


def test_every_problem_of_one_file_is_reported_at_once() -> None:
    text = form(
        """\
- code: GATE
  type: single_choice
  text: Ông/bà đã giải quyết thủ tục hành chính tại Bộ phận Một cửa chưa?
  options: yes_no
- code: S24
  number: 24
  type: likert5
  subindex: E
  text: Tiêu chí hợp lệ.
  show_if: {item: GATE, in: ["1", "3"]}
- {code: S24, number: 25, type: likert5, subindex: E, text: Lặp mã.}
- {code: S26, number: 26, type: likert5, text: Thiếu chỉ số thành phần.}
- {code: S27, number: 27, type: likert5, subindex: E, text: A, show_if: {item: NOPE, in: [1]}}
- {code: S28, number: 28, type: likert5, subindex: E, text: B, show_if: {item: Q_END, in: [1]}}
- code: Q_CHANNEL
  type: single_choice
  text: Kênh thông tin
  options:
    - {code: "1", label: Loa phát thanh xã}
    - {code: "1", label: Mạng internet}
- {code: Q_SEX, type: single_choice, text: Giới tính, options: gioi_tinh}
- {code: S29, number: 29, type: likert5, subindex: Z, text: Chỉ số thành phần lạ.}
- {code: S30, number: 30, type: likert7, subindex: E, text: Thang đo không có.}
- {code: S31, number: 31, type: likert5, subindex: E}
- {code: Q_END, type: text, text: Ý kiến khác}
""",
        subindices="""\
subindices:
  - {code: E, name: Tiếp cận dịch vụ, half: service}
  - {code: G, name: Thủ tục hành chính, half: service}
""",
        option_sets="""\
option_sets:
  yes_no:
    - {code: "1", label: Có}
    - {code: "1", label: Không}
""",
    )
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(text, source="many.yaml")
    error = caught.value
    found = {p.path: p.code for p in error.problems}
    assert found == {
        "blocks[0].items[1].show_if.in": "questionnaire_condition_value",
        "blocks[0].items[2].code": "questionnaire_item_code_twice",
        "blocks[0].items[3].subindex": "questionnaire_criterion_without_subindex",
        "blocks[0].items[4].show_if.item": "questionnaire_condition_on_unknown",
        "blocks[0].items[5].show_if.item": "questionnaire_condition_on_later",
        "blocks[0].items[6].options[1].code": "questionnaire_option_code_twice",
        "option_sets.yes_no[1].code": "questionnaire_option_code_twice",
        "blocks[0].items[7].options": "questionnaire_option_set_unknown",
        "blocks[0].items[8].subindex": "questionnaire_subindex_unknown",
        "blocks[0].items[9].type": "enum",
        "blocks[0].items[10].text": "missing",
        "subindices[1]": "questionnaire_subindex_without_criteria",
    }
    assert len(error.problems) == len(found)
    # the error message lists them all too, one per line, for logs and scripts
    rendered = str(error)
    assert rendered.startswith(f"many.yaml: {len(found)} problem(s)\n")
    for path, code in found.items():
        assert f"  - {path}: {code}" in rendered


def test_invalid_yaml_reports_line_and_column() -> None:
    assert problems_of("code: x\n  title: y\n") == [
        problem("", "questionnaire_bad_yaml", line=2, column=8)
    ]


def test_invalid_yaml_in_a_real_form_points_at_the_broken_line() -> None:
    text = form().replace("title: Mức độ hài lòng", "title: [Mức độ hài lòng")
    broken_line = text.splitlines().index("    title: [Mức độ hài lòng") + 1
    (found,) = problems_of(text)
    assert (found.path, found.code) == ("", "questionnaire_bad_yaml")
    assert dict(found.params)["line"] == str(broken_line + 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", problem("", "questionnaire_not_a_mapping"), id="empty"),
        pytest.param("- a\n- b\n", problem("", "questionnaire_not_a_mapping"), id="list"),
        pytest.param(b"code: \xff\n", problem("", "questionnaire_not_utf8", byte=7), id="not-utf8"),
    ],
)
def test_not_a_questionnaire_at_all(text: str | bytes, expected: Problem) -> None:
    assert problems_of(text) == [expected]


def test_validate_questionnaire_reports_the_same_problems_for_parsed_data() -> None:
    data = {
        "code": "x",
        "title": "Phiếu",
        "edition": "2024",
        "blocks": [
            {
                "code": "b",
                "title": "Khối",
                "items": [
                    {"code": "Q1", "type": "text", "text": "Một"},
                    {"code": "Q1", "type": "text", "text": "Hai"},
                ],
            }
        ],
    }
    with pytest.raises(QuestionnaireError) as caught:
        validate_questionnaire(data, source="db")
    assert caught.value.problems == [
        problem("blocks[0].items[1].code", "questionnaire_item_code_twice", code="Q1")
    ]
