"""Wiring the pages into the app: static files, log-in redirects, log redaction."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from app.auth.dependencies import LoginRequiredError
from app.pages.shared.redact import install_log_redaction
from app.pages.shared.templates import STATIC_DIR


def _login_redirect(_request: Request, exc: Exception) -> RedirectResponse:
    assert isinstance(exc, LoginRequiredError)
    return RedirectResponse(exc.login_url, status_code=303)


def install_web(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(LoginRequiredError, _login_redirect)
    install_log_redaction()
