"""``sipas analyze`` on hand-built CSV files: counted rates, intervals, clear errors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from scipy import stats
from typer.testing import CliRunner

from app.cli.main import cli

CRITERIA = [f"S{n}" for n in range(24, 37)]
HEADER = [*CRITERIA, "GATE_PAKN", "S37", "S38", "S39", "R_SEX", "R_AGE", "R_AREA", "unit", "w"]


def row(score: object, unit: str, weight: str = "1", gate: str = "2", k: str = "") -> list[str]:
    return [*(str(score) for _ in CRITERIA), gate, k, k, k, "1", "3", "2", unit, weight]


def write(tmp_path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    path = tmp_path / "answers.csv"
    lines = [",".join(header), *(",".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["analyze", *args])
    return result.exit_code, result.stdout, result.stderr


def run_weighted(path: Path) -> tuple[int, str, str]:
    """The unit form, with the unit and weight columns of :data:`HEADER`."""
    return run(
        *("--questionnaire", "unit-service", "--answers", str(path)),
        *("--unit-column", "unit", "--weights", "w"),
    )


@pytest.fixture
def hand_csv(tmp_path: Path) -> Path:
    """Unit a: 4 answer sets (scores 5, 4, 3, 2); unit b: 2 (5 and na → only one valid).

    Counted by hand: criteria 24–36 are satisfied by 5 and 4 at unit a and by 5 at
    unit b (na is not valid) → 3 of 5 = 60% for each; K is asked of the one who filed
    feedback (gate 1) and answered 4 → 100%.
    """
    rows = [
        row(5, "a", gate="1", k="4"),
        row(4, "a"),
        row(3, "a"),
        row(2, "a"),
        row(5, "b"),
        row("na", "b"),
    ]
    return write(tmp_path, [r[:-1] for r in rows], header=HEADER[:-1])


def test_rates_counted_by_hand(hand_csv: Path) -> None:
    code, out, err = run(
        "--questionnaire",
        "unit-service",
        "--answers",
        str(hand_csv),
        "--unit-column",
        "unit",
        "--scheme",
        "an-giang-unit",
        "--format",
        "json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["criteria"]["S24"]["rate"] == pytest.approx(60.0)
    assert data["criteria"]["S24"]["n"] == 5
    assert data["criteria"]["S37"]["rate"] == pytest.approx(100.0)
    assert data["subindices"]["E"]["rate"] == pytest.approx(60.0)
    assert data["subindices"]["K"]["n"] == 1
    expected = (13 * 60 + 3 * 100) / 16
    assert data["sipas"]["rate"] == pytest.approx(expected)
    assert data["halves"]["service"]["rate"] == pytest.approx(expected)
    assert data["units"]["a"]["criteria"]["S24"]["rate"] == pytest.approx(50.0)
    assert data["units"]["b"]["criteria"]["S24"]["rate"] == pytest.approx(100.0)
    assert data["units"]["b"]["criteria"]["S24"]["n"] == 1
    assert data["par_points"]["total"] == pytest.approx(32 * expected / 100)
    # Wilson 95% for 3 of 5, computed independently
    z, p, n = stats.norm.ppf(0.975), 0.6, 5
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low, high = data["criteria"]["S24"]["ci"]
    assert low == pytest.approx(100 * (centre - half))
    assert high == pytest.approx(100 * (centre + half))


def test_weighted_csv_gives_design_based_intervals(tmp_path: Path) -> None:
    rows = [
        row(5, "a", "2"),
        row(2, "a", "2"),
        row(5, "a", "2"),
        row(4, "b", "6"),
        row(1, "b", "6"),
    ]
    path = write(tmp_path, rows)
    code, out, err = run(
        "--questionnaire",
        "unit-service",
        "--answers",
        str(path),
        "--weights",
        "w",
        "--unit-column",
        "unit",
    )
    assert code == 0, err
    data = json.loads(out)
    # (2 + 2 + 6) / (2 · 3 + 6 · 2) = 10 / 18
    assert data["criteria"]["S25"]["rate"] == pytest.approx(100 * 10 / 18)
    assert data["design"] == {
        "weighted": True,
        "strata": 1,
        "psus": 5,
        "degrees_of_freedom": 4,
        "interval": "taylor_logit_t",
        "confidence": 0.95,
        "lonely_psu": "fail",
    }


def test_unknown_column_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, [row(5, "a")], header=[*HEADER[:-1], "weight_typo"])
    code, _, err = run("--questionnaire", "unit-service", "--answers", str(path))
    assert code == 1
    assert "row 1, column 'weight_typo': unknown column" in err
    assert "row 1, column 'unit': unknown column" in err


def test_out_of_range_value_names_row_and_column(tmp_path: Path) -> None:
    bad = row(4, "a")
    bad[HEADER.index("S27")] = "7"
    bad[HEADER.index("S30")] = "4.5"
    path = write(tmp_path, [row(5, "a"), bad])
    code, _, err = run_weighted(path)
    assert code == 1
    assert "row 3, column 'S27': 'S27': 7 is not on the 1–5 scale" in err
    assert "row 3, column 'S30'" in err
    assert "2 problem(s)" in err


def test_missing_required_item_names_row_and_column(tmp_path: Path) -> None:
    missing = row(4, "a")
    missing[HEADER.index("R_SEX")] = ""
    gated = row(4, "a", gate="1")  # filed feedback but did not answer S37–S39
    path = write(tmp_path, [missing, gated])
    code, _, err = run_weighted(path)
    assert code == 1
    assert "row 2, column 'R_SEX': 'R_SEX' is required" in err
    assert "row 3, column 'S37': 'S37' is required" in err


def test_bad_weight_and_unknown_questionnaire(tmp_path: Path) -> None:
    path = write(tmp_path, [row(5, "a", weight="-1"), row(5, "a", weight="abc")])
    code, _, err = run_weighted(path)
    assert code == 1
    assert "row 2, column 'w': the weight must be positive" in err
    assert "row 3, column 'w': the weight 'abc' is not a number" in err
    code, _, err = run("--questionnaire", "nope-2030", "--answers", str(path))
    assert code == 2
    assert "no bundled questionnaire 'nope-2030'" in err
    broken = tmp_path / "broken.yaml"
    broken.write_text("code: x\ncolour: red\n", encoding="utf-8")
    code, _, err = run("--questionnaire", str(broken), "--answers", str(path))
    assert code == 2
    assert "broken.yaml: 4 lỗi" in err
    assert "colour: Trường «colour» không được chấp nhận" in " ".join(err.split())


def test_written_answer_file_reads_back_to_the_same_respondents() -> None:
    from analysis import Respondent
    from analysis.answer_file import Columns, read_answer_file, write_answer_file
    from questionnaires import load_questionnaire
    from tests.api.factories import SMALL_FORM

    form = load_questionnaire(SMALL_FORM)
    people = [
        Respondent(
            {"S24": 4, "FEEDBACK": "1", "S37": 5, "R_SEX": "2", "NOTE": "a, b"},
            unit="u1",
            stratum="u1",
            weight=1 / 3,
            psu="a",
        ),
        Respondent({"S24": 2, "FEEDBACK": "2", "R_SEX": "1"}, unit="u2", stratum="u2", weight=12.5),
    ]
    columns = Columns(weight="w", unit="u", stratum="s", psu="p")
    text = write_answer_file(form, people, columns)
    back = read_answer_file(text, form, columns)
    assert [(r.unit, r.stratum, r.weight, r.psu) for r in back] == [
        (p.unit, p.stratum, p.weight, p.psu) for p in people
    ]
    assert [dict(r.answers) for r in back] == [dict(p.answers) for p in people]
