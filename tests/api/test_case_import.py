"""Case-list import: good rows stored, every bad row reported, failures store nothing."""

from __future__ import annotations

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


def test_unknown_columns_fail_naming_them_and_a_mapping_fixes_it(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    data = (
        "Số biên nhận khác,Đơn vị,Họ tên,Số điện thoại,Ghi chú\n"
        "A1,Sở Tư pháp,Nguyễn A,0912345678,gọi buổi sáng\n"
    ).encode()
    refused = upload(client, admin_headers, campaign_id, data)
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert "«Số biên nhận khác» (cột 1)" in detail
    assert "«Ghi chú» (cột 5)" in detail
    assert _count(db, CaseFrame) == 0

    mapping = "columns:\n  Số biên nhận khác: case_code\n  Ghi chú: null\n".encode()
    accepted = upload(client, admin_headers, campaign_id, data, mapping=mapping)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["case_list"]["column_mapping"]["Ghi chú"] is None
    assert db.execute(select(Case.case_code)).scalar_one() == "A1"


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
