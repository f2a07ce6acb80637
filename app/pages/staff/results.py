"""Results: SIPAS, its halves and the nine sub-indices with their intervals, units ranked
with points and bands under any weight scheme, charts, year on year, exports, and
publishing with confirmation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from analysis.schemes import bundled_codes
from app.auth.dependencies import StaffPage
from app.campaign import service as campaign_service
from app.core.deps import DatabaseDep
from app.core.errors import AppError, NotFoundError
from app.pages.staff.console import failed, page, redirect, require_admin
from app.result import service as result_service
from app.result.endpoints import MEDIA, Chart, ImageFormat, Table, TableFormat

router = APIRouter(include_in_schema=False)


@router.get("/campaigns/{campaign_id}/results")
async def results(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    scheme: str = "",
    saved: str = "",
) -> Response:
    try:
        campaign = await db.run(campaign_service.get_read_in_scope, campaign_id, actor=session.user)
        reader = await db.run(result_service.staff_reader, campaign_id, session.user)
        chosen = scheme if scheme in bundled_codes() else None
        body: dict[str, Any] | None = None
        units = None
        try:
            served, units = await db.run(
                result_service.staff_results, campaign_id, reader, scheme=chosen
            )
            body = served.body
        except NotFoundError:
            pass
        earlier = await db.run(result_service.earlier_campaigns, campaign_id)
    except AppError as exc:
        return failed(request, session, exc)
    compare = "".join(f"&compare={c}" for c in earlier)
    return page(
        request,
        "staff/results.html",
        session,
        campaign=campaign,
        tab="results",
        r=body,
        units=units,
        scheme=chosen or campaign.weight_scheme,
        schemes=bundled_codes(),
        compare=compare.lstrip("&"),
        earlier=earlier,
        saved=saved,
    )


@router.post("/campaigns/{campaign_id}/results")
async def compute(
    request: Request, campaign_id: int, db: DatabaseDep, session: StaffPage
) -> Response:
    """(Re)compute the results from the complete responses not rejected in review."""
    try:
        require_admin(session)
        await db.run(result_service.compute, campaign_id, actor=session.user)
    except AppError as exc:
        return failed(request, session, exc, f"/staff/campaigns/{campaign_id}/results")
    return redirect(f"/staff/campaigns/{campaign_id}/results?saved=computed")


@router.post("/campaigns/{campaign_id}/publish")
async def publish(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    confirm: Annotated[str, Form()] = "",
) -> Response:
    """Publish a closed campaign: its results are computed one last time and frozen."""
    try:
        require_admin(session)
        if confirm != "on":
            raise AppError(error="publish_needs_confirmation")
        await db.run(result_service.publish, campaign_id, actor=session.user)
    except AppError as exc:
        return failed(request, session, exc, f"/staff/campaigns/{campaign_id}/results")
    return redirect(f"/staff/campaigns/{campaign_id}/results?saved=published")


def _download(content: bytes | str, media: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/campaigns/{campaign_id}/results/{table}.{file_format}")
async def export_table(
    request: Request,
    campaign_id: int,
    table: Table,
    file_format: TableFormat,
    db: DatabaseDep,
    session: StaffPage,
) -> Response:
    """Criteria × years or units ranked, as CSV or XLSX (the report layouts)."""
    try:
        reader = await db.run(result_service.staff_reader, campaign_id, session.user)
        earlier = await db.run(result_service.earlier_campaigns, campaign_id)
        content = await db.run(
            result_service.export_table,
            campaign_id,
            reader,
            table=table.value,
            file_format=file_format.value,
            compare=earlier,
        )
    except AppError as exc:
        return failed(request, session, exc)
    name = f"sipas-{campaign_id}-{table.value}.{file_format.value}"
    return _download(content, MEDIA[file_format.value], name)


@router.get("/campaigns/{campaign_id}/results/charts/{kind}.{image_format}")
async def chart(
    request: Request,
    campaign_id: int,
    kind: Chart,
    image_format: ImageFormat,
    db: DatabaseDep,
    session: StaffPage,
) -> Response:
    try:
        reader = await db.run(result_service.staff_reader, campaign_id, session.user)
        earlier = await db.run(result_service.earlier_campaigns, campaign_id)
        content = await db.run(
            result_service.chart,
            campaign_id,
            reader,
            kind=kind.value,
            image_format=image_format.value,
            compare=earlier,
        )
    except AppError as exc:
        return failed(request, session, exc)
    return Response(content, media_type=MEDIA[image_format.value])


@router.get("/campaigns/{campaign_id}/answers.csv")
async def answers(
    request: Request, campaign_id: int, db: DatabaseDep, session: StaffPage
) -> Response:
    """The answers the results use, for ``sipas analyze`` or other software."""
    try:
        text = await db.run(result_service.answers_csv, campaign_id, actor=session.user)
    except AppError as exc:
        return failed(request, session, exc)
    return _download("\ufeff" + text, MEDIA["csv"], f"sipas-{campaign_id}-answers.csv")
