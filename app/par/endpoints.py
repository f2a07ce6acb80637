"""HTTP endpoints of the PAR table: components (admin), table and exports (scoped keys)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import Response

from app.auth.dependencies import AdminUser, ResultsReader
from app.core.deps import DatabaseDep
from app.par import download, service
from app.par.schemas import ParComponentRead, ParComponentWrite, ParImportResult, ParTableRead
from app.result.endpoints import MEDIA

router = APIRouter(prefix="/campaigns/{campaign_id}", tags=["PAR table"])

Previous = Annotated[
    int | None,
    Query(description="Compare with this campaign (default: the latest earlier one)."),
]


class TableFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@router.post("/par/components")
async def import_components(
    campaign_id: int,
    db: DatabaseDep,
    user: AdminUser,
    file: Annotated[UploadFile, File(description="CSV (UTF-8, UTF-16) or XLSX")],
) -> ParImportResult:
    """Import each unit's PAR components: Đơn vị, Nhóm, Điểm chuẩn tối đa, Điểm tự đánh
    giá, Khảo sát CBCCVC (and Chỉ số Sipas for a scheme without point components). All
    rows or none: every problem is listed with its row and column."""
    return await db.run(
        service.import_components,
        campaign_id,
        file.file,
        file.filename or "par.csv",
        actor=user,
    )


@router.get("/par/components")
async def list_components(
    campaign_id: int, db: DatabaseDep, _user: AdminUser
) -> list[ParComponentRead]:
    return await db.run(service.list_components, campaign_id)


@router.put("/par/components/{unit_code}")
async def save_component(
    campaign_id: int, unit_code: str, data: ParComponentWrite, db: DatabaseDep, user: AdminUser
) -> ParComponentRead:
    """Set one unit's components (created when the unit has none yet)."""
    return await db.run(service.save_component, campaign_id, unit_code, data, actor=user)


@router.delete("/par/components/{unit_code}", status_code=204)
async def delete_component(
    campaign_id: int, unit_code: str, db: DatabaseDep, user: AdminUser
) -> Response:
    await db.run(service.delete_component, campaign_id, unit_code, actor=user)
    return Response(status_code=204)


@router.get("/par")
async def get_table(
    campaign_id: int, db: DatabaseDep, reader: ResultsReader, previous: Previous = None
) -> ParTableRead:
    """The PAR table: per unit total points, PAR %, ranks in its group and overall, band
    and year-on-year change; per group both kinds of average, band counts, highest,
    lowest and gap. A scoring key reads only its campaigns (403 otherwise)."""
    return await db.run(service.table, campaign_id, reader, previous=previous)


@router.get("/par.{file_format}", response_class=Response)
async def export_table(
    campaign_id: int,
    file_format: TableFormat,
    db: DatabaseDep,
    reader: ResultsReader,
    previous: Previous = None,
) -> Response:
    """The PAR table as CSV or XLSX, with both kinds of group average."""
    content = await db.run(
        service.export, campaign_id, reader, file_format=file_format.value, previous=previous
    )
    return Response(
        content,
        media_type=MEDIA[file_format.value],
        headers={
            "Content-Disposition": (
                f'attachment; filename="campaign-{campaign_id}-par.{file_format.value}"'
            )
        },
    )


class ReportFormat(StrEnum):
    DOCX = "docx"
    PDF = "pdf"


@router.get("/report.{file_format}", response_class=Response)
async def report(
    campaign_id: int, file_format: ReportFormat, db: DatabaseDep, reader: ResultsReader
) -> Response:
    """The annual report draft (Word or PDF): the survey, the PAR tables and sentences
    per group, SIPAS by sub-index and unit, the lowest-rated criteria, charts."""
    content = await db.run(download.report_file, campaign_id, reader, file_format=file_format.value)
    name = download.filename(campaign_id, file_format.value)
    return Response(
        content,
        media_type=download.MEDIA[file_format.value],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
