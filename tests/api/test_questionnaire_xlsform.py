"""Questionnaires as XLSForm through the API: download a version, upload a new draft or
replace one; a form with what a questionnaire cannot hold answers 422 by sheet and row."""

from __future__ import annotations

import io
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from questionnaires import bundled_path, load_questionnaire, load_questionnaire_file
from questionnaires.xlsform import from_xlsform, to_xlsform
from tests.api.factories import SMALL_FORM, create_campaign, create_province, upload_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_version_downloads_as_an_xlsform_that_reads_back_equal(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    upload_form(client, admin_headers, bundled_path("national-2024").read_text("utf-8"))
    response = client.get(
        "/api/v1/questionnaires/national-2024/versions/1/xlsform", headers=admin_headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert 'filename="national-2024-v1.xlsx"' in response.headers["content-disposition"]
    assert from_xlsform(response.content) == load_questionnaire_file(bundled_path("national-2024"))
    missing = client.get(
        "/api/v1/questionnaires/national-2024/versions/9/xlsform", headers=admin_headers
    )
    assert missing.status_code == 404


def test_a_version_xlsform_cannot_carry_answers_422_naming_the_code(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    upload_form(client, admin_headers, SMALL_FORM.replace("code: R_SEX", "code: R SEX"))
    response = client.get("/api/v1/questionnaires/small/versions/1/xlsform", headers=admin_headers)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "xlsform_not_exportable"
    assert [f["message"] for f in body["fields"]] == [
        "Mã «R SEX» không dùng được làm tên trong XLSForm (cần bắt đầu bằng chữ cái hoặc dấu "
        "gạch dưới, sau đó chỉ gồm chữ, số, «_», «.», «-»); xin đổi mã."
    ]


def test_an_uploaded_xlsform_is_stored_as_a_draft_equal_to_its_form(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    form = load_questionnaire_file(bundled_path("unit-service"))
    response = client.post(
        "/api/v1/questionnaires/xlsform",
        content=to_xlsform(form),
        headers={**admin_headers, "Content-Type": XLSX},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["code"], body["version"], body["status"]) == ("unit-service", 1, "draft")
    assert body["criteria_count"] == 16
    stored = client.get(
        "/api/v1/questionnaires/unit-service/versions/1/xlsform", headers=admin_headers
    )
    assert from_xlsform(stored.content) == form


def test_a_draft_is_replaced_from_an_xlsform_and_a_published_version_is_not(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    upload_form(client, admin_headers, publish=False)
    changed = load_questionnaire(SMALL_FORM.replace("Phiếu thử nghiệm", "Phiếu sửa từ Excel"))
    address = "/api/v1/questionnaires/small/versions/1/xlsform"
    headers = {**admin_headers, "Content-Type": XLSX}
    put = client.put(address, content=to_xlsform(changed), headers=headers)
    assert put.status_code == 200, put.text
    assert put.json()["title"] == "Phiếu sửa từ Excel"
    other = load_questionnaire(SMALL_FORM.replace("code: small", "code: other"))
    mismatch = client.put(address, content=to_xlsform(other), headers=headers)
    assert mismatch.status_code == 422
    assert mismatch.json()["error"] == "questionnaire_code_mismatch"
    client.post("/api/v1/questionnaires/small/versions/1/publish", headers=admin_headers)
    frozen = client.put(address, content=to_xlsform(changed), headers=headers)
    assert frozen.status_code == 409


def _kobo_form() -> bytes:
    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    rows: list[list[Any]] = [
        ["type", "name", "label::English (en)", "relevant"],
        ["begin group", "g", "Group", None],
        ["select_one yn", "consent", "Consent?", None],
        ["begin repeat", "kids", "Children", None],
        ["integer", "age", "Age", "${consent} != 'y'"],
        ["end repeat", None, None, None],
        ["end group", None, None, None],
    ]
    for row in rows:
        survey.append(row)
    choices = book.create_sheet("choices")
    for row in [["list_name", "name", "label::English (en)"], ["yn", "y", "Yes"]]:
        choices.append(row)
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append(["Kobo", "kobo", "1"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsform_with_unsupported_parts_is_refused_by_sheet_and_row(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/questionnaires/xlsform",
        content=_kobo_form(),
        headers={**admin_headers, "Content-Type": XLSX},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_xlsform"
    assert body["detail"].startswith("Tệp XLSForm có 3 lỗi; chưa lưu gì.")
    found = {(f["sheet"], f["row"], f["column"], f["code"]) for f in body["fields"]}
    assert found == {
        ("survey", 4, "type", "xlsform_unsupported_type"),
        ("survey", 5, "relevant", "xlsform_unsupported_relevant"),
        ("survey", 6, "type", "xlsform_unsupported_type"),
    }
    first = next(f for f in body["fields"] if f["row"] == 4)
    assert first["path"] == "Trang tính «survey», dòng 4, cột «type»"
    assert first["message"].startswith("Kiểu câu hỏi «begin repeat» không được hỗ trợ")
    assert client.get("/api/v1/questionnaires", headers=admin_headers).json() == []

    garbage = client.post(
        "/api/v1/questionnaires/xlsform",
        content=b"PK not really a workbook",
        headers={**admin_headers, "Content-Type": XLSX},
    )
    assert garbage.status_code == 422
    assert [f["code"] for f in garbage.json()["fields"]] == ["xlsform_unreadable"]


def test_an_xlsform_that_breaks_questionnaire_rules_lists_them_in_vietnamese(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    book = load_workbook(io.BytesIO(to_xlsform(load_questionnaire(SMALL_FORM))))
    book["survey"]["B8"] = "S24"  # R_SEX becomes a second S24
    book["survey"]["I5"] = 24  # S37 takes S24's criterion number
    book["sipas_subindices"]["B2"] = "nowhere"
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(
        "/api/v1/questionnaires/xlsform",
        content=buffer.getvalue(),
        headers={**admin_headers, "Content-Type": XLSX},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_xlsform"
    found = {(f["path"], f["code"], f["message"]) for f in body["fields"]}
    assert found == {
        (
            "Trang tính «survey», dòng 8",
            "questionnaire_item_code_twice",
            "Mã câu hỏi «S24» bị dùng hai lần.",
        ),
        (
            "Trang tính «survey», dòng 5",
            "questionnaire_criterion_number_twice",
            "Số thứ tự tiêu chí 24 đã dùng cho «S24».",
        ),
        (
            "Trang tính «sipas_subindices», dòng 2",
            "questionnaire_half_unknown",
            "Nửa «nowhere» chưa được khai báo trong halves.",
        ),
    }
    assert client.get("/api/v1/questionnaires", headers=admin_headers).json() == []


def test_an_api_key_downloads_only_the_versions_its_campaigns_use(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    create_province(client, admin_headers)
    upload_form(client, admin_headers)
    upload_form(client, admin_headers, bundled_path("unit-service").read_text("utf-8"))
    campaign = create_campaign(client, admin_headers)
    key = client.post(
        "/api/v1/api-keys",
        json={"name": "odk", "campaign_ids": [campaign]},
        headers=admin_headers,
    ).json()["token"]
    headers = {"Authorization": f"Bearer {key}"}
    own = client.get("/api/v1/questionnaires/small/versions/1/xlsform", headers=headers)
    assert own.status_code == 200
    other = client.get("/api/v1/questionnaires/unit-service/versions/1/xlsform", headers=headers)
    assert other.status_code == 404
    upload = client.post(
        "/api/v1/questionnaires/xlsform",
        content=own.content,
        headers={**headers, "Content-Type": XLSX},
    )
    assert upload.status_code == 403
