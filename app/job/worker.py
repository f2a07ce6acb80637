"""Running jobs: worker processes (``sipas worker``) and the in-process runner.

A worker takes the oldest queued job under a lease (:data:`LEASE`) and renews it
every second while the work goes on, writing the job's progress at the same time. A
worker that dies stops renewing; once its lease has run out, the next free worker on
any machine takes the job up again from the start (the interrupted transaction has
rolled back), at most :data:`MAX_ATTEMPTS` times in all.

On SQLite (one machine, one file) the web process runs the same loop on a thread of
its own (:class:`InProcessRunner`), so ``make run`` stays one command.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import AppError, error_body
from app.core.messages import message
from app.job import repository
from app.job.models import FileRole, JobStatus
from app.job.service import BOARD, HANDLERS, JobContext

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=float(os.environ.get("SIPAS_JOB_LEASE_SECONDS", "60")))
"""How long a job stays with a worker that stops renewing its lease."""
MAX_ATTEMPTS = 3
HEARTBEAT_SECONDS = float(os.environ.get("SIPAS_JOB_HEARTBEAT_SECONDS", "1"))
"""How often a worker renews its lease and writes its jobs' progress."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _now() -> datetime:
    return datetime.now(UTC)


class _Heartbeat(threading.Thread):
    """Renews the lease of a running job and writes its progress, every second."""

    def __init__(self, factory: sessionmaker[Session], job_id: int, worker: str) -> None:
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self._factory = factory
        self._job_id = job_id
        self._worker = worker
        self._ended = threading.Event()

    def run(self) -> None:
        while not self._ended.wait(HEARTBEAT_SECONDS):
            progress = BOARD.get(self._job_id)
            try:
                with self._factory() as db:
                    repository.renew(
                        db,
                        self._job_id,
                        worker=self._worker,
                        lease_until=_now() + LEASE,
                        done=progress[0] if progress else None,
                        total=progress[1] if progress else None,
                    )
            except Exception:  # a busy database: try again at the next beat
                log.warning("job %s: could not renew the lease", self._job_id, exc_info=True)

    def stop(self) -> None:
        self._ended.set()
        self.join()


def execute(factory: sessionmaker[Session], job_id: int, worker: str, secret_key: str) -> JobStatus:
    """Run a job this worker has claimed and record how it ended."""
    with factory() as db:
        job = repository.get(db, job_id)
        assert job is not None
        kind, payload, actor_id = job.kind, dict(job.payload), job.created_by_id
    context = JobContext(
        job_id=job_id,
        payload=payload,
        actor_id=actor_id,
        report=lambda done, total: BOARD.set(job_id, done, total),
        factory=factory,
        secret_key=secret_key,
    )
    heartbeat = _Heartbeat(factory, job_id, worker)
    heartbeat.start()
    status, result, error = JobStatus.FAILED, None, None
    try:
        with factory() as db:
            result = HANDLERS[kind](db, context)
        status = JobStatus.SUCCEEDED
    except AppError as exc:
        error = error_body(exc.error, exc.detail, exc.fields)
    except Exception:
        log.exception("job %s (%s) failed", job_id, kind)
        error = error_body("job_failed", message("job_failed", job_id=job_id))
    finally:
        heartbeat.stop()
        context.close()
    with factory() as db:
        if repository.finish(
            db,
            job_id,
            worker=worker,
            status=status,
            now=_now(),
            result=result,
            error=error,
            progress=BOARD.get(job_id),
        ):
            repository.delete_file(db, job_id, FileRole.INPUT)
        db.commit()
    BOARD.drop(job_id)
    return status


def _give_up_abandoned(factory: sessionmaker[Session]) -> None:
    with factory() as db:
        for job_id in repository.abandoned(db, now=_now(), max_attempts=MAX_ATTEMPTS):
            error = error_body("job_abandoned", message("job_abandoned", attempts=MAX_ATTEMPTS))
            repository.finish(
                db, job_id, worker=None, status=JobStatus.FAILED, now=_now(), error=error
            )
        db.commit()


def run_next(factory: sessionmaker[Session], worker: str, secret_key: str) -> int | None:
    """Claim and run the oldest claimable job; its id, or None when there is none."""
    _give_up_abandoned(factory)
    with factory() as db:
        job_id = repository.claim(
            db,
            worker=worker,
            now=_now(),
            lease_until=_now() + LEASE,
            max_attempts=MAX_ATTEMPTS,
        )
    if job_id is not None:
        log.info("job %s: started by %s", job_id, worker)
        status = execute(factory, job_id, worker, secret_key)
        log.info("job %s: %s", job_id, status.value)
    return job_id


def run_worker(
    factory: sessionmaker[Session],
    *,
    secret_key: str,
    stop: threading.Event,
    poll_seconds: float = 1.0,
    once: bool = False,
) -> int:
    """Run jobs until ``stop`` is set (or, with ``once``, until none is left); how many."""
    worker = worker_name()
    count = 0
    while not stop.is_set():
        if run_next(factory, worker, secret_key) is not None:
            count += 1
            continue
        if once:
            break
        stop.wait(poll_seconds)
    return count


class InProcessRunner:
    """Runs the jobs of a single-machine (SQLite) install on a thread of the web process."""

    def __init__(
        self, factory: sessionmaker[Session], secret_key: str, poll_seconds: float = 5.0
    ) -> None:
        self._factory = factory
        self._secret_key = secret_key
        self._poll = poll_seconds
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sipas-jobs", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def kick(self) -> None:
        """A job was queued: look now instead of at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        worker = worker_name()
        while not self._stop.is_set():
            self._wake.clear()
            try:
                while not self._stop.is_set():
                    if run_next(self._factory, worker, self._secret_key) is None:
                        break
            except Exception:
                log.exception("in-process job runner")
            self._wake.wait(self._poll)
