"""HTTP endpoints for responses."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi import Response as HttpResponse

from app.auth.dependencies import AdminUser, BearerToken
from app.core.deps import DatabaseDep
from app.response import service
from app.response.models import ResponseStatus
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
