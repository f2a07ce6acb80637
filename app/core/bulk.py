"""Bulk appends inside the caller's transaction.

Rows go through PostgreSQL ``COPY ... FROM STDIN`` (psycopg) or ``executemany``
on SQLite, on the session's own connection: nothing is visible to others until
the session commits, and a rollback leaves nothing behind.

On PostgreSQL one ``COPY`` stays open while rows keep coming, so the server
stores (checks keys, updates indexes) while the caller prepares the next rows;
:meth:`BulkWriter.pause` ends it when the connection is needed for something else.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from types import TracebackType
from typing import Any, Self

from sqlalchemy.orm import Session

SQLITE_BATCH = 10_000


class BulkWriter:
    """Appends rows (tuples in ``columns`` order) to ``table``.

    Use it as a context manager: leaving it writes what is pending, or, on an
    error, abandons an open ``COPY`` so that the transaction can roll back.
    """

    def __init__(self, db: Session, table: str, columns: Sequence[str]) -> None:
        connection = db.connection()
        self.dialect = connection.dialect.name
        self._driver: Any = connection.connection.driver_connection
        names = ", ".join(f'"{c}"' for c in columns)
        self._copy_sql = f'COPY "{table}" ({names}) FROM STDIN'
        marks = ", ".join("?" for _ in columns)
        self._insert_sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
        self._open: ExitStack | None = None
        self._copy: Any = None
        self._pending: list[tuple[Any, ...]] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if error is None:
            self.pause()
            return
        self._pending = []
        if self._open is not None:
            open_copy, self._open, self._copy = self._open, None, None
            open_copy.__exit__(kind, error, traceback)

    def add(self, row: tuple[Any, ...]) -> None:
        if self.dialect == "postgresql":
            if self._copy is None:
                self._open = ExitStack()
                cursor = self._open.enter_context(self._driver.cursor())
                self._copy = self._open.enter_context(cursor.copy(self._copy_sql))
            self._copy.write_row(row)
            return
        self._pending.append(row)
        if len(self._pending) >= SQLITE_BATCH:
            self.pause()

    def add_all(self, rows: Sequence[tuple[Any, ...]]) -> None:
        for row in rows:
            self.add(row)
        self.pause()

    def pause(self) -> None:
        """Write what is pending and free the connection for other statements."""
        if self._open is not None:
            open_copy, self._open, self._copy = self._open, None, None
            open_copy.close()
        if self._pending:
            cursor = self._driver.cursor()
            try:
                cursor.executemany(self._insert_sql, self._pending)
            finally:
                cursor.close()
            self._pending = []
