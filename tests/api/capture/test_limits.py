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
from app.main import create_app
from tests.api.capture.conftest import ADMIN_PASSWORD, CaptureWorld
from tests.api.conftest import app_settings
from tests.support.accounts import SURVEYOR_PASSWORD
from tests.support.server import running_server

_NONCE = re.compile(r'name="login_csrf" value="([^"]+)"')


@pytest.fixture
def second_worker(api: FastAPI, migrated_url: str) -> Iterator[FastAPI]:
    """Another process of the same service: its own app, engine and memory."""
    other = create_app(app_settings(migrated_url))
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
    restarted = create_app(app_settings(migrated_url))
    try:
        with TestClient(restarted) as after_restart:
            assert _login(after_restart, "s", "DTV1 ", SURVEYOR_PASSWORD) == 429
    finally:
        restarted.state.engine.dispose()


def test_one_account_guessed_at_locks_out_nobody_else(
    client: TestClient, world: CaptureWorld
) -> None:
    # Ten typos by ten people behind one office address lock nobody out.
    for n in range(10):
        assert _login(client, "staff", f"nguoi{n}", "sai-mat-khau") == 401
    assert _login(client, "staff", "quantri", ADMIN_PASSWORD) == 303
    client.cookies.clear()
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


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [
        ("", 429),  # rotating X-Forwarded-For must not reset the count
        ("127.0.0.1", 404),  # behind a declared proxy each citizen is counted apart
    ],
)
def test_forwarded_for_is_believed_only_from_a_trusted_proxy(
    api: FastAPI, migrated_url: str, trusted: str, expected: int
) -> None:
    served = create_app(app_settings(migrated_url, trusted_proxies=trusted))
    options = uvicorn_options(served.state.settings)
    try:
        with running_server(served, **options) as base:
            codes = _guess_links(base, throttle.LINK_ADDRESS.free + 1, rotate=True)
    finally:
        served.state.engine.dispose()
    assert codes == [404] * throttle.LINK_ADDRESS.free + [expected]
