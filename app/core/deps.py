"""FastAPI dependency: database access.

Endpoints are ``async`` and do their database work in one call to
:meth:`Database.run`, which opens a session on a worker thread and closes it
before returning. A connection is therefore held only while a thread works
with it, never while a request waits for a thread; holding one across that
wait deadlocks a loaded server (every thread waiting for a pooled connection
held by a request that waits for a thread).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Concatenate, ParamSpec, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

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
