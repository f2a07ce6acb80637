"""HTTP endpoints for questionnaires. Uploads are the YAML file as the request body."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from app.auth.dependencies import AdminUser, CurrentUser
from app.core.deps import DatabaseDep
from app.questionnaire import service
from app.questionnaire.schemas import QuestionnaireSummary, QuestionnaireVersionRead

router = APIRouter(prefix="/questionnaires", tags=["questionnaires"])

_YAML_BODY = {
    "requestBody": {
        "required": True,
        "description": "The questionnaire file (format: questionnaires/FORMAT.md).",
        "content": {"application/yaml": {"schema": {"type": "string"}}},
    }
}


@router.get("")
async def list_questionnaires(db: DatabaseDep, _user: CurrentUser) -> list[QuestionnaireSummary]:
    return await db.run(service.list_all)


@router.post("", status_code=status.HTTP_201_CREATED, openapi_extra=_YAML_BODY)
async def create_draft(
    request: Request, db: DatabaseDep, user: AdminUser
) -> QuestionnaireVersionRead:
    """Upload a questionnaire file as a new draft version."""
    return await db.run(service.create_draft, await request.body(), actor=user)


@router.get("/{code}")
async def get_latest(code: str, db: DatabaseDep, _user: CurrentUser) -> QuestionnaireVersionRead:
    """The newest published version (or the newest draft if none is published yet)."""
    return await db.run(service.get_latest, code)


@router.get("/{code}/versions/{version}")
async def get_version(
    code: str, version: int, db: DatabaseDep, _user: CurrentUser
) -> QuestionnaireVersionRead:
    return await db.run(service.get_version_read, code, version)


@router.put("/{code}/versions/{version}", openapi_extra=_YAML_BODY)
async def update_draft(
    code: str, version: int, request: Request, db: DatabaseDep, user: AdminUser
) -> QuestionnaireVersionRead:
    """Replace a draft's content. A published version answers 409."""
    return await db.run(service.update_draft, code, version, await request.body(), actor=user)


@router.post("/{code}/versions/{version}/publish")
async def publish(
    code: str, version: int, db: DatabaseDep, user: AdminUser
) -> QuestionnaireVersionRead:
    """Publish a draft. From now on it never changes."""
    return await db.run(service.publish, code, version, actor=user)


@router.delete("/{code}/versions/{version}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_draft(code: str, version: int, db: DatabaseDep, user: AdminUser) -> Response:
    await db.run(service.delete_draft, code, version, actor=user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
