"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import Scope, Send

from app.auth.endpoints import router as auth_router
from app.auth.endpoints import tokens_router
from app.campaign.endpoints import router as campaign_router
from app.campaign.service import reach
from app.case.endpoints import router as case_router
from app.core.config import Environment, Settings, get_settings
from app.core.db import create_db_engine, make_sessionmaker
from app.core.edge import RequestGuard, bounded_integers
from app.core.errors import install_error_handlers
from app.core.failsafe import Failsafe, send_error
from app.core.openapi import install_openapi
from app.core.security import limit_hashing
from app.fieldwork.endpoints import router as fieldwork_router
from app.job.endpoints import router as job_router
from app.job.worker import InProcessRunner
from app.pages.citizen.endpoints import router as citizen_pages
from app.pages.shared.setup import install_web
from app.pages.shared.templates import error_html
from app.pages.staff.endpoints import UPLOADS as STAFF_UPLOADS
from app.pages.staff.endpoints import router as staff_pages
from app.pages.staff.par import router as staff_par_pages
from app.pages.surveyor.endpoints import router as surveyor_pages
from app.par.endpoints import router as par_router
from app.questionnaire.endpoints import router as questionnaire_router
from app.response.endpoints import router as response_router
from app.result.endpoints import router as result_router
from app.sample.endpoints import router as sample_router
from app.unit.endpoints import router as unit_router

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: from the environment)."""
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level.upper())
    engine = create_db_engine(
        settings.database_url, echo=settings.database_echo, pool_size=settings.database_pool_size
    )
    limit_hashing(settings.password_hash_concurrency)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = settings.database_pool_size
        runner = None
        if settings.runs_jobs_in_process:
            runner = app.state.job_runner = InProcessRunner(
                app.state.sessionmaker, settings.secret_key
            )
            runner.start()
        yield
        if runner is not None:
            runner.stop()
            app.state.job_runner = None
        engine.dispose()

    app = FastAPI(
        title="SIPAS survey platform",
        version="1",
        description="Sampling, capture and scoring of SIPAS citizen-satisfaction surveys.",
        lifespan=lifespan,
        dependencies=[Depends(bounded_integers)],
        docs_url=None,  # served from packaged assets by app.pages.shared.setup
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.reach = reach
    install_error_handlers(app)
    install_openapi(app)

    api = APIRouter(prefix=API_PREFIX)
    for router in (
        unit_router,
        questionnaire_router,
        campaign_router,
        response_router,
        result_router,
        auth_router,
        tokens_router,
        case_router,
        sample_router,
        fieldwork_router,
        job_router,
        par_router,
    ):
        api.include_router(router)
    app.include_router(api)
    install_web(app)
    for pages in (surveyor_pages, citizen_pages, staff_pages, staff_par_pages):
        app.include_router(pages)

    async def refuse(
        scope: Scope, send: Send, status: int, code: str, fields: Any, **params: object
    ) -> None:
        await send_error(scope, send, status, code, fields, html=error_html, **params)

    app.add_middleware(
        RequestGuard,
        openapi=app.openapi,
        max_body=settings.max_body_bytes,
        max_upload=settings.max_upload_bytes,
        send_error=refuse,
        page_uploads=STAFF_UPLOADS,
    )
    app.add_middleware(
        Failsafe, hsts=settings.environment is Environment.PRODUCTION, html=error_html
    )

    @app.get("/health", tags=["health"])
    def health(request: Request) -> JSONResponse:
        """200 when the database answers, 503 otherwise. Needs no token."""
        try:
            with request.app.state.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return JSONResponse(
                {"status": "unavailable", "database": "unreachable"}, status_code=503
            )
        return JSONResponse({"status": "ok", "database": "ok"})

    return app
