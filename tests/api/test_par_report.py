"""The annual report draft: Word opened with python-docx, its tables against the API's
figures cell for cell, the band-count sentence found in its text; PDF; the CLI."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from analysis import vn
from app.cli.main import cli
from app.core.config import get_settings
from tests.api.factories import upload_form
from tests.api.test_par import campaign, create_units, upload
from tests.api.test_results import compute, submit
from tests.support.par_seed_001 import LOCAL_BAND_SENTENCE, UNITS, par_csv


def answer(client: TestClient, headers: dict[str, str], campaign_id: int) -> None:
    """Ten answer sets at Mỹ Xuyên (8 satisfied) and ten at Công an tỉnh (all satisfied)."""
    for unit, scores in (("st-my-xuyen", [5] * 8 + [2] * 2), ("st-cong-an", [4] * 10)):
        for i, score in enumerate(scores):
            answers = {"S24": score, "FEEDBACK": "1", "S37": 5 if i % 2 else 3, "R_SEX": "1"}
            submit(client, headers, campaign_id, answers, unit_code=unit)


@pytest.fixture
def reported(client: TestClient, admin_headers: dict[str, str]) -> int:
    create_units(client, admin_headers)
    upload_form(client, admin_headers)
    campaign_id = campaign(client, admin_headers, scheme="soc-trang-unit")
    refused = client.get(f"/api/v1/campaigns/{campaign_id}/report.docx", headers=admin_headers)
    assert refused.status_code == 409
    assert refused.json()["error"] == "par_no_components"
    assert upload(client, admin_headers, campaign_id, par_csv(UNITS)).status_code == 200
    waiting = client.get(f"/api/v1/campaigns/{campaign_id}/report.docx", headers=admin_headers)
    assert waiting.json()["error"] == "report_needs_results"
    client.post(
        f"/api/v1/campaigns/{campaign_id}/status",
        json={"status": "fieldwork"},
        headers=admin_headers,
    )
    answer(client, admin_headers, campaign_id)
    compute(client, admin_headers, campaign_id)
    return campaign_id


def expected_group_table(api: dict[str, Any], group: dict[str, Any]) -> list[list[str]]:
    """The table the report must show for ``group``, from the API's figures."""
    rows = [r for r in api["rows"] if r["group"] == group["group"]]
    table = [
        [
            "STT", "Đơn vị", "Điểm chuẩn tối đa", "Điểm tự đánh giá", "Khảo sát CBCCVC",
            "Chỉ số Sipas", "Tổng điểm đạt được", f"Chỉ số CCHC {api['year']}", "Xếp loại",
        ]
    ]  # fmt: skip
    for r in rows:
        table.append(
            [
                str(r["rank_in_group"]), r["unit_name"], vn.points(r["standard_max"]),
                vn.points(r["self_assessment"]), vn.points(r["civil_servant_survey"]),
                vn.points(r["sipas_points"]), vn.points(r["total"]), vn.percent(r["percent"]),
                r["band_label"],
            ]
        )  # fmt: skip
    table.append(["", "TRUNG BÌNH", "", "", "", "", "", vn.percent(group["mean_percent"]), ""])
    return table


def test_word_report_matches_the_api(
    client: TestClient, admin_headers: dict[str, str], reported: int
) -> None:
    response = client.get(f"/api/v1/campaigns/{reported}/report.docx", headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(response.content))
    api = client.get(f"/api/v1/campaigns/{reported}/par", headers=admin_headers).json()
    cells = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    for index, group in enumerate(api["groups"]):
        assert cells[index] == expected_group_table(api, group), group["label"]
    local = cells[0]
    assert local[1][:2] == ["1", "UBND huyện Mỹ Xuyên"]
    assert local[1][7] == "83,84%"  # seed 001, line 67
    assert local[-1][7] == "77,08%"  # line 78

    text = "\n".join(p.text for p in document.paragraphs)
    assert LOCAL_BAND_SENTENCE in text  # line 62, word for word
    assert "thấp nhất là UBND thị xã Vĩnh Châu với tỷ lệ 69,05%" in text
    assert "lấy ý kiến đối với 20 người đã tham gia giải quyết thủ tục hành chính" in text
    assert "Những tiêu chí cần cải thiện" in text
    assert len(document.inline_shapes) == 2  # the two charts

    results = client.get(f"/api/v1/campaigns/{reported}/results", headers=admin_headers).json()
    by_unit = cells[len(api["groups"]) + 1]
    assert by_unit[0] == ["Đơn vị", "Số phiếu", "E", "K", "SIPAS"]
    my_xuyen = results["units"]["st-my-xuyen"]
    assert [
        "UBND huyện Mỹ Xuyên",
        "10",
        vn.percent(my_xuyen["subindices"]["E"]["rate"]),
        vn.percent(my_xuyen["subindices"]["K"]["rate"]),
        vn.percent(my_xuyen["sipas"]["rate"]),
    ] in by_unit


def test_pdf_report(client: TestClient, admin_headers: dict[str, str], reported: int) -> None:
    response = client.get(f"/api/v1/campaigns/{reported}/report.pdf", headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"%PDF-")
    assert response.headers["content-disposition"].endswith('.pdf"')


def test_command_line_writes_the_report(
    client: TestClient,
    admin_headers: dict[str, str],
    reported: int,
    migrated_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("SIPAS_DATABASE_URL", migrated_url)
    get_settings.cache_clear()
    try:
        out = tmp_path / "report.docx"
        result = CliRunner().invoke(cli, ["report", "--campaign", str(reported), "--out", str(out)])
        assert result.exit_code == 0, result.output
        document = Document(str(out))
        assert LOCAL_BAND_SENTENCE in "\n".join(p.text for p in document.paragraphs)
        missing = CliRunner().invoke(cli, ["report", "--campaign", "999", "--out", str(out)])
        assert missing.exit_code == 1
    finally:
        get_settings.cache_clear()
