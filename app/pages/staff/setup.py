"""Setup pages: units (CSV upload, tree), questionnaires (YAML upload with every problem,
preview as the phone shows it, publish) and campaigns (create, edit while draft, status
along the allowed steps with what each step locks, settings for letters and fieldwork)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError

from analysis.schemes import bundled_codes
from app.auth.dependencies import StaffPage
from app.auth.schemas import PageSession
from app.campaign import service as campaign_service
from app.campaign.models import CampaignStatus
from app.campaign.schemas import CampaignCreate, CampaignSettings
from app.core.deps import DatabaseDep
from app.core.errors import AppError
from app.pages.shared.forms import form_view
from app.pages.staff.console import failed, page, redirect, require_admin
from app.questionnaire import service as questionnaire_service
from app.questionnaire.models import VersionStatus
from app.questionnaire.xlsform import download
from app.result import service as result_service
from app.unit import service as unit_service
from questionnaires import BUNDLED_DIR, bundled_path

router = APIRouter(include_in_schema=False)


def _problems(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {"path": ".".join(str(p) for p in err["loc"]), "message": err["msg"]}
        for err in exc.errors(include_url=False)
    ]


# Units ----------------------------------------------------------------------------------


async def _units_page(
    request: Request, db: DatabaseDep, session: PageSession, status_code: int = 200, **context: Any
) -> Response:
    tree = await db.run(unit_service.tree)
    return page(request, "staff/units.html", session, tree=tree, status_code=status_code, **context)


@router.get("/units")
async def units(
    request: Request,
    db: DatabaseDep,
    session: StaffPage,
    created: int | None = None,
    unchanged: int | None = None,
) -> Response:
    return await _units_page(request, db, session, created=created, unchanged=unchanged)


UNITS_UPLOAD_PATH = "/units"
"""Where a unit file is posted: a file up to the upload limit, like the API's."""


@router.post(UNITS_UPLOAD_PATH)
async def import_units(
    request: Request, db: DatabaseDep, session: StaffPage, file: Annotated[UploadFile, File()]
) -> Response:
    """Import units from CSV (all rows or none); every problem is listed with its row."""
    try:
        require_admin(session)
        result = await db.run(unit_service.import_csv, await file.read(), actor=session.user)
    except AppError as exc:
        return await _units_page(
            request, db, session, status_code=exc.status_code, error=exc.detail, problems=exc.fields
        )
    return redirect(f"/staff/units?created={result.created}&unchanged={result.unchanged}")


# Questionnaires ---------------------------------------------------------------------------


def _bundled() -> list[str]:
    return sorted(p.stem for p in BUNDLED_DIR.glob("*.yaml"))


async def _questionnaires_page(
    request: Request, db: DatabaseDep, session: PageSession, status_code: int = 200, **context: Any
) -> Response:
    listing = await db.run(questionnaire_service.list_all)
    return page(
        request,
        "staff/questionnaires.html",
        session,
        questionnaires=listing,
        bundled=_bundled(),
        status_code=status_code,
        **context,
    )


@router.get("/questionnaires")
async def questionnaires(request: Request, db: DatabaseDep, session: StaffPage) -> Response:
    return await _questionnaires_page(request, db, session)


async def _draft(request: Request, db: DatabaseDep, session: PageSession, text: bytes) -> Response:
    """A draft from a questionnaire file: an XLSForm when the bytes are a workbook (a zip
    archive), else YAML."""
    create = (
        questionnaire_service.create_draft_from_xlsform
        if text.startswith(b"PK\x03\x04")
        else questionnaire_service.create_draft
    )
    try:
        require_admin(session)
        draft = await db.run(create, text, actor=session.user)
    except AppError as exc:
        return await _questionnaires_page(
            request, db, session, status_code=exc.status_code, error=exc.detail, problems=exc.fields
        )
    return redirect(f"/staff/questionnaires/{draft.code}/{draft.version}")


@router.post("/questionnaires")
async def upload_questionnaire(
    request: Request, db: DatabaseDep, session: StaffPage, file: Annotated[UploadFile, File()]
) -> Response:
    """A questionnaire file (YAML, or an XLSForm .xlsx) becomes the next draft; every
    problem is listed by its path in the file, or its sheet and row."""
    return await _draft(request, db, session, await file.read())


@router.post("/questionnaires/bundled")
async def bundled_questionnaire(
    request: Request, db: DatabaseDep, session: StaffPage, code: Annotated[str, Form()]
) -> Response:
    """A questionnaire shipped with the platform (national forms) as a draft."""
    if code not in _bundled():
        return await _questionnaires_page(
            request, db, session, status_code=422, error="Không có bộ câu hỏi có sẵn này."
        )
    return await _draft(request, db, session, bundled_path(code).read_bytes())


@router.get("/questionnaires/{code}/{version}")
async def questionnaire(
    request: Request, code: str, version: int, db: DatabaseDep, session: StaffPage
) -> Response:
    try:
        read = await db.run(questionnaire_service.get_version_read, code, version)
    except AppError as exc:
        return failed(request, session, exc, "/staff/questionnaires")
    return page(
        request, "staff/questionnaire.html", session, q=read, published=VersionStatus.PUBLISHED
    )


@router.get("/questionnaires/{code}/{version}/xlsform")
async def questionnaire_xlsform(
    request: Request, code: str, version: int, db: DatabaseDep, session: StaffPage
) -> Response:
    """The version as an XLSForm (.xlsx) for ODK or KoboToolbox."""
    try:
        data = await db.run(questionnaire_service.xlsform_of, code, version)
    except AppError as exc:
        return failed(request, session, exc, f"/staff/questionnaires/{code}/{version}")
    return download(data, code, version)


@router.get("/questionnaires/{code}/{version}/preview")
async def preview(
    request: Request, code: str, version: int, db: DatabaseDep, session: StaffPage
) -> Response:
    """Every screen as the phone renders it (nothing is saved)."""
    try:
        form = await db.run(questionnaire_service.get_parsed, code, version)
    except AppError as exc:
        return failed(request, session, exc, "/staff/questionnaires")
    return page(
        request, "staff/preview.html", session, form=form_view(form), code=code, version=version
    )


@router.post("/questionnaires/{code}/{version}/publish")
async def publish_questionnaire(
    request: Request, code: str, version: int, db: DatabaseDep, session: StaffPage
) -> Response:
    try:
        require_admin(session)
        await db.run(questionnaire_service.publish, code, version, actor=session.user)
    except AppError as exc:
        return failed(request, session, exc, f"/staff/questionnaires/{code}/{version}")
    return redirect(f"/staff/questionnaires/{code}/{version}")


# Campaigns -------------------------------------------------------------------------------


async def _choices(db: DatabaseDep) -> dict[str, Any]:
    units = await db.run(unit_service.flat, kind=None, valid_on=None)
    forms = await db.run(questionnaire_service.list_all)
    published = [
        (q.code, v.version, q.title)
        for q in forms
        for v in q.versions
        if v.status is VersionStatus.PUBLISHED
    ]
    return {"units": units, "published": published, "schemes": bundled_codes()}


def _campaign_data(
    name: str, year: str, scope_unit_code: str, questionnaire: str, weight_scheme: str
) -> CampaignCreate:
    code, _, number = questionnaire.rpartition("@")
    return CampaignCreate.model_validate(
        {
            "name": name.strip(),
            "year": year,
            "scope_unit_code": scope_unit_code,
            "questionnaire_code": code,
            "questionnaire_version": number or 0,
            "weight_scheme": weight_scheme,
        }
    )


@router.get("/campaigns/new")
async def new_campaign(request: Request, db: DatabaseDep, session: StaffPage) -> Response:
    return page(
        request,
        "staff/campaign_new.html",
        session,
        year=date.today().year,
        values={},
        **await _choices(db),
    )


@router.post("/campaigns")
async def create_campaign(
    request: Request,
    db: DatabaseDep,
    session: StaffPage,
    name: Annotated[str, Form()],
    year: Annotated[str, Form()],
    scope_unit_code: Annotated[str, Form()],
    questionnaire: Annotated[str, Form()],
    weight_scheme: Annotated[str, Form()],
) -> Response:
    values = {
        "name": name,
        "year": year,
        "scope_unit_code": scope_unit_code,
        "questionnaire": questionnaire,
        "weight_scheme": weight_scheme,
    }
    try:
        require_admin(session)
        data = _campaign_data(name, year, scope_unit_code, questionnaire, weight_scheme)
        created = await db.run(campaign_service.create, data, actor=session.user)
    except ValidationError as exc:
        error, problems, status_code = "Thông tin đợt khảo sát chưa hợp lệ.", _problems(exc), 422
    except AppError as exc:
        error, problems, status_code = exc.detail, exc.fields, exc.status_code
    else:
        return redirect(f"/staff/campaigns/{created.id}/setup")
    return page(
        request,
        "staff/campaign_new.html",
        session,
        status_code=status_code,
        year=date.today().year,
        values=values,
        error=error,
        problems=problems,
        **await _choices(db),
    )


STEPS = {
    CampaignStatus.FIELDWORK: (
        "Bắt đầu khảo sát",
        "Điều tra viên, đường link và phiếu giấy bắt đầu nhận phiếu. Từ bước này tên, năm, "
        "phạm vi, bộ câu hỏi và cách tính điểm bị khóa (phiếu được trả lời trên bộ câu hỏi đó).",
    ),
    CampaignStatus.CLOSED: (
        "Kết thúc khảo sát",
        "Không nhận thêm phiếu từ điều tra viên, đường link hay phiếu giấy. Vẫn duyệt dữ liệu "
        "và tính kết quả được; có thể mở lại khảo sát nếu cần.",
    ),
    CampaignStatus.PUBLISHED: (
        "Công bố kết quả",
        "Kết quả được tính lần cuối và khóa lại: không tính lại, không mở lại khảo sát, "
        "không sửa cài đặt. Công bố ở trang Kết quả.",
    ),
}
"""Each step a campaign may take, and what it locks (shown before confirming)."""


async def _setup_page(
    request: Request,
    db: DatabaseDep,
    session: PageSession,
    campaign_id: int,
    status_code: int = 200,
    **context: Any,
) -> Response:
    campaign = await db.run(campaign_service.get_read_in_scope, campaign_id, actor=session.user)
    choices = await _choices(db) if campaign.status is CampaignStatus.DRAFT else {}
    scope = await db.run(unit_service.get, campaign.scope_unit_code)
    return page(
        request,
        "staff/campaign_setup.html",
        session,
        status_code=status_code,
        campaign=campaign,
        tab="setup",
        steps=STEPS,
        scope=scope,
        **choices,
        **context,
    )


@router.get("/campaigns/{campaign_id}/setup")
async def campaign_setup(
    request: Request, campaign_id: int, db: DatabaseDep, session: StaffPage, saved: str = ""
) -> Response:
    try:
        return await _setup_page(request, db, session, campaign_id, saved=saved)
    except AppError as exc:
        return failed(request, session, exc)


async def _change(
    request: Request,
    db: DatabaseDep,
    session: PageSession,
    campaign_id: int,
    saved: str,
    change: Callable[[], Awaitable[None]],
) -> Response:
    """Make a change from the setup page, then show the page again: with what was saved,
    or with every problem of the form."""
    try:
        await change()
    except ValidationError as exc:
        return await _setup_page(
            request,
            db,
            session,
            campaign_id,
            422,
            error="Thông tin chưa hợp lệ.",
            problems=_problems(exc),
        )
    except AppError as exc:
        return failed(request, session, exc, f"/staff/campaigns/{campaign_id}/setup")
    return redirect(f"/staff/campaigns/{campaign_id}/setup?saved={saved}")


@router.post("/campaigns/{campaign_id}/edit")
async def edit_campaign(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    name: Annotated[str, Form()],
    year: Annotated[str, Form()],
    scope_unit_code: Annotated[str, Form()],
    questionnaire: Annotated[str, Form()],
    weight_scheme: Annotated[str, Form()],
) -> Response:

    async def change() -> None:
        data = _campaign_data(name, year, scope_unit_code, questionnaire, weight_scheme)
        await db.run(campaign_service.update, campaign_id, data, actor=session.user)

    return await _change(request, db, session, campaign_id, "campaign", change)


@router.post("/campaigns/{campaign_id}/status")
async def change_status(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    status: Annotated[CampaignStatus, Form()],
) -> Response:
    """Move the campaign one allowed step (the form asked to confirm what it locks)."""

    async def change() -> None:
        require_admin(session)
        if status is CampaignStatus.PUBLISHED:
            await db.run(result_service.publish, campaign_id, actor=session.user)
        else:
            await db.run(campaign_service.change_status, campaign_id, status, actor=session.user)

    return await _change(request, db, session, campaign_id, "status", change)


@router.post("/campaigns/{campaign_id}/settings")
async def change_settings(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    issuing_agency: Annotated[str, Form()] = "",
    document_number: Annotated[str, Form()] = "",
    document_date: Annotated[str, Form()] = "",
    hotline: Annotated[str, Form()] = "",
    attempts_before_reserve: Annotated[str, Form()] = "3",
    min_interview_minutes: Annotated[str, Form()] = "5",
    lonely_psu: Annotated[str, Form()] = "fail",
    unsampled_responses: Annotated[str, Form()] = "exclude",
) -> Response:
    """What letters, fieldwork, review and results take from the campaign."""

    async def change() -> None:
        require_admin(session)
        data = CampaignSettings.model_validate(
            {
                "issuing_agency": issuing_agency.strip() or None,
                "document_number": document_number.strip() or None,
                "document_date": document_date or None,
                "hotline": hotline.strip() or None,
                "attempts_before_reserve": attempts_before_reserve,
                "min_interview_minutes": min_interview_minutes,
                "lonely_psu": lonely_psu,
                "unsampled_responses": unsampled_responses,
            }
        )
        await db.run(campaign_service.change_settings, campaign_id, data, actor=session.user)

    return await _change(request, db, session, campaign_id, "settings", change)
