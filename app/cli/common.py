"""What every ``sipas`` command that works on the database shares."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from sqlalchemy.orm import Session

from app.core.config import get_settings
from app.core.db import create_db_engine, make_sessionmaker
from app.core.errors import AppError

T = TypeVar("T")


@contextmanager
def session() -> Iterator[Session]:
    engine = create_db_engine(get_settings().database_url)
    try:
        with make_sessionmaker(engine)() as session:
            yield session
    finally:
        engine.dispose()


def run_service(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a service function; print an error (with its fields) and exit 1 on failure."""
    try:
        with session() as db:
            return function(db, *args, **kwargs)
    except AppError as exc:
        typer.echo(f"lỗi: {exc.detail}", err=True)
        for field in exc.fields[:50]:
            typer.echo(f"  {field.get('path', '')}: {field.get('message', '')}", err=True)
        if len(exc.fields) > 50:
            typer.echo(f"  ... và {len(exc.fields) - 50} lỗi nữa", err=True)
        raise typer.Exit(code=1) from exc
