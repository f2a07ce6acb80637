"""Access pages (administrators only): accounts (create with a role, new password,
disable and enable, end every log-in, change the role) and the campaigns and units a
supervisor covers. Every change goes through :mod:`app.auth.accounts` or
:mod:`app.campaign.scope`, which record it in the audit trail.

Anyone else who is logged in (a supervisor, a surveyor) gets 403.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.auth import accounts
from app.auth import service as auth_service
from app.auth.dependencies import STAFF_LOGIN, page_session
from app.auth.models import STAFF_ROLES, SURVEYOR_ROLES, Role
from app.auth.schemas import PageSession
from app.campaign import scope as campaign_scope
from app.campaign import service as campaign_service
from app.core.deps import DatabaseDep
from app.core.errors import AppError, ForbiddenError
from app.fieldwork import surveyors as surveyors_service
from app.pages.staff.console import failed, page, redirect

router = APIRouter(prefix="/access", include_in_schema=False)

LoggedIn = Annotated[
    PageSession,
    Depends(page_session(STAFF_ROLES | SURVEYOR_ROLES, login_url=STAFF_LOGIN)),
]
"""Any page session: the access pages answer 403 to all but administrators."""

DONE = {
    "created": "Đã tạo tài khoản.",
    "disabled": "Đã khóa tài khoản: các phiên đăng nhập đã kết thúc, mã truy cập bị từ chối.",
    "enabled": "Đã mở khóa tài khoản.",
    "revoked": "Đã kết thúc mọi phiên đăng nhập và thu hồi mọi mã truy cập của tài khoản.",
    "role": "Đã đổi vai trò.",
    "scope": "Đã lưu phạm vi giám sát.",
}
"""What a finished action says on the page it returns to (``?done=``)."""


def admin_only(session: PageSession) -> None:
    if session.role is not Role.ADMIN:
        raise ForbiddenError(error="access_for_admins")


async def _accounts_page(
    request: Request, db: DatabaseDep, session: PageSession, status_code: int = 200, **context: Any
) -> Response:
    listing = await db.run(accounts.list_accounts)
    return page(
        request,
        "staff/access.html",
        session,
        accounts=listing,
        status_code=status_code,
        **{"values": {}, **context},
    )


@router.get("")
async def accounts_page(request: Request, db: DatabaseDep, session: LoggedIn) -> Response:
    try:
        admin_only(session)
    except AppError as exc:
        return failed(request, session, exc)
    return await _accounts_page(request, db, session)


@router.post("/users")
async def create_account(
    request: Request,
    db: DatabaseDep,
    session: LoggedIn,
    username: Annotated[str, Form()],
    role: Annotated[Role, Form()],
    full_name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    """A new administrator or supervisor; the password typed, or a random one shown on
    the returned page only."""
    try:
        admin_only(session)
        account, given = await db.run(
            accounts.create_staff_account,
            username.strip(),
            role,
            full_name.strip() or None,
            password or None,
            actor=session.user,
        )
    except ForbiddenError as exc:
        return failed(request, session, exc)
    except AppError as exc:
        values = {"username": username, "full_name": full_name, "role": role.value}
        return await _accounts_page(
            request, db, session, status_code=exc.status_code, error=exc.detail, values=values
        )
    return await _account_page(
        request, db, session, account.id, done="created", password=None if password else given
    )


async def _account_page(
    request: Request,
    db: DatabaseDep,
    session: PageSession,
    user_id: int,
    status_code: int = 200,
    **context: Any,
) -> Response:
    try:
        account = await db.run(accounts.get_account, user_id)
    except AppError as exc:
        return failed(request, session, exc, back="/staff/access")
    extra: dict[str, Any] = {}
    if account.role is Role.SUPERVISOR:
        extra["scope"] = await db.run(campaign_scope.supervisor_scope, user_id)
        extra["campaigns"] = await db.run(campaign_service.list_read, actor=session.user)
        extra["units"] = await db.run(surveyors_service.unit_choices)
    return page(
        request,
        "staff/access_account.html",
        session,
        account=account,
        tokens=await db.run(auth_service.list_tokens, account.username),
        message=DONE.get(context.pop("done", None) or ""),
        status_code=status_code,
        **extra,
        **context,
    )


@router.get("/users/{user_id}")
async def account_page(
    request: Request, user_id: int, db: DatabaseDep, session: LoggedIn, done: str | None = None
) -> Response:
    try:
        admin_only(session)
    except AppError as exc:
        return failed(request, session, exc)
    return await _account_page(request, db, session, user_id, done=done)


async def _refused(
    request: Request, db: DatabaseDep, session: PageSession, user_id: int, exc: AppError
) -> Response:
    """A non-administrator gets the 403 page; an administrator the account page with the
    reason the service gave."""
    if session.role is not Role.ADMIN:
        return failed(request, session, exc)
    return await _account_page(
        request, db, session, user_id, status_code=exc.status_code, error=exc.detail
    )


async def _act(
    request: Request,
    db: DatabaseDep,
    session: PageSession,
    user_id: int,
    done: str,
    action: Any,
    *args: Any,
) -> Response:
    """Run ``action(db, username, *args, actor=...)`` on the account, then show it with
    ``done``; a refusal shows the account page with the reason."""
    try:
        admin_only(session)
        account = await db.run(accounts.get_account, user_id)
        await db.run(action, account.username, *args, actor=session.user)
    except AppError as exc:
        return await _refused(request, db, session, user_id, exc)
    return redirect(f"/staff/access/users/{user_id}?done={done}")


@router.post("/users/{user_id}/disable")
async def disable(request: Request, user_id: int, db: DatabaseDep, session: LoggedIn) -> Response:
    """Disable the account: its page sessions end and its tokens stop working at once."""
    return await _act(request, db, session, user_id, "disabled", accounts.set_active, False)


@router.post("/users/{user_id}/enable")
async def enable(request: Request, user_id: int, db: DatabaseDep, session: LoggedIn) -> Response:
    return await _act(request, db, session, user_id, "enabled", accounts.set_active, True)


@router.post("/users/{user_id}/revoke")
async def revoke(request: Request, user_id: int, db: DatabaseDep, session: LoggedIn) -> Response:
    """End every page session of the account and revoke all its API tokens."""
    return await _act(request, db, session, user_id, "revoked", accounts.revoke_access)


@router.post("/users/{user_id}/role")
async def change_role(
    request: Request,
    user_id: int,
    db: DatabaseDep,
    session: LoggedIn,
    role: Annotated[Role, Form()],
) -> Response:
    return await _act(request, db, session, user_id, "role", accounts.change_role, role)


@router.post("/users/{user_id}/password")
async def reset_password(
    request: Request,
    user_id: int,
    db: DatabaseDep,
    session: LoggedIn,
    password: Annotated[str, Form()] = "",
) -> Response:
    """A new password: the one typed, or a random one shown on this answer only (never
    in an address); the account's page sessions end."""
    try:
        admin_only(session)
        account = await db.run(accounts.get_account, user_id)
        given = await db.run(
            accounts.reset_password, account.username, password or None, actor=session.user
        )
    except AppError as exc:
        return await _refused(request, db, session, user_id, exc)
    return await _account_page(
        request,
        db,
        session,
        user_id,
        password=None if password else given,
        password_set=bool(password),
    )


@router.post("/users/{user_id}/scope")
async def supervisor_scope(
    request: Request,
    user_id: int,
    db: DatabaseDep,
    session: LoggedIn,
    campaign_ids: Annotated[list[int], Form()] = [],  # noqa: B006 - FastAPI copies defaults
    unit_ids: Annotated[list[int], Form()] = [],  # noqa: B006
) -> Response:
    """Give a supervisor exactly the campaigns and units ticked (no unit ticked: every
    unit of their campaigns, without personal data)."""
    try:
        admin_only(session)
        await db.run(
            campaign_scope.set_supervisor_scope,
            user_id,
            campaign_ids=campaign_ids,
            unit_ids=unit_ids,
            actor=session.user,
        )
    except AppError as exc:
        return await _refused(request, db, session, user_id, exc)
    return redirect(f"/staff/access/users/{user_id}?done=scope")
