"""Staff pages of the PAR table (``/staff/campaigns/{id}/par``): import the units' PAR
components, correct a unit, see the table, and download the annual report draft."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from analysis import vn
from analysis.par import UnitGroup
from app.auth.dependencies import AdminPage, StaffPage
from app.auth.schemas import PageSession
from app.auth.service import Reader
from app.campaign import service as campaign_service
from app.core.deps import DatabaseDep
from app.core.errors import AppError, UnprocessableError
from app.core.messages import message
from app.pages.shared.templates import error_page, render
from app.par import download
from app.par import service as par_service
from app.par.schemas import ParComponentWrite

router = APIRouter(prefix="/staff/campaigns/{campaign_id}", tags=["staff pages"])

HOME = "/staff/"


def reader_of(session: PageSession) -> Reader:
    """Staff read every campaign, as with their API tokens."""
    return Reader(session.user_id, session.user.role, frozenset())


async def _page(
    request: Request,
    db: DatabaseDep,
    session: PageSession,
    campaign_id: int,
    *,
    notice: str | None = None,
    error: AppError | None = None,
) -> Response:
    campaign = await db.run(campaign_service.get_read, campaign_id)
    components = await db.run(par_service.list_components, campaign_id)
    table, problem = None, None
    try:
        table = await db.run(par_service.table, campaign_id, reader_of(session))
    except AppError as exc:
        problem = exc.detail
    context: dict[str, Any] = {
        "session": session,
        "campaign": campaign,
        "components": components,
        "table": table,
        "problem": problem,
        "notice": notice,
        "error": error,
        "groups": list(UnitGroup),
        "sipas_from_file": await db.run(par_service.takes_sipas_from_file, campaign_id),
    }
    return render(
        request, "staff/par.html", context, status_code=error.status_code if error else 200
    )


@router.get("/par", include_in_schema=False)
async def par_page(
    request: Request, campaign_id: int, db: DatabaseDep, session: StaffPage, saved: str = ""
) -> Response:
    try:
        return await _page(request, db, session, campaign_id, notice=saved or None)
    except AppError as exc:
        return error_page(request, exc, back=HOME, session=session)


@router.post("/par/import", include_in_schema=False)
async def import_par(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: AdminPage,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Import a CSV/XLSX of the units' PAR components; every bad row is shown."""
    try:
        result = await db.run(
            par_service.import_components,
            campaign_id,
            file.file,
            file.filename or "par.csv",
            actor=session.user,
        )
    except AppError as exc:
        return await _page(request, db, session, campaign_id, error=exc)
    return await _page(request, db, session, campaign_id, notice=result.message)


@router.post("/par/units/{unit_code}", include_in_schema=False)
async def save_unit(
    request: Request,
    campaign_id: int,
    unit_code: str,
    db: DatabaseDep,
    session: AdminPage,
    group: Annotated[str, Form()],
    standard_max: Annotated[str, Form()],
    self_assessment: Annotated[str, Form()],
    civil_servant_survey: Annotated[str, Form()],
    sipas_points: Annotated[str, Form()] = "",
) -> Response:
    """Correct one unit's components."""
    try:
        typed = {
            "standard_max": standard_max,
            "self_assessment": self_assessment,
            "civil_servant_survey": civil_servant_survey,
            "sipas_points": sipas_points,
        }
        data = ParComponentWrite.model_validate(
            {
                "group": group,
                **{k: vn.parse_decimal(v) if v.strip() else None for k, v in typed.items()},
            }
        )
        await db.run(par_service.save_component, campaign_id, unit_code, data, actor=session.user)
    except (ValidationError, ValueError):
        invalid = UnprocessableError(problems=message("par_value_out_of_range"))
        return await _page(request, db, session, campaign_id, error=invalid)
    except AppError as exc:
        return await _page(request, db, session, campaign_id, error=exc)
    return RedirectResponse(
        f"/staff/campaigns/{campaign_id}/par?saved=Đã lưu điểm của đơn vị {unit_code}.",
        status_code=303,
    )


@router.get("/report.{file_format}", include_in_schema=False)
async def report(
    request: Request, campaign_id: int, file_format: str, db: DatabaseDep, session: StaffPage
) -> Response:
    """The annual report draft, Word or PDF, as a download."""
    if file_format not in ("docx", "pdf"):
        return Response(status_code=404)
    try:
        content = await db.run(
            download.report_file, campaign_id, reader_of(session), file_format=file_format
        )
    except AppError as exc:
        return error_page(request, exc, back=f"/staff/campaigns/{campaign_id}/par", session=session)
    name = download.filename(campaign_id, file_format)
    return Response(
        content,
        media_type=download.MEDIA[file_format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
