"""Limits on guessing hold: counted in the database (shared by worker processes and
restarts), per account and per address (no global lock-out), with a back-off that
doubles, and keyed on an address a client cannot choose."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth import throttle
from app.cli.serve import uvicorn_options
from app.core.config import Environment, Settings
from app.main import create_app
from tests.api.capture.conftest import ADMIN_PASSWORD, CaptureWorld
from tests.support.accounts import SURVEYOR_PASSWORD
from tests.support.server import running_server

_NONCE = re.compile(r'name="login_csrf" value="([^"]+)"')


def _settings(url: str, trusted_proxies: str = "") -> Settings:
    return Settings(
        database_url=url,
        environment=Environment.TEST,
        secret_key="test-secret-key-not-for-production",
        trusted_proxies=trusted_proxies,
    )


@pytest.fixture
def second_worker(api: FastAPI, migrated_url: str) -> Iterator[FastAPI]:
    """Another process of the same service: its own app, engine and memory."""
    other = create_app(_settings(migrated_url))
    yield other
    other.state.engine.dispose()


def _login(client: TestClient, area: str, username: str, password: str) -> int:
    form = client.get(f"/{area}/login")
    nonce = _NONCE.search(form.text)
    assert nonce is not None
    done = client.post(
        f"/{area}/login",
        data={"username": username, "password": password, "login_csrf": nonce.group(1)},
        follow_redirects=False,
    )
    return int(done.status_code)


def test_wrong_passwords_count_across_workers_and_restarts(
    client: TestClient, world: CaptureWorld, second_worker: FastAPI, migrated_url: str
) -> None:
    for _ in range(throttle.LOGIN_ACCOUNT.free):
        assert _login(client, "s", "dtv1", "sai-mat-khau") == 401
    with TestClient(second_worker) as other:
        assert _login(other, "s", "dtv1", SURVEYOR_PASSWORD) == 429
    restarted = create_app(_settings(migrated_url))
    try:
        with TestClient(restarted) as after_restart:
            assert _login(after_restart, "s", "DTV1 ", SURVEYOR_PASSWORD) == 429
    finally:
        restarted.state.engine.dispose()


def test_one_account_guessed_at_locks_out_nobody_else(
    client: TestClient, world: CaptureWorld
) -> None:
    for _ in range(throttle.LOGIN_ACCOUNT.free):
        assert _login(client, "s", "dtv1", "sai-mat-khau") == 401
    assert _login(client, "s", "dtv1", SURVEYOR_PASSWORD) == 429
    assert _login(client, "staff", "quantri", ADMIN_PASSWORD) == 303, "same address, other user"


def test_back_off_doubles_then_ends(db: Session) -> None:
    policy = throttle.LOGIN_ACCOUNT
    keys: list[throttle.Key] = [(policy, "dtv9")]
    start = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    for n in range(policy.free):
        throttle.failed(db, keys, start + timedelta(seconds=n))
    db.commit()
    last = start + timedelta(seconds=policy.free - 1)
    assert throttle.waiting(db, keys, last) == policy.first_wait
    throttle.failed(db, keys, last)
    db.commit()
    assert throttle.waiting(db, keys, last) == 2 * policy.first_wait
    assert throttle.waiting(db, keys, last + 2 * policy.first_wait) == timedelta(0)
    assert throttle.waiting(db, [(policy, "someone-else")], last) == timedelta(0)
    assert policy.wait(10_000) == policy.longest_wait
    later = last + policy.forget_after + timedelta(seconds=1)
    assert throttle.waiting(db, keys, later) == timedelta(0)
    throttle.failed(db, keys, later)
    db.commit()
    assert throttle.waiting(db, keys, later) == timedelta(0), "a quiet spell starts over"


def _guess_links(base: str, count: int, *, rotate: bool) -> list[int]:
    codes = []
    with httpx.Client(base_url=base, timeout=60) as http:
        for n in range(count):
            headers = {"X-Forwarded-For": f"203.0.113.{n % 250}"} if rotate else {}
            codes.append(http.get(f"/r/guess{n:027d}", headers=headers).status_code)
    return codes


def test_forwarded_for_from_an_untrusted_client_does_not_change_the_key(
    api: FastAPI, migrated_url: str
) -> None:
    untrusted = create_app(_settings(migrated_url))
    options = uvicorn_options(untrusted.state.settings)
    try:
        with running_server(untrusted, **options) as base:
            codes = _guess_links(base, throttle.LINK_ADDRESS.free + 1, rotate=True)
    finally:
        untrusted.state.engine.dispose()
    assert codes[:-1] == [404] * throttle.LINK_ADDRESS.free
    assert codes[-1] == 429, "rotating X-Forwarded-For must not reset the count"


def test_forwarded_for_from_a_trusted_proxy_is_the_client(api: FastAPI, migrated_url: str) -> None:
    behind_proxy = create_app(_settings(migrated_url, trusted_proxies="127.0.0.1"))
    options = uvicorn_options(behind_proxy.state.settings)
    try:
        with running_server(behind_proxy, **options) as base:
            codes = _guess_links(base, throttle.LINK_ADDRESS.free + 1, rotate=True)
    finally:
        behind_proxy.state.engine.dispose()
    assert codes == [404] * (throttle.LINK_ADDRESS.free + 1), "each citizen counted apart"
