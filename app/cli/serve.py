"""``sipas serve``: uvicorn with the service's settings.

* Proxies: ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed only from the
  addresses in ``SIPAS_TRUSTED_PROXIES`` (uvicorn's ``forwarded_allow_ips``); with none
  set, proxy headers are ignored, so no client can choose the address the limits on
  guessing count against.
* Connections: ``--db-connections`` is the budget of database connections of all
  workers together (keep it under PostgreSQL's ``max_connections``, 100 by default,
  less what other clients need); each worker gets an equal share as its pool and as
  many threads to use them.
* ``--worker-start-timeout``: how long uvicorn waits for a new worker to answer its
  health check before replacing it (a busy two-core machine needs more than
  uvicorn's 5 seconds to import the app).
"""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from app.core.config import Settings, get_settings

MIN_POOL = 4


def pool_per_worker(connections: int, workers: int) -> int:
    """Each worker's share of a budget of ``connections`` database connections."""
    share = connections // max(workers, 1)
    if share < MIN_POOL:
        raise typer.BadParameter(
            f"{connections} connections for {workers} workers leaves fewer than {MIN_POOL} "
            "each; raise --db-connections or lower --workers"
        )
    return share


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Proxy handling from the settings, for ``uvicorn.run`` or ``uvicorn.Config``."""
    trusted = settings.trusted_proxy_addresses
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    reload: bool = False,
    db_connections: Annotated[
        int | None,
        typer.Option(help="database connections of all workers together (default: 40 each)"),
    ] = None,
    worker_start_timeout: Annotated[
        int, typer.Option(help="seconds a new worker has to answer uvicorn's health check")
    ] = 30,
) -> None:
    """Serve the API (OpenAPI at /docs)."""
    import uvicorn

    settings = get_settings()
    if db_connections is not None:
        # The workers build their settings from the environment.
        os.environ["SIPAS_DATABASE_POOL_SIZE"] = str(pool_per_worker(db_connections, workers))
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        log_level=settings.log_level.lower(),
        timeout_worker_healthcheck=worker_start_timeout,
        **uvicorn_options(settings),
    )
