"""`sipas db backup` and `sipas db restore` while the service is serving: every response
acknowledged before the backup began is there after the restore, and nothing written
after the backup is."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from app.auth import repository as auth_repository
from app.auth.models import Role
from app.cli.main import cli
from app.core.config import Environment, Settings, get_settings
from app.core.db import create_db_engine
from app.core.migrate import upgrade
from app.main import create_app
from tests.api.factories import response_body, setup_campaign
from tests.conftest import DatabaseFactory
from tests.support.server import running_server

runner = CliRunner()


@pytest.fixture
def serving(
    database_factory: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, dict[str, str]]]:
    """A fresh database served by uvicorn, which the CLI finds too: (base URL, headers)."""
    url = database_factory.create()
    engine = create_db_engine(url)
    with engine.begin() as connection:
        upgrade(connection)
    engine.dispose()
    monkeypatch.setenv("SIPAS_DATABASE_URL", url)
    get_settings.cache_clear()
    app = create_app(Settings(database_url=url, environment=Environment.TEST, secret_key="s" * 24))
    with app.state.sessionmaker() as db:
        admin = auth_repository.create_user(db, username="admin", role=Role.ADMIN)
        token = auth_repository.issue_token(db, admin)
        db.commit()
    try:
        with running_server(app) as base:
            yield base, {"Authorization": f"Bearer {token}"}
    finally:
        app.state.engine.dispose()
        get_settings.cache_clear()


def _submit(http: httpx.Client, headers: dict[str, str], campaign_id: int) -> str:
    body = response_body(client_id=str(uuid.uuid4()))
    stored = http.post(f"/api/v1/campaigns/{campaign_id}/responses", json=body, headers=headers)
    assert stored.status_code == 201, stored.text
    return str(body["client_id"])


def _stored(http: httpx.Client, headers: dict[str, str], campaign_id: int) -> set[str]:
    found: set[str] = set()
    while True:
        page = http.get(
            f"/api/v1/campaigns/{campaign_id}/responses",
            params={"limit": 1000, "offset": len(found)},
            headers=headers,
        )
        assert page.status_code == 200, page.text
        batch = {r["client_id"] for r in page.json()}
        if not batch:
            return found
        found |= batch


def test_backup_and_restore_while_serving(
    serving: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, headers = serving
    with httpx.Client(base_url=base, timeout=60) as http:
        campaign_id = setup_campaign(http, headers)  # type: ignore[arg-type]
        before = {_submit(http, headers, campaign_id) for _ in range(15)}

        during: list[str] = []
        stop = threading.Event()

        def keep_writing() -> None:
            with httpx.Client(base_url=base, timeout=60) as writer:
                while not stop.is_set() and len(during) < 200:
                    during.append(_submit(writer, headers, campaign_id))

        writer = threading.Thread(target=keep_writing)
        writer.start()
        try:
            path = tmp_path / "sipas.backup"
            made = runner.invoke(cli, ["db", "backup", str(path)])
        finally:
            stop.set()
            writer.join()
        assert made.exit_code == 0, made.output
        assert path.stat().st_size > 0

        after = {_submit(http, headers, campaign_id) for _ in range(5)}
        assert before | set(during) | after <= _stored(http, headers, campaign_id)

        restored = runner.invoke(cli, ["db", "restore", str(path), "--yes"])
        assert restored.exit_code == 0, restored.output
        kept = _stored(http, headers, campaign_id)
        assert before <= kept, "every answer acknowledged before the backup is back"
        assert not after & kept, "nothing written after the backup"
        assert kept <= before | set(during)
        assert len(kept) == len(set(kept))
        # the service goes on serving after the restore
        assert _submit(http, headers, campaign_id) in _stored(http, headers, campaign_id)


def test_restore_refuses_a_missing_or_broken_file(
    serving: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    missing = runner.invoke(cli, ["db", "restore", str(tmp_path / "nope"), "--yes"])
    assert missing.exit_code == 1
    broken = tmp_path / "broken.backup"
    broken.write_bytes(b"not a backup")
    refused = runner.invoke(cli, ["db", "restore", str(broken), "--yes"])
    assert refused.exit_code == 1
    base, headers = serving
    with httpx.Client(base_url=base, timeout=60) as http:
        assert http.get("/api/v1/campaigns", headers=headers).status_code == 200
