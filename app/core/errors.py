"""One error shape for the whole API: ``{"error": code, "detail": message, "fields": [...]}``.

Business errors raise a subclass of :class:`AppError`, which carries its HTTP
status; FastAPI's own validation and HTTP errors are rendered in the same
shape by :func:`install_error_handlers`. The ``detail`` is the Vietnamese sentence
of the code in :mod:`app.core.messages`::

    raise ConflictError(error="campaign_not_in_fieldwork", campaign_id=3, status="closed")
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.messages import message
from app.core.validation import field_message, path


class AppError(Exception):
    """A refusal: its HTTP status, its code and the code's sentence from the catalogue.

    ``fields`` lists field-level problems, each made by :func:`problem`.
    """

    status_code = 400
    error = "bad_request"

    def __init__(
        self,
        *,
        fields: list[dict[str, Any]] | None = None,
        error: str | None = None,
        **params: object,
    ) -> None:
        if error is not None:
            self.error = error
        detail = message(self.error, **params)
        super().__init__(detail)
        self.detail = detail
        self.fields = fields or []
        self.params = params


class NotFoundError(AppError):
    status_code = 404
    error = "not_found"


class ConflictError(AppError):
    status_code = 409
    error = "conflict"


class UnprocessableError(AppError):
    status_code = 422
    error = "validation_error"


class UnauthorizedError(AppError):
    status_code = 401
    error = "unauthorized"


class ForbiddenError(AppError):
    status_code = 403
    error = "forbidden"


def problem(path: str, error: str, /, **params: object) -> dict[str, Any]:
    """One field-level problem: where, its code and the code's sentence."""
    return {"path": path, "code": error, "message": message(error, **params)}


def invalid(fields: list[dict[str, Any]]) -> UnprocessableError:
    """A 422 listing ``fields``, whose detail repeats each problem."""
    problems = "; ".join(f["message"] for f in fields)
    return UnprocessableError(fields=fields, problems=problems)


def error_body(
    error: str, detail: str, fields: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"error": error, "detail": detail, "fields": fields or []}


def _app_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    return JSONResponse(
        error_body(exc.error, exc.detail, exc.fields), status_code=exc.status_code, headers=headers
    )


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = [
        {"path": path(err["loc"]), "code": err["type"], "message": field_message(err)}
        for err in exc.errors()
    ]
    detail = message("validation_error", problems=" ".join(f["message"] for f in fields))
    return JSONResponse(error_body("validation_error", detail, fields), status_code=422)


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}
"""HTTP errors raised by the framework (unknown route, wrong method) → catalogue code."""


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code)
    if code is None:
        code = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_")
        detail = message("http_error", status=exc.status_code)
    else:
        detail = message(code)
    return JSONResponse(error_body(code, detail), status_code=exc.status_code, headers=exc.headers)


def _unstorable_value(_request: Request, _exc: Exception) -> JSONResponse:
    """A value the database refused (PostgreSQL: out of range, too long, NUL; SQLite: an
    integer over 64 bits). The transaction was rolled back; the message names no value."""
    return JSONResponse(error_body("invalid_value", message("invalid_value")), status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(DataError, _unstorable_value)
    app.add_exception_handler(OverflowError, _unstorable_value)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
