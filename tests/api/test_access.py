"""Access that can be taken back: any token revoked or expiring (API and CLI), accounts
disabled and enabled with their sessions ended, passwords reset, and a demo loader
that mints no second admin token and refuses outside development."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.auth.models import ApiToken, Role, User
from app.cli.main import cli
from app.core.config import get_settings
from tests.api.conftest import make_token
from tests.api.factories import setup_campaign
from tests.support.accounts import password_hash
from tests.support.pages import log_in

runner = CliRunner()
PASSWORD = "mat-khau-giam-sat-vien"


@pytest.fixture
def on_the_test_database(api: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI works on the database the app serves."""
    url = api.state.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("SIPAS_DATABASE_URL", url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_staff_token_is_revoked_through_the_api(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    staff = make_token(db, "lan", Role.SUPERVISOR)
    assert client.get("/api/v1/campaigns", headers=_bearer(staff)).status_code == 200
    listed = client.get("/api/v1/tokens?username=lan", headers=admin_headers).json()
    assert [(t["username"], t["active"]) for t in listed] == [("lan", True)]
    assert "token" not in listed[0]
    revoked = client.delete(f"/api/v1/tokens/{listed[0]['id']}", headers=admin_headers)
    assert revoked.status_code == 200
    assert revoked.json()["active"] is False
    assert client.get("/api/v1/campaigns", headers=_bearer(staff)).status_code == 401
    assert client.delete("/api/v1/tokens/999999", headers=admin_headers).status_code == 404


def test_an_unscoped_api_client_token_can_be_revoked(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    reader = make_token(db, "reader", Role.API_CLIENT)
    token_id = db.execute(select(ApiToken.id).join(User).where(User.username == "reader")).scalar()
    assert client.delete(f"/api/v1/api-keys/{token_id}", headers=admin_headers).status_code == 404
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=admin_headers).status_code == 200
    assert client.get("/api/v1/units", headers=_bearer(reader)).status_code == 401


def test_tokens_and_keys_expire(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    make_token(db, "lan", Role.SUPERVISOR)
    made = client.post(
        "/api/v1/tokens",
        json={"username": "lan", "name": "laptop", "expires_in_days": 30},
        headers=admin_headers,
    )
    assert made.status_code == 201, made.text
    expires = datetime.fromisoformat(made.json()["expires_at"])
    assert expires.tzinfo is not None
    assert timedelta(days=29) < expires - datetime.now(UTC) <= timedelta(days=30)
    token = made.json()["token"]
    assert client.get("/api/v1/campaigns", headers=_bearer(token)).status_code == 200

    campaign_id = setup_campaign(client, admin_headers)
    key = client.post(
        "/api/v1/api-keys",
        json={"name": "par-scoring", "campaign_ids": [campaign_id], "expires_in_days": 365},
        headers=admin_headers,
    ).json()
    assert key["expires_at"] is not None
    db.execute(
        update(ApiToken)
        .where(ApiToken.id.in_([made.json()["id"], key["id"]]))
        .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    )
    db.commit()
    assert client.get("/api/v1/campaigns", headers=_bearer(token)).status_code == 401
    results = client.get(f"/api/v1/campaigns/{campaign_id}/results", headers=_bearer(key["token"]))
    assert results.status_code == 401
    listed = {
        t["id"]: t["active"] for t in client.get("/api/v1/tokens", headers=admin_headers).json()
    }
    assert listed[made.json()["id"]] is False
    assert listed[key["id"]] is False


def test_disabling_an_account_ends_its_sessions_and_tokens(
    client: TestClient, db: Session, on_the_test_database: None
) -> None:
    token = make_token(db, "lan", Role.SUPERVISOR)
    db.execute(
        update(User).where(User.username == "lan").values(password_hash=password_hash(PASSWORD))
    )
    db.commit()
    log_in(client, "staff", "lan", PASSWORD)
    assert client.get("/staff/", follow_redirects=False).status_code == 200

    disabled = runner.invoke(cli, ["user", "disable", "lan"])
    assert disabled.exit_code == 0, disabled.output
    assert "1 phiên đăng nhập đã kết thúc" in disabled.output
    assert client.get("/staff/", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/campaigns", headers=_bearer(token)).status_code == 401
    assert runner.invoke(cli, ["user", "disable", "nobody"]).exit_code == 1

    assert runner.invoke(cli, ["user", "enable", "lan"]).exit_code == 0
    assert client.get("/api/v1/campaigns", headers=_bearer(token)).status_code == 200


def test_the_last_active_administrator_is_kept(
    client: TestClient, db: Session, on_the_test_database: None
) -> None:
    make_token(db, "quantri", Role.ADMIN)
    refused = runner.invoke(cli, ["user", "disable", "quantri"])
    assert refused.exit_code == 1
    assert "quản trị viên cuối cùng còn hoạt động" in refused.output
    db.expire_all()
    assert db.execute(select(User.is_active).where(User.username == "quantri")).scalar_one()

    make_token(db, "quantri2", Role.ADMIN)
    assert runner.invoke(cli, ["user", "disable", "quantri"]).exit_code == 0
    assert runner.invoke(cli, ["user", "disable", "quantri2"]).exit_code == 1


def test_reset_password_and_tokens_from_the_command_line(
    client: TestClient, db: Session, on_the_test_database: None
) -> None:
    make_token(db, "lan", Role.SUPERVISOR)
    reset = runner.invoke(cli, ["user", "reset-password", "lan"])
    assert reset.exit_code == 0, reset.output
    password = reset.output.strip().rsplit(" ", 1)[-1]
    log_in(client, "staff", "lan", password)
    short = runner.invoke(cli, ["user", "reset-password", "lan", "--password", "ngan"])
    assert short.exit_code == 1
    assert "ít nhất 10 ký tự" in short.output

    created = runner.invoke(cli, ["token", "create", "lan", "--expires-in-days", "7"])
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    assert client.get("/api/v1/campaigns", headers=_bearer(token)).status_code == 200
    listed = runner.invoke(cli, ["token", "list", "--user", "lan"])
    token_id = next(line.split("\t")[0] for line in listed.output.splitlines() if "hết hạn" in line)
    assert runner.invoke(cli, ["token", "revoke", token_id]).exit_code == 0
    assert client.get("/api/v1/campaigns", headers=_bearer(token)).status_code == 401
    assert "đã thu hồi" in runner.invoke(cli, ["token", "list", "--user", "lan"]).output


def test_demo_mints_no_second_admin_token_and_refuses_outside_development(
    db: Session, on_the_test_database: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = runner.invoke(cli, ["demo"])
    assert first.exit_code == 0, first.output
    token = re.search(r"shown this once\): (sipas_\S+)", first.output)
    assert token is not None
    again = runner.invoke(cli, ["demo"])
    assert again.exit_code == 0, again.output
    assert "sipas_" not in again.output
    assert "sipas token create admin" in again.output
    admin_tokens = db.execute(
        select(func.count()).select_from(ApiToken).join(User).where(User.username == "admin")
    ).scalar()
    assert admin_tokens == 1

    monkeypatch.setenv("SIPAS_ENVIRONMENT", "production")
    monkeypatch.setenv("SIPAS_SECRET_KEY", "a-random-value-of-some-length")
    monkeypatch.setenv("SIPAS_PUBLIC_BASE_URL", "https://khaosat.example.gov.vn")
    get_settings.cache_clear()
    refused = runner.invoke(cli, ["demo"])
    assert refused.exit_code == 1
    assert "development" in refused.output
