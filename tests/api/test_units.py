"""Units: create, bulk import from CSV (all or nothing), tree, get."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.demo import UNITS_CSV
from app.unit.models import Unit


def _import(client: TestClient, headers: dict[str, str], data: bytes) -> httpx.Response:
    response: httpx.Response = client.post(
        "/api/v1/units/import", files={"file": ("units.csv", data, "text/csv")}, headers=headers
    )
    return response


def test_create_and_get(client: TestClient, admin_headers: dict[str, str], db: Session) -> None:
    created = client.post(
        "/api/v1/units",
        json={"code": "st", "name": "Tỉnh Sóc Trăng", "kind": "province"},
        headers=admin_headers,
    )
    assert created.status_code == 201
    child = client.post(
        "/api/v1/units",
        json={
            "code": "st-my-tu",
            "name": "UBND huyện Mỹ Tú",
            "kind": "district",
            "parent_code": "st",
            "valid_to": "2025-06-30",
        },
        headers=admin_headers,
    )
    assert child.status_code == 201
    got = client.get("/api/v1/units/st-my-tu", headers=admin_headers).json()
    assert got["parent_code"] == "st"
    assert got["name"] == "UBND huyện Mỹ Tú"
    assert got["valid_to"] == "2025-06-30"
    events = db.execute(select(func.count()).where(AuditEvent.action == "unit.create")).scalar()
    assert events == 2


def test_create_refuses_duplicates_and_unknown_parents(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    body = {"code": "st", "name": "Tỉnh Sóc Trăng", "kind": "province"}
    assert client.post("/api/v1/units", json=body, headers=admin_headers).status_code == 201
    again = client.post("/api/v1/units", json=body, headers=admin_headers)
    assert again.status_code == 409
    orphan = client.post(
        "/api/v1/units",
        json={"code": "x", "name": "X", "kind": "commune", "parent_code": "nowhere"},
        headers=admin_headers,
    )
    assert orphan.status_code == 422
    assert orphan.json()["fields"][0]["path"] == "parent_code"


def test_import_demo_units_as_a_tree(client: TestClient, admin_headers: dict[str, str]) -> None:
    result = _import(client, admin_headers, UNITS_CSV.read_bytes())
    assert result.status_code == 200, result.text
    assert result.json()["created"] == 41
    tree = client.get("/api/v1/units", headers=admin_headers).json()
    assert [root["code"] for root in tree] == ["st"]
    kinds: dict[str, int] = {}
    for node in tree[0]["children"]:
        kinds[node["kind"]] = kinds.get(node["kind"], 0) + 1
    assert kinds == {
        "department": 19,
        "district": 11,
        "public_service_unit": 4,
        "central_agency": 6,
    }
    # Re-importing the same file changes nothing.
    again = _import(client, admin_headers, UNITS_CSV.read_bytes()).json()
    assert (again["created"], again["unchanged"]) == (0, 41)
    # Units existing after the 2025 reform: no districts.
    after = client.get(
        "/api/v1/units", params={"valid_on": "2025-07-01"}, headers=admin_headers
    ).json()
    assert all(child["kind"] != "district" for child in after[0]["children"])
    districts = client.get(
        "/api/v1/units", params={"kind": "district"}, headers=admin_headers
    ).json()
    assert len(districts) == 11


def test_import_accepts_utf16_and_parents_after_children(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    text = (
        "code,name,kind,parent_code\n"
        "x1,Xã Long Hưng,commune,h1\n"
        "h1,UBND huyện Mỹ Tú,district,p\n"
        "p,Tỉnh Sóc Trăng,province,\n"
    )
    result = _import(client, admin_headers, text.encode("utf-16"))
    assert result.status_code == 200, result.text
    assert client.get("/api/v1/units/x1", headers=admin_headers).json()["parent_code"] == "h1"
    assert client.get("/api/v1/units/x1", headers=admin_headers).json()["name"] == "Xã Long Hưng"


def test_bad_import_reports_rows_and_columns_and_stores_nothing(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    text = (
        "code,name,kind,parent_code,valid_from\n"
        "p,Tỉnh Sóc Trăng,province,,\n"
        "a,Huyện A,county,p,\n"
        "b,Huyện B,district,zzz,\n"
        "c,Huyện C,district,p,31/02/2024\n"
        "p,Trùng mã,district,,\n"
    )
    result = _import(client, admin_headers, text.encode())
    assert result.status_code == 422
    body = result.json()
    assert body["error"] == "invalid_rows"
    found = {(f["row"], f["column"]) for f in body["fields"]}
    assert found == {(3, 3), (4, 4), (5, 5), (6, 1)}
    assert "chưa nhập gì" in body["detail"]
    assert db.execute(select(func.count()).select_from(Unit)).scalar() == 0


def test_import_rejects_unknown_columns_and_bad_encoding(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    unknown = _import(client, admin_headers, b"code,name,kind,colour\n")
    assert unknown.status_code == 422
    assert "colour" in unknown.json()["detail"]
    latin1 = _import(
        client,
        admin_headers,
        "code,name,kind\nx,Tỉnh Sóc Trăng,province\n".encode().replace(b"\xc3\xb3", b"\xf3"),
    )
    assert latin1.status_code == 422
    assert latin1.json()["error"] == "bad_encoding"
