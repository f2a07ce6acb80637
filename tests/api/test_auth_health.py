"""Health needs no token; everything else needs a valid one with the right role."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import Role
from tests.api.conftest import make_token


def test_health_is_open_and_checks_the_database(client: TestClient, backend: str) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_endpoints_need_a_token(client: TestClient) -> None:
    for method, path in [
        ("get", "/api/v1/units"),
        ("get", "/api/v1/questionnaires"),
        ("get", "/api/v1/campaigns"),
        ("post", "/api/v1/campaigns/1/responses"),
    ]:
        response = client.request(method, path)
        assert response.status_code == 401, path
        body = response.json()
        assert body["error"] == "unauthorized"
        assert "Bearer" in body["detail"]
        assert response.headers["www-authenticate"] == "Bearer"


def test_unknown_token_is_refused(client: TestClient) -> None:
    response = client.get("/api/v1/units", headers={"Authorization": "Bearer sipas_nope"})
    assert response.status_code == 401


def test_non_admin_cannot_change_things(client: TestClient, db: Session) -> None:
    token = make_token(db, "reader", Role.API_CLIENT)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/units", headers=headers).status_code == 200
    response = client.post(
        "/api/v1/units", json={"code": "x", "name": "X", "kind": "province"}, headers=headers
    )
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_errors_have_one_shape(client: TestClient, admin_headers: dict[str, str]) -> None:
    not_found = client.get("/api/v1/units/nope", headers=admin_headers)
    assert not_found.status_code == 404
    assert set(not_found.json()) == {"error", "detail", "fields"}
    invalid = client.post("/api/v1/units", json={"code": "x"}, headers=admin_headers)
    assert invalid.status_code == 422
    body = invalid.json()
    assert body["error"] == "validation_error"
    assert {f["path"] for f in body["fields"]} == {"body.name", "body.kind"}
    no_route = client.get("/api/v1/nothing-here", headers=admin_headers)
    assert no_route.status_code == 404
    assert set(no_route.json()) == {"error", "detail", "fields"}
