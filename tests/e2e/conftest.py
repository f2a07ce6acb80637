"""Browser tests: a real uvicorn server on loopback and Debian's headless Chromium
driven by playwright at a 360×640 phone viewport.

They run on SQLite only (one fresh migrated database per test) to stay fast; the
services they exercise run on both backends in ``tests/api``. ``make test``
installs ``/usr/bin/chromium`` (scripts/install-system-deps.sh); playwright never
downloads a browser here.

Offline is simulated with ``context.set_offline(True)``. Chromium does not apply
that to requests a service worker makes itself (microsoft/playwright#2311), so
those are aborted through ``context.route`` too, which needs playwright's service
worker network events (``PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Route,
    ViewportSize,
    sync_playwright,
)
from sqlalchemy.orm import Session

from app.core.config import Environment, Settings
from app.core.db import create_db_engine
from app.core.migrate import upgrade
from app.main import create_app
from tests.e2e.world import World, build_world
from tests.support.server import running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: ViewportSize = {"width": 360, "height": 640}


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make system-deps` (or `make test`, which does)",
            pytrace=False,
        )
    previous = os.environ.get("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS")
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    try:
        with sync_playwright() as driver:
            yield driver
    finally:
        if previous is None:
            os.environ.pop("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", None)
        else:
            os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = previous


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    chromium = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield chromium
    chromium.close()


@dataclass
class Served:
    """The app under test, its URL and the requests it received."""

    app: FastAPI
    base_url: str
    world: World
    paths: list[str] = field(default_factory=list)

    def session(self) -> Session:
        session: Session = self.app.state.sessionmaker()
        return session


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    engine = create_db_engine(url)
    with engine.begin() as connection:
        upgrade(connection)
    engine.dispose()
    app = create_app(
        Settings(
            database_url=url,
            environment=Environment.TEST,
            secret_key="e2e-secret-key-not-for-production",
        )
    )
    paths: list[str] = []

    @app.middleware("http")
    async def remember(request: Request, call_next):  # type: ignore[no-untyped-def]
        paths.append(f"{request.method} {request.url.path}")
        return await call_next(request)

    with app.state.sessionmaker() as db:
        world = build_world(db)
    with running_server(app) as base_url:
        yield Served(app=app, base_url=base_url, world=world, paths=paths)
    app.state.engine.dispose()


@pytest.fixture
def context(browser: Browser, served: Served) -> Iterator[BrowserContext]:
    ctx = browser.new_context(
        viewport=PHONE,
        base_url=served.base_url,
        locale="vi-VN",
        service_workers="allow",
        is_mobile=True,
        has_touch=True,
    )
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A phone-sized page; the test fails if a script on it throws."""
    new = context.new_page()
    errors: list[str] = []
    new.on("pageerror", lambda error: errors.append(str(error)))
    yield new
    assert errors == [], f"uncaught script errors: {errors}"


@pytest.fixture
def screens(tmp_path: Path) -> Path:
    """Where screenshots go for review: <the test's temp dir>/screens."""
    folder = tmp_path / "screens"
    folder.mkdir()
    return folder


def _abort_service_worker_requests(route: Route) -> None:
    if route.request.service_worker is not None:
        route.abort("internetdisconnected")
    else:
        route.continue_()


def go_offline(context: BrowserContext) -> None:
    context.set_offline(True)
    context.route("**/*", _abort_service_worker_requests)


def go_online(context: BrowserContext) -> None:
    context.unroute("**/*", _abort_service_worker_requests)
    context.set_offline(False)
