"""HTTP endpoints for responses."""

from __future__ import annotations

import os
import tempfile
import uuid
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi import Response as HttpResponse
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from app.auth.dependencies import AdminUser, BearerToken, ResultsReader
from app.auth.service import Reader
from app.core.deps import Database, DatabaseDep
from app.response import service
from app.response.export import KEPT_STATES, ExportFilters, export_responses
from app.response.export_files import MEDIA_TYPES, ExportFormat
from app.response.models import ResponseMode, ResponseStatus, ReviewState
from app.response.schemas import ResponseRead, ResponseSubmit, ResponseUpdate

router = APIRouter(prefix="/campaigns/{campaign_id}/responses", tags=["responses"])

_SUBMIT_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"description": "A replay of a stored response: the stored response."},
    201: {"description": "Stored."},
    409: {
        "description": "Another response with this client_id is stored, the respondent has "
        "already answered, or the campaign is not in fieldwork."
    },
    422: {"description": "Answers rejected; every problem is listed in `fields`."},
}


@router.post("", status_code=201, responses=_SUBMIT_RESPONSES)
async def submit_response(
    campaign_id: int,
    data: ResponseSubmit,
    db: DatabaseDep,
    token: BearerToken,
    http: HttpResponse,
) -> ResponseRead:
    """Store a response (administrators). Every answer is checked against the campaign's
    questionnaire version; replaying the same ``client_id`` is safe."""
    result = await db.run(service.submit_with_token, token, campaign_id, data)
    if not result.created:
        http.status_code = 200
    return result.response


@router.get("")
async def list_responses(
    campaign_id: int,
    db: DatabaseDep,
    _user: AdminUser,
    status: ResponseStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ResponseRead]:
    return await db.run(service.list_read, campaign_id, status=status, limit=limit, offset=offset)


async def download(
    db: Database,
    campaign_id: int,
    filters: ExportFilters,
    file_format: ExportFormat,
    reader: Reader,
) -> FileResponse:
    """The export written to a temporary file (the database connection is held only
    while it is written), then streamed and deleted; ``X-Rows`` says how many rows."""
    handle, name = tempfile.mkstemp(prefix="sipas-export-", suffix=f".{file_format.value}")
    os.close(handle)
    path = Path(name)
    try:
        exported = await db.run(
            export_responses, campaign_id, filters, file_format, path, reader=reader
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[file_format],
        filename=exported.filename,
        headers={"X-Rows": str(exported.rows)},
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


@router.get(
    "/export",
    response_class=FileResponse,
    responses={200: {"content": {media: {} for media in MEDIA_TYPES.values()}}},
)
async def export(
    campaign_id: int,
    db: DatabaseDep,
    reader: ResultsReader,
    file_format: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
    unit: Annotated[str | None, Query(description="Only this unit's responses (code).")] = None,
    review_state: Annotated[
        list[ReviewState],
        Query(description="Review states to export; default all but `rejected`."),
    ] = [],  # noqa: B006 - FastAPI copies query defaults
    status: ResponseStatus | None = None,
    mode: ResponseMode | None = None,
    date_from: Annotated[date | None, Query(description="Received on or after (UTC).")] = None,
    date_to: Annotated[date | None, Query(description="Received on or before (UTC).")] = None,
    include_personal: Annotated[
        bool, Query(description="Add names, phones and addresses (administrators only).")
    ] = False,
) -> FileResponse:
    """Respondent-level data: one row per response, one column per item code of every
    questionnaire version of the campaign, with the design columns (stratum, PSU,
    inclusion probability, weights, sampling fraction, AAPOR disposition) that reproduce
    the results in SPSS, Stata or R ``survey``. CSV (UTF-8 with BOM), XLSX, SPSS ``.sav``
    or Stata ``.dta`` with Vietnamese variable and value labels. Staff and API keys read
    the campaigns they may read; personal data only for an administrator who asks."""
    filters = ExportFilters(
        unit=unit,
        review_states=frozenset(review_state) or KEPT_STATES,
        status=status,
        mode=mode,
        date_from=date_from,
        date_to=date_to,
        include_personal=include_personal,
    )
    return await download(db, campaign_id, filters, file_format, reader)


@router.get("/{client_id}")
async def get_response(
    campaign_id: int, client_id: uuid.UUID, db: DatabaseDep, _user: AdminUser
) -> ResponseRead:
    return await db.run(service.get, campaign_id, client_id)


@router.put("/{client_id}")
async def update_response(
    campaign_id: int,
    client_id: uuid.UUID,
    data: ResponseUpdate,
    db: DatabaseDep,
    user: AdminUser,
) -> ResponseRead:
    """Replace the answers of a partial response; a complete response is final (409)."""
    return await db.run(service.update, campaign_id, client_id, data, actor=user)
