"""Shared fixtures: one database per backend (SQLite and a PostgreSQL server the
suite starts itself), schema built by running the Alembic migrations.

``SIPAS_TEST_BACKENDS`` (default ``sqlite,postgresql``) chooses the backends;
``SIPAS_TEST_POSTGRES_URL`` points at an existing server instead of starting one.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.core.db import create_db_engine
from app.core.migrate import upgrade
from tests.support.postgres import PostgresServer

BACKENDS = [
    b.strip()
    for b in os.environ.get("SIPAS_TEST_BACKENDS", "sqlite,postgresql").split(",")
    if b.strip()
]
_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """URL of the maintenance database of a running PostgreSQL server."""
    external = os.environ.get("SIPAS_TEST_POSTGRES_URL")
    if external:
        yield external
        return
    server = PostgresServer.start()
    try:
        yield server.url()
    finally:
        server.stop()


class DatabaseFactory:
    """Makes empty databases on one backend."""

    def __init__(self, backend: str, tmp: Path, admin_url: str | None) -> None:
        self.backend = backend
        self.tmp = tmp
        self.admin_url = admin_url

    def create(self) -> str:
        number = next(_database_numbers)
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp / f'test_{number}.db'}"
        assert self.admin_url is not None
        name = f"sipas_test_{os.getpid()}_{number}"
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=BACKENDS)
def database_factory(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> DatabaseFactory:
    backend = request.param
    admin_url = request.getfixturevalue("postgres_admin_url") if backend == "postgresql" else None
    return DatabaseFactory(backend, tmp_path_factory.mktemp(backend), admin_url)


@pytest.fixture(scope="session")
def migrated_url(database_factory: DatabaseFactory) -> str:
    """A database of the current backend with every migration applied."""
    url = database_factory.create()
    engine = create_db_engine(url)
    with engine.begin() as connection:
        upgrade(connection)
    engine.dispose()
    return url
