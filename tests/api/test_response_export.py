"""The respondent-level export: each format read back with its labels, a sub-index
re-computed from the exported data equal to the platform's, filters, questionnaire
versions, the command line, and personal data only for administrators who ask."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from itertools import zip_longest
from pathlib import Path
from typing import Any

import pyreadstat
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.campaign.models import Campaign
from app.campaign.scope import set_supervisor_scope
from app.cli.main import cli
from app.core.config import get_settings
from app.questionnaire.models import QuestionnaireVersion
from app.response.models import Response, ReviewState
from app.response.review import review
from app.unit.models import Unit
from tests.api.conftest import make_token
from tests.api.factories import (
    SMALL_FORM,
    add_respondents,
    response_body,
    setup_campaign,
    upload_form,
)
from tests.api.test_results_design import results, set_rows

EXPORT = "/api/v1/campaigns/{}/responses/export"
S24_TEXT = "Bộ phận Một cửa có biển hiệu, hướng dẫn rõ ràng, dễ tìm, dễ thấy."


def answers(s24: int, **extra: Any) -> dict[str, Any]:
    return {"S24": s24, "FEEDBACK": "2", "R_SEX": "1", **extra}


def submit(client: TestClient, headers: dict[str, str], campaign_id: int, body: Any) -> None:
    stored = client.post(f"/api/v1/campaigns/{campaign_id}/responses", json=body, headers=headers)
    assert stored.status_code == 201, stored.text


@pytest.fixture
def campaign(client: TestClient, admin_headers: dict[str, str], db: Session) -> int:
    """Fourteen drawn (d = 2) in strata a (8) and b (6, one refused); twelve answer S24
    (a: 5, 4, 2, 5, 1, 4, 3; b: 4, 4, 2, 5, 1) and a's eighth answer is rejected in
    review; one unsampled partial response of unit ``st``. Non-response-adjusted
    weights: a 2 · 8/7 = 16/7, b 2 · 6/5 = 12/5."""
    campaign_id = setup_campaign(client, admin_headers)
    first = add_respondents(db, campaign_id, 8, stratum="a")
    second = add_respondents(db, campaign_id, 6, stratum="b")
    scores = [5, 4, 2, 5, 1, 4, 3, 5, 4, 4, 2, 5, 1]
    for respondent_id, score in zip(first + second[:5], scores, strict=True):
        body = response_body(answers(score, NOTE="=HYPERLINK(1)"), respondent_id=respondent_id)
        submit(client, admin_headers, campaign_id, body)
    set_rows(db, [second[5]], outcome="refused")
    rejected = db.execute(select(Response).where(Response.respondent_id == first[7])).scalar_one()
    review(db, rejected.id, ReviewState.REJECTED, "Trùng phiếu", actor=None)
    submit(
        client,
        admin_headers,
        campaign_id,
        response_body({"S24": 3}, status="partial", unit_code="st"),
    )
    return campaign_id


def export(client: TestClient, headers: dict[str, str], campaign_id: int, **params: Any) -> Any:
    return client.get(EXPORT.format(campaign_id), params=params, headers=headers)


def csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def read_statistical(content: bytes, file_format: str, tmp_path: Path) -> tuple[Any, Any]:
    """pyreadstat's data frame and metadata of a ``.sav`` or ``.dta`` export."""
    path = tmp_path / f"export.{file_format}"
    path.write_bytes(content)
    reader = pyreadstat.read_sav if file_format == "sav" else pyreadstat.read_dta
    return reader(str(path))


def read_back(content: bytes, file_format: str, tmp_path: Path) -> list[dict[str, Any]]:
    """The rows of an export as dictionaries, numbers as floats and missing as None."""

    def number(value: Any) -> Any:
        if value in ("", None) or value != value:  # NaN
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            return value

    if file_format == "csv":
        return [{k: number(v) for k, v in row.items()} for row in csv_rows(content)]
    if file_format == "xlsx":
        book = load_workbook(io.BytesIO(content), read_only=True)
        assert book.sheetnames == ["Dữ liệu", "Từ điển biến"]
        lines = list(book["Dữ liệu"].iter_rows(values_only=True))
        return [{str(k): number(v) for k, v in zip_longest(lines[0], line)} for line in lines[1:]]
    frame, _ = read_statistical(content, file_format, tmp_path)
    return [{k: number(v) for k, v in row.items()} for row in frame.to_dict("records")]


def subindex_rate(rows: list[dict[str, Any]], criteria: list[str]) -> float:
    """SIPAS.md §3: a criterion's rate is the weighted share of 4 and 5 among valid
    answers; a sub-index is the mean of its criteria. Rows with a weight are those the
    results count."""
    counted = [row for row in rows if row["trong_so"] is not None]
    rates: list[float] = []
    for code in criteria:
        valid = [row for row in counted if row[code] is not None]
        satisfied = sum(float(row["trong_so"]) for row in valid if row[code] >= 4)
        rates.append(100 * satisfied / sum(float(row["trong_so"]) for row in valid))
    return sum(rates) / len(rates)


def test_csv_has_one_row_per_response_with_its_design(
    client: TestClient, admin_headers: dict[str, str], campaign: int
) -> None:
    got = export(client, admin_headers, campaign)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == "text/csv; charset=utf-8"
    assert got.headers["x-rows"] == "13"
    rows = csv_rows(got.content)
    assert list(rows[0]) == [
        *("ma_phieu", "ma_don_vi", "ten_don_vi", "phien_ban", "hinh_thuc", "trang_thai"),
        *("duyet", "ngay_nhan", "tang", "cum", "xac_suat_chon", "trong_so_thiet_ke"),
        *("trong_so", "ty_le_chon_tang", "ket_qua_tiep_can"),
        *("S24", "FEEDBACK", "S37", "R_SEX", "NOTE"),
    ]
    assert len(rows) == 13  # the rejected response is left out
    first, partial = rows[0], rows[-1]
    design = (first["tang"], first["xac_suat_chon"], first["trong_so_thiet_ke"])
    assert design == ("a", "0.5", "2.0")
    assert float(first["trong_so"]) == pytest.approx(16 / 7)
    assert rows[7]["tang"] == "b"
    assert float(rows[7]["trong_so"]) == pytest.approx(12 / 5)
    assert (first["ket_qua_tiep_can"], first["S24"], first["S37"]) == ("1", "5", "")
    assert first["NOTE"] == "'=HYPERLINK(1)"  # never a live formula
    assert (partial["trang_thai"], partial["ma_don_vi"], partial["ten_don_vi"]) == (
        "2",
        "st",
        "Tỉnh Sóc Trăng",
    )
    assert partial["tang"] == partial["trong_so"] == partial["ket_qua_tiep_can"] == ""
    assert "ho_ten" not in first


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "sav", "dta"])
def test_each_format_reads_back_and_gives_the_platforms_subindex(
    client: TestClient,
    admin_headers: dict[str, str],
    campaign: int,
    file_format: str,
    tmp_path: Path,
) -> None:
    platform = results(client, admin_headers, campaign)
    got = export(client, admin_headers, campaign, format=file_format)
    assert got.status_code == 200, got.text
    assert got.headers["content-disposition"].endswith(f'-responses.{file_format}"')
    rows = read_back(got.content, file_format, tmp_path)
    assert len(rows) == 13
    # E has one criterion (S24): (16/7·4 + 12/5·3) / (16/7·7 + 12/5·5) × 100.
    assert subindex_rate(rows, ["S24"]) == pytest.approx(platform["subindices"]["E"]["rate"])
    assert subindex_rate(rows, ["S24"]) == pytest.approx(100 * (64 / 7 + 36 / 5) / 28)


@pytest.mark.parametrize("file_format", ["sav", "dta"])
def test_statistical_files_carry_vietnamese_labels(
    client: TestClient,
    admin_headers: dict[str, str],
    campaign: int,
    file_format: str,
    tmp_path: Path,
) -> None:
    got = export(client, admin_headers, campaign, format=file_format)
    frame, meta = read_statistical(got.content, file_format, tmp_path)
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["S24"] == S24_TEXT
    assert str(labels["trong_so"]).startswith("Trọng số đã hiệu chỉnh")
    assert labels["tang"] == "Tầng mẫu"
    values = meta.variable_value_labels
    assert values["S24"][5] == "Rất hài lòng"
    assert values["R_SEX"] == {1: "Nam", 2: "Nữ"}
    assert values["duyet"][4] == "Bị loại"
    assert values["ket_qua_tiep_can"][1] == "Hoàn thành (AAPOR 1.1)"
    assert str(meta.file_label).startswith("Khảo sát")
    assert list(frame["tang"])[:1] == ["a"]


def test_filters_by_review_state_status_unit_and_date(
    client: TestClient, admin_headers: dict[str, str], campaign: int
) -> None:
    def ids(**params: Any) -> list[str]:
        got = export(client, admin_headers, campaign, **params)
        assert got.status_code == 200, got.text
        return [row["ma_phieu"] for row in csv_rows(got.content)]

    everything = ids(review_state=["received", "approved", "has_issues", "rejected"])
    assert len(everything) == 14
    rejected = csv_rows(export(client, admin_headers, campaign, review_state="rejected").content)
    assert len(rejected) == 1
    # Its person counts as after a partial interview; its response carries no weight.
    assert (rejected[0]["trong_so"], rejected[0]["ket_qua_tiep_can"]) == ("", "2")
    assert ids(status="partial") == [everything[-1]]
    assert ids(unit="st") == [everything[-1]]
    today = datetime.now(UTC).date()
    assert len(ids(date_from=today.isoformat(), date_to=today.isoformat())) == 13
    assert ids(date_to=(today - timedelta(days=1)).isoformat()) == []
    unknown = export(client, admin_headers, campaign, unit="khong-co")
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == (
        "Không có đơn vị mã khong-co; xin kiểm tra lại mã đơn vị trong bộ lọc."
    )
    backwards = export(
        client, admin_headers, campaign, date_from=today.isoformat(), date_to="2020-01-01"
    )
    assert backwards.status_code == 422
    assert "sau ngày kết thúc" in backwards.json()["detail"]


def test_personal_data_only_for_an_administrator_who_asks(
    client: TestClient, admin_headers: dict[str, str], campaign: int, db: Session
) -> None:
    got = export(client, admin_headers, campaign, include_personal="true", format="xlsx")
    assert got.status_code == 200, got.text
    sheet = load_workbook(io.BytesIO(got.content), read_only=True)["Dữ liệu"]
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][-3:] == ("ho_ten", "dien_thoai", "dia_chi")
    name = lines[0].index("ho_ten")
    assert lines[1][name : name + 2] == ("Người dân 1", "0912000001")
    event = db.execute(
        select(AuditEvent).where(AuditEvent.action == "responses.export_personal")
    ).scalar_one()
    assert event.payload == {"rows": 13, "format": "xlsx"}

    supervisor = {"Authorization": f"Bearer {make_token(db, 'gsv', Role.SUPERVISOR)}"}
    user = db.execute(select(User).where(User.username == "gsv")).scalar_one()
    assert export(client, supervisor, campaign).status_code == 403  # not given the campaign
    set_supervisor_scope(db, user.id, campaign_ids=[campaign], unit_ids=[], actor=None)
    assert export(client, supervisor, campaign).status_code == 200
    st = db.execute(select(Unit.id).where(Unit.code == "st")).scalar_one()
    set_supervisor_scope(db, user.id, campaign_ids=[campaign], unit_ids=[st], actor=None)
    own = csv_rows(export(client, supervisor, campaign).content)
    assert [row["ma_don_vi"] for row in own] == ["st"]  # only their units' responses
    refused = export(client, supervisor, campaign, include_personal="true")
    assert refused.status_code == 403
    assert refused.json()["error"] == "export_personal_for_admins"
    assert refused.json()["detail"].startswith("Chỉ quản trị viên (Sở Nội vụ) được xuất")

    key = client.post(
        "/api/v1/api-keys", json={"name": "par", "campaign_ids": [campaign]}, headers=admin_headers
    ).json()
    scoring = {"Authorization": f"Bearer {key['token']}"}
    assert "ho_ten" not in csv_rows(export(client, scoring, campaign).content)[0]
    assert export(client, scoring, campaign, include_personal="true").status_code == 403
    assert export(client, scoring, campaign + 1).status_code == 403
    surveyor = {"Authorization": f"Bearer {make_token(db, 'dtv', Role.SURVEYOR)}"}
    assert export(client, surveyor, campaign).status_code == 403


def test_columns_are_the_union_of_the_campaigns_questionnaire_versions(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    """A response given on version 1 (with NOTE) and one on version 2 (NOTE dropped,
    AGE added): one column per code, version 2's first (the campaign's), then NOTE."""
    campaign_id = setup_campaign(client, admin_headers)
    submit(client, admin_headers, campaign_id, response_body(answers(4, NOTE="cũ")))
    second = SMALL_FORM.replace(
        "      - {code: NOTE, type: text, text: Ý kiến khác}",
        "      - {code: AGE, type: number, text: Tuổi, min: 18, max: 100}",
    )
    assert upload_form(client, admin_headers, second)["version"] == 2
    campaign = db.get(Campaign, campaign_id)
    assert campaign is not None
    campaign.questionnaire_version_id = db.execute(
        select(func.max(QuestionnaireVersion.id))
    ).scalar_one()
    db.commit()
    submit(client, admin_headers, campaign_id, response_body(answers(5, AGE=40)))
    rows = csv_rows(export(client, admin_headers, campaign_id).content)
    assert list(rows[0])[15:] == ["S24", "FEEDBACK", "S37", "R_SEX", "AGE", "NOTE"]
    assert [(r["phien_ban"], r["AGE"], r["NOTE"]) for r in rows] == [
        ("1", "", "cũ"),
        ("2", "40.0", ""),
    ]


def test_the_command_line_writes_the_export(
    api: FastAPI,
    client: TestClient,
    admin_headers: dict[str, str],
    campaign: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "SIPAS_DATABASE_URL", api.state.engine.url.render_as_string(hide_password=False)
    )
    get_settings.cache_clear()
    out = tmp_path / "phieu.sav"
    try:
        done = CliRunner().invoke(
            cli,
            [
                *("export", "responses", "--campaign", str(campaign), "--out", str(out)),
                *("--review-state", "rejected", "--include-personal"),
            ],
        )
        missing = CliRunner().invoke(
            cli, ["export", "responses", "--campaign", "999", "--out", str(tmp_path / "x.csv")]
        )
    finally:
        get_settings.cache_clear()
    assert done.exit_code == 0, done.output
    assert "1 phiếu" in done.output
    frame, meta = pyreadstat.read_sav(str(out))
    assert list(frame["ho_ten"]) == ["Người dân 8"]
    assert meta.variable_value_labels["duyet"][4] == "Bị loại"
    assert missing.exit_code == 1
    assert "Không có đợt khảo sát" in missing.output
