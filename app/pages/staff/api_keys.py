"""API keys for scoring services (administrators only): create one limited to some
campaigns and maybe expiring (its secret shown once), list them with their campaigns,
expiry and last use, revoke one. The work is :mod:`app.auth.service`'s, which records
it in the audit trail."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.auth import service as auth_service
from app.auth.schemas import ApiKeyCreate, PageSession
from app.campaign import service as campaign_service
from app.core.deps import DatabaseDep
from app.core.errors import AppError, ForbiddenError
from app.core.messages import message
from app.pages.staff.access import LoggedIn, admin_only
from app.pages.staff.console import failed, page, redirect

router = APIRouter(prefix="/access/keys", include_in_schema=False)


async def _keys_page(
    request: Request, db: DatabaseDep, session: PageSession, status_code: int = 200, **context: Any
) -> Response:
    campaigns = await db.run(campaign_service.list_read, actor=session.user)
    return page(
        request,
        "staff/api_keys.html",
        session,
        keys=await db.run(auth_service.list_keys),
        campaigns=campaigns,
        campaign_names={c.id: c.name for c in campaigns},
        status_code=status_code,
        **{"values": {}, **context},
    )


@router.get("")
async def keys_page(
    request: Request, db: DatabaseDep, session: LoggedIn, revoked: int | None = None
) -> Response:
    try:
        admin_only(session)
    except AppError as exc:
        return failed(request, session, exc)
    return await _keys_page(request, db, session, revoked=revoked)


@router.post("")
async def create_key(
    request: Request,
    db: DatabaseDep,
    session: LoggedIn,
    name: Annotated[str, Form()],
    campaign_ids: Annotated[list[int], Form()] = [],  # noqa: B006 - FastAPI copies defaults
    expires_in_days: Annotated[str, Form()] = "",
) -> Response:
    """A key that reads the results of the ticked campaigns; its secret is on the returned
    page only (only its SHA-256 is stored)."""
    values = {"name": name, "campaign_ids": campaign_ids, "expires_in_days": expires_in_days}
    try:
        admin_only(session)
        data = ApiKeyCreate(
            name=name.strip(),
            campaign_ids=campaign_ids,
            expires_in_days=int(expires_in_days) if expires_in_days.strip() else None,
        )
        created = await db.run(auth_service.create, data, actor=session.user)
    except ForbiddenError as exc:
        return failed(request, session, exc)
    except ValueError:  # a pydantic ValidationError, or days that are not a number
        error = message("api_key_form_invalid")
        return await _keys_page(request, db, session, 422, error=error, values=values)
    except AppError as exc:
        return await _keys_page(
            request, db, session, exc.status_code, error=exc.detail, values=values
        )
    return await _keys_page(request, db, session, created=created)


@router.post("/{key_id}/revoke")
async def revoke_key(request: Request, key_id: int, db: DatabaseDep, session: LoggedIn) -> Response:
    """Revoke a key at once; its next call answers 401."""
    try:
        admin_only(session)
        await db.run(auth_service.revoke, key_id, actor=session.user)
    except ForbiddenError as exc:
        return failed(request, session, exc)
    except AppError as exc:
        return await _keys_page(request, db, session, exc.status_code, error=exc.detail)
    return redirect(f"/staff/access/keys?revoked={key_id}")
