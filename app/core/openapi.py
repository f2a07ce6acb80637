"""The OpenAPI description states what the service really answers.

Every error, whatever its status, has one shape (:class:`ErrorBody`); each operation
lists the error statuses it can give:

* 422 when it takes parameters or a body (validation, control characters, numbers
  out of range), 413 and 400 when it takes a body (too large; unreadable);
* 401 and 403 when it needs a token (or a page session: ``/s/api``, ``/staff/api``);
* 404 when its path or body names something (an id, a code, a link, an account);
* 409 when it changes something (business rules: state, replays, uniqueness);
* 429 for the citizens' links (guesses are limited).

FastAPI's own validation-error schemas are replaced, since the service never sends
them.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

READS = frozenset({"get", "head", "options"})
SESSION_PREFIXES = ("/s/api/", "/staff/api/")
THROTTLED_PREFIXES = ("/r/",)

DESCRIPTIONS = {
    "400": "The body could not be read (not JSON, not a form).",
    "401": "No valid token (or page session).",
    "403": "The caller may not do this (role, scope, CSRF token).",
    "404": "Not found.",
    "409": "Refused by a business rule (state, replay with another payload, duplicate).",
    "413": "The body is larger than the limit.",
    "422": "Invalid input; every problem is listed in `fields`.",
    "429": "Too many failed attempts from this address; wait and try again.",
}


class ErrorBody(BaseModel):
    """Every error the service gives."""

    error: str = Field(description="A stable code for programs, e.g. `campaign_not_found`.")
    detail: str = Field(description="A Vietnamese sentence for people, saying what to do.")
    fields: list[dict[str, Any]] = Field(
        description="Each problem: `path` (e.g. `body.answers.S24`, or a file's row and "
        "column), `code` and `message`."
    )


def _error_statuses(path: str, method: str, operation: dict[str, Any]) -> set[str]:
    statuses: set[str] = set()
    body = operation.get("requestBody")
    if operation.get("parameters") or body:
        statuses.add("422")
    if body:
        statuses |= {"400", "413"}
    if operation.get("security") or path.startswith(SESSION_PREFIXES):
        statuses |= {"401", "403"}
    if "{" in path or body:
        statuses.add("404")
    if method not in READS:
        statuses.add("409")
    if path.startswith(THROTTLED_PREFIXES):
        statuses.add("429")
    return statuses


TEXT_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"
"""Text never holds control characters but tab, line feed and carriage return
(:mod:`app.core.edge` refuses them)."""


def _no_control_characters(node: Any) -> None:
    """Give every plain string schema under ``node`` the :data:`TEXT_PATTERN`."""
    if isinstance(node, dict):
        plain = not {"pattern", "format", "enum", "const"} & set(node)
        if node.get("type") == "string" and plain:
            node["pattern"] = TEXT_PATTERN
        for value in node.values():
            _no_control_characters(value)
    elif isinstance(node, list):
        for value in node:
            _no_control_characters(value)


def describe_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Give every operation of ``schema`` its error statuses with :class:`ErrorBody`."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    _no_control_characters(schema)
    components["ErrorBody"] = ErrorBody.model_json_schema()
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status in _error_statuses(path, method, operation) | {
                s for s in responses if s[0] in "45"
            }:
                entry = responses.setdefault(status, {"description": DESCRIPTIONS.get(status, "")})
                entry["content"] = error
    return schema


def install_openapi(app: FastAPI) -> None:
    """Serve the description built by :func:`describe_errors` at ``/openapi.json``."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe_errors(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    setattr(app, "openapi", openapi)  # noqa: B010 - FastAPI's documented way to customise
