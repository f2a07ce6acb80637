"""Bad input gets a 4xx in the error shape, never a 500, and no request value reaches the
logs: control characters, ids beyond the columns' range, oversized bodies, database
refusals and unexpected failures."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.core.config import Environment
from app.main import create_app
from tests.api.conftest import app_settings, make_token
from tests.support.accounts import staff_account
from tests.support.pages import log_in

PHONE = "0977111222"
ERROR_SHAPE = {"error", "detail", "fields"}


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records)


def test_nul_in_a_surveyor_is_refused_naming_the_field_and_logs_nothing_personal(
    client: TestClient, admin_headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = client.post(
        "/api/v1/surveyors",
        json={"full_name": "Nguyễn Thị Mai", "phone": PHONE + "\u0000"},
        headers=admin_headers,
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body) == ERROR_SHAPE
    assert body["error"] == "control_characters"
    assert [f["path"] for f in body["fields"]] == ["body.phone"]
    assert PHONE not in _logged(caplog)
    assert "Nguyễn Thị Mai" not in _logged(caplog)


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/api/v1/units", {"code": "x", "name": "Ủy\u0000ban", "kind": "province"}, "body.name"),
        ("/api/v1/units", {"code": "x\u0001", "name": "Ủy ban", "kind": "province"}, "body.code"),
    ],
)
def test_control_characters_in_json_are_refused(
    client: TestClient,
    admin_headers: dict[str, str],
    path: str,
    payload: dict[str, str],
    field: str,
) -> None:
    response = client.post(path, json=payload, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert [f["path"] for f in response.json()["fields"]] == [field]


def test_tabs_and_newlines_stay_allowed(client: TestClient, admin_headers: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/units",
        json={"code": "st", "name": "Tỉnh\tSóc\nTrăng", "kind": "province"},
        headers=admin_headers,
    )
    assert response.status_code == 201, response.text


def test_nul_in_the_staff_login_name_is_refused(client: TestClient) -> None:
    response = client.post(
        "/staff/login",
        data={"username": "admin\u0000", "password": "x", "login_csrf": "y"},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "ký tự điều khiển" in response.text


def test_nul_in_the_query_and_path_is_refused(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    query = client.get("/api/v1/units?valid_on=2024%00", headers=admin_headers)
    assert query.status_code == 422
    assert query.json()["fields"][0]["path"] == "query.valid_on"
    path = client.get("/api/v1/units/st%00", headers=admin_headers)
    assert path.status_code == 422
    assert path.json()["fields"][0]["path"] == "path"


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30, -(2**31) - 1])
def test_ids_beyond_the_columns_are_not_found(
    client: TestClient, admin_headers: dict[str, str], number: int
) -> None:
    for path in (
        f"/api/v1/campaigns/{number}",
        f"/api/v1/samples/{number}",
        f"/api/v1/case-lists/{number}/rejections",
    ):
        response = client.get(path, headers=admin_headers)
        assert response.status_code == 404, (path, response.text)
        assert set(response.json()) == ERROR_SHAPE
    query = client.get(f"/api/v1/case-lists/1/rejections?offset={number}", headers=admin_headers)
    assert query.status_code == 422
    assert query.json()["fields"][0]["path"] == "query.offset"


def test_ids_beyond_the_columns_in_a_body_are_refused(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/api-keys",
        json={"name": "par-scoring", "campaign_ids": [2**40]},
        headers=admin_headers,
    )
    assert response.status_code in {404, 422}, response.text
    assert set(response.json()) == ERROR_SHAPE


@pytest.fixture
def small_limits(migrated_url: str) -> Iterator[FastAPI]:
    application = create_app(
        app_settings(migrated_url, max_body_bytes=10_000, max_upload_bytes=60_000)
    )
    yield application
    application.state.engine.dispose()


def test_bodies_over_the_limit_get_413(small_limits: FastAPI) -> None:
    with TestClient(small_limits) as client:
        big = b'{"answers": {"NOTE": "' + b"x" * 20_000 + b'"}, "complete": false}'
        declared = client.put(
            "/r/unknown/answers", content=big, headers={"Content-Type": "application/json"}
        )
        assert declared.status_code == 413
        assert declared.json()["error"] == "body_too_large"

        def chunks() -> Iterator[bytes]:
            for _ in range(30):
                yield b"x" * 1000

        streamed = client.put(
            "/r/unknown/answers", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert streamed.status_code == 413


def test_uploads_have_their_own_larger_limit(small_limits: FastAPI, db: Session) -> None:
    token = make_token(db, "admin", Role.ADMIN)
    headers = {"Authorization": f"Bearer {token}"}
    rows = "code,name,kind,parent_code,valid_from,valid_to\nst,Sóc Trăng,province,,,\n"
    padding = "".join(f"st-{i},Đơn vị {i},department,st,,\n" for i in range(600))
    within = (rows + padding).encode()
    assert 10_000 < len(within) < 60_000
    with TestClient(small_limits) as client:
        accepted = client.post(
            "/api/v1/units/import", files={"file": ("units.csv", within)}, headers=headers
        )
        assert accepted.status_code == 200, accepted.text
        over = client.post(
            "/api/v1/units/import", files={"file": ("units.csv", within * 3)}, headers=headers
        )
        assert over.status_code == 413


def test_the_staff_pages_upload_files_under_the_upload_limit(
    small_limits: FastAPI, db: Session
) -> None:
    """A unit file or case list chosen on a staff page is no smaller than the API's."""
    db.add(staff_account("quantri", Role.ADMIN, "mat-khau-quan-tri-vien"))
    db.commit()
    rows = "code,name,kind,parent_code,valid_from,valid_to\nst,Sóc Trăng,province,,,\n"
    padding = "".join(f"st-{i},Đơn vị {i},department,st,,\n" for i in range(600))
    within = (rows + padding).encode()
    with TestClient(small_limits) as client:
        csrf = log_in(client, "staff", "quantri", "mat-khau-quan-tri-vien")
        accepted = client.post(
            "/staff/units", data={"csrf_token": csrf}, files={"file": ("units.csv", within)}
        )
        assert accepted.status_code == 200, accepted.text
        assert "st-599" in accepted.text
        over = client.post(
            "/staff/units", data={"csrf_token": csrf}, files={"file": ("units.csv", within * 3)}
        )
        assert over.status_code == 413
        cases = client.post(
            "/staff/campaigns/1/case-lists",
            data={"csrf_token": csrf},
            files={"file": ("cases.csv", within * 3)},
        )
        assert cases.status_code == 413


def test_the_engine_hides_bound_parameters(api: FastAPI) -> None:
    with api.state.engine.connect() as connection, pytest.raises(StatementError) as raised:
        connection.execute(text("INSERT INTO unit (code) VALUES (:code)"), {"code": PHONE})
    # PostgreSQL may quote the failing row in its own message (which is why unexpected
    # failures never log messages); the engine adds no parameters of its own.
    assert "[parameters:" not in str(raised.value)
    assert "hidden due to hide_parameters" in str(raised.value)


@pytest.fixture
def failing_app(migrated_url: str) -> Iterator[FastAPI]:
    application = create_app(
        app_settings(
            migrated_url,
            environment=Environment.PRODUCTION,
            public_base_url="https://khaosat.example.gov.vn",
        )
    )

    @application.get("/boom")
    def boom() -> None:
        raise IntegrityError(
            "INSERT INTO surveyor", {"phone": PHONE}, Exception(f"Key (phone)=({PHONE})")
        )

    yield application
    application.state.engine.dispose()


def test_an_unexpected_failure_answers_in_the_error_shape_and_logs_no_values(
    failing_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with TestClient(failing_app) as client:
        response = client.get("/boom")
        assert response.status_code == 500
        assert response.json()["error"] == "internal_error"
        assert set(response.json()) == ERROR_SHAPE
        page = client.get("/boom", headers={"Accept": "text/html"})
        assert page.status_code == 500
        assert "Máy chủ gặp lỗi" in page.text
    logged = _logged(caplog)
    assert "IntegrityError" in logged
    assert "/boom" in logged
    assert PHONE not in logged


def test_security_headers_on_every_response(client: TestClient, failing_app: FastAPI) -> None:
    for response in (client.get("/health"), client.get("/staff/login"), client.get("/nope")):
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "strict-transport-security" not in response.headers
    with TestClient(failing_app) as production:
        assert production.get("/health").headers["strict-transport-security"].startswith("max-age=")


def test_docs_load_nothing_from_another_host(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "http://" not in docs.text
    assert "https://" not in docs.text
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', docs.text)
    assert len(assets) == 3
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert client.get("/redoc").status_code == 404
    spec = client.get("/openapi.json").json()
    assert "ErrorBody" in spec["components"]["schemas"]


def test_the_contract_declares_the_error_shape_and_statuses(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in str(spec)
    operation = spec["paths"]["/api/v1/campaigns/{campaign_id}/responses"]["post"]
    assert {"401", "403", "404", "409", "413", "422"} <= set(operation["responses"])
    for status, response in operation["responses"].items():
        if status[0] in "45":
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}
    citizen = spec["paths"]["/r/{credential}/answers"]["put"]["responses"]
    assert {"404", "409", "422", "429"} <= set(citizen)
    assert "401" not in citizen


def test_timestamps_carry_their_time_zone(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    created = client.post(
        "/api/v1/units",
        json={"code": "st", "name": "Sóc Trăng", "kind": "province"},
        headers=admin_headers,
    )
    assert created.status_code == 201
    tokens = client.get("/api/v1/tokens", headers=admin_headers).json()
    stamp = datetime.fromisoformat(tokens[0]["created_at"].replace("Z", "+00:00"))
    assert stamp.utcoffset() == timedelta(0)


def test_a_control_character_in_an_uploaded_file_is_refused_with_its_line(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    data = "code,name,kind,parent_code,valid_from,valid_to\nst,Sóc\x00Trăng,province,,,\n"
    response = client.post(
        "/api/v1/units/import", files={"file": ("units.csv", data.encode())}, headers=admin_headers
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["path"] == "dòng 2, ký tự 7"


def test_a_lone_carriage_return_in_a_unit_file_is_no_server_error(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    data = "code,name,kind,parent_code,valid_from,valid_to\r\nst,Sóc\rTrăng,province,,,\r\n"
    response = client.post(
        "/api/v1/units/import", files={"file": ("units.csv", data.encode())}, headers=admin_headers
    )
    assert response.status_code in {200, 422}, response.text
