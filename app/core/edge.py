"""Checks at the edge, before any endpoint runs: body size, control characters, id range.

:class:`RequestGuard` is an ASGI middleware. For every HTTP request it

* refuses a body larger than the route's limit with 413: ``max_body`` bytes, or
  ``max_upload`` for the routes marked :data:`UPLOAD` (case lists, unit files), whose
  bodies are streamed (counted as they arrive, never held whole by this guard);
* refuses NUL and the other control characters (all of C0 but tab, line feed and
  carriage return, and DEL) in the path, the query, JSON bodies and form fields with
  422, naming each field: PostgreSQL cannot store NUL in text, and no person types
  the others;

and :func:`bounded_integers`, a dependency of every route, answers 404 for an integer
path parameter, and 422 for an integer query parameter, outside the range of the
database's ``INTEGER`` columns (ids), so no database is asked about an id it cannot
hold.

JSON bodies are scanned as bytes first; only a body that may hold an escaped control
character is parsed to name the fields. Upload routes are found in the OpenAPI
description (``openapi_extra=UPLOAD``); the pages that take a file, which the
description leaves out, are given by (method, path) (``page_uploads``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import NotFoundError, UnprocessableError, problem
from app.core.messages import message

UPLOAD = {"x-sipas-upload": True}
"""``openapi_extra`` of a route that accepts a large file: its body may reach ``max_upload``."""

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
"""The range of an ``INTEGER`` column on PostgreSQL (and of every id)."""

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPED_CONTROL = re.compile(rb"\\(?:u00[01][0-9a-fA-F]|u007[fF]|[bf])")

ErrorSender = Callable[..., Awaitable[None]]
"""``(scope, send, status, code, fields, **params)``: writes an error response."""


class BodyTooLargeError(Exception):
    """The body grew past the route's limit while it was being read."""


def _problem(path: str) -> dict[str, Any]:
    return problem(path, "control_character_field", field=path)


def control_problems(value: Any, path: str) -> Iterator[dict[str, Any]]:
    """One problem per string in ``value`` holding a control character. (Keys are names:
    the models ignore unknown ones and check the ones they know.)"""
    if isinstance(value, str):
        if CONTROL.search(value):
            yield _problem(path)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from control_problems(item, f"{path}.{CONTROL.sub('?', str(key))}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from control_problems(item, f"{path}.{index}")


def _pair_problems(pairs: list[tuple[str, str]], where: str) -> list[dict[str, Any]]:
    """Form fields or query parameters holding a control character, by name."""
    return [
        _problem(f"{where}.{CONTROL.sub('?', name)}")
        for name, value in pairs
        if CONTROL.search(name) or CONTROL.search(value)
    ]


def _json_problems(body: bytes) -> list[dict[str, Any]]:
    if not _ESCAPED_CONTROL.search(body):
        return []
    try:
        parsed = json.loads(body)
    except ValueError:
        return []  # not JSON: the endpoint's own validation answers
    return list(control_problems(parsed, "body"))


def _form_problems(body: bytes) -> list[dict[str, Any]]:
    return _pair_problems(parse_qsl(body.decode("latin-1"), keep_blank_values=True), "body")


def _int_params(route: APIRoute) -> tuple[set[str], set[str]]:
    """Names of the route's integer path and query parameters."""

    def integers(fields: list[Any]) -> set[str]:
        return {f.alias for f in fields if f.field_info.annotation in (int, int | None)}

    return integers(route.dependant.path_params), integers(route.dependant.query_params)


def _out_of_range(text: str) -> bool:
    try:
        number = int(text)
    except ValueError:
        return False  # not a number: FastAPI's validation answers 422
    return not INT_MIN <= number <= INT_MAX


_int_params_of: dict[int, tuple[set[str], set[str]]] = {}


async def bounded_integers(request: Request) -> None:
    """404 for an integer path parameter, 422 for an integer query parameter, beyond the
    range of an ``INTEGER`` column."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    if id(route) not in _int_params_of:
        _int_params_of[id(route)] = _int_params(route)
    path_ints, query_ints = _int_params_of[id(route)]
    if any(_out_of_range(str(request.path_params.get(n, 0))) for n in path_ints):
        raise NotFoundError()
    wrong = [
        problem(f"query.{name}", "number_out_of_range_field", field=f"query.{name}")
        for name, value in request.query_params.multi_items()
        if name in query_ints and _out_of_range(value)
    ]
    if wrong:
        raise UnprocessableError(error="number_out_of_range", fields=wrong)


def _path_pattern(template: str) -> re.Pattern[str]:
    """``/campaigns/{campaign_id}/case-lists`` → a pattern matching its paths."""
    parts = re.split(r"\{[^}/]+\}", template)
    return re.compile("^" + "[^/]+".join(re.escape(part) for part in parts) + "$")


def _upload_routes(
    schema: dict[str, Any], pages: Iterable[tuple[str, str]]
) -> list[tuple[str, re.Pattern[str]]]:
    """(method, path pattern) of the operations marked :data:`UPLOAD`, and of the pages
    that take a file (left out of the OpenAPI description), given as (method, path)."""
    operations = [
        (method.upper(), path)
        for path, described in schema.get("paths", {}).items()
        for method, operation in described.items()
        if isinstance(operation, dict) and operation.get("x-sipas-upload")
    ]
    return [(method, _path_pattern(path)) for method, path in [*operations, *pages]]


class RequestGuard:
    """The ASGI middleware; ``send_error`` writes an error response in the app's shape."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        openapi: Callable[[], dict[str, Any]],
        max_body: int,
        max_upload: int,
        send_error: ErrorSender,
        page_uploads: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.app = app
        self.openapi = openapi
        self.page_uploads = list(page_uploads)
        self.max_body = max_body
        self.max_upload = max_upload
        self.send_error = send_error
        self._uploads: list[tuple[str, re.Pattern[str]]] | None = None

    def _is_upload(self, scope: Scope) -> bool:
        if self._uploads is None:
            self._uploads = _upload_routes(self.openapi(), self.page_uploads)
        method, path = scope["method"], scope["path"]
        return any(m == method and pattern.match(path) for m, pattern in self._uploads)

    @staticmethod
    def _refusal(scope: Scope) -> list[dict[str, Any]]:
        """Control characters in the path or the query."""
        if CONTROL.search(unquote(scope["path"])):
            return [_problem("path")]
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        return _pair_problems(query, "query")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal:
            await self.send_error(scope, send, 422, "control_characters", refusal)
            return
        upload = self._is_upload(scope)
        limit = self.max_upload if upload else self.max_body
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            await self._too_large(scope, send, limit)
            return
        if upload:
            await self._streamed(scope, receive, send, limit)
            return
        try:
            body, more = await _read_body(receive, limit)
        except BodyTooLargeError:
            await self._too_large(scope, send, limit)
            return
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        problems: list[dict[str, Any]] = []
        if content_type == b"application/json" or content_type.endswith(b"+json"):
            problems = _json_problems(body)
        elif content_type == b"application/x-www-form-urlencoded":
            problems = _form_problems(body)
        if problems:
            await self.send_error(scope, send, 422, "control_characters", problems)
            return
        await self.app(scope, _replay(body, more, receive), send)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        started = False

        async def counting() -> Message:
            nonlocal received
            incoming = await receive()
            if incoming["type"] == "http.request":
                received += len(incoming.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError
            return incoming

        async def watching(outgoing: Message) -> None:
            nonlocal started
            started = started or outgoing["type"] == "http.response.start"
            await send(outgoing)

        try:
            await self.app(scope, counting, watching)
        except BodyTooLargeError:
            if started:
                raise
            await self._too_large(scope, send, limit)

    async def _too_large(self, scope: Scope, send: Send, limit: int) -> None:
        fields = [
            {
                "path": "body",
                "code": "too_large",
                "message": message("body_too_large", limit_mb=_megabytes(limit)),
            }
        ]
        await self.send_error(
            scope, send, 413, "body_too_large", fields, limit_mb=_megabytes(limit)
        )


def _megabytes(limit: int) -> str:
    return f"{limit / 1_000_000:g}"


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The whole body (at most ``limit`` bytes); ``more`` is whether the client may still
    send (a disconnect came before the end)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        incoming = await receive()
        if incoming["type"] == "http.disconnect":
            return b"".join(chunks), True
        chunk = incoming.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError
        chunks.append(chunk)
        if not incoming.get("more_body", False):
            return b"".join(chunks), False


def _replay(body: bytes, disconnected: bool, receive: Receive) -> Receive:
    """A ``receive`` that gives the buffered body once, then what the client sends next
    (its disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent and not disconnected:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if not sent:
            sent = True
            return {"type": "http.disconnect"}
        return await receive()

    return replay
