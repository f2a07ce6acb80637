"""Respondent-level files: "không áp dụng / không biết" never counts as a valid answer
in SPSS or Stata, variable names valid for both, labels within the formats' limits,
and the codebook of several questionnaire versions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyreadstat
import pytest

from app.response.export_files import ExportFormat, variable_names, write
from questionnaires import bundled_path, load_questionnaire, load_questionnaire_file
from questionnaires.codebook import Column, Kind, item_columns

COLUMNS = [
    Column("A1", "Câu hỏi có «không áp dụng» " * 8, Kind.INTEGER, {4: "Hài lòng"}, "Không biết"),
    Column("9-lan", "Số lần", Kind.NUMBER),
    Column("if", "Ghi chú", Kind.TEXT),
    Column("ngay", "Thời điểm", Kind.MOMENT),
]
ROWS: list[list[Any]] = [
    [4, 2.5, "Việt", datetime(2024, 5, 1, 1, 2, 3, tzinfo=UTC)],
    ["na", None, None, None],
    [None, 3.0, "x" * 3000, datetime(2024, 5, 2, tzinfo=UTC)],
]


@pytest.mark.parametrize("file_format", [ExportFormat.SAV, ExportFormat.DTA])
def test_not_applicable_is_missing_in_spss_and_stata(
    file_format: ExportFormat, tmp_path: Path
) -> None:
    path = tmp_path / f"t.{file_format.value}"
    assert write(file_format, COLUMNS, iter(ROWS), path, title="Thử " * 40) == 3
    reader = pyreadstat.read_sav if file_format is ExportFormat.SAV else pyreadstat.read_dta
    frame, meta = reader(str(path))
    assert meta.column_names == ["A1", "v_9_lan", "v_if", "ngay"]
    assert frame["A1"].isna().tolist() == [False, True, True]  # "na" is not an answer
    kept, _ = reader(str(path), user_missing=True)
    if file_format is ExportFormat.SAV:
        assert kept["A1"].tolist()[:2] == [4, 9]
        assert meta.variable_value_labels["A1"] == {4: "Hài lòng", 9: "Không biết"}
    else:
        assert kept["A1"].tolist()[:2] == [4, "a"]
    assert len(frame["v_if"][2]) == 3000  # long text whole
    assert frame["ngay"][0] == datetime(2024, 5, 1, 1, 2, 3)
    label = meta.column_labels[0]
    assert str(label).startswith("Câu hỏi có «không áp dụng»")


def test_csv_keeps_na_as_in_answer_files(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write(ExportFormat.CSV, COLUMNS, iter(ROWS), path, title="")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "A1,9-lan,if,ngay"
    assert lines[1] == "4,2.5,Việt,2024-05-01 01:02:03"
    assert lines[2] == "na,,,"


def test_variable_names_are_valid_and_distinct() -> None:
    codes = ["Q.1", "Q_1", "1st", "with", "x" * 40]
    assert variable_names(codes, ExportFormat.DTA) == ["Q_1", "Q_1_2", "v_1st", "v_with", "x" * 32]
    assert variable_names(codes, ExportFormat.SAV)[-1] == "x" * 40


def test_the_codebook_unites_versions_in_a_fixed_order() -> None:
    old = load_questionnaire_file(bundled_path("national-2022"))
    new = load_questionnaire_file(bundled_path("national-2024"))
    columns = item_columns([new, old])
    codes = [c.code for c in columns]
    assert codes[: len(new.items())] == [item.code for item in new.items()]
    assert set(codes) == set(new.item_map()) | set(old.item_map())
    assert len(codes) == len(set(codes))
    first = next(c for c in columns if c.code == new.criteria()[0].code)
    assert first.value_labels[5] == "Rất hài lòng"
    assert first.kind is Kind.INTEGER


def test_labels_are_the_vietnamese_texts_of_a_translated_form() -> None:
    form = load_questionnaire(
        """
code: bilingual
title: {en: Survey, vi: Khảo sát}
edition: "2024"
language: en
blocks:
  - code: profile
    title: {en: About you, vi: Thông tin}
    items:
      - code: R_SEX
        type: single_choice
        text: {en: Sex, vi: Giới tính}
        options: [{code: "1", label: {en: Male, vi: Nam}}, {code: "2", label: Female}]
"""
    )
    (column,) = item_columns([form.localized("vi")])
    assert column.label == "Giới tính"
    assert column.value_labels == {1: "Nam", 2: "Female"}  # a missing translation falls back
