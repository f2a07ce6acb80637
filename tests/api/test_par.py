"""The PAR table through the API: import with row errors, edit, scoped reading, SIPAS
points from the results, year on year and exports."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from analysis.par import UnitGroup
from app.auth.models import Role
from app.auth.repository import create_user
from app.demo import UNITS_CSV
from tests.api.factories import upload_form
from tests.api.test_results import api_key, compute, submit
from tests.support.accounts import supervise
from tests.support.pages import log_in
from tests.support.par_seed_001 import SENTENCES, UNITS, par_csv

CENT = Decimal("0.01")


def create_units(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/units/import",
        files={"file": ("units.csv", UNITS_CSV.read_bytes(), "text/csv")},
        headers=headers,
    )
    assert response.status_code == 200, response.text


def campaign(client: TestClient, headers: dict[str, str], *, scheme: str, year: int = 2023) -> int:
    response = client.post(
        "/api/v1/campaigns",
        json={
            "name": f"Chỉ số CCHC {year}",
            "year": year,
            "scope_unit_code": "st",
            "questionnaire_code": "small",
            "questionnaire_version": 1,
            "weight_scheme": scheme,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def upload(client: TestClient, headers: dict[str, str], campaign_id: int, content: bytes) -> Any:
    return client.post(
        f"/api/v1/campaigns/{campaign_id}/par/components",
        files={"file": ("chi-so-cchc.csv", content, "text/csv")},
        headers=headers,
    )


@pytest.fixture
def seeded(client: TestClient, admin_headers: dict[str, str]) -> int:
    """Seed 001's 21 units imported into a campaign on Sóc Trăng's scheme."""
    create_units(client, admin_headers)
    upload_form(client, admin_headers)
    campaign_id = campaign(client, admin_headers, scheme="soc-trang-unit")
    response = upload(client, admin_headers, campaign_id, par_csv(UNITS))
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 21
    return campaign_id


def test_seed_table_through_the_api(
    client: TestClient, admin_headers: dict[str, str], seeded: int
) -> None:
    body = client.get(f"/api/v1/campaigns/{seeded}/par", headers=admin_headers).json()
    rows = {r["unit_code"]: r for r in body["rows"]}
    for seed in UNITS:
        row = rows[seed.code]
        assert row["group"] == seed.group.value  # from the unit's kind: no Nhóm column
        assert row["sipas_points_source"] == "file"
        assert abs(Decimal(str(row["percent"])) - seed.published_percent) <= CENT * 2
    groups = {g["group"]: g for g in body["groups"]}
    local = groups[UnitGroup.LOCAL.value]
    assert local["band_counts"] == SENTENCES[UnitGroup.LOCAL].band_counts
    assert local["highest"] == ["st-my-xuyen"]
    assert local["lowest"] == ["st-vinh-chau"]
    assert round(local["mean_percent"], 2) == 77.08
    assert local["pooled_percent"] != local["mean_percent"]
    assert body["overall"]["units"] == 21
    assert body["previous_campaign_id"] is None


def test_a_bad_file_stores_nothing_and_names_rows_and_columns(
    client: TestClient, admin_headers: dict[str, str], seeded: int
) -> None:
    bad = (
        "Đơn vị;Nhóm;Điểm chuẩn tối đa;Điểm tự đánh giá;Khảo sát CBCCVC;Chỉ số Sipas\n"
        "UBND huyện Mỹ Xuyên;Cấp huyện;94,00;60;13,13;14,34\n"  # changed, but row 4 fails
        "Sở Không Có;Sở ngành;90;40;10;10\n"
        "UBND huyện Long Phú;Khối lạ;95;abc;13,46;14,27\n"
        "UBND huyện Mỹ Xuyên;Cấp huyện;94;40;30;30\n"
    ).encode()
    response = upload(client, admin_headers, seeded, bad)
    assert response.status_code == 422
    error = response.json()
    assert error["error"] == "par_rows_rejected"
    assert "3 dòng có lỗi" in error["detail"]
    where = {(f["row"], f["column_name"]) for f in error["fields"]}
    assert where == {
        (3, "Đơn vị"),
        (4, "Nhóm"),
        (4, "Điểm tự đánh giá"),
        (5, "Điểm chuẩn tối đa"),  # 40 + 30 + 30 > 94
        (5, "Đơn vị"),  # Mỹ Xuyên again
    }
    assert all(f["message"] for f in error["fields"])
    listed = client.get(f"/api/v1/campaigns/{seeded}/par/components", headers=admin_headers)
    my_xuyen = next(r for r in listed.json() if r["unit_code"] == "st-my-xuyen")
    assert Decimal(my_xuyen["self_assessment"]) == Decimal("51.34")  # untouched


def test_header_problems_are_named(
    client: TestClient, admin_headers: dict[str, str], seeded: int
) -> None:
    response = upload(client, admin_headers, seeded, "Đơn vị;Điểm;Ghi chú\nx;1;2\n".encode())
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "par_header"
    assert "«Ghi chú» (cột 3)" in body["detail"]
    assert "thiếu cột «Chỉ số Sipas»" in body["detail"]


def test_edit_one_unit_and_delete(
    client: TestClient, admin_headers: dict[str, str], seeded: int
) -> None:
    url = f"/api/v1/campaigns/{seeded}/par/components/st-vinh-chau"
    data = {
        "group": "local",
        "standard_max": "96",
        "self_assessment": "45",
        "civil_servant_survey": "12.84",
        "sipas_points": "13.59",
    }
    saved = client.put(url, json=data, headers=admin_headers)
    assert saved.status_code == 200, saved.text
    body = client.get(f"/api/v1/campaigns/{seeded}/par", headers=admin_headers).json()
    vinh_chau = next(r for r in body["rows"] if r["unit_code"] == "st-vinh-chau")
    assert vinh_chau["percent"] == pytest.approx((45 + 12.84 + 13.59) / 96 * 100)
    too_much = client.put(url, json={**data, "self_assessment": "80"}, headers=admin_headers)
    assert too_much.status_code == 422
    without = client.put(url, json={**data, "sipas_points": None}, headers=admin_headers)
    assert without.status_code == 422
    assert without.json()["error"] == "par_sipas_points_needed"
    assert client.delete(url, headers=admin_headers).status_code == 204
    assert client.delete(url, headers=admin_headers).status_code == 404
    outside = client.put(
        f"/api/v1/campaigns/{seeded}/par/components/nowhere", json=data, headers=admin_headers
    )
    assert outside.status_code == 404
    assert outside.json()["error"] == "par_unit_not_found"


def test_keys_read_only_their_campaigns(
    client: TestClient, admin_headers: dict[str, str], seeded: int
) -> None:
    other = campaign(client, admin_headers, scheme="soc-trang-unit")
    key = api_key(client, admin_headers, "par-scoring", [seeded])
    auth = {"Authorization": f"Bearer {key['token']}"}
    assert client.get(f"/api/v1/campaigns/{seeded}/par", headers=auth).status_code == 200
    refused = client.get(f"/api/v1/campaigns/{other}/par", headers=auth)
    assert refused.status_code == 403
    assert refused.json()["error"] == "campaign_not_in_scope"
    assert client.get(f"/api/v1/campaigns/{seeded}/par.csv", headers=auth).status_code == 200
    assert client.get(f"/api/v1/campaigns/{seeded}/par").status_code == 401
    assert upload(client, auth, seeded, par_csv(UNITS)).status_code == 403


def test_year_on_year_against_the_earlier_campaign(
    client: TestClient, admin_headers: dict[str, str], seeded: int
) -> None:
    later = campaign(client, admin_headers, scheme="soc-trang-unit", year=2024)
    lower = [s for s in UNITS if s.group is UnitGroup.CENTRAL_AGENCY]
    text = par_csv(lower).decode().replace("20,36", "10,36")  # Chi cục Hải quan loses 10
    assert upload(client, admin_headers, later, text.encode()).status_code == 200
    body = client.get(f"/api/v1/campaigns/{later}/par", headers=admin_headers).json()
    assert (body["previous_campaign_id"], body["previous_year"]) == (seeded, 2023)
    customs = next(r for r in body["rows"] if r["unit_code"] == "st-hai-quan")
    assert customs["change"] == pytest.approx(-10 / 94 * 100)
    assert (body["overall"]["lower_than_previous"], body["overall"]["compared"]) == (1, 6)
    key = api_key(client, admin_headers, "only-2024", [later])
    scoped = client.get(
        f"/api/v1/campaigns/{later}/par", headers={"Authorization": f"Bearer {key['token']}"}
    ).json()
    assert scoped["previous_campaign_id"] is None  # the key may not read 2023
    assert all(r["change"] is None for r in scoped["rows"])


def test_sipas_points_come_from_the_results(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """An Giang's scheme: SIPAS = 32 × the unit's overall rate; a unit under the minimum
    cell size has its figures withheld and stays unscored."""
    create_units(client, admin_headers)
    upload_form(client, admin_headers)
    campaign_id = campaign(client, admin_headers, scheme="an-giang-unit")
    moved = client.post(
        f"/api/v1/campaigns/{campaign_id}/status",
        json={"status": "fieldwork"},
        headers=admin_headers,
    )
    assert moved.status_code == 200
    for score in [5] * 9 + [2] * 3:  # 9 of 12 satisfied on S24: 75%
        submit(client, admin_headers, campaign_id, {"S24": score, "FEEDBACK": "2", "R_SEX": "1"},
               unit_code="st-so-tu-phap")  # fmt: skip
    submit(
        client,
        admin_headers,
        campaign_id,
        {"S24": 5, "FEEDBACK": "2", "R_SEX": "1"},
        unit_code="st-so-y-te",
    )
    header = "Đơn vị;Điểm chuẩn tối đa;Điểm tự đánh giá;Khảo sát CBCCVC\n"
    refused = upload(
        client,
        admin_headers,
        campaign_id,
        (header[:-1] + ";Chỉ số Sipas\nSở Tư pháp;100;50;0;9\n").encode(),
    )
    assert refused.status_code == 422
    assert "an-giang-unit" in refused.json()["detail"]
    rows = header + "Sở Tư pháp;100;50;0\nst-so-y-te;100;60;0\n"
    assert upload(client, admin_headers, campaign_id, rows.encode()).status_code == 200
    missing = client.get(f"/api/v1/campaigns/{campaign_id}/par", headers=admin_headers)
    assert missing.status_code == 404
    assert missing.json()["error"] == "results_not_computed"
    compute(client, admin_headers, campaign_id)
    body = client.get(f"/api/v1/campaigns/{campaign_id}/par", headers=admin_headers).json()
    rows_by_code = {r["unit_code"]: r for r in body["rows"]}
    justice = rows_by_code["st-so-tu-phap"]
    assert justice["sipas_points_source"] == "results"
    assert justice["sipas_points"] == pytest.approx(32 * 0.75)
    assert justice["percent"] == pytest.approx(50 + 24)
    assert justice["band"] == "C"
    assert rows_by_code["st-so-y-te"]["percent"] is None  # no public figure for it


def test_exports(client: TestClient, admin_headers: dict[str, str], seeded: int) -> None:
    text = client.get(f"/api/v1/campaigns/{seeded}/par.csv", headers=admin_headers)
    assert text.status_code == 200
    table = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["Mã đơn vị", "Đơn vị", "Nhóm"]
    my_xuyen = next(r for r in table if r[0] == "st-my-xuyen")
    assert my_xuyen[8] == "83.84"
    assert my_xuyen[9] == "1"
    averages = [
        r for r in table if r[1].startswith("TRUNG BÌNH") and r[2] == "UBND cấp huyện, cấp xã"
    ]
    assert averages[0][8] == "77.08"
    book = load_workbook(
        io.BytesIO(
            client.get(f"/api/v1/campaigns/{seeded}/par.xlsx", headers=admin_headers).content
        )
    )
    sheet = book.active
    assert sheet is not None
    assert sheet.cell(row=1, column=9).value == "Chỉ số CCHC 2023 (%)"


def test_staff_page_corrects_one_unit(
    client: TestClient, admin_headers: dict[str, str], seeded: int, db: Session
) -> None:
    """A unit corrected on the staff page (decimal comma), a bad number refused with the
    page shown again; a supervisor sees the table but may not change it."""
    create_user(db, username="quantri", role=Role.ADMIN, password="mat-khau-quan-tri-vien")
    create_user(db, username="giamsat", role=Role.SUPERVISOR, password="mat-khau-giam-sat")
    db.commit()
    supervise(db, "giamsat", seeded)
    csrf = log_in(client, "staff", "quantri", "mat-khau-quan-tri-vien")
    page = client.get(f"/staff/campaigns/{seeded}/par")
    assert page.status_code == 200
    assert "UBND huyện Mỹ Xuyên" in page.text
    assert "83,84%" in page.text
    form = {
        "csrf_token": csrf,
        "group": "local",
        "standard_max": "94,00",
        "self_assessment": "52,34",
        "civil_servant_survey": "13,13",
        "sipas_points": "14,34",
    }
    url = f"/staff/campaigns/{seeded}/par/units/st-my-xuyen"
    saved = client.post(url, data=form, follow_redirects=False)
    assert saved.status_code == 303
    body = client.get(f"/api/v1/campaigns/{seeded}/par", headers=admin_headers).json()
    my_xuyen = next(r for r in body["rows"] if r["unit_code"] == "st-my-xuyen")
    assert my_xuyen["percent"] == pytest.approx((52.34 + 13.13 + 14.34) / 94 * 100)
    refused = client.post(url, data={**form, "self_assessment": "năm mươi"})
    assert refused.status_code == 422
    assert "số liệu không hợp lệ" in refused.text
    client.cookies.clear()
    csrf = log_in(client, "staff", "giamsat", "mat-khau-giam-sat")
    assert "Nhập tệp" not in client.get(f"/staff/campaigns/{seeded}/par").text
    forbidden = client.post(url, data={**form, "csrf_token": csrf}, follow_redirects=False)
    assert forbidden.status_code in (303, 403)
    unchanged = client.get(f"/api/v1/campaigns/{seeded}/par", headers=admin_headers).json()
    assert next(r for r in unchanged["rows"] if r["unit_code"] == "st-my-xuyen") == my_xuyen
