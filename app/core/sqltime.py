"""Time arithmetic in SQL that PostgreSQL and SQLite spell differently, so that queries
can aggregate durations and days in the database: :class:`minutes_between` and
:class:`local_date`.

SQLite keeps aware datetimes as UTC text (:mod:`app.core.db`); PostgreSQL as
``timestamptz``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class minutes_between(FunctionElement[float]):  # noqa: N801 (an SQL function)
    """``minutes_between(start, end)``: minutes from ``start`` to ``end`` (a float;
    SQLite resolves milliseconds)."""

    type = Float()
    inherit_cache = True


@compiles(minutes_between)
def _minutes_sqlite(element: minutes_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 1440.0)"


@compiles(minutes_between, "postgresql")
def _minutes_postgresql(element: minutes_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS DOUBLE PRECISION) / 60.0)"


class local_date(FunctionElement[Any]):  # noqa: N801 (an SQL function)
    """``local_date(moment, hours)``: the calendar day of ``moment`` at a fixed offset
    of a whole number of ``hours`` from UTC."""

    type = Date()
    inherit_cache = True


@compiles(local_date)
def _local_date_sqlite(element: local_date, compiler: Any, **kw: Any) -> str:
    moment, hours = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({moment}, printf('%+d hours', {hours}))"


@compiles(local_date, "postgresql")
def _local_date_postgresql(element: local_date, compiler: Any, **kw: Any) -> str:
    moment, hours = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(({moment} AT TIME ZONE 'UTC') + make_interval(hours => {hours}) AS DATE)"
