"""Service settings, read from ``SIPAS_*`` environment variables (pydantic-settings)."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me"
DEFAULT_DATA_DIR = Path("var")


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Configuration of one running service.

    ``SIPAS_DATABASE_URL`` selects the database: the default is an SQLite file
    under ``./var/``; production uses PostgreSQL through psycopg 3, e.g.
    ``postgresql+psycopg://sipas:secret@db:5432/sipas``.
    """

    model_config = SettingsConfigDict(env_prefix="SIPAS_", env_file=".env", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = f"sqlite:///{DEFAULT_DATA_DIR / 'sipas.db'}"
    secret_key: str = PLACEHOLDER_SECRET
    log_level: str = "INFO"
    database_echo: bool = False
    jobs_in_process: bool | None = None
    """Run jobs on a thread of the web process (default: on SQLite only; with
    PostgreSQL, run ``sipas worker`` on one or more machines)."""
    public_base_url: str | None = None
    """Address printed on letters to citizens, e.g. ``https://khaosat.example.gov.vn``
    (default: the address the staff page was opened at)."""

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.environment is not Environment.DEVELOPMENT and self.secret_key in {
            PLACEHOLDER_SECRET,
            "",
        }:
            raise ValueError(
                f"SIPAS_SECRET_KEY must be set to a random value when SIPAS_ENVIRONMENT is "
                f"{self.environment.value!r} (generate one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        if len(self.secret_key) < 16 and self.environment is Environment.PRODUCTION:
            raise ValueError("SIPAS_SECRET_KEY must be at least 16 characters in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def runs_jobs_in_process(self) -> bool:
        return self.is_sqlite if self.jobs_in_process is None else self.jobs_in_process


@lru_cache
def get_settings() -> Settings:
    return Settings()
