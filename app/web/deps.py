"""Page dependencies: the logged-in user of a page, and the CSRF check.

Pages (``GET``) whose visitor is not logged in with an allowed role are
redirected to the log-in page of their area; the pages' JSON endpoints answer
401 instead, so that a phone syncing with an expired session keeps its queue and
asks the surveyor to log in again. Every request that changes something must
carry the session's CSRF token, as the form field ``csrf_token`` or the header
``X-CSRF-Token``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request

from app.core.deps import DatabaseDep
from app.core.errors import ForbiddenError, UnauthorizedError
from app.models import Role
from app.web import service
from app.web.schemas import PageSession

SESSION_COOKIE = "sipas_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRequiredError(Exception):
    """Raised by a page dependency; rendered as a redirect to ``login_url``."""

    def __init__(self, login_url: str) -> None:
        super().__init__(login_url)
        self.login_url = login_url


async def presented_csrf(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header is not None:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


def page_session(
    roles: frozenset[Role], *, login_url: str, api: bool = False
) -> Callable[[Request, DatabaseDep], Awaitable[PageSession]]:
    """A dependency giving the session of a user with one of ``roles``.

    ``api``: answer 401 (JSON) instead of redirecting to the log-in page.
    """

    async def dependency(request: Request, db: DatabaseDep) -> PageSession:
        token = request.cookies.get(SESSION_COOKIE)
        session = await db.run(service.session_for, token) if token else None
        if session is None or session.role not in roles:
            if api:
                raise UnauthorizedError(
                    "Log in again: the session is missing or has expired.", error="login_required"
                )
            raise LoginRequiredError(login_url)
        if request.method not in SAFE_METHODS and not service.csrf_ok(
            session, await presented_csrf(request)
        ):
            raise ForbiddenError(
                "The form is out of date (CSRF token missing or wrong); reload the page.",
                error="csrf_failed",
            )
        return session

    return dependency
