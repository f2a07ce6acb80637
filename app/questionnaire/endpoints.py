"""HTTP endpoints for questionnaires. Uploads are the file as the request body: YAML
(``questionnaires/FORMAT.md``) or an XLSForm ``.xlsx`` at the ``/xlsform`` addresses."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from app.auth.dependencies import AdminUser, Visible
from app.core.deps import DatabaseDep
from app.core.errors import NotFoundError
from app.questionnaire import service
from app.questionnaire.schemas import QuestionnaireSummary, QuestionnaireVersionRead
from app.questionnaire.xlsform import XLSX, download

router = APIRouter(prefix="/questionnaires", tags=["questionnaires"])

_YAML_BODY = {
    "requestBody": {
        "required": True,
        "description": "The questionnaire file (format: questionnaires/FORMAT.md).",
        "content": {"application/yaml": {"schema": {"type": "string"}}},
    }
}

_XLSX_BODY = {
    "requestBody": {
        "required": True,
        "description": "An XLSForm (survey, choices, settings sheets; FORMAT.md, XLSForm).",
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in (XLSX, "application/octet-stream")
        },
    }
}
_XLSX_ANSWER: dict[int | str, dict[str, object]] = {
    200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}
}


@router.get("")
async def list_questionnaires(db: DatabaseDep, visible: Visible) -> list[QuestionnaireSummary]:
    """Every questionnaire; for an API key, the versions its campaigns use."""
    found = await db.run(service.list_all)
    if visible is None:
        return found
    allowed = visible.questionnaire_versions
    kept = [
        q.model_copy(update={"versions": [v for v in q.versions if (q.code, v.version) in allowed]})
        for q in found
    ]
    return [q for q in kept if q.versions]


@router.post("", status_code=status.HTTP_201_CREATED, openapi_extra=_YAML_BODY)
async def create_draft(
    request: Request, db: DatabaseDep, user: AdminUser
) -> QuestionnaireVersionRead:
    """Upload a questionnaire file as a new draft version."""
    return await db.run(service.create_draft, await request.body(), actor=user)


@router.post("/xlsform", status_code=status.HTTP_201_CREATED, openapi_extra=_XLSX_BODY)
async def create_draft_from_xlsform(
    request: Request, db: DatabaseDep, user: AdminUser
) -> QuestionnaireVersionRead:
    """Upload an XLSForm (ODK, KoboToolbox) as a new draft version. Whatever a
    questionnaire cannot hold answers 422 listing each problem by sheet and row."""
    return await db.run(service.create_draft_from_xlsform, await request.body(), actor=user)


@router.get("/{code}")
async def get_latest(code: str, db: DatabaseDep, visible: Visible) -> QuestionnaireVersionRead:
    """The newest published version (or the newest draft if none is published yet); for
    an API key, the newest its campaigns use."""
    if visible is None:
        return await db.run(service.get_latest, code)
    versions = [v for c, v in visible.questionnaire_versions if c == code]
    if not versions:
        raise NotFoundError(error="questionnaire_not_found", code=code)
    return await db.run(service.get_version_read, code, max(versions))


@router.get("/{code}/versions/{version}")
async def get_version(
    code: str, version: int, db: DatabaseDep, visible: Visible
) -> QuestionnaireVersionRead:
    if visible is not None and (code, version) not in visible.questionnaire_versions:
        raise NotFoundError(error="questionnaire_version_not_found", code=code, version=version)
    return await db.run(service.get_version_read, code, version)


@router.get("/{code}/versions/{version}/xlsform", response_class=Response, responses=_XLSX_ANSWER)
async def get_xlsform(code: str, version: int, db: DatabaseDep, visible: Visible) -> Response:
    """The version as an XLSForm (``.xlsx``) that ODK and KoboToolbox read; uploading it
    back gives the same questionnaire."""
    if visible is not None and (code, version) not in visible.questionnaire_versions:
        raise NotFoundError(error="questionnaire_version_not_found", code=code, version=version)
    return download(await db.run(service.xlsform_of, code, version), code, version)


@router.put("/{code}/versions/{version}/xlsform", openapi_extra=_XLSX_BODY)
async def update_draft_from_xlsform(
    code: str, version: int, request: Request, db: DatabaseDep, user: AdminUser
) -> QuestionnaireVersionRead:
    """Replace a draft's content with an XLSForm. A published version answers 409."""
    return await db.run(
        service.update_draft_from_xlsform, code, version, await request.body(), actor=user
    )


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
