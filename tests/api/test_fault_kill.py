"""Fault injection on PostgreSQL: the server process is killed (SIGKILL) in the middle
of a burst of submissions whose clients retry until acknowledged, as the phones do.
Every acknowledged answer is stored, and none twice."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.auth import repository as auth_repository
from app.auth.models import Role
from app.core.config import Environment, Settings
from app.core.db import create_db_engine
from app.core.migrate import upgrade
from app.main import create_app
from tests.api.factories import response_body, setup_campaign
from tests.conftest import BACKENDS, DatabaseFactory

ROOT = Path(__file__).resolve().parents[2]
SUBMISSIONS = 160
CLIENTS = 4
SECRET = "fault-test-secret-key-0123"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``uvicorn app.main:create_app`` in its own process."""

    def __init__(self, url: str, port: int) -> None:
        self.port = port
        self.env = {
            **os.environ,
            "SIPAS_DATABASE_URL": url,
            "SIPAS_ENVIRONMENT": "test",
            "SIPAS_SECRET_KEY": SECRET,
            "SIPAS_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def postgres_database(tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if "postgresql" not in BACKENDS:
        pytest.skip("PostgreSQL is not among SIPAS_TEST_BACKENDS")
    admin_url = request.getfixturevalue("postgres_admin_url")
    url = DatabaseFactory("postgresql", tmp_path, admin_url).create()
    engine = create_db_engine(url)
    with engine.begin() as connection:
        upgrade(connection)
    engine.dispose()
    return url


def test_kill_9_mid_burst_loses_no_acknowledged_answer_and_stores_none_twice(
    postgres_database: str,
) -> None:
    app = create_app(
        Settings(database_url=postgres_database, environment=Environment.TEST, secret_key=SECRET)
    )
    with app.state.sessionmaker() as db:
        admin = auth_repository.create_user(db, username="admin", role=Role.ADMIN)
        token = auth_repository.issue_token(db, admin)
        db.commit()
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as client:
        campaign_id = setup_campaign(client, headers)
    app.state.engine.dispose()

    server = Server(postgres_database, _free_port())
    server.start()
    bodies = [response_body(client_id=str(uuid.uuid4())) for _ in range(SUBMISSIONS)]
    acknowledged: set[str] = set()
    lock = threading.Lock()
    retries = [0]

    def submit(chunk: list[dict[str, object]]) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{server.port}", timeout=30) as http:
            for body in chunk:
                deadline = time.monotonic() + 180
                while time.monotonic() < deadline:
                    try:
                        answer = http.post(
                            f"/api/v1/campaigns/{campaign_id}/responses", json=body, headers=headers
                        )
                    except httpx.HTTPError:
                        answer = None
                    if answer is not None and answer.status_code in (200, 201):
                        with lock:
                            acknowledged.add(str(body["client_id"]))
                        break
                    with lock:
                        retries[0] += 1
                    time.sleep(0.05)

    threads = [threading.Thread(target=submit, args=(bodies[n::CLIENTS],)) for n in range(CLIENTS)]
    try:
        for thread in threads:
            thread.start()
        while len(acknowledged) < SUBMISSIONS // 3:
            time.sleep(0.01)
        server.kill()
        killed_at = len(acknowledged)
        server.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        server.stop()

    assert 0 < killed_at < SUBMISSIONS
    assert retries[0] > 0, "the kill interrupted the burst"
    assert len(acknowledged) == SUBMISSIONS
    engine = create_db_engine(postgres_database)
    with engine.connect() as connection:
        stored = (
            connection.execute(
                text("SELECT client_id FROM response WHERE campaign_id = :c"), {"c": campaign_id}
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert len(stored) == len(set(stored)), "no answer stored twice"
    assert {str(c) for c in stored} == acknowledged, "every acknowledged answer stored"
