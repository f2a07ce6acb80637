"""HTTP endpoints for units."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile, status

from app.auth.dependencies import AdminUser, Visible
from app.core.deps import DatabaseDep
from app.core.edge import UPLOAD
from app.core.errors import NotFoundError
from app.unit import service
from app.unit.models import UnitKind
from app.unit.schemas import UnitCreate, UnitImportResult, UnitNode, UnitRead

router = APIRouter(prefix="/units", tags=["units"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_unit(data: UnitCreate, db: DatabaseDep, user: AdminUser) -> UnitRead:
    """Create one unit under an existing parent."""
    return await db.run(service.create, data, actor=user)


@router.post("/import", openapi_extra=UPLOAD)
async def import_units(
    db: DatabaseDep, user: AdminUser, file: Annotated[UploadFile, File()]
) -> UnitImportResult:
    """Import units from a CSV file (UTF-8 or UTF-16) with the columns
    ``code, name, kind, parent_code, valid_from, valid_to``. All rows or none."""
    data = await file.read()
    return await db.run(service.import_csv, data, actor=user)


@router.get("")
async def list_units(
    db: DatabaseDep,
    visible: Visible,
    kind: UnitKind | None = None,
    valid_on: Annotated[date | None, Query(description="only units existing on this date")] = None,
) -> list[UnitNode] | list[UnitRead]:
    """The unit tree (roots with nested children); with ``kind``, a flat list of that kind.
    An API key sees the units within its campaigns' scopes."""
    only = visible.unit_ids if visible is not None else None
    if kind is not None:
        return await db.run(service.flat, kind=kind, valid_on=valid_on, only=only)
    return await db.run(service.tree, valid_on=valid_on, only=only)


@router.get("/{code}")
async def get_unit(code: str, db: DatabaseDep, visible: Visible) -> UnitRead:
    unit = await db.run(service.get, code)
    if visible is not None and unit.id not in visible.unit_ids:
        raise NotFoundError(error="unit_not_found", code=code)
    return unit
