"""`sipas serve`: proxy headers only from trusted proxies, pools from a connection budget,
a longer wait for workers to start."""

from __future__ import annotations

import os
from typing import Any

import pytest
import typer
import uvicorn
from typer.testing import CliRunner

from app.cli.main import cli
from app.cli.serve import pool_per_worker, uvicorn_options
from app.core.config import Settings, get_settings


def test_proxy_headers_are_ignored_unless_a_proxy_is_trusted() -> None:
    assert uvicorn_options(Settings()) == {"proxy_headers": False}
    trusted = uvicorn_options(Settings(trusted_proxies="10.0.0.5, 127.0.0.1"))
    assert trusted == {"proxy_headers": True, "forwarded_allow_ips": ["10.0.0.5", "127.0.0.1"]}


def test_a_connection_budget_is_shared_by_the_workers() -> None:
    assert pool_per_worker(90, 2) == 45
    assert pool_per_worker(40, 1) == 40
    with pytest.raises(typer.BadParameter):
        pool_per_worker(6, 2)


def test_serve_passes_the_options_to_uvicorn(monkeypatch: pytest.MonkeyPatch) -> None:
    called: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: called.update(options))
    monkeypatch.delenv("SIPAS_DATABASE_POOL_SIZE", raising=False)
    get_settings.cache_clear()
    result = CliRunner().invoke(
        cli, ["serve", "--workers", "2", "--db-connections", "60", "--worker-start-timeout", "45"]
    )
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert called["workers"] == 2
    assert called["timeout_worker_healthcheck"] == 45
    assert called["proxy_headers"] is False
    assert os.environ.pop("SIPAS_DATABASE_POOL_SIZE") == "30"
