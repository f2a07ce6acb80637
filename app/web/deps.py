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
from typing import Annotated

from fastapi import Depends, Request

from app.core.deps import DatabaseDep
from app.core.errors import UnauthorizedError
from app.models import Role
from app.web import service
from app.web.schemas import Credentials, PageSession

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


async def credentials(request: Request) -> Credentials:
    """The session cookie and CSRF token a request presents (no database work)."""
    return Credentials(
        session_token=request.cookies.get(SESSION_COOKIE),
        csrf_token=await presented_csrf(request),
        changes=request.method not in SAFE_METHODS,
    )


CredentialsDep = Annotated[Credentials, Depends(credentials)]


def page_session(
    roles: frozenset[Role], *, login_url: str, api: bool = False
) -> Callable[[CredentialsDep, DatabaseDep], Awaitable[PageSession]]:
    """A dependency giving the session of a user with one of ``roles``.

    ``api``: answer 401 (JSON) instead of redirecting to the log-in page.
    """

    async def dependency(presented: CredentialsDep, db: DatabaseDep) -> PageSession:
        try:
            return await db.run(service.authenticate, presented, roles)
        except UnauthorizedError:
            if api:
                raise
            raise LoginRequiredError(login_url) from None

    return dependency
