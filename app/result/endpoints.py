"""HTTP endpoints for campaign results: compute (staff), read (staff and API keys), export."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.auth.dependencies import AdminUser, ResultsReader
from app.campaign.schemas import CampaignRead
from app.core.deps import DatabaseDep
from app.job.http import accepted, prefers_async
from app.result import jobs, service
from app.result.schemas import ComputeSummary, ResultsRead

router = APIRouter(prefix="/campaigns/{campaign_id}", tags=["results"])

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "svg": "image/svg+xml",
}


class Table(StrEnum):
    CRITERIA = "criteria"
    UNITS = "units"


class TableFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class Chart(StrEnum):
    SUBINDICES = "subindices"
    YEAR_ON_YEAR = "year-on-year"


class ImageFormat(StrEnum):
    PNG = "png"
    SVG = "svg"


Compare = Annotated[
    list[int], Query(description="Campaigns of other years to set beside this one.")
]


_QUEUED: dict[int | str, dict[str, Any]] = {
    202: {"description": "Queued as a job (`Prefer: respond-async`): its status."}
}


@router.post("/results", response_model=ComputeSummary, responses=_QUEUED)
async def compute_results(
    campaign_id: int, request: Request, db: DatabaseDep, user: AdminUser
) -> Any:
    """Compute (or recompute) the results from the complete responses. Recomputing the
    same answers gives the same content; a published campaign's results are frozen (409).
    With ``Prefer: respond-async`` the work runs as a job (202)."""
    if prefers_async(request):
        return accepted(request, await db.run(jobs.enqueue_compute, campaign_id, actor=user))
    return await db.run(service.compute, campaign_id, actor=user)


@router.get(
    "/results",
    response_model=ResultsRead,
    responses={304: {"description": "Not modified (If-None-Match matched the ETag)."}},
)
async def get_results(
    campaign_id: int,
    request: Request,
    db: DatabaseDep,
    reader: ResultsReader,
    unit: Annotated[str | None, Query(description="Only this unit's results.")] = None,
    scheme: Annotated[
        str | None, Query(description="PAR points under this weight scheme instead.")
    ] = None,
) -> Any:
    """The campaign's results for PAR-scoring services: overall, halves, the nine
    sub-indices, every criterion, per unit, with 95% intervals, n, PAR points and the
    versions used. Small cells are withheld. Send ``If-None-Match`` to revalidate."""
    presented = request.headers.get("if-none-match")
    if presented is not None:
        # Revalidation: compared with the stored digests, without building the document.
        etag = await db.run(service.etag, campaign_id, reader, unit=unit, scheme=scheme)
        if presented == etag:
            return Response(status_code=304, headers={"ETag": etag})
    body, etag = await db.run(service.served, campaign_id, reader, unit=unit, scheme=scheme)
    return Response(body, media_type="application/json", headers={"ETag": etag})


@router.get("/results/{table}.{file_format}", response_class=Response, responses=_QUEUED)
async def export_table(
    campaign_id: int,
    table: Table,
    file_format: TableFormat,
    request: Request,
    db: DatabaseDep,
    reader: ResultsReader,
    compare: Compare = [],  # noqa: B006 - FastAPI copies query defaults
) -> Response:
    """``criteria`` × years or ``units`` ranked with points and band, as CSV or XLSX.
    With ``Prefer: respond-async`` the file is made by a job (202); fetch it from
    ``GET /jobs/{id}/output``."""
    if prefers_async(request):
        job = await db.run(
            jobs.enqueue_export,
            campaign_id,
            reader,
            table=table.value,
            file_format=file_format.value,
            compare=compare,
        )
        return accepted(request, job)
    content = await db.run(
        service.export_table,
        campaign_id,
        reader,
        table=table.value,
        file_format=file_format.value,
        compare=compare,
    )
    filename = f"campaign-{campaign_id}-{table.value}.{file_format.value}"
    return Response(
        content,
        media_type=MEDIA[file_format.value],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/results/charts/{kind}.{image_format}", response_class=Response)
async def chart(
    campaign_id: int,
    kind: Chart,
    image_format: ImageFormat,
    db: DatabaseDep,
    reader: ResultsReader,
    compare: Compare = [],  # noqa: B006 - FastAPI copies query defaults
) -> Response:
    """Sub-indices per unit, or year on year against the ``compare`` campaigns."""
    content = await db.run(
        service.chart,
        campaign_id,
        reader,
        kind=kind.value,
        image_format=image_format.value,
        compare=compare,
    )
    return Response(content, media_type=MEDIA[image_format.value])


@router.post("/publish")
async def publish(campaign_id: int, db: DatabaseDep, user: AdminUser) -> CampaignRead:
    """Publish a closed campaign: its results are computed one last time and frozen (a
    later recompute answers 409), then the campaign becomes published."""
    return await db.run(service.publish, campaign_id, actor=user)
