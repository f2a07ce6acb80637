"""Queuing long work and reading where it stands.

A domain makes a kind of work a job by registering a handler
(:func:`register`): a function of a database session and a :class:`JobContext`
that returns a JSON-able result. Endpoints queue it with :func:`enqueue`; a worker
(:mod:`app.job.worker`) runs it in its own transaction. A handler must be safe to
run again from the start: a worker may stop mid-way (its transaction then rolls
back) and another takes the job up.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy.orm import Session, sessionmaker

from app.auth.models import Role, User
from app.core.errors import ConflictError, NotFoundError
from app.job import repository
from app.job.models import FileRole, Job, JobStatus
from app.job.schemas import JobRead, Progress

Report = Callable[[int, int | None], None]
"""Called by a handler with (done, total) as the work advances."""


@dataclass
class JobContext:
    """What a handler knows of its job, and how it reports progress."""

    job_id: int
    payload: dict[str, Any]
    actor_id: int | None
    report: Report
    factory: sessionmaker[Session]
    secret_key: str
    """The installation's secret (links and their codes are derived from it)."""
    _open: list[IO[bytes]] = field(default_factory=list)

    def actor(self, db: Session) -> User | None:
        return db.get(User, self.actor_id) if self.actor_id is not None else None

    def input_file(self) -> IO[bytes]:
        """The job's input file, copied from the database into a local temporary file
        (in memory up to 8 MiB) chunk by chunk."""
        spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 - closed by close()
        self._open.append(spool)
        with self.factory() as db:
            for chunk in repository.read_file(db, self.job_id, FileRole.INPUT):
                spool.write(chunk)
        spool.seek(0)
        return spool

    def save_output(self, data: IO[bytes]) -> None:
        """Store the file the job makes (in its own transaction)."""
        with self.factory() as db:
            repository.delete_file(db, self.job_id, FileRole.OUTPUT)
            repository.write_file(db, self.job_id, FileRole.OUTPUT, data)
            db.commit()

    def close(self) -> None:
        for handle in self._open:
            handle.close()


Handler = Callable[[Session, JobContext], dict[str, Any]]

HANDLERS: dict[str, Handler] = {}


def register(kind: str) -> Callable[[Handler], Handler]:
    """Make ``kind`` a job run by the decorated handler."""

    def decorate(handler: Handler) -> Handler:
        HANDLERS[kind] = handler
        return handler

    return decorate


class ProgressBoard:
    """The latest progress of the jobs this process runs, readable at once by its pages
    and API (workers also write it to the job row every second or so)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._progress: dict[int, tuple[int, int | None]] = {}

    def set(self, job_id: int, done: int, total: int | None) -> None:
        with self._lock:
            self._progress[job_id] = (done, total)

    def get(self, job_id: int) -> tuple[int, int | None] | None:
        with self._lock:
            return self._progress.get(job_id)

    def drop(self, job_id: int) -> None:
        with self._lock:
            self._progress.pop(job_id, None)


BOARD = ProgressBoard()


def enqueue(
    db: Session,
    *,
    kind: str,
    payload: dict[str, Any],
    actor: User | None,
    input_file: IO[bytes] | None = None,
) -> Job:
    """Queue a job (and store its input file), in the caller's transaction."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    job = Job(
        kind=kind,
        payload=payload,
        status=JobStatus.QUEUED,
        attempts=0,
        progress_done=0,
        created_by_id=actor.id if actor else None,
    )
    db.add(job)
    db.flush()
    if input_file is not None:
        input_file.seek(0)
        size = repository.write_file(db, job.id, FileRole.INPUT, input_file)
        job.progress_total = size
    return job


def _visible(job: Job | None, job_id: int, actor: User) -> Job:
    if job is None or (actor.role is not Role.ADMIN and job.created_by_id != actor.id):
        raise NotFoundError(error="job_not_found", job_id=job_id)
    return job


def read(db: Session, job: Job) -> JobRead:
    done, total = job.progress_done, job.progress_total
    live = BOARD.get(job.id) if job.status is JobStatus.RUNNING else None
    if live is not None:
        done, total = live
    if job.status is JobStatus.SUCCEEDED and total is not None:
        done = total
    return JobRead(
        id=job.id,
        kind=job.kind,
        status=job.status,
        progress=Progress(
            done=done, total=total, fraction=min(done / total, 1.0) if total else None
        ),
        attempts=job.attempts,
        result=job.result,
        error=job.error,
        has_output=repository.has_file(db, job.id, FileRole.OUTPUT),
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def get(db: Session, job_id: int, *, actor: User) -> Job:
    """A job of the caller (admins see every job); 404 otherwise."""
    return _visible(repository.get(db, job_id), job_id, actor)


def get_read(db: Session, job_id: int, *, actor: User) -> JobRead:
    """What the API shows of a job of the caller (admins see every job)."""
    return read(db, get(db, job_id, actor=actor))


def get_read_of(db: Session, job_id: int, *, actor: User, kind: str, **payload: Any) -> JobRead:
    """A job of the caller of this ``kind`` whose payload holds these values (a page
    showing a campaign's import sees no other job: 404)."""
    job = _visible(repository.get(db, job_id), job_id, actor)
    if job.kind != kind or any(job.payload.get(k) != v for k, v in payload.items()):
        raise NotFoundError(error="job_not_found", job_id=job_id)
    return read(db, job)


def unfinished_of(db: Session, *, actor: User, kind: str, **payload: Any) -> list[JobRead]:
    """The caller's jobs of this ``kind`` still queued or running whose payload holds
    these values (admins see everyone's)."""
    return [
        read(db, job)
        for job in repository.unfinished(db, kind)
        if (actor.role is Role.ADMIN or job.created_by_id == actor.id)
        and all(job.payload.get(k) == v for k, v in payload.items())
    ]


def list_read(db: Session, *, actor: User, limit: int) -> list[JobRead]:
    jobs = repository.recent(db, limit=limit)
    return [read(db, j) for j in jobs if actor.role is Role.ADMIN or j.created_by_id == actor.id]


def output(db: Session, job_id: int, *, actor: User) -> tuple[Job, bytes]:
    """The file a succeeded job made."""
    job = get(db, job_id, actor=actor)
    if job.status is not JobStatus.SUCCEEDED or not repository.has_file(
        db, job.id, FileRole.OUTPUT
    ):
        raise ConflictError(error="job_output_not_ready", job_id=job_id)
    return job, b"".join(repository.read_file(db, job.id, FileRole.OUTPUT))
