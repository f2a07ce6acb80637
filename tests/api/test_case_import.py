"""Case-list import: good rows stored, every bad row reported, failures store nothing."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.case import service
from app.case.models import Case, CaseFrame, CaseRejection, Channel
from app.core.messages import message
from tests.api.sampling_data import HEADER, case_lines, csv_bytes, setup, upload


def _count(db: Session, model: type) -> int:
    db.expire_all()
    return int(db.execute(select(func.count()).select_from(model)).scalar_one())


def test_bad_rows_are_reported_and_good_rows_stored(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    good = case_lines(3)  # rows 2..10
    bad = [
        "10,B1,Khai sinh,Hộ tịch,Sở Tư pháp,Lê Thị Bé,12345,Ấp 1,01/03/2024,05/03/2024,Trực tiếp",
        "11,B2,Khai sinh,Hộ tịch,Sở Tư pháp,Lê Thị Cả,0912000111,Ấp 1,31/02/2024,05/03/2024,",
        "12,B3,Khai sinh,Hộ tịch,,Lê Thị Đủ,0912000112,Ấp 1,01/03/2024,05/03/2024,",
    ]
    data = csv_bytes(good + bad)
    # A Windows-1258 byte pasted into a UTF-8 file: "Trén" with é as 0xE9.
    data += "13,B4,Khai sinh,Hộ tịch,Sở Tư pháp,Tr".encode() + b"\xe9n V\xe3n E,0912000113,,,,\n"
    data += "14,B5,Khai sinh,Hộ tịch,Sở Không Có,Phạm F,+84 912.000.114,,,,\n".encode()
    response = upload(client, admin_headers, campaign_id, data)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["already_imported"] is False
    assert body["case_list"]["row_count"] == 14
    assert body["case_list"]["accepted_count"] == 9
    assert body["case_list"]["rejected_count"] == 5
    reasons = {(r["row"], r["column"]): r["reason"] for r in body["rejections"]}
    assert reasons[(11, "Số điện thoại")] == message("case_phone_invalid", value="12345")
    assert reasons[(12, "Ngày tiếp nhận")] == message("case_date_invalid", value="31/02/2024")
    assert reasons[(13, "Cơ quan giải quyết")] == message("case_unit_missing")
    assert reasons[(14, "Họ tên")] == message("undecodable_bytes")
    assert reasons[(15, "Cơ quan giải quyết")] == message("case_unit_unknown", value="Sở Không Có")
    assert _count(db, Case) == 9

    case = db.execute(select(Case).where(Case.case_code == "HS00002")).scalar_one()
    assert case.phone == "0900000001"
    assert case.channel is Channel.ONLINE
    assert case.applicant_name == "Nguyễn Văn 1"

    report = client.get(
        f"/api/v1/case-lists/{body['case_list']['id']}/rejections", headers=admin_headers
    ).json()
    assert [r["row"] for r in report] == [11, 12, 13, 14, 15]

    again = upload(client, admin_headers, campaign_id, data)
    assert again.status_code == 200
    assert again.json()["already_imported"] is True
    assert "đã được nhập" in again.json()["message"]
    assert _count(db, Case) == 9
    assert _count(db, CaseFrame) == 1


def as_file(rows: list[list[Any]], file_format: str) -> tuple[bytes, str]:
    """The same table as a CSV file or as an XLSX workbook."""
    if file_format == "csv":
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(rows)
        return text.getvalue().encode("utf-8"), "cases.csv"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), "cases.xlsx"


COLUMNS = ["Mã hồ sơ", "Cơ quan giải quyết", "Họ tên", "Số điện thoại"]


def person(number: int, code: str | None = None, name: str | None = "") -> list[Any]:
    return [
        f"HS{number:03d}" if code is None else code,
        "Sở Tư pháp",
        f"Nguyễn Văn {number}" if name == "" else name,
        f"09120001{number:02d}",
    ]


def reasons(body: dict[str, Any]) -> dict[tuple[int, str | None], str]:
    return {(r["row"], r["column"]): r["reason"] for r in body["rejections"]}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_case_import_rejects_rows_with_an_empty_case_code(
    client: TestClient, admin_headers: dict[str, str], db: Session, file_format: str
) -> None:
    campaign_id = setup(client, admin_headers)
    data, name = as_file([COLUMNS, person(1), person(2, code=""), person(3)], file_format)
    body = upload(client, admin_headers, campaign_id, data, name).json()
    assert body["case_list"]["accepted_count"] == 2
    assert reasons(body) == {(3, "Mã hồ sơ"): message("case_code_missing")}
    assert _count(db, Case) == 2


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_case_import_rejects_rows_with_an_empty_name(
    client: TestClient, admin_headers: dict[str, str], db: Session, file_format: str
) -> None:
    campaign_id = setup(client, admin_headers)
    data, name = as_file(
        [COLUMNS, person(1, name="  "), person(2), person(3, name=None)], file_format
    )
    body = upload(client, admin_headers, campaign_id, data, name).json()
    assert body["case_list"]["accepted_count"] == 1
    assert reasons(body) == {
        (2, "Họ tên"): message("case_name_missing"),
        (4, "Họ tên"): message("case_name_missing"),
    }
    assert db.execute(select(Case.case_code)).scalar_one() == "HS002"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_case_import_rejects_repeated_case_codes_keeping_the_first(
    client: TestClient, admin_headers: dict[str, str], db: Session, file_format: str
) -> None:
    campaign_id = setup(client, admin_headers)
    rows = [COLUMNS, person(1), person(2), person(3, code="HS001"), person(4)]
    rows += [person(5, code="HS002"), person(6, code="HS001")]
    data, name = as_file(rows, file_format)
    body = upload(client, admin_headers, campaign_id, data, name).json()
    assert (body["case_list"]["accepted_count"], body["case_list"]["rejected_count"]) == (3, 3)
    assert reasons(body) == {
        (4, "Mã hồ sơ"): message("case_code_repeated", value="HS001", row=2),
        (6, "Mã hồ sơ"): message("case_code_repeated", value="HS002", row=3),
        (7, "Mã hồ sơ"): message("case_code_repeated", value="HS001", row=2),
    }
    assert body["rejections_total"] == 3
    stored = db.execute(select(Case.case_code, Case.row_number).order_by(Case.row_number)).all()
    assert [tuple(r) for r in stored] == [("HS001", 2), ("HS002", 3), ("HS004", 5)]
    listed = client.get(
        f"/api/v1/case-lists/{body['case_list']['id']}/rejections", headers=admin_headers
    ).json()
    assert [r["row"] for r in listed] == [4, 6, 7]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_unknown_columns_are_ignored_and_reported(
    client: TestClient, admin_headers: dict[str, str], db: Session, file_format: str
) -> None:
    campaign_id = setup(client, admin_headers)
    header = ["STT", *COLUMNS[:2], "Trạng thái hồ sơ", *COLUMNS[2:], "Email"]
    row = [1, *person(1)[:2], "Đã trả kết quả", *person(1)[2:], "a@example.vn"]
    data, name = as_file([header, row], file_format)
    response = upload(client, admin_headers, campaign_id, data, name)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["case_list"]["accepted_count"] == 1
    assert body["ignored_columns"] == [
        {"column": 4, "letter": "D", "header": "Trạng thái hồ sơ"},
        {"column": 7, "letter": "G", "header": "Email"},
    ]
    assert "«Trạng thái hồ sơ» (cột D), «Email» (cột G)" in body["message"]
    assert body["case_list"]["column_mapping"]["Email"] is None
    assert db.execute(select(Case.phone)).scalar_one() == "0912000101"

    mapping = "columns:\n  Mã biên nhận: case_code\n  Trạng thái hồ sơ: null\n  Email: null\n"
    header = ["Mã biên nhận", *COLUMNS[1:], "Trạng thái hồ sơ", "Email"]
    again, _ = as_file([header, [*person(2, code="SBN-2"), "Đang xử lý", ""]], file_format)
    mapped = upload(client, admin_headers, campaign_id, again, name, mapping=mapping.encode())
    assert mapped.json()["ignored_columns"] == []
    assert "SBN-2" in db.execute(select(Case.case_code)).scalars().all()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_header_is_found_below_title_rows(
    client: TestClient, admin_headers: dict[str, str], db: Session, file_format: str
) -> None:
    campaign_id = setup(client, admin_headers)
    title = ["DANH SÁCH HỒ SƠ ĐÃ TRẢ KẾT QUẢ THÁNG 3/2024", "", "", ""]
    agency = ["Đơn vị: Sở Tư pháp tỉnh Sóc Trăng", "", "", ""]
    rows = [title, agency, ["", "", "", ""], COLUMNS, person(1), person(2, name=None)]
    data, name = as_file(rows, file_format)
    response = upload(client, admin_headers, campaign_id, data, name)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["header_row"] == 4
    assert message("case_header_row", row=4) in body["message"]
    assert body["case_list"]["accepted_count"] == 1
    assert reasons(body) == {(6, "Họ tên"): message("case_name_missing")}
    assert db.execute(select(Case.row_number)).scalar_one() == 5


def test_a_header_without_a_unit_column_is_refused_at_its_row(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    data, name = as_file([["Báo cáo"], ["Mã hồ sơ", "Họ tên"], ["HS1", "A"]], "csv")
    refused = upload(client, admin_headers, campaign_id, data, name)
    assert refused.status_code == 422
    assert refused.json()["error"] == "bad_header"
    assert refused.json()["fields"][0]["row"] == 2
    assert message("header_no_unit") in refused.json()["detail"]
    assert _count(db, CaseFrame) == 0


def test_a_file_without_usable_rows_leaves_the_database_as_it_was(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    data = csv_bytes(
        [
            "1,X,Khai sinh,Hộ tịch,Sở Tư pháp,A,123,Ấp 1,01/03/2024,05/03/2024,",
            "2,Y,Khai sinh,Hộ tịch,Sở Tư pháp,B,0912345678,Ấp 1,xx/03/2024,05/03/2024,",
        ]
    )
    response = upload(client, admin_headers, campaign_id, data)
    assert response.status_code == 422
    assert response.json()["error"] == "no_usable_rows"
    assert [f["row"] for f in response.json()["fields"]] == [2, 3]
    assert (_count(db, CaseFrame), _count(db, Case), _count(db, CaseRejection)) == (0, 0, 0)


def test_excel_encodings_and_xlsx(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    lines = case_lines(2)
    tab_text = "\n".join([HEADER, *lines]).replace(",", "\t") + "\n"
    utf16 = upload(client, admin_headers, campaign_id, tab_text.encode("utf-16"), "cases.txt")
    assert utf16.status_code == 200, utf16.text
    assert utf16.json()["case_list"]["accepted_count"] == 6
    bom = upload(client, admin_headers, campaign_id, b"\xef\xbb\xbf" + csv_bytes(lines[:1]))
    assert bom.json()["case_list"]["accepted_count"] == 1

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Mã hồ sơ", "Mã đơn vị", "Người nộp", "Điện thoại", "Ngày hoàn thành"])
    sheet.append(["X1", "st-xay-dung", "Trần Thị Hoa", 912345678, "2024-03-05"])
    sheet.append(["X2", "st-xay-dung", "Trần Văn Nam", "0912 345 679", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = upload(client, admin_headers, campaign_id, buffer.getvalue(), "cases.xlsx")
    assert xlsx.status_code == 200, xlsx.text
    assert xlsx.json()["case_list"]["accepted_count"] == 2
    stored = db.execute(select(Case).where(Case.case_code == "X1")).scalar_one()
    assert stored.phone == "0912345678"
    assert stored.returned_on is not None
    assert stored.returned_on.isoformat() == "2024-03-05"


def test_an_import_failing_midway_leaves_nothing_behind(
    client: TestClient,
    admin_headers: dict[str, str],
    db: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows already streamed to the database are rolled back with the rest."""
    campaign_id = setup(client, admin_headers)
    original = service.RowParser.parse

    def parse(self: service.RowParser, number: int, cells: list[Any]) -> Any:
        if number == 40:
            raise RuntimeError("disk full")
        return original(self, number, cells)

    monkeypatch.setattr(service.RowParser, "parse", parse)
    monkeypatch.setattr(service, "BATCH_ROWS", 10)
    lines = case_lines(20)
    lines[3] = lines[3].replace("0900000003", "123")  # a rejection before the failure
    with pytest.raises(RuntimeError, match="disk full"):
        service.import_case_list(db, campaign_id, io.BytesIO(csv_bytes(lines)), "x.csv", actor=None)
    assert (_count(db, CaseFrame), _count(db, Case), _count(db, CaseRejection)) == (0, 0, 0)
    monkeypatch.undo()
    retried = upload(client, admin_headers, campaign_id, csv_bytes(lines))
    assert retried.json()["case_list"]["accepted_count"] == 59
