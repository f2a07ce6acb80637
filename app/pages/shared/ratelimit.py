"""Who is asking, for the limits on guessing (:mod:`app.auth.throttle`).

The address is the one uvicorn gives: the peer's, or, when the peer is one of
``SIPAS_TRUSTED_PROXIES`` (passed to uvicorn as ``forwarded_allow_ips`` by ``sipas
serve``), the client's address that the proxy forwarded. A client that is not a
trusted proxy cannot choose its address by sending ``X-Forwarded-For``.
"""

from __future__ import annotations

from fastapi import Request


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
