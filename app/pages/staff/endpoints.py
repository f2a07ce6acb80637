"""Staff pages (``/staff/``): log-in, surveyor accounts, campaign progress, personal
links and letters per unit, paper data entry. Administrators and supervisors use
them; only administrators create accounts."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi import Response as HttpResponse
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from app.auth.dependencies import (
    AdminPage,
    StaffApi,
    StaffPage,
    staff_page_session,
)
from app.auth.schemas import PageSession
from app.campaign import service as campaign_service
from app.core.deps import DatabaseDep
from app.core.errors import AppError
from app.core.messages import message
from app.fieldwork import assignment, exports, progress
from app.fieldwork import surveyors as surveyors_service
from app.fieldwork.schemas import SurveyorCreate
from app.job.http import wake_runner
from app.link import jobs as link_jobs
from app.link import service as link_service
from app.pages.shared import login as web_login
from app.pages.shared.forms import form_view
from app.pages.staff import (
    access,
    api_keys,
    case_lists,
    corrections,
    dashboard,
    fieldwork,
    results,
    review,
    sample,
    setup,
)
from app.pages.staff.console import AREA, failed, page
from app.pages.staff.lists import printable_list
from app.pages.staff.schemas import PaperSubmit
from app.response import service as response_service
from app.response.models import ResponseMode, ResponseStatus
from app.response.schemas import ResponseRead, ResponseSubmit

router = APIRouter(prefix="/staff", tags=["staff pages"])

router.include_router(web_login.login_routes(AREA, staff_page_session))
for area_router in (
    setup.router,
    sample.router,
    case_lists.router,
    fieldwork.router,
    corrections.router,
    dashboard.router,
    review.router,
    results.router,
    access.router,
    api_keys.router,
):
    router.include_router(area_router)

UPLOADS = tuple(
    ("POST", f"{router.prefix}{path}") for path in (setup.UNITS_UPLOAD_PATH, case_lists.UPLOAD_PATH)
)
"""The staff pages that take a file: their bodies may reach the upload limit
(:class:`app.core.edge.RequestGuard`)."""

_page = page
_failed = failed


@router.get("/", include_in_schema=False)
async def home(request: Request, db: DatabaseDep, session: StaffPage) -> Response:
    campaigns = await db.run(campaign_service.list_read, actor=session.user)
    return _page(request, "staff/home.html", session, campaigns=campaigns)


@router.get("/surveyors", include_in_schema=False)
async def surveyors(
    request: Request, db: DatabaseDep, session: StaffPage, created: str | None = None
) -> Response:
    return await _surveyors_page(request, db, session, created=created)


async def _surveyors_page(
    request: Request,
    db: DatabaseDep,
    session: PageSession,
    *,
    created: str | None = None,
    error: str | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    """The surveyors and the form to add one, holding ``values`` after a refusal."""
    rows = await db.run(surveyors_service.list_surveyors)
    units = await db.run(surveyors_service.unit_choices)
    response = _page(
        request,
        "staff/surveyors.html",
        session,
        surveyors=rows,
        units=units,
        created=created,
        error=error,
        values=values or {},
    )
    if error is not None:
        response.status_code = 422
    return response


@router.post("/surveyors", include_in_schema=False)
async def create_surveyor(
    request: Request,
    db: DatabaseDep,
    session: AdminPage,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    full_name: Annotated[str, Form()],
    phone: Annotated[str, Form()] = "",
    organisation: Annotated[str, Form()] = "",
    unit_code: Annotated[str, Form()] = "",
) -> Response:
    """Create a surveyor account; the surveyor logs in at /s/ with this password. A
    refusal shows the form again with what was typed (but the password)."""
    error = None
    try:
        data = SurveyorCreate(
            username=username.strip(),
            password=password,
            full_name=full_name.strip(),
            phone=phone.strip() or None,
            organisation=organisation.strip() or None,
            unit_code=unit_code.strip() or None,
        )
        await db.run(surveyors_service.create_surveyor, data, actor=session.user)
    except ValidationError:
        error = message("surveyor_form_invalid")
    except AppError as exc:
        error = exc.detail
    if error is None:
        return RedirectResponse(f"/staff/surveyors?created={username.strip()}", status_code=303)
    values = {
        "full_name": full_name,
        "username": username,
        "phone": phone,
        "organisation": organisation,
        "unit_code": unit_code,
    }
    return await _surveyors_page(request, db, session, error=error, values=values)


@router.get("/campaigns/{campaign_id}", include_in_schema=False)
async def campaign(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    issued: int | None = None,
    kept: int | None = None,
    revoked: int | None = None,
    assigned: int | None = None,
) -> Response:
    try:
        campaign = await db.run(campaign_service.get_read_in_scope, campaign_id, actor=session.user)
        overview = await db.run(progress.campaign_progress, campaign_id)
    except AppError as exc:
        return _failed(request, session, exc)
    return _page(
        request,
        "staff/campaign.html",
        session,
        campaign=campaign,
        tab="fieldwork",
        surveyors=await db.run(surveyors_service.list_surveyors),
        assigned=assigned,
        overview=overview,
        issued=issued,
        kept=kept,
        revoked=revoked,
        today=date.today(),
    )


@router.post("/campaigns/{campaign_id}/links", include_in_schema=False)
async def issue_links(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    expires_on: Annotated[date, Form()],
    unit_id: Annotated[str, Form()] = "",
) -> Response:
    """Give a personal link to every respondent (of a unit) who has none yet."""
    try:
        result = await db.run(
            link_service.issue_links,
            request.app.state.settings.secret_key,
            campaign_id,
            unit_id=int(unit_id) if unit_id else None,
            expires_on=expires_on,
            actor=session.user,
        )
    except AppError as exc:
        return _failed(request, session, exc)
    return RedirectResponse(
        f"/staff/campaigns/{campaign_id}?issued={result.created}&kept={result.already}",
        status_code=303,
    )


@router.post("/campaigns/{campaign_id}/links/revoke", include_in_schema=False)
async def revoke_link(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    respondent_id: Annotated[int, Form()],
) -> Response:
    try:
        await db.run(link_service.revoke_link, campaign_id, respondent_id, actor=session.user)
    except AppError as exc:
        return _failed(request, session, exc)
    return RedirectResponse(
        f"/staff/campaigns/{campaign_id}?revoked={respondent_id}", status_code=303
    )


def _public_base(request: Request) -> str:
    """The address printed on letters: ``SIPAS_PUBLIC_BASE_URL`` (required in production);
    otherwise the address the page was opened at if its host is one of
    ``SIPAS_ALLOWED_HOSTS``, else the first allowed host. A ``Host`` header alone never
    decides where citizens are sent."""
    settings = request.app.state.settings
    if settings.public_base_url:
        return str(settings.public_base_url).rstrip("/")
    allowed = settings.allowed_host_names or ["localhost"]
    if (request.url.hostname or "").lower() in allowed:
        return str(request.base_url).rstrip("/")
    server = request.scope.get("server")
    port = f":{server[1]}" if server and server[1] not in (80, 443, None) else ""
    return f"{request.url.scheme}://{allowed[0]}{port}"


@router.get("/campaigns/{campaign_id}/letters", include_in_schema=False)
async def letters(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    unit: Annotated[int | None, Query()] = None,
) -> Response:
    """Printable A4 letters (HTML print stylesheet) for one unit or the whole campaign."""
    base = _public_base(request)
    try:
        batch = await db.run(
            link_service.letters,
            request.app.state.settings.secret_key,
            base,
            campaign_id,
            unit,
        )
    except AppError as exc:  # missing settings are set on the campaign's setup page
        return _failed(request, session, exc, back=f"/staff/campaigns/{campaign_id}/setup")
    return _page(request, "staff/letters.html", session, batch=batch, base=base)


@router.post("/campaigns/{campaign_id}/letters", include_in_schema=False)
async def queue_letters(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    unit_id: Annotated[str, Form()] = "",
) -> Response:
    """Make the letters of a unit or of the whole campaign as a job, then follow it."""
    try:
        job = await db.run(
            link_jobs.enqueue_letters,
            campaign_id,
            int(unit_id) if unit_id else None,
            base_url=_public_base(request),
            actor=session.user,
        )
    except AppError as exc:  # missing settings are set on the campaign's setup page
        return _failed(request, session, exc, back=f"/staff/campaigns/{campaign_id}/setup")
    wake_runner(request)
    return RedirectResponse(f"/staff/campaigns/{campaign_id}/letters/{job.id}", status_code=303)


@router.get("/campaigns/{campaign_id}/letters/{job_id}", include_in_schema=False)
async def letters_of_job(
    request: Request, campaign_id: int, job_id: int, db: DatabaseDep, session: StaffPage
) -> Response:
    """The letters a job made, ready to print; until then its progress, reloading."""
    try:
        job, batch, base = await db.run(
            link_jobs.letters_of_job, campaign_id, job_id, actor=session.user
        )
    except AppError as exc:
        return _failed(request, session, exc, back=f"/staff/campaigns/{campaign_id}")
    if batch is None:
        return _page(request, "staff/letters_job.html", session, job=job, campaign_id=campaign_id)
    return _page(request, "staff/letters.html", session, batch=batch, base=base)


@router.get("/campaigns/{campaign_id}/paper", include_in_schema=False)
async def paper(
    request: Request, campaign_id: int, db: DatabaseDep, session: StaffPage
) -> Response:
    """Keyboard-only entry of returned paper questionnaires."""
    try:
        campaign, questionnaire = await db.run(campaign_service.with_questionnaire, campaign_id)
    except AppError as exc:
        return _failed(request, session, exc)
    page = {"campaign": campaign, "form": form_view(questionnaire)}
    return _page(request, "staff/paper.html", session, page=page)


@router.post("/api/campaigns/{campaign_id}/paper", status_code=201)
async def submit_paper(
    campaign_id: int, data: PaperSubmit, db: DatabaseDep, session: StaffApi, http: HttpResponse
) -> ResponseRead:
    """A typed-in paper questionnaire (mode ``paper``): validated like every response;
    201 stored, 200 replay, 409 conflict or respondent already answered, 422 refused."""
    paper = ResponseSubmit(
        client_id=data.client_id,
        mode=ResponseMode.PAPER,
        status=ResponseStatus.COMPLETE,
        answers=data.answers,
        respondent_id=data.respondent_id,
    )
    result = await db.run(response_service.submit, campaign_id, paper, actor=session.user)
    if not result.created:
        http.status_code = 200
    return result.response


@router.get("/samples/{sample_id}/surveyors/{surveyor_id}/list.{fmt}", include_in_schema=False)
async def surveyor_list_file(
    request: Request,
    sample_id: int,
    surveyor_id: int,
    fmt: Literal["csv", "xlsx"],
    db: DatabaseDep,
    session: AdminPage,
) -> Response:
    """A surveyor's respondents as CSV or Excel, as the API gives them (admins only)."""
    try:
        _surveyor, rows = await db.run(assignment.surveyor_list, sample_id, surveyor_id)
    except AppError as exc:
        return _failed(request, session, exc)
    name = f"sample-{sample_id}-surveyor-{surveyor_id}.{fmt}"
    content = exports.to_csv(rows) if fmt == "csv" else exports.to_xlsx(rows, f"Mau {sample_id}")
    return Response(
        content,
        media_type="text/csv; charset=utf-8" if fmt == "csv" else exports.XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/samples/{sample_id}/surveyors/{surveyor_id}/list", include_in_schema=False)
async def surveyor_list(
    request: Request, sample_id: int, surveyor_id: int, db: DatabaseDep, session: AdminPage
) -> Response:
    """A surveyor's respondents as a printable A4 page (contact details: admins only)."""
    try:
        surveyor, rows = await db.run(assignment.surveyor_list, sample_id, surveyor_id)
    except AppError as exc:
        return _failed(request, session, exc)
    return HTMLResponse(
        printable_list(surveyor, sample_id, rows), headers={"Cache-Control": "no-store"}
    )
