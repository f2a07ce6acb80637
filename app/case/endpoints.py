"""HTTP endpoints for case lists."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile

from app.auth.dependencies import AdminUser
from app.case import service
from app.case.schemas import CaseImportResult, CaseListRead, Rejection
from app.core.deps import DatabaseDep
from app.core.edge import UPLOAD

router = APIRouter(tags=["case lists"])


@router.post("/campaigns/{campaign_id}/case-lists", openapi_extra=UPLOAD)
async def import_case_list(
    campaign_id: int,
    db: DatabaseDep,
    user: AdminUser,
    file: Annotated[UploadFile, File(description="CSV (UTF-8, UTF-16) or XLSX")],
    mapping: Annotated[
        UploadFile | None, File(description="YAML/JSON: header → case field or null")
    ] = None,
) -> CaseImportResult:
    """Import a case list. Good rows are stored; every bad row is reported with its row
    number, column and reason. The same file twice is a no-op that says so; a file
    with unknown columns or no usable row is refused and nothing is stored."""
    mapping_text = await mapping.read() if mapping is not None else None
    return await db.run(
        service.import_case_list,
        campaign_id,
        file.file,
        file.filename or "case-list",
        mapping=mapping_text,
        actor=user,
    )


@router.get("/campaigns/{campaign_id}/case-lists")
async def list_case_lists(
    campaign_id: int, db: DatabaseDep, _user: AdminUser
) -> list[CaseListRead]:
    return await db.run(service.list_case_lists, campaign_id)


@router.get("/case-lists/{case_list_id}/rejections")
async def list_rejections(
    case_list_id: int,
    db: DatabaseDep,
    _user: AdminUser,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> list[Rejection]:
    """The import's validation report: every rejected row, by row number."""
    return await db.run(service.list_rejections, case_list_id, offset, limit)
