"""Running the Alembic migrations from code (CLI, Docker start-up, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

import migrations

SCRIPT_LOCATION = Path(migrations.__file__).parent


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config that works from any working directory and installed copies."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["skip_logging"] = True
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str = "base") -> None:
    command.downgrade(alembic_config(connection), revision)
