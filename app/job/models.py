"""Jobs: long work queued in the database, run by workers, with its progress.

The queue is the ``job`` table itself, so every machine that reaches the one
PostgreSQL can run workers (``sipas worker``) and no other service is needed. A
worker holds a job under a lease that it renews while it works; a job whose lease
has run out (its worker was killed or lost its connection) is taken up again by the
next free worker. The input file of a job (a case list) is kept in the database in
chunks, so any machine's worker can read it; so is a file a job makes (an export).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, JSONType
from app.core.models import CreatedAtMixin, enum_column


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Job(CreatedAtMixin, Base):
    """One piece of long work and where it stands."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    status: Mapped[JobStatus] = mapped_column(
        enum_column(JobStatus, "job_status"), default=JobStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    progress_done: Mapped[int] = mapped_column(BigInteger, default=0)
    progress_total: Mapped[int | None] = mapped_column(BigInteger)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    """``{"error": code, "detail": sentence, "fields": [...]}``, the API's error shape."""
    worker: Mapped[str | None] = mapped_column(String(255))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class FileRole(StrEnum):
    INPUT = "input"
    OUTPUT = "output"


class JobFileChunk(Base):
    """One piece (at most 1 MiB) of a job's input or output file, in order."""

    __tablename__ = "job_file_chunk"
    __table_args__ = (UniqueConstraint("job_id", "role", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"))
    role: Mapped[FileRole] = mapped_column(enum_column(FileRole, "job_file_role"))
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
