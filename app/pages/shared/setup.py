"""Wiring the pages into the app: static files, log-in redirects, log redaction, and
the API's documentation page (``/docs``, Swagger UI from the vendored static files)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from app.auth.dependencies import LoginRequiredError
from app.pages.shared.redact import install_log_redaction
from app.pages.shared.templates import STATIC_DIR, render


def _login_redirect(_request: Request, exc: Exception) -> RedirectResponse:
    assert isinstance(exc, LoginRequiredError)
    return RedirectResponse(exc.login_url, status_code=303)


DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
"""Swagger UI sets inline styles; everything else comes from this site only."""


async def _docs(request: Request) -> HTMLResponse:
    response = render(request, "docs.html")
    response.headers["Content-Security-Policy"] = DOCS_POLICY
    return response


def install_web(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(LoginRequiredError, _login_redirect)
    app.add_api_route("/docs", _docs, methods=["GET"], include_in_schema=False)
    install_log_redaction()
