"""Bulk appends inside the caller's transaction.

Rows go through PostgreSQL ``COPY ... FROM STDIN`` (psycopg) or ``executemany``
on SQLite, on the session's own connection: nothing is visible to others until
the session commits, and a rollback leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session


class BulkWriter:
    def __init__(self, db: Session) -> None:
        connection = db.connection()
        self.dialect = connection.dialect.name
        self._driver: Any = connection.connection.driver_connection

    def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """Append ``rows`` (tuples in ``columns`` order) to ``table``."""
        if not rows:
            return
        names = ", ".join(f'"{c}"' for c in columns)
        if self.dialect == "postgresql":
            with (
                self._driver.cursor() as cursor,
                cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join("?" for _ in columns)
        cursor = self._driver.cursor()
        try:
            cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
        finally:
            cursor.close()
