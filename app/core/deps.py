"""FastAPI dependencies: database access and the authenticated user.

Endpoints are ``async`` and do their database work in one call to
:meth:`Database.run`, which opens a session on a worker thread and closes it
before returning. A connection is therefore held only while a thread works
with it, never while a request waits for a thread; holding one across that
wait deadlocks a loaded server (every thread waiting for a pooled connection
held by a request that waits for a thread).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Concatenate, ParamSpec, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from app.auth import repository as auth_repository
from app.core.errors import ForbiddenError, UnauthorizedError
from app.models import Role, User

P = ParamSpec("P")
T = TypeVar("T")


class Database:
    """Runs a function with a fresh session on a worker thread."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    async def run(
        self, function: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        def call() -> T:
            with self._factory() as session:
                return function(session, *args, **kwargs)

        return await run_in_threadpool(call)


async def get_database(request: Request) -> Database:
    return Database(request.app.state.sessionmaker)


DatabaseDep = Annotated[Database, Depends(get_database)]

_bearer = HTTPBearer(auto_error=False, description="An API token made by `sipas user create`.")


async def get_current_user(
    db: DatabaseDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    if credentials is None:
        raise UnauthorizedError("Send an API token: 'Authorization: Bearer <token>'.")
    user = await db.run(auth_repository.user_for_token, credentials.credentials)
    if user is None:
        raise UnauthorizedError("The API token is unknown, revoked, or its account is disabled.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_role(*roles: Role) -> Callable[[User], Awaitable[User]]:
    allowed = ", ".join(r.value for r in roles)

    async def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise ForbiddenError(
                f"This needs the role {allowed}; your account is {user.role.value}."
            )
        return user

    return check


AdminUser = Annotated[User, Depends(require_role(Role.ADMIN))]
