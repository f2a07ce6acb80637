"""``sipas questionnaire to-xlsform`` / ``from-xlsform``, and the Vietnamese sentence of
every problem an XLSForm can have."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from app.cli.main import cli
from app.core.messages import message, parameters
from questionnaires import bundled_path, load_questionnaire, load_questionnaire_file
from questionnaires.dump import dump_questionnaire
from tests.unit.test_xlsform import EDGE

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("code", ["national-2024", "unit-service"])
def test_a_form_goes_to_xlsform_and_back_to_an_equal_yaml_file(tmp_path: Path, code: str) -> None:
    xlsx, yaml = tmp_path / "form.xlsx", tmp_path / "form.yaml"
    out = runner.invoke(
        cli, ["questionnaire", "to-xlsform", str(bundled_path(code)), "--out", str(xlsx)]
    )
    assert out.exit_code == 0, out.output
    back = runner.invoke(cli, ["questionnaire", "from-xlsform", str(xlsx), "-o", str(yaml)])
    assert back.exit_code == 0, back.output
    assert f"'{code}' (2024)" in back.output
    assert load_questionnaire_file(yaml) == load_questionnaire_file(bundled_path(code))


def test_a_written_yaml_file_reads_back_equal_with_translations() -> None:
    form = load_questionnaire(EDGE)
    assert load_questionnaire(dump_questionnaire(form)) == form


def test_from_xlsform_lists_problems_in_vietnamese_and_writes_nothing(tmp_path: Path) -> None:
    xlsx = tmp_path / "form.xlsx"
    runner.invoke(
        cli, ["questionnaire", "to-xlsform", str(bundled_path("unit-service")), "-o", str(xlsx)]
    )
    book = load_workbook(xlsx)
    book["survey"]["A2"] = "begin repeat"
    book.save(xlsx)
    result = runner.invoke(cli, ["questionnaire", "from-xlsform", str(xlsx)])
    assert result.exit_code == 1
    assert "Trang tính «survey», dòng 2, cột «type»: Kiểu câu hỏi «begin repeat»" in result.output
    assert not (tmp_path / "form.yaml").exists()


def test_to_xlsform_lists_a_broken_yaml_files_problems_in_vietnamese(tmp_path: Path) -> None:
    broken = tmp_path / "form.yaml"
    broken.write_text(EDGE.replace("code: Q5,", "code: Q1,"), encoding="utf-8")
    result = runner.invoke(cli, ["questionnaire", "to-xlsform", str(broken)])
    assert result.exit_code == 1
    assert "form.yaml: 1 lỗi" in result.output
    assert ".code: Mã câu hỏi «Q1» bị dùng hai lần." in result.output
    assert not (tmp_path / "form.xlsx").exists()


def _reasons() -> dict[str, set[str]]:
    """Each problem reason of questionnaires/xlsform with the parameters given to it."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "questionnaires/xlsform").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 4:
                continue
            reason = node.args[3]
            if isinstance(reason, ast.Constant) and str(reason.value).startswith("xlsform_"):
                keywords = {k.arg for k in node.keywords if k.arg is not None}
                found.setdefault(str(reason.value), set()).update(keywords)
    return found


def test_every_xlsform_problem_has_a_vietnamese_sentence_with_its_values() -> None:
    reasons = _reasons()
    assert len(reasons) >= 20
    for reason, given in reasons.items():
        assert parameters(reason) <= given, reason
        assert message(reason, **dict.fromkeys(given, "x"))
