"""The sampling commands of ``sipas``: import, frame, draw, verify, and the file-only draw."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.case.models import Case
from app.cli.main import cli
from app.core.config import get_settings
from app.core.messages import message
from app.sample.filemode import draw_from_file
from sampling import FrameRules, load_design
from tests.api.sampling_data import case_lines, csv_bytes, setup

DESIGN_YAML = """\
name: thử nghiệm
allocation: {method: proportional, n: 9, minimum: 2}
reserves: {ratio: 1}
"""


@pytest.fixture
def runner(api: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """Runs ``sipas`` against the test database."""
    monkeypatch.setenv("SIPAS_DATABASE_URL", api.state.settings.database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_import_draw_and_verify(
    runner: CliRunner,
    client: TestClient,
    admin_headers: dict[str, str],
    db: Session,
    tmp_path: Path,
) -> None:
    campaign_id = setup(client, admin_headers)
    cases = tmp_path / "cases.csv"
    cases.write_bytes(csv_bytes([*case_lines(6), "99,X,Khai sinh,,Sở Tư pháp,Z,1,,,,"]))
    design = tmp_path / "design.yaml"
    design.write_text(DESIGN_YAML, encoding="utf-8")

    imported = runner.invoke(cli, ["cases", "import", str(cases), "--campaign", str(campaign_id)])
    assert imported.exit_code == 0, imported.output
    assert "Đã nhập 18 trong 19 dòng; 1 dòng bị từ chối." in imported.output
    assert "dòng 20, cột Số điện thoại" in imported.output

    no_frame = runner.invoke(
        cli,
        ["sample", "draw", "--campaign", str(campaign_id), "--design", str(design), "--seed", "5"],
    )
    assert no_frame.exit_code == 1
    assert "chưa có dàn mẫu" in no_frame.output

    built = runner.invoke(cli, ["frame", "build", "--campaign", str(campaign_id)])
    assert built.exit_code == 0, built.output
    drawn = runner.invoke(
        cli,
        ["sample", "draw", "--campaign", str(campaign_id), "--design", str(design), "--seed", "5"],
    )
    assert drawn.exit_code == 0, drawn.output
    assert "9 selected, 9 reserves in 3 strata" in drawn.output
    sample_id = drawn.output.split()[1]

    verified = runner.invoke(cli, ["sample", "verify", sample_id])
    assert verified.exit_code == 0, verified.output
    assert verified.output.startswith("MATCH")

    db.execute(update(Case).where(Case.case_code == "HS00001").values(address="Ấp 9"))
    db.commit()
    changed = runner.invoke(cli, ["sample", "verify", sample_id])
    assert changed.exit_code == 1
    assert changed.output.startswith("MISMATCH")
    assert "frame digest differs" in changed.output


def test_file_only_draw_is_reproducible(tmp_path: Path) -> None:
    """No database: the draw reads a case-list file and writes sample.csv."""
    runner = CliRunner()
    cases = tmp_path / "cases.csv"
    cases.write_bytes(csv_bytes(case_lines(8)))
    design = tmp_path / "design.yaml"
    design.write_text(DESIGN_YAML, encoding="utf-8")

    def run(seed: str, out: Path) -> list[dict[str, str]]:
        result = runner.invoke(
            cli,
            ["sample", "draw", "--frame", str(cases), "--design", str(design),
             "--seed", seed, "--out", str(out)],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "wrote" in result.output
        with out.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))

    first = run("11", tmp_path / "a.csv")
    again = run("11", tmp_path / "b.csv")
    other = run("12", tmp_path / "c.csv")
    assert first == again
    assert first != other
    assert len([r for r in first if r["is_reserve"] == "0"]) == 9
    assert len([r for r in first if r["is_reserve"] == "1"]) == 9
    by_stratum: dict[str, float] = {}
    for row in first:
        if row["is_reserve"] == "0":
            by_stratum[row["stratum"]] = by_stratum.get(row["stratum"], 0) + float(
                row["design_weight"]
            )
    assert by_stratum == {"Sở Tư pháp": 8.0, "Sở Xây dựng": 8.0, "UBND huyện Mỹ Tú": 8.0}
    assert {"inclusion_probability", "draw_order", "stratum"} <= set(first[0])

    bad = tmp_path / "bad.yaml"
    bad.write_text("allocation: {method: proportional}\n", encoding="utf-8")
    refused = runner.invoke(
        cli,
        ["sample", "draw", "--frame", str(cases), "--design", str(bad), "--seed", "1",
         "--out", str(tmp_path / "d.csv")],
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "allocation.n" in refused.output


def test_a_file_draw_reads_cases_as_an_import_does(tmp_path: Path) -> None:
    """Below title rows, without unknown columns, repeated or empty case codes."""
    lines = case_lines(4)
    lines[5] = lines[5].replace("HS00006", "HS00002")
    lines[7] = lines[7].replace("HS00008", "")
    header, *_ = csv_bytes([]).decode().splitlines()
    text = "\n".join(["DANH SÁCH HỒ SƠ,,", f"{header},Email", *[f"{x},a@b.vn" for x in lines]])
    cases = tmp_path / "cases.csv"
    cases.write_text(text + "\n", encoding="utf-8")
    drawn, _ = draw_from_file(cases, load_design(DESIGN_YAML), 1, FrameRules())
    assert drawn.rows == 12
    assert {(r.row, r.column, r.reason) for r in drawn.rejections} == {
        (8, "Mã hồ sơ", message("case_code_repeated", value="HS00002", row=4)),
        (10, "Mã hồ sơ", message("case_code_missing")),
    }
