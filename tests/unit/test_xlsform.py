"""XLSForm out and in: the shipped forms convert with pyxform, every questionnaire comes
back equal, and whatever a questionnaire cannot hold is refused by sheet and row."""

from __future__ import annotations

import io
import shutil
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert

from questionnaires import Questionnaire, bundled_path, load_questionnaire, load_questionnaire_file
from questionnaires.xlsform import XLSFormError, from_workbook, from_xlsform, to_xlsform
from questionnaires.xlsform.relevant import (
    ParsedCondition,
    RelevantSyntaxError,
    format_relevant,
    parse_relevant,
)

SHIPPED = ["national-2024", "unit-service", "national-2022"]

EDGE = """\
code: edge
title: "=HYPERLINK(\\"http://x.example\\")"
edition: "2025"
language: vi
scoring: {rule: mean_rescaled}
languages: [vi, en, km]
scales:
  likert5: [{vi: Một, en: One}, Hai, Ba, Bốn, {vi: Năm, en: Five, km: ប្រាំ}]
  expectation3: [Cao, Vừa, Thấp]
  not_applicable: {vi: Không rõ, en: Unknown}
option_sets:
  unused: [{code: a, label: {vi: A, km: ក}}]
halves: [{code: h, name: {vi: Nửa, en: Half}}]
subindices: [{code: E, name: Tiếp cận, half: h}]
blocks:
  - code: one
    title: Khối một
    items:
      - {code: Q1, type: multiple_choice, text: Chọn, max_selected: 2,
         options: [{code: x, label: "It's"}, {code: y, label: Y}, {code: z, label: Z}]}
      - {code: Q2, type: likert5, subindex: E, number: 7, text: "Hài lòng?", required: true,
         show_if: [{item: Q1, in: [y, x]}]}
      - {code: Q3, type: number, text: "Bao nhiêu?", min: -1.5, max: 1e20, help: Gợi ý,
         show_if: [{item: Q2, in: ["5"]}, {item: Q1, in: [z]}]}
      - {code: Q4, type: number, text: Tuổi, integer: true, min: 18, required: false,
         show_if: {item: Q3, in: ["2"]}}
      - {code: Q5, type: text, text: {vi: Ý kiến, en: Opinion}, max_length: 30, required: false,
         help: {vi: Gợi ý, km: ជំនួយ}}
      - {code: Q6, type: text, text: Ý kiến khác, required: true}
  - code: two
    kind: expectations
    title: Khối hai
    intro: {vi: Giới thiệu, en: Introduction}
    items:
      - {code: X1, type: expectation3, allow_na: true, text: Mong đợi}
      - {code: X2, type: single_choice, text: Chọn một, options: [{code: "1", label: Một}],
         show_if: {item: X1, in: ["1", "3"]}}
"""


def _edge() -> Questionnaire:
    return load_questionnaire(EDGE)


def _book(sheets: dict[str, list[list[Any]]]) -> Workbook:
    book = Workbook()
    for sheet in book.worksheets:
        book.remove(sheet)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    return book


def _problems(book: Workbook) -> set[tuple[str, int, str, str]]:
    with pytest.raises(XLSFormError) as caught:
        from_workbook(book)
    return {(p.sheet, p.row, p.column, p.reason) for p in caught.value.problems}


@pytest.mark.parametrize("code", SHIPPED)
def test_a_shipped_form_converts_with_pyxform_without_warnings(code: str) -> None:
    form = load_questionnaire_file(bundled_path(code))
    warnings: list[str] = []
    xform = convert(
        xlsform=io.BytesIO(to_xlsform(form)), warnings=warnings, file_type=".xlsx"
    ).xform
    assert warnings == []
    assert f"<h:title>{form.title}</h:title>" in xform
    for item in form.items():
        assert f'nodeset="/{code.replace("-", "_")}/' in xform or f'/{item.code}"' in xform
        assert f'/{item.code}"' in xform


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate runs on Java")
def test_odk_validate_accepts_the_national_form() -> None:
    """ODK Validate (bundled with pyxform) loads the XForm as ODK Collect would; the
    national form holds every item type, scale lists with ``na``, conditions and English."""
    form = load_questionnaire_file(bundled_path("national-2024"))
    warnings: list[str] = []
    convert(
        xlsform=io.BytesIO(to_xlsform(form)), warnings=warnings, validate=True, file_type=".xlsx"
    )
    assert warnings == []


def test_pyxform_reads_conditions_bounds_and_requirements_as_written() -> None:
    xform = convert(xlsform=io.BytesIO(to_xlsform(_edge())), file_type=".xlsx").xform
    binds = {line.split('nodeset="')[1].split('"')[0]: line for line in xform.split("<bind")[1:]}
    assert (
        "relevant=\"selected( /data/one/Q1 , 'y') or selected( /data/one/Q1 , 'x')\""
        in (binds["/data/one/Q2"])
    )
    assert 'constraint=". &gt;= -1.5 and . &lt;= 100000000000000000000"' in binds["/data/one/Q3"]
    assert 'type="int"' in binds["/data/one/Q4"]
    assert 'required="false()"' in binds["/data/one/Q4"]
    assert 'constraint="count-selected(.) &lt;= 2"' in binds["/data/one/Q1"]
    assert 'required="true()"' in binds["/data/one/Q6"]


@pytest.mark.parametrize("code", SHIPPED)
def test_a_shipped_form_comes_back_equal(code: str) -> None:
    form = load_questionnaire_file(bundled_path(code))
    assert from_xlsform(to_xlsform(form)) == form


def test_every_field_of_a_questionnaire_comes_back_equal() -> None:
    form = _edge()
    back = from_xlsform(to_xlsform(form))
    assert back == form
    assert back.model_dump() == form.model_dump()
    hint = back.items()[4].help
    assert hint is not None
    assert hint.translations == {"km": "ជំនួយ"}
    assert back.scales.likert5[4].translations == {"en": "Five", "km": "ប្រាំ"}
    assert back.localized("en").blocks[1].intro == "Introduction"
    assert isinstance(back.items()[1].show_if, list)
    assert back.items()[2].max == 1e20


def test_a_label_that_looks_like_a_formula_stays_text() -> None:
    data = to_xlsform(_edge())
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheets = [book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in sheet for sheet in sheets)
    settings = load_workbook(io.BytesIO(data))["settings"]
    assert settings["A2"].value == _edge().title


@pytest.mark.parametrize(
    ("groups", "expression"),
    [
        ([("A", ["1"], False)], "${A} = '1'"),
        (
            [("A", ["1", "2"], False), ("B", ["x"], True)],
            "(${A} = '1' or ${A} = '2') and selected(${B}, 'x')",
        ),
        ([("A", ["it's"], False)], '${A} = "it\'s"'),
    ],
)
def test_a_condition_is_written_and_read_back(
    groups: list[tuple[str, list[str], bool]], expression: str
) -> None:
    assert format_relevant(groups) == expression
    assert parse_relevant(expression) == [
        ParsedCondition(item, tuple(values), selected) for item, values, selected in groups
    ]


def test_conditions_written_by_hand_in_other_tools_are_read() -> None:
    assert parse_relevant("'1' = ${A} and (${B} = 2)") == [
        ParsedCondition("A", ("1",), False),
        ParsedCondition("B", ("2",), False),
    ]


@pytest.mark.parametrize(
    "expression",
    [
        "${A} != '1'",
        "not(${A} = '1')",
        "${A} > 3",
        "${A} = '1' or ${B} = '2'",
        "${A} = '1' or selected(${A}, '2')",
        "${A} = '1' and",
        "string-length(${A}) = 2",
        "${} = '1'",
        "${A} = '1' ; drop",
    ],
)
def test_an_expression_that_is_no_show_if_is_refused(expression: str) -> None:
    with pytest.raises(RelevantSyntaxError):
        parse_relevant(expression)


KOBO_SURVEY: list[list[Any]] = [
    ["type", "name", "label::English (en)", "relevant", "required"],
    ["start", "start", None, None, None],
    ["select_one yn", "consent", "Consent?", None, "yes"],
    ["integer", "age", "Age", "${consent} = 'y'", None],
    ["text", "why", "Why?", None, None],
]


def test_a_kobo_form_without_groups_or_sipas_columns_is_read() -> None:
    survey = [row for row in KOBO_SURVEY if row[0] != "start"]
    book = _book(
        {
            "survey": survey,
            "choices": [
                ["list_name", "name", "label::English (en)"],
                ["yn", "y", "Yes"],
                ["yn", "n", "No"],
            ],
            "settings": [["form_title", "form_id", "version"], ["Test", "kobo", "1"]],
        }
    )
    form = from_workbook(book)
    assert form.language == "en"
    assert [b.code for b in form.blocks] == ["block1"]
    consent, age, why = form.items()
    assert (consent.options, consent.required, consent.is_required) == ("yn", None, True)
    assert form.option_sets["yn"][0].label == "Yes"
    assert (age.integer, age.required, age.is_required) == (True, False, False)
    assert (age.conditions[0].item, age.conditions[0].values) == ("consent", ["y"])
    assert (why.required, why.is_required) == (None, False)


def test_labels_per_language_are_columns_named_with_the_language_code() -> None:
    data = to_xlsform(_edge())
    survey = load_workbook(io.BytesIO(data))["survey"]
    header = [cell.value for cell in survey[1]]
    assert header[:8] == [
        "type",
        "name",
        "label::Tiếng Việt (vi)",
        "label::English (en)",
        "label::ភាសាខ្មែរ (km)",
        "hint::Tiếng Việt (vi)",
        "hint::English (en)",
        "hint::ភាសាខ្មែរ (km)",
    ]
    warnings: list[str] = []
    xform = convert(xlsform=io.BytesIO(data), warnings=warnings, file_type=".xlsx").xform
    assert warnings == []
    assert '<translation lang="English (en)">' in xform
    assert "<value>Opinion</value>" in xform


def test_a_kobo_form_in_two_languages_keeps_both() -> None:
    book = _book(
        {
            "survey": [
                ["type", "name", "label::English (en)", "label::Khmer (km)"],
                ["select_one yn", "consent", "Consent?", "យល់ព្រម?"],
            ],
            "choices": [
                ["list_name", "name", "label::English (en)", "label::Khmer (km)"],
                ["yn", "y", "Yes", "បាទ"],
                ["yn", "n", "No", None],
            ],
            "settings": [
                ["form_title", "form_id", "version", "default_language"],
                ["T", "k", "1", "English (en)"],
            ],
        }
    )
    form = from_workbook(book)
    assert form.language == "en"
    assert form.offered_languages() == ["en", "km"]
    assert form.items()[0].text.in_language("km") == "យល់ព្រម?"
    assert form.option_sets["yn"][1].label.in_language("km") == "No"


def test_a_text_missing_in_the_default_language_is_refused_at_its_row() -> None:
    book = _book(
        {
            "survey": [
                ["type", "name", "label::Tiếng Việt (vi)", "label::English (en)"],
                ["text", "a", "A", "A"],
                ["text", "b", None, "B only in English"],
            ],
            "settings": [["form_title", "form_id", "version"], ["T", "k", "1"]],
        }
    )
    assert _problems(book) == {("survey", 3, "", "questionnaire_text_no_default")}


def test_unsupported_constructs_are_listed_by_sheet_and_row() -> None:
    book = _book(
        {
            "survey": [
                ["type", "name", "label::English (en)", "relevant", "choice_filter", "calculation"],
                ["start", "start", None, None, None, None],
                ["begin group", "g", "G", None, None, None],
                ["note", "intro", "Intro", None, None, None],
                ["select_one yn", "consent", "Consent?", None, None, None],
                ["note", "late", "A note later", None, None, None],
                ["begin repeat", "kids", "Kids", None, None, None],
                ["calculate", "c", None, None, None, "1 + 1"],
                ["integer", "age", "Age", "${consent} != 'y'", None, None],
                ["select_one city", "city", "City", None, "state=${consent}", None],
                ["select_multiple yn", "many", "Many", "${consent} = 'y'", None, None],
                ["text", "t", "T", "${many} = 'y'", None, None],
                ["end group", None, None, None, None, None],
                ["end group", None, None, None, None, None],
                ["begin group", "open", "Open", None, None, None],
                ["text", "u", "U", None, None, None],
            ],
            "choices": [
                ["list_name", "name", "label::English (en)", "state"],
                ["yn", "y", "Yes", None],
                ["yn", "n", "No", None],
                ["city", "c1", "City 1", "y"],
            ],
            "settings": [["form_title", "form_id", "version", "style"], ["T", "f", "1", "pages"]],
        }
    )
    assert _problems(book) == {
        ("survey", 2, "type", "xlsform_unsupported_type"),
        ("survey", 6, "type", "xlsform_stray_note"),
        ("survey", 7, "type", "xlsform_unsupported_type"),
        ("survey", 8, "type", "xlsform_unsupported_type"),
        ("survey", 9, "relevant", "xlsform_unsupported_relevant"),
        ("survey", 10, "choice_filter", "xlsform_unsupported_column"),
        ("survey", 12, "relevant", "xlsform_unsupported_relevant"),
        ("survey", 14, "type", "xlsform_unmatched_end"),
        ("survey", 16, "type", "xlsform_unclosed_group"),
        ("choices", 4, "state", "xlsform_unsupported_column"),
        ("settings", 2, "style", "xlsform_unsupported_column"),
    }


def test_malformed_rows_sheets_and_files_are_listed() -> None:
    book = _book(
        {
            "survey": [
                ["type", "name", "label::Tiếng Việt (vi)", "hint::English", "required", None],
                ["select_one nolist", "a", "A", None, "maybe", None],
                [None, "b", "B", None, None, "stray"],
                ["begin group", "g", "G", None, None, None],
                ["begin group", "h", "H", None, None, None],
                ["end group", None, None, None, None, None],
            ],
            "settings": [["form_title"], ["T"]],
        }
    )
    assert _problems(book) == {
        ("survey", 1, "hint::English", "xlsform_language_without_code"),
        ("survey", 2, "type", "xlsform_unknown_list"),
        ("survey", 2, "required", "xlsform_bad_required"),
        ("survey", 3, "#6", "xlsform_cell_without_header"),
        ("survey", 3, "type", "xlsform_missing_value"),
        ("survey", 5, "type", "xlsform_nested_group"),
        ("settings", 2, "form_id", "xlsform_missing_setting"),
        ("settings", 2, "version", "xlsform_missing_setting"),
    }
    with pytest.raises(XLSFormError) as caught:
        from_xlsform(b"not a workbook")
    assert [p.reason for p in caught.value.problems] == ["xlsform_unreadable"]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 60_000_000)
    with pytest.raises(XLSFormError) as caught:
        from_xlsform(bomb.getvalue())
    assert [p.reason for p in caught.value.problems] == ["xlsform_too_large"]
    assert _problems(_book({"choices": [["list_name"]]})) == {
        ("survey", 0, "", "xlsform_missing_sheet")
    }


def test_a_form_that_breaks_questionnaire_rules_is_refused_at_its_row() -> None:
    book = load_workbook(io.BytesIO(to_xlsform(_edge())))
    book["survey"]["B4"] = "Q1"  # Q2 becomes a second Q1
    book["sipas_subindices"]["B2"] = "nowhere"
    choices = book["choices"]
    choices.append(["unused", "a", "Lặp mã"])
    problems = _problems(book)
    assert ("choices", choices.max_row, "", "questionnaire_option_code_twice") in problems
    assert ("survey", 4, "", "questionnaire_item_code_twice") in problems
    assert ("sipas_subindices", 2, "", "questionnaire_half_unknown") in problems


def test_a_form_xlsform_cannot_carry_is_refused_on_the_way_out() -> None:
    both_quotes = 'code: "it\'s \\"x\\""'
    form = load_questionnaire(
        EDGE.replace("code: Q5,", "code: 5Q,")
        .replace("unused: [", "likert5: [")
        .replace("{code: x,", "{" + both_quotes + ",")
        .replace("in: [y, x]", "in: [y, " + both_quotes.removeprefix("code: ") + "]")
    )
    with pytest.raises(XLSFormError) as caught:
        to_xlsform(form)
    assert {
        (p.reason, dict(p.params).get("name", dict(p.params).get("item")))
        for p in caught.value.problems
    } == {
        ("xlsform_invalid_name", "5Q"),
        ("xlsform_reserved_list", "likert5"),
        ("xlsform_unquotable_value", "Q2"),
    }


def test_scale_lists_must_hold_the_scale() -> None:
    book = load_workbook(io.BytesIO(to_xlsform(_edge())))
    choices = book["choices"]
    for row in choices.iter_rows(min_row=2):
        if row[0].value == "expectation3_na" and row[1].value == "2":
            row[1].value = "7"
        if row[0].value == "likert5_na" and row[1].value == "1":
            row[2].value = "Khác"
    problems = _problems(book)
    assert ("survey", 12, "type", "xlsform_bad_scale") in problems
    assert ("choices", 7, "list_name", "xlsform_scale_mismatch") in problems
