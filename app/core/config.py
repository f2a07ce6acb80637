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
    """Address printed on letters to citizens, e.g. ``https://khaosat.example.gov.vn``;
    required in production. Elsewhere, by default, the address the staff page was opened
    at if its host is one of :attr:`allowed_hosts`, else the first allowed host."""
    allowed_hosts: str = "localhost,127.0.0.1"
    """Comma-separated host names that letters may print when no public address is set."""
    trusted_proxies: str = ""
    """Comma-separated addresses of reverse proxies whose ``X-Forwarded-For`` and
    ``X-Forwarded-Proto`` are believed (uvicorn's ``forwarded_allow_ips``); default none,
    so a client cannot choose the address that rate limits count against."""
    max_body_bytes: int = 2_000_000
    """Largest request body (413 above it), except on upload endpoints."""
    max_upload_bytes: int = 256_000_000
    """Largest body of an upload endpoint (case lists, unit files), read as a stream."""
    password_hash_concurrency: int = 2
    """argon2 hashes computed at once per process (each takes 64 MiB and a core)."""
    dashboard_fresh_seconds: float = 30.0
    """How long a campaign's dashboard figures are served as they are; an older
    snapshot is still served while a job counts them again."""
    database_pool_size: int = 40
    """Database connections per process, and worker threads using them; ``sipas serve
    --db-connections`` sets it from a budget shared by the workers."""

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
        if self.environment is Environment.PRODUCTION and not self.public_base_url:
            raise ValueError(
                "SIPAS_PUBLIC_BASE_URL must be set in production: it is the address printed "
                "on the letters to citizens, e.g. https://khaosat.example.gov.vn"
            )
        return self

    @property
    def allowed_host_names(self) -> list[str]:
        return [h.strip().lower() for h in self.allowed_hosts.split(",") if h.strip()]

    @property
    def trusted_proxy_addresses(self) -> list[str]:
        return [a.strip() for a in self.trusted_proxies.split(",") if a.strip()]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def runs_jobs_in_process(self) -> bool:
        return self.is_sqlite if self.jobs_in_process is None else self.jobs_in_process


@lru_cache
def get_settings() -> Settings:
    return Settings()
