"""Wiring the pages into the app: static files, log-in redirects, limits, log redaction."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from app.auth.dependencies import LoginRequiredError
from app.pages.shared.ratelimit import FailureLimiter
from app.pages.shared.redact import install_log_redaction
from app.pages.shared.templates import STATIC_DIR

LINK_FAILURES = (20, 600.0)
"""Unknown or expired personal links a client may try within ten minutes."""
LOGIN_FAILURES = (10, 900.0)
"""Wrong passwords a client may type within fifteen minutes."""


def _login_redirect(_request: Request, exc: Exception) -> RedirectResponse:
    assert isinstance(exc, LoginRequiredError)
    return RedirectResponse(exc.login_url, status_code=303)


def install_web(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(LoginRequiredError, _login_redirect)
    app.state.link_limiter = FailureLimiter(*LINK_FAILURES)
    app.state.login_limiter = FailureLimiter(*LOGIN_FAILURES)
    install_log_redaction()
