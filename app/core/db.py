"""Database engine, sessions and the declarative base.

One engine per running app (stored on ``app.state``), so tests can run the
same app against SQLite and PostgreSQL side by side. SQLite gets foreign keys,
WAL and a busy timeout so that concurrent writers wait instead of failing, and
its time-zone-aware columns give back aware UTC datetimes, as PostgreSQL does.

Bound parameters never appear in error messages or logs (``hide_parameters``):
they hold names, phone numbers and answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")
"""JSON everywhere, JSONB on PostgreSQL."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


WORKER_THREADS = 40
"""Threads serving synchronous endpoints (anyio's default, set explicitly at start-up).

The connection pool holds at least this many connections: a request keeps its
session's connection between its dependencies and its endpoint, each run on a
worker thread, so a smaller pool can deadlock under load (every thread waiting
for a connection held by a request that waits for a thread).
"""


class _UtcSqliteDateTime(SQLITE_DATETIME):
    """SQLite keeps no time zone: store UTC, and read aware columns back as aware UTC."""

    def bind_processor(self, dialect: Any) -> Callable[[Any], Any] | None:
        store = super().bind_processor(dialect)
        assert store is not None

        def process(value: Any) -> Any:
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.astimezone(UTC).replace(tzinfo=None)
            return store(value)

        return process

    def result_processor(self, dialect: Any, coltype: object) -> Callable[[Any], Any] | None:
        load = super().result_processor(dialect, coltype)
        assert load is not None
        if not self.timezone:
            return load

        def process(value: Any) -> Any:
            loaded = load(value)
            return loaded.replace(tzinfo=UTC) if isinstance(loaded, datetime) else loaded

        return process


def create_db_engine(url: str, *, echo: bool = False, pool_size: int = WORKER_THREADS) -> Engine:
    """Create an engine for ``url``, creating the SQLite file's folder if needed.

    ``pool_size`` connections at most (no overflow), at least as many as the worker
    threads that use them (see :data:`WORKER_THREADS`).
    """
    parsed = make_url(url)
    kwargs: dict[str, Any] = {
        "echo": echo,
        "pool_size": pool_size,
        "max_overflow": 0,
        "hide_parameters": True,
    }
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        engine.dialect.colspecs = {**engine.dialect.colspecs, DateTime: _UtcSqliteDateTime}
        event.listen(engine, "connect", _sqlite_on_connect)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
