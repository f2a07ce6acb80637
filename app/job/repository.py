"""Queries on jobs: creating, claiming under a lease, progress, finishing, files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any, cast

from sqlalchemy import CursorResult, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from app.job.models import FileRole, Job, JobFileChunk, JobStatus

CHUNK_BYTES = 1 << 20


def get(db: Session, job_id: int) -> Job | None:
    return db.get(Job, job_id)


def recent(db: Session, *, limit: int) -> list[Job]:
    return list(db.execute(select(Job).order_by(Job.id.desc()).limit(limit)).scalars())


def unfinished(db: Session, kind: str) -> list[Job]:
    """Jobs of this kind still queued or running, oldest first."""
    return list(
        db.execute(
            select(Job)
            .where(Job.kind == kind, Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]))
            .order_by(Job.id)
        ).scalars()
    )


def _claimable(now: datetime, max_attempts: int) -> Any:
    """Queued, or running under a lease that ran out (its worker is gone)."""
    return or_(
        Job.status == JobStatus.QUEUED,
        and_(
            Job.status == JobStatus.RUNNING,
            Job.lease_until < now,
            Job.attempts < max_attempts,
        ),
    )


def claim(
    db: Session, *, worker: str, now: datetime, lease_until: datetime, max_attempts: int
) -> int | None:
    """Take the oldest claimable job for ``worker``; its id, or None. Commits.

    On PostgreSQL concurrent workers skip the row another is taking (``SKIP
    LOCKED``); on every backend the guarded ``UPDATE`` takes a job at most once."""
    query = select(Job.id).where(_claimable(now, max_attempts)).order_by(Job.id).limit(1)
    if db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    job_id = db.execute(query).scalar_one_or_none()
    if job_id is None:
        db.rollback()
        return None
    taken = _changed(
        db,
        update(Job)
        .where(Job.id == job_id, _claimable(now, max_attempts))
        .values(
            status=JobStatus.RUNNING,
            worker=worker,
            lease_until=lease_until,
            attempts=Job.attempts + 1,
            started_at=func.coalesce(Job.started_at, now),
        ),
    )
    db.commit()
    return job_id if taken else None


def abandoned(db: Session, *, now: datetime, max_attempts: int) -> list[int]:
    """Jobs whose lease ran out after their last allowed attempt."""
    return list(
        db.execute(
            select(Job.id).where(
                Job.status == JobStatus.RUNNING,
                Job.lease_until < now,
                Job.attempts >= max_attempts,
            )
        ).scalars()
    )


def renew(
    db: Session,
    job_id: int,
    *,
    worker: str,
    lease_until: datetime,
    done: int | None = None,
    total: int | None = None,
) -> bool:
    """Extend the lease (and record progress) while ``worker`` still holds the job."""
    values: dict[str, Any] = {"lease_until": lease_until}
    if done is not None:
        values.update(progress_done=done, progress_total=total)
    changed = _changed(
        db,
        update(Job)
        .where(Job.id == job_id, Job.worker == worker, Job.status == JobStatus.RUNNING)
        .values(**values),
    )
    db.commit()
    return bool(changed)


def finish(
    db: Session,
    job_id: int,
    *,
    worker: str | None,
    status: JobStatus,
    now: datetime,
    result: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
    progress: tuple[int, int | None] | None = None,
) -> bool:
    """Record the end of a job held by ``worker`` (any holder when ``None``), with its
    last progress when given."""
    query = update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING)
    if worker is not None:
        query = query.where(Job.worker == worker)
    values: dict[str, Any] = {
        "status": status,
        "result": result,
        "error": error,
        "finished_at": now,
        "lease_until": None,
    }
    if progress is not None:
        values.update(progress_done=progress[0], progress_total=progress[1])
    return bool(_changed(db, query.values(**values)))


def write_file(db: Session, job_id: int, role: FileRole, stream: IO[bytes]) -> int:
    """Store ``stream`` in chunks; its size in bytes."""
    size = position = 0
    while chunk := stream.read(CHUNK_BYTES):
        # Core inserts: no ORM object keeps a chunk in memory after it is written.
        db.execute(
            insert(JobFileChunk).values(job_id=job_id, role=role, position=position, data=chunk)
        )
        size += len(chunk)
        position += 1
    return size


def read_file(db: Session, job_id: int, role: FileRole) -> Iterator[bytes]:
    """The chunks of a job's file, in order, one at a time."""
    positions = db.execute(
        select(JobFileChunk.position)
        .where(JobFileChunk.job_id == job_id, JobFileChunk.role == role)
        .order_by(JobFileChunk.position)
    ).scalars()
    for position in list(positions):
        yield db.execute(
            select(JobFileChunk.data).where(
                JobFileChunk.job_id == job_id,
                JobFileChunk.role == role,
                JobFileChunk.position == position,
            )
        ).scalar_one()


def has_file(db: Session, job_id: int, role: FileRole) -> bool:
    return (
        db.execute(
            select(JobFileChunk.id)
            .where(JobFileChunk.job_id == job_id, JobFileChunk.role == role)
            .limit(1)
        ).first()
        is not None
    )


def delete_file(db: Session, job_id: int, role: FileRole) -> None:
    db.execute(delete(JobFileChunk).where(JobFileChunk.job_id == job_id, JobFileChunk.role == role))


def _changed(db: Session, statement: Any) -> int:
    """Rows changed by an UPDATE."""
    return cast(CursorResult[Any], db.execute(statement)).rowcount
