"""The dashboard served from a snapshot, refreshed behind the reader (stale while
revalidate).

Counting a campaign's dashboard reads every sampled person, response and outcome
(seconds at 100,000 responses), and every open dashboard asks again each half
minute. So the figures are stored per campaign and scope (:class:`DashboardSnapshot`,
one table every web process and worker shares) with the time they were counted. A
request serves the stored figures at once; when they are older than the freshness
setting it also queues one refresh job (:data:`KIND`), and only a campaign and scope
with no snapshot yet is counted while the request waits.

A scope is the set of units an account sees: a supervisor's per-surveyor counts,
medians and daily completes cover only their units, which campaign-wide rows cannot
be filtered into exactly, so each distinct set of units has its own snapshot and a
snapshot is only ever served to accounts whose units are the same.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.auth.models import User
from app.campaign.scope import campaign_in_scope
from app.fieldwork.dashboard import Dashboard, compute
from app.fieldwork.models import DashboardSnapshot
from app.job import service as jobs

KIND = "dashboard_refresh"

FIGURES = TypeAdapter(Dashboard)
"""Figures are stored as JSON (dataclasses validated back on reading)."""

REQUEUE_AFTER = timedelta(minutes=5)
"""A refresh queued this long ago without storing its figures (its job failed) no
longer stops another from being queued."""


def scope_key(unit_ids: frozenset[int] | None) -> str:
    """The snapshot key of a set of units (``"*"``: every unit, with the total)."""
    if unit_ids is None:
        return "*"
    return hashlib.sha256(",".join(map(str, sorted(unit_ids))).encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _stored(db: Session, campaign_id: int, key: str) -> DashboardSnapshot | None:
    return db.scalar(
        select(DashboardSnapshot).where(
            DashboardSnapshot.campaign_id == campaign_id, DashboardSnapshot.scope_key == key
        )
    )


def store(db: Session, campaign_id: int, unit_ids: frozenset[int] | None) -> Dashboard:
    """Count the dashboard of these units and keep it as their snapshot (in the
    caller's transaction)."""
    board = compute(db, campaign_id, unit_ids)
    key = scope_key(unit_ids)
    row = _stored(db, campaign_id, key)
    if row is None:
        row = DashboardSnapshot(campaign_id=campaign_id, scope_key=key)
        db.add(row)
    row.figures = FIGURES.dump_json(board)
    row.computed_at = board.computed_at
    row.refresh_queued_at = None
    db.flush()
    return board


def _claim_refresh(
    db: Session, row: DashboardSnapshot, now: datetime, stale_before: datetime
) -> bool:
    """Mark the snapshot as being refreshed unless a refresh is already queued or it was
    refreshed since it was read; one conditional update, so of two processes seeing it
    stale at once only one wins."""
    claimed = db.execute(
        update(DashboardSnapshot)
        .where(
            DashboardSnapshot.id == row.id,
            DashboardSnapshot.computed_at <= stale_before,
            or_(
                DashboardSnapshot.refresh_queued_at.is_(None),
                DashboardSnapshot.refresh_queued_at < now - REQUEUE_AFTER,
            ),
        )
        .values(refresh_queued_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(claimed, "rowcount", 0))


def served(
    db: Session, campaign_id: int, *, actor: User | None, fresh_seconds: float
) -> tuple[Dashboard, bool]:
    """The dashboard ``actor`` sees, from its snapshot, and whether a refresh job was
    queued (the caller wakes the in-process runner). Commits."""
    unit_ids = campaign_in_scope(db, campaign_id, actor).unit_ids
    row = _stored(db, campaign_id, scope_key(unit_ids))
    if row is None:
        board = store(db, campaign_id, unit_ids)
        db.commit()
        return board, False
    board = FIGURES.validate_json(row.figures)
    now = _now()
    queued = False
    stale_before = now - timedelta(seconds=fresh_seconds)
    if _aware(row.computed_at) <= stale_before and _claim_refresh(db, row, now, stale_before):
        payload = {"campaign_id": campaign_id, "unit_ids": _listed(unit_ids)}
        jobs.enqueue(db, kind=KIND, payload=payload, actor=None)
        queued = True
    db.commit()
    return board, queued


def _listed(unit_ids: frozenset[int] | None) -> list[int] | None:
    return None if unit_ids is None else sorted(unit_ids)


@jobs.register(KIND)
def refresh(db: Session, context: jobs.JobContext) -> dict[str, Any]:
    """Count the snapshot's figures again and store them. Safe to run again."""
    listed = context.payload["unit_ids"]
    unit_ids = None if listed is None else frozenset(listed)
    board = store(db, context.payload["campaign_id"], unit_ids)
    db.commit()
    return {"computed_at": board.computed_at.isoformat()}
