"""API test fixtures: the app on a migrated database, emptied after every test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.auth import repository as auth_repository
from app.auth.models import Role
from app.core.config import Environment, Settings
from app.main import create_app
from app.schema import load_models

METADATA = load_models()


def app_settings(database_url: str, **changes: Any) -> Settings:
    """The settings of the app under test, with ``changes``."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "environment": Environment.TEST,
        "secret_key": "test-secret-key-not-for-production",
    }
    return Settings(**{**values, **changes})


@pytest.fixture(scope="session")
def api_app(migrated_url: str) -> Iterator[FastAPI]:
    application = create_app(app_settings(migrated_url))
    yield application
    application.state.engine.dispose()


def _empty_tables(application: FastAPI) -> None:
    engine = application.state.engine
    tables = [t.name for t in reversed(METADATA.sorted_tables)]
    if engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t}"' for t in tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        for table in tables:
            connection.execute(text(f'DELETE FROM "{table}"'))
        connection.commit()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


@pytest.fixture
def api(api_app: FastAPI) -> Iterator[FastAPI]:
    """The app, with every table emptied after the test."""
    yield api_app
    _empty_tables(api_app)


@pytest.fixture
def client(api: FastAPI) -> Iterator[TestClient]:
    with TestClient(api) as test_client:
        yield test_client


@pytest.fixture
def db(api: FastAPI) -> Iterator[Session]:
    with api.state.sessionmaker() as session:
        yield session


def make_token(db: Session, username: str, role: Role) -> str:
    user = auth_repository.create_user(db, username=username, role=role)
    token = auth_repository.issue_token(db, user)
    db.commit()
    return token


@pytest.fixture
def admin_headers(db: Session) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(db, 'admin', Role.ADMIN)}"}


@pytest.fixture
def backend(api: FastAPI) -> str:
    return str(api.state.engine.dialect.name)
