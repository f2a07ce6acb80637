"""The surveyors' app (``/s/``): pages, the service worker and the sync endpoints.

Pages are served by the network when there is one and by the service worker's
cache otherwise; the ``/s/api/`` endpoints are what the phone's queue posts to.
"""

from __future__ import annotations

from typing import TypeVar

from fastapi import APIRouter, Request
from fastapi import Response as HttpResponse
from fastapi.responses import JSONResponse, Response

from app.auth.dependencies import (
    SURVEYOR_LOGIN,
    CredentialsDep,
    SurveyorApi,
    SurveyorPage,
    surveyor_page_session,
)
from app.auth.models import SURVEYOR_ROLES
from app.core.deps import DatabaseDep
from app.core.errors import AppError
from app.fieldwork import phone as service
from app.fieldwork.once import Stored
from app.fieldwork.schemas import (
    SURVEYOR_OUTCOMES,
    AttemptRead,
    AttemptSubmit,
    ConflictReport,
    HandoverRead,
    InterviewStored,
    InterviewSubmit,
    OfflineUrls,
    OutcomeReportRead,
    OutcomeSubmit,
    SessionInfo,
)
from app.pages.shared import login as web_login
from app.pages.shared.forms import form_view
from app.pages.shared.templates import ASSET_VERSION, asset, error_page, render, templates

router = APIRouter(prefix="/s", tags=["surveyor app"])
T = TypeVar("T")

AREA = web_login.Area(
    title="Ứng dụng điều tra viên SIPAS",
    login_path=SURVEYOR_LOGIN,
    logout_path="/s/logout",
    home_path="/s/",
    roles=SURVEYOR_ROLES,
)
router.include_router(web_login.login_routes(AREA, surveyor_page_session))

APP_SHELL = (
    "css/app.css",
    "js/form.js",
    "js/outbox.js",
    "js/surveyor.js",
    "js/interview.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
)
"""Static files the service worker keeps for offline use."""


def _error_page(request: Request, exc: AppError) -> Response:
    return error_page(request, exc, back=AREA.home_path)


@router.get("/", include_in_schema=False)
async def home(request: Request, db: DatabaseDep, session: SurveyorPage) -> Response:
    """The surveyor's assigned respondents, with contact details, outcome and actions."""
    try:
        data = await db.run(service.home, session)
    except AppError as exc:
        return _error_page(request, exc)
    context = {"session": session, "home": data, "area": AREA, "outcomes": SURVEYOR_OUTCOMES}
    return render(request, "surveyor/home.html", context)


@router.get("/interview/{campaign_id}", include_in_schema=False)
async def interview(
    request: Request, campaign_id: int, db: DatabaseDep, session: SurveyorPage
) -> Response:
    """The campaign's questionnaire; the respondent is chosen by ``?respondent=`` in the
    browser, so that one cached page serves every interview offline."""
    try:
        campaign, questionnaire = await db.run(service.interview_form, session, campaign_id)
    except AppError as exc:
        return _error_page(request, exc)
    page = {"campaign": campaign, "form": form_view(questionnaire)}
    return render(request, "surveyor/interview.html", {"session": session, "page": page})


@router.get("/sw.js", include_in_schema=False)
async def service_worker(request: Request) -> Response:
    response = templates.TemplateResponse(
        request,
        "surveyor/sw.js",
        {"version": ASSET_VERSION, "shell": [asset(path) for path in APP_SHELL]},
        media_type="text/javascript",
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@router.get("/manifest.webmanifest", include_in_schema=False)
async def manifest() -> JSONResponse:
    return JSONResponse(
        {
            "name": "SIPAS — Ứng dụng điều tra viên",
            "short_name": "SIPAS",
            "lang": "vi",
            "start_url": "/s/",
            "scope": "/s/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#9b1c1c",
            "icons": [
                {"src": asset("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": asset("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            ],
        },
        media_type="application/manifest+json",
    )


@router.get("/api/session")
async def session_info(session: SurveyorApi) -> SessionInfo:
    """The CSRF token the phone's queue sends with every sync request."""
    return SessionInfo(
        username=session.username, full_name=session.full_name, csrf_token=session.csrf_token
    )


@router.get("/api/offline")
async def offline(db: DatabaseDep, session: SurveyorApi) -> OfflineUrls:
    """Pages the service worker keeps so that the app works without a connection."""
    return await db.run(service.offline_urls, session)


@router.post("/api/responses", status_code=201)
async def submit_interview(
    data: InterviewSubmit, db: DatabaseDep, credentials: CredentialsDep, http: HttpResponse
) -> InterviewStored:
    """A completed interview from the phone's queue: 201 stored, 200 a replay of the
    stored one, 409 a different one with the same client_id or a respondent who has
    already answered, 422 answers refused (every problem listed)."""
    result = await db.run(service.submit_interview, credentials, data)
    if not result.created:
        http.status_code = 200
    stored = result.response
    return InterviewStored(
        id=stored.id,
        client_id=stored.client_id,
        respondent_id=stored.respondent_id,
        status=stored.status,
        submitted_at=stored.submitted_at,
    )


def _answer(result: Stored[T], http: HttpResponse) -> T:
    """201 for a new item (the route's status), 200 for a replay of a stored one."""
    if not result.created:
        http.status_code = 200
    return result.item


@router.post("/api/outcomes", status_code=201)
async def report_outcome(
    data: OutcomeSubmit, db: DatabaseDep, credentials: CredentialsDep, http: HttpResponse
) -> OutcomeReportRead:
    """An outcome from the phone's queue: 201 stored, 200 replay, 409 conflict."""
    return _answer(await db.run(service.report_outcome, credentials, data), http)


@router.post("/api/attempts", status_code=201)
async def record_attempt(
    data: AttemptSubmit, db: DatabaseDep, credentials: CredentialsDep, http: HttpResponse
) -> AttemptRead:
    """A contact attempt from the phone's queue: 201 stored, 200 replay, 409 conflict."""
    return _answer(await db.run(service.record_attempt, credentials, data), http)


@router.post("/api/conflicts", status_code=201)
async def hand_over(
    data: ConflictReport, db: DatabaseDep, credentials: CredentialsDep, http: HttpResponse
) -> HandoverRead:
    """Queue a refused item for the supervisors before the phone drops it: 201 queued,
    200 the same item again, 403 a respondent not assigned to this surveyor, 422 too
    large."""
    return _answer(await db.run(service.hand_over, credentials, data), http)
