"""The `sipas` command line against a migrated database of each backend."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli.main import cli
from app.core.config import Environment, Settings, get_settings
from app.main import create_app
from questionnaires import bundled_path
from tests.conftest import DatabaseFactory
from tests.support.pages import log_in

runner = CliRunner()


@pytest.fixture
def cli_database(
    database_factory: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh, empty database that the CLI finds through SIPAS_DATABASE_URL."""
    url = database_factory.create()
    monkeypatch.setenv("SIPAS_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_upgrade_demo_user_and_token(cli_database: str) -> None:
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    demo = runner.invoke(cli, ["demo"])
    assert demo.exit_code == 0, demo.output
    assert "units: 41 created" in demo.output
    assert "shown this once" in demo.output
    assert "case list: 120 cases accepted; draw 1 with seed 2024" in demo.output
    again = runner.invoke(cli, ["demo"])
    assert "units: 0 created, 41 already there" in again.output
    assert "campaign 1: Khảo sát SIPAS tỉnh Sóc Trăng năm 2024 (fieldwork)" in again.output
    logins = dict(re.findall(r"user '([\w.]+)' password '([^']+)'", again.output))
    assert set(logins) == {"admin", "dtv.demo"}

    created = runner.invoke(cli, ["user", "create", "lan", "--role", "admin"])
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    assert token.startswith("sipas_")
    duplicate = runner.invoke(cli, ["user", "create", "lan"])
    assert duplicate.exit_code == 1

    app = create_app(
        Settings(database_url=cli_database, environment=Environment.TEST, secret_key="x" * 20)
    )
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {token}"}
        campaigns = client.get("/api/v1/campaigns", headers=headers).json()
        assert [c["questionnaire_code"] for c in campaigns] == ["national-2024", "unit-service"]
        units = client.get("/api/v1/units", params={"kind": "department"}, headers=headers)
        assert len(units.json()) == 19
        # The demo surveyor logs in with the password printed by the last run and sees
        # the 20 drawn respondents (4 units x 5) assigned to them.
        log_in(client, "s", "dtv.demo", logins["dtv.demo"])
        page = client.get("/s/")
        assert page.status_code == 200
        assert page.text.count("Người dân thử nghiệm") == 20
        log_in(client, "staff", "admin", logins["admin"])
    app.state.engine.dispose()


def test_questionnaire_validate(tmp_path: Path) -> None:
    ok = runner.invoke(cli, ["questionnaire", "validate", str(bundled_path("national-2024"))])
    assert ok.exit_code == 0
    assert "39 tiêu chí trong 9 chỉ số thành phần" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "code: x\ntitle: X\nedition: '1'\nblocks:\n"
        "  - code: b\n    kind: satisfaction\n    title: B\n    items:\n"
        "      - {code: Q1, type: likert5, text: a}\n"
        "      - {code: Q1, type: likert5, text: b, show_if: {item: Q9, in: [1]}}\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["questionnaire", "validate", str(bad)])
    assert result.exit_code == 1
    for expected in (
        "blocks[0].items[0].subindex: Tiêu chí «Q1» chưa gắn với chỉ số thành phần nào",
        "blocks[0].items[1].code: Mã câu hỏi «Q1» bị dùng hai lần.",
        "blocks[0].items[1].show_if.item: Điều kiện hiển thị dựa vào câu «Q9», là câu không có",
    ):
        assert expected in result.output
