"""Settings refuse the placeholder secret outside development."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.core.config import PLACEHOLDER_SECRET, Environment, Settings


def test_development_accepts_the_placeholder() -> None:
    settings = Settings(environment=Environment.DEVELOPMENT)
    assert settings.secret_key == PLACEHOLDER_SECRET
    assert settings.database_url.startswith("sqlite:///")


@pytest.mark.parametrize("environment", [Environment.TEST, Environment.PRODUCTION])
def test_placeholder_refused_elsewhere(environment: Environment) -> None:
    with pytest.raises(ValidationError, match="SIPAS_SECRET_KEY"):
        Settings(environment=environment, secret_key=PLACEHOLDER_SECRET)


def test_short_secret_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="16 characters"):
        Settings(environment=Environment.PRODUCTION, secret_key="short")


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIPAS_DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("SIPAS_ENVIRONMENT", "production")
    monkeypatch.setenv("SIPAS_SECRET_KEY", "a-random-value-of-some-length")
    monkeypatch.setenv("SIPAS_PUBLIC_BASE_URL", "https://khaosat.example.gov.vn")
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert not settings.is_sqlite


def test_production_needs_the_public_address_of_the_letters() -> None:
    with pytest.raises(ValidationError, match="SIPAS_PUBLIC_BASE_URL"):
        Settings(environment=Environment.PRODUCTION, secret_key="a-random-value-of-some-length")
