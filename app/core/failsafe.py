"""The outermost middleware: security headers on every response, and no failure without
an answer in the error shape.

:class:`Failsafe` adds ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff``
and, where the response has no policy of its own, ``Content-Security-Policy:
frame-ancestors 'none'`` to every response, and ``Strict-Transport-Security`` in
production. An exception no handler took becomes a 500 in the error shape (a
Vietnamese page for browsers) and one log line with the exception's type, the route
and the traceback's frames, but never the exception's message or any request value:
database errors quote the rows they refused (``Key (phone)=(0977...)``), and those
may be personal data.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import error_body
from app.core.messages import message

logger = logging.getLogger("app.errors")

HtmlRenderer = Callable[[int, str, str], bytes]
"""(status, error code, Vietnamese sentence) → an HTML page."""

FRAME_POLICY = "frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"


def wants_html(scope: Scope) -> bool:
    """A browser navigating (``Accept: text/html``), not a script or an API client."""
    for name, value in scope.get("headers", []):
        if name == b"accept":
            return b"text/html" in value
    return False


def _security_headers(headers: list[tuple[bytes, bytes]], hsts: bool) -> list[tuple[bytes, bytes]]:
    names = {name.lower() for name, _ in headers}
    extra = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff")]
    if b"content-security-policy" not in names:
        extra.append((b"content-security-policy", FRAME_POLICY.encode()))
    if hsts:
        extra.append((b"strict-transport-security", HSTS.encode()))
    return [*headers, *((n, v) for n, v in extra if n not in names)]


def _frames(exc: BaseException) -> str:
    """The traceback's frames (file, line, function, source line) and the exception types
    of the chain, without any message."""
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        lines.append(f"{type(current).__module__}.{type(current).__qualname__}")
        lines.extend(traceback.format_tb(current.__traceback__))
        current = current.__cause__ or current.__context__
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


class Failsafe:
    def __init__(self, app: ASGIApp, *, hsts: bool, html: HtmlRenderer | None = None) -> None:
        self.app = app
        self.hsts = hsts
        self.html = html

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def guarded(outgoing: Message) -> None:
            nonlocal started
            if outgoing["type"] == "http.response.start":
                started = True
                outgoing = dict(outgoing)
                outgoing["headers"] = _security_headers(
                    list(outgoing.get("headers", [])), self.hsts
                )
            await send(outgoing)

        try:
            await self.app(scope, receive, guarded)
        except Exception as exc:
            route = scope.get("route")
            where = getattr(route, "path", None) or "(no route)"
            logger.error(
                "unhandled %s in %s %s\n%s",
                type(exc).__name__,
                scope.get("method"),
                where,
                _frames(exc),
            )
            if started:
                raise
            await send_error(scope, guarded, 500, "internal_error", [], html=self.html)


async def send_error(
    scope: Scope,
    send: Send,
    status: int,
    code: str,
    fields: list[dict[str, Any]],
    *,
    html: HtmlRenderer | None = None,
    **params: object,
) -> None:
    """Write an error response: the JSON error shape, or a page for a browser."""
    detail = message(code, **params)
    if html is not None and wants_html(scope):
        body, media = html(status, code, detail), b"text/html; charset=utf-8"
    else:
        body = json.dumps(error_body(code, detail, fields), ensure_ascii=False).encode()
        media = b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", media),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
