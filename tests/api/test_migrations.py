"""Migrations run up, down and up again on every backend, and match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from app.core.db import create_db_engine
from app.core.migrate import alembic_config, downgrade, upgrade
from app.schema import load_models
from tests.conftest import DatabaseFactory

METADATA = load_models()


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def _drift(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, METADATA))


def test_upgrade_downgrade_upgrade_leaves_no_drift(database_factory: DatabaseFactory) -> None:
    engine = create_db_engine(database_factory.create())
    with engine.begin() as connection:
        upgrade(connection)
    assert _tables(engine) == set(METADATA.tables)
    assert _drift(engine) == []

    with engine.begin() as connection:
        downgrade(connection, "base")
    assert _tables(engine) == set()

    with engine.begin() as connection:
        upgrade(connection)
    assert _tables(engine) == set(METADATA.tables)
    assert _drift(engine) == []
    engine.dispose()


def test_every_revision_steps_up_and_down(database_factory: DatabaseFactory) -> None:
    """Each migration on its own: up one, down one, up one, to the head."""
    script = ScriptDirectory.from_config(alembic_config())
    revisions = list(reversed(list(script.walk_revisions())))
    assert next(r.down_revision for r in revisions) is None
    engine = create_db_engine(database_factory.create())
    previous = "base"
    for revision in revisions:
        with engine.begin() as connection:
            upgrade(connection, revision.revision)
        with engine.begin() as connection:
            downgrade(connection, previous)
        with engine.begin() as connection:
            upgrade(connection, revision.revision)
        previous = revision.revision
    assert _drift(engine) == []
    engine.dispose()


def test_revisions_form_a_single_line() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
