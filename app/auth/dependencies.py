"""Every FastAPI dependency about who is calling: API tokens and keys, page sessions.

API callers send ``Authorization: Bearer <token>``: :data:`CurrentUser` is the
token's active account, :data:`AdminUser` an admin, :data:`ResultsReader` a
caller of the results endpoints with the campaigns its key may read.

Pages (``GET``) whose visitor is not logged in with an allowed role are
redirected to the log-in page of their area (:class:`LoginRequiredError`); the
pages' JSON endpoints answer 401 instead, so that a phone syncing with an expired
session keeps its queue and asks the surveyor to log in again. Every request that
changes something must carry the session's CSRF token, as the form field
``csrf_token`` or the header ``X-CSRF-Token``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.auth import sessions
from app.auth.models import STAFF_ROLES, SURVEYOR_ROLES, Role, User
from app.auth.schemas import Credentials, PageSession, Reach
from app.auth.service import Reader, reader_for_token, token_user
from app.core.deps import DatabaseDep
from app.core.errors import ForbiddenError, UnauthorizedError

_bearer = HTTPBearer(auto_error=False, description="An API token made by `sipas user create`.")


async def get_current_user(
    db: DatabaseDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    if credentials is None:
        raise UnauthorizedError()
    return await db.run(token_user, credentials.credentials)


CurrentUser = Annotated[User, Depends(get_current_user)]


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The API token presented (401 without one), for an endpoint that checks it with
    :func:`app.auth.service.token_user` in the same database session as its work."""
    if credentials is None:
        raise UnauthorizedError()
    return credentials.credentials


BearerToken = Annotated[str, Depends(bearer_token)]


def require_role(*roles: Role) -> Callable[[User], Awaitable[User]]:
    async def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise ForbiddenError()
        return user

    return check


AdminUser = Annotated[User, Depends(require_role(Role.ADMIN))]
StaffUser = Annotated[User, Depends(require_role(*sorted(STAFF_ROLES)))]
"""An admin or a supervisor."""


async def get_reader(
    db: DatabaseDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Reader:
    """The caller of a results endpoint, with the campaigns its key may read."""
    if credentials is None:
        raise UnauthorizedError()
    reader = await db.run(reader_for_token, credentials.credentials)
    if reader is None:
        raise UnauthorizedError(error="token_invalid")
    return reader


ResultsReader = Annotated[Reader, Depends(get_reader)]

ReachOf = Callable[[Session, frozenset[int]], Reach]
"""Computes a :class:`Reach` from campaign ids; the campaign domain's, set on
``app.state.reach`` by the application factory (this layer knows no campaigns)."""


async def get_visible(request: Request, reader: ResultsReader, db: DatabaseDep) -> Reach | None:
    """What the caller may read of campaigns, units and questionnaires: everything
    (``None``) for staff, its campaigns' reach for an API key."""
    if reader.role is not Role.API_CLIENT:
        return None
    reach_of = cast(ReachOf, request.app.state.reach)
    return await db.run(reach_of, reader.campaign_ids)


Visible = Annotated[Reach | None, Depends(get_visible)]
"""``None``: sees everything; otherwise only what the :class:`Reach` holds."""


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
            return await db.run(sessions.authenticate, presented, roles)
        except UnauthorizedError:
            if api:
                raise
            raise LoginRequiredError(login_url) from None

    return dependency


SURVEYOR_LOGIN = "/s/login"
STAFF_LOGIN = "/staff/login"

surveyor_page_session = page_session(SURVEYOR_ROLES, login_url=SURVEYOR_LOGIN)
staff_page_session = page_session(STAFF_ROLES, login_url=STAFF_LOGIN)

SurveyorPage = Annotated[PageSession, Depends(surveyor_page_session)]
"""A surveyor's page (``/s/``); others are sent to the log-in page."""
SurveyorApi = Annotated[
    PageSession, Depends(page_session(SURVEYOR_ROLES, login_url=SURVEYOR_LOGIN, api=True))
]
"""A JSON endpoint of the surveyors' app: 401 instead of a redirect."""
StaffPage = Annotated[PageSession, Depends(staff_page_session)]
"""A staff page (``/staff/``, admins and supervisors)."""
AdminPage = Annotated[
    PageSession, Depends(page_session(frozenset({Role.ADMIN}), login_url=STAFF_LOGIN))
]
"""A staff page for admins only."""
StaffApi = Annotated[
    PageSession, Depends(page_session(STAFF_ROLES, login_url=STAFF_LOGIN, api=True))
]
"""A JSON endpoint of the staff pages: 401 instead of a redirect."""
