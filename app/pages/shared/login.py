"""Log-in and log-out pages, shared by the surveyors' app and the staff pages.

The log-in form is protected against cross-site submission by a double-submit
cookie (``sipas_login``), and repeated wrong passwords for one account or from one
address are refused for a growing while (:mod:`app.auth.throttle`).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.auth import sessions as service
from app.auth.dependencies import SESSION_COOKIE
from app.auth.models import Role
from app.auth.schemas import PageSession
from app.auth.throttle import TooManyAttemptsError
from app.core.config import Environment
from app.core.deps import Database, DatabaseDep
from app.pages.shared.ratelimit import client_address
from app.pages.shared.templates import render

LOGIN_COOKIE = "sipas_login"


@dataclass(frozen=True)
class Area:
    """A part of the site with its own log-in page."""

    title: str
    login_path: str
    logout_path: str
    home_path: str
    roles: frozenset[Role]


def _secure(request: Request) -> bool:
    settings = request.app.state.settings
    return request.url.scheme == "https" or settings.environment is Environment.PRODUCTION


def login_page(
    request: Request, area: Area, *, error: str | None = None, status_code: int = 200
) -> Response:
    nonce = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        {"area": area, "login_csrf": nonce, "error": error},
        status_code=status_code,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path=area.login_path,
    )
    return response


async def login_submit(
    request: Request,
    db: Database,
    area: Area,
    *,
    username: str,
    password: str,
    login_csrf: str,
) -> Response:
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, login_csrf):
        return login_page(
            request, area, error="Trang đăng nhập đã cũ, xin đăng nhập lại.", status_code=403
        )
    try:
        result = await db.run(
            service.login, username, password, area.roles, address=client_address(request)
        )
    except TooManyAttemptsError as exc:
        return login_page(request, area, error=exc.detail, status_code=429)
    if result is None:
        return login_page(
            request,
            area,
            error="Tên đăng nhập hoặc mật khẩu không đúng.",
            status_code=401,
        )
    token, session = result
    lifetime = service.SURVEYOR_SESSION if session.role is Role.SURVEYOR else service.STAFF_SESSION
    response = RedirectResponse(area.home_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path=area.login_path)
    return response


async def logout(request: Request, db: Database, area: Area) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await db.run(service.logout, token)
    response = RedirectResponse(area.login_path, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def login_routes(area: Area, session: Callable[..., Awaitable[PageSession]]) -> APIRouter:
    """``GET``/``POST /login`` and ``POST /logout`` of an area, for its router to include."""
    router = APIRouter(include_in_schema=False)

    @router.get("/login")
    async def login_form(request: Request) -> Response:
        return login_page(request, area)

    @router.post("/login")
    async def login(
        request: Request,
        db: DatabaseDep,
        username: Annotated[str, Form()],
        password: Annotated[str, Form()],
        login_csrf: Annotated[str, Form()],
    ) -> Response:
        return await login_submit(
            request, db, area, username=username, password=password, login_csrf=login_csrf
        )

    # The session (with its CSRF token) is required, through the route's dependencies:
    # a closure cannot appear in the (postponed) annotations FastAPI reads.
    @router.post("/logout", dependencies=[Depends(session)])
    async def logout_route(request: Request, db: DatabaseDep) -> Response:
        return await logout(request, db, area)

    return router
