"""Rows stored once per client-made ``client_id``: outcome reports and contact attempts
from the phones, items handed over to the supervisors.

A phone may send an item again (it never heard the answer, or the surveyor pressed
twice): the same content answers with the stored row (``created`` false, HTTP 200), a
different content under the same ``client_id`` is 409 ``client_id_conflict``. The
unique index on ``client_id`` settles two requests racing with the same item.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.errors import ConflictError


class Digested(Protocol):
    @property
    def client_id(self) -> uuid.UUID: ...

    @property
    def payload_sha256(self) -> str: ...


T = TypeVar("T")
Row = TypeVar("Row", bound=Digested)


@dataclass(frozen=True)
class Stored(Generic[T]):
    """What was stored (or found stored) and whether this request stored it."""

    item: T
    created: bool


def replay(existing: Row, digest: str, read: Callable[[Row], T]) -> Stored[T]:
    """The stored row for the same content, 409 for a different one."""
    if existing.payload_sha256 != digest:
        raise ConflictError(error="client_id_conflict", client_id=existing.client_id)
    return Stored(read(existing), created=False)


def commit(
    db: Session, row: Row, digest: str, find: Callable[[], Row | None], read: Callable[[Row], T]
) -> Stored[T]:
    """Commit the new ``row``; if a concurrent request stored the same ``client_id`` first,
    answer as a replay of it."""
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        existing = find()
        if existing is None:
            raise
        return replay(existing, digest, read)
    return Stored(read(row), created=True)
