"""Answering a request whose work runs as a job: ``202 Accepted`` and where to look.

A client asks for it with the standard header ``Prefer: respond-async`` (RFC 7240);
without it the endpoints keep answering with the finished work.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from app.job.schemas import JobRead


def prefers_async(request: Request) -> bool:
    preferences = request.headers.get("prefer", "")
    return any(p.strip().lower() == "respond-async" for p in preferences.split(","))


def wake_runner(request: Request) -> None:
    """A job was queued: the in-process runner, where there is one, looks at once."""
    runner = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        runner.kick()


def accepted(request: Request, job: JobRead) -> JSONResponse:
    """202 with the job; wakes the in-process runner where there is one."""
    wake_runner(request)
    return JSONResponse(
        job.model_dump(mode="json"),
        status_code=202,
        headers={"Location": f"/api/v1/jobs/{job.id}", "Preference-Applied": "respond-async"},
    )
